"""The engine's one set of parameter checks: what passes, what fails, what the message says."""

import math

import numpy as np
import pytest

from softmax_engine._validation import (
    check_bool,
    check_choice,
    check_int,
    check_random_state,
    check_real,
)


@pytest.mark.parametrize("value", [0, 0.5, np.float32(0.25), np.int64(0)])
def test_real_in_range_passes_as_float(value):
    out = check_real(value, "mu", low=0, high=1)
    assert type(out) is float and out == float(value)


@pytest.mark.parametrize(
    "value", [1.0, -1e-12, math.nan, math.inf, -math.inf, True, np.True_, "0.5", None, [0.5]]
)
def test_real_out_of_range_names_value_and_range(value):
    with pytest.raises(ValueError) as info:
        check_real(value, "mu", low=0, high=1)
    assert str(info.value) == f"mu must be a finite number in [0, 1), got {value!r}"


def test_real_open_and_closed_bounds():
    with pytest.raises(ValueError, match=r"\(0.0, inf\), got 0.0"):
        check_real(0.0, "learning_rate", low=0.0, include_low=False)
    assert check_real(0.9, "fraction", low=0, high=0.9, include_high=True) == 0.9
    with pytest.raises(ValueError, match=r"\[0, 0.9\], got 0.95"):
        check_real(0.95, "fraction", low=0, high=0.9, include_high=True)
    assert check_real(-1e300, "anything") == -1e300  # unbounded both sides


def test_int_rules_and_messages():
    assert check_int(np.int32(5), "degree", low=1, high=5) == 5
    for bad in (0, 6, 2.0, True, "3", None):
        with pytest.raises(ValueError) as info:
            check_int(bad, "degree", low=1, high=5)
        assert str(info.value) == f"degree must be an integer in [1, 5], got {bad!r}"
    with pytest.raises(ValueError, match=r'>= 1 or "auto", got 0'):
        check_int(0, "record_every", low=1, also=' or "auto"')
    with pytest.raises(ValueError, match=r"\[0, 3\), got 3"):
        check_int(3, "i", low=0, high=3, include_high=False)


def test_error_class_can_be_chosen():
    class Custom(ValueError):
        pass

    with pytest.raises(Custom):
        check_int(0, "max_rows", low=1, error=Custom)
    with pytest.raises(Custom):
        check_bool(1, "header", error=Custom)


def test_bool_and_choice():
    assert check_bool(np.False_, "flag") is False
    with pytest.raises(ValueError, match="flag must be True or False, got 1"):
        check_bool(1, "flag")
    assert check_choice("adam", "optimizer", ("sgd", "adam")) == "adam"
    for bad in ("SGD", None, ["sgd"], np.array(["sgd"])):
        with pytest.raises(ValueError, match="choose one of 'sgd', 'adam'"):
            check_choice(bad, "optimizer", ("sgd", "adam"))


def test_random_state_follows_default_rng():
    expected = np.random.default_rng(7).standard_normal(5)
    np.testing.assert_array_equal(check_random_state(7).standard_normal(5), expected)
    gen = np.random.default_rng(1)
    assert check_random_state(gen) is gen
    legacy = check_random_state(np.random.RandomState(3))
    assert isinstance(legacy, np.random.Generator)
    assert isinstance(check_random_state(None), np.random.Generator)
    for bad in (-1, 1.5, "0", True):
        with pytest.raises(ValueError, match=r"random_state must be None, an int >= 0"):
            check_random_state(bad)

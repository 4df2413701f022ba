"""Settings: URL round trip, clamping of hostile parameters, presets."""

import dataclasses
import itertools
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.settings import (
    CLASS_COUNTS,
    DATASETS,
    LEARNING_RATES,
    MAX_SAMPLES,
    MAX_STEPS,
    PRESETS,
    REGULARIZATIONS,
    SPECS,
    Settings,
)


def test_defaults_make_an_empty_query_and_parse_back():
    assert Settings().to_query() == {}
    assert Settings.from_query({}) == (Settings(), [])


def test_round_trip_of_every_field():
    changed = Settings(
        dataset="moons",
        n_classes=2,
        n_samples=500,
        noise=0.25,
        data_seed=7,
        validation_share=0.3,
        features="poly",
        degree=4,
        rbf_gamma=10.0,
        standardize=False,
        optimizer="adam",
        learning_rate=0.02,
        reg=0.5,
        steps=1234,
        batch_size=32,
        init_seed=3,
        presenter=True,
    )
    # every field differs from the default, so every field is in the URL
    linked = {f.name for f in dataclasses.fields(Settings)} - {"user_data"}
    assert set(changed.to_query()) == linked
    assert Settings.from_query(changed.to_query()) == (changed, [])


def test_learning_rate_and_regularization_scales():
    assert LEARNING_RATES[0] == pytest.approx(1e-4) and LEARNING_RATES[-1] == pytest.approx(10)
    assert REGULARIZATIONS[0] == 0.0 and REGULARIZATIONS[-1] == pytest.approx(10)
    ratios = [b / a for a, b in itertools.pairwise(LEARNING_RATES)]
    assert all(1.9 < r < 2.6 for r in ratios)  # log-spaced: 1, 2, 5, 10, ...


@pytest.mark.parametrize(
    ("params", "field", "expected", "note_part"),
    [
        ({"n_samples": "999999"}, "n_samples", MAX_SAMPLES, "clamped"),
        ({"n_samples": "-5"}, "n_samples", 20, "clamped"),
        ({"steps": "1e9"}, "steps", MAX_STEPS, "clamped"),
        ({"steps": "12.7"}, "steps", 13, "whole number"),
        ({"learning_rate": "nan"}, "learning_rate", Settings().learning_rate, "finite"),
        ({"learning_rate": "inf"}, "learning_rate", Settings().learning_rate, "finite"),
        ({"learning_rate": "0.0031"}, "learning_rate", 0.002, "nearest"),
        ({"learning_rate": "1e6"}, "learning_rate", 10.0, "nearest"),
        ({"reg": "-1"}, "reg", 0.0, "nearest"),
        ({"noise": "abc"}, "noise", Settings().noise, "not a number"),
        ({"dataset": "<script>alert(1)</script>"}, "dataset", Settings().dataset, "not one of"),
        ({"standardize": "maybe"}, "standardize", True, "true/false"),
        ({"batch_size": "3"}, "batch_size", 8, "nearest"),
    ],
)
def test_bad_values_are_clamped_with_a_note(params, field, expected, note_part):
    parsed, notes = Settings.from_query(params)
    assert getattr(parsed, field) == expected
    assert len(notes) == 1 and note_part in notes[0]
    assert field in notes[0]


def test_unknown_parameters_are_ignored_with_a_note():
    parsed, notes = Settings.from_query({"evil": "1", "dataset": "moons", "n_classes": "2"})
    assert parsed.dataset == "moons"
    assert notes == ["Ignored unknown URL parameter “evil”."]


def test_class_count_follows_the_dataset():
    parsed, notes = Settings.from_query({"dataset": "moons", "n_classes": "7"})
    assert parsed.n_classes == 2
    assert any("Two moons has 2 classes" in n for n in notes)


def test_repeated_parameters_use_the_last_value():
    parsed, notes = Settings.from_query({"steps": ["10", "20"]})
    assert parsed.steps == 20 and notes == []


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from([*SPECS, "zzz", "user_data"]), st.text(max_size=30), max_size=8
    )
)
def test_from_query_never_raises_and_always_yields_valid_settings(params):
    parsed, notes = Settings.from_query(params)
    assert parsed.dataset in DATASETS
    assert parsed.user_data == ""  # own data never comes from a link
    for f in dataclasses.fields(Settings):
        if f.name == "user_data":
            continue
        spec = SPECS[f.name]
        value = getattr(parsed, f.name)
        if spec.kind in ("int", "float"):
            assert spec.low <= value <= spec.high and math.isfinite(value)
        elif spec.kind in ("choice", "option"):
            assert value in spec.choices
    allowed = CLASS_COUNTS.get(parsed.dataset)
    assert allowed is None or parsed.n_classes in allowed
    assert all(isinstance(n, str) and len(n) < 300 for n in notes)


@pytest.mark.parametrize("key", sorted(PRESETS))
def test_presets_are_valid_and_survive_the_url(key):
    preset = PRESETS[key]
    assert preset.title and len(preset.commentary) > 40
    assert Settings.from_query(preset.settings.to_query()) == (preset.settings, [])


def test_training_key_ignores_view_only_fields():
    assert Settings().training_key() == Settings(presenter=True).training_key()
    assert Settings().training_key() != Settings(learning_rate=0.5).training_key()


@pytest.mark.parametrize(
    ("dataset", "asked", "expected"),
    [("moons", 7, 2), ("circles", 9, 5), ("gaussian_quadrants", 3, 2), ("spiral", 7, 7)],
)
def test_settings_are_consistent_when_built(dataset, asked, expected):
    """Whoever builds Settings (URL, sidebar, code) gets a class count the dataset offers."""
    built = Settings(dataset=dataset, n_classes=asked)
    assert built.n_classes == expected
    assert Settings(dataset=dataset).replace(n_classes=asked).n_classes == expected


def test_own_data_never_travels_in_a_link():
    own = Settings(dataset="own", user_data="ab" * 16, learning_rate=0.1)
    query = own.to_query()
    assert query == {"dataset": "own", "learning_rate": "0.1"}
    parsed, notes = Settings.from_query({**query, "user_data": "ab" * 16})
    assert parsed == Settings(learning_rate=0.1)
    assert any("not shared" in n and "dataset" in n for n in notes)


def test_user_data_belongs_to_own_data_only():
    assert Settings(user_data="x").user_data == ""
    a = Settings(dataset="own", user_data="a" * 32)
    b = a.replace(user_data="b" * 32)
    assert a.data_key() != b.data_key() and a.training_key() != b.training_key()

"""Pinned runs: labels by difference, the five-pin limit, the engine's numbers."""

import numpy as np
import pytest

from dashboard.playground.compute import train_playground
from dashboard.playground.pins import (
    MAX_PINS,
    add_pin,
    differences,
    pin_from_run,
    pin_label,
    pins_for_stage,
    pins_table,
    steps_to_fraction,
)
from dashboard.settings import Settings


@pytest.fixture(scope="module")
def run():
    return train_playground(Settings(steps=60))


def test_a_pin_holds_the_engines_curve_and_results(run):
    pin = pin_from_run(run)
    h = run.history
    assert pin.steps[0] == 0 and pin.steps[-1] == h.step[-1]
    index = {int(s): k for k, s in enumerate(h.step)}
    np.testing.assert_array_equal(pin.loss, [h.loss[index[s]] for s in pin.steps])
    assert pin.final_loss == h.loss[-1] and pin.val_accuracy == h.val_accuracy[-1]
    k = int(np.argmax(h.val_accuracy >= 0.95 * h.val_accuracy[-1]))
    assert pin.steps_to_95 == h.step[k]


def test_labels_name_what_differs():
    now = Settings()
    assert differences(Settings(learning_rate=0.1), now) == ["lr 0.1"]
    assert differences(Settings(optimizer="adam"), now) == ["Adam"]
    assert pin_label(now.replace(presenter=True), now) == "same settings"
    label = pin_label(Settings(learning_rate=0.1, reg=0.5, steps=50, batch_size=16), now)
    assert label == "lr 0.1, reg 0.5, 50 steps, +1 more"
    # L-BFGS has no learning rate: a pinned L-BFGS run is not labelled by one
    assert differences(Settings(optimizer="lbfgs", learning_rate=0.1), now) == ["L-BFGS"]


def test_at_most_five_pins_and_no_duplicates(run):
    pins = []
    for lr in (1.0, 0.5, 0.2, 0.1, 0.05, 0.02):
        r = train_playground(Settings(steps=20, learning_rate=lr))
        pins = add_pin(pins, pin_from_run(r))
    assert len(pins) == MAX_PINS
    assert [p.settings.learning_rate for p in pins] == [0.5, 0.2, 0.1, 0.05, 0.02]
    again = add_pin(pins, pin_from_run(train_playground(Settings(steps=20, learning_rate=0.2))))
    assert [p.settings.learning_rate for p in again] == [0.5, 0.1, 0.05, 0.02, 0.2]


def test_stage_json_and_table(run):
    pins = [pin_from_run(run)]
    now = Settings(steps=60, learning_rate=0.1)
    (curve,) = pins_for_stage(pins, now)
    assert curve["label"] == "lr 1" and len(curve["steps"]) == len(curve["loss"])
    rows = pins_table(pins, now, now=pin_from_run(run))
    assert [r["Run"] for r in rows] == ["now", "1"]
    assert rows[1]["Differs from the current run"] == "lr 1"
    assert rows[1]["Final loss"] == f"{run.history.loss[-1]:.4g}"


def test_non_finite_losses_travel_as_null():
    diverged = train_playground(
        Settings(dataset="blobs", features="raw", learning_rate=10.0, reg=10.0, steps=50)
    )
    (curve,) = pins_for_stage([pin_from_run(diverged)], Settings())
    assert all(v is None or np.isfinite(v) for v in curve["loss"])


def test_steps_to_fraction_edge_cases():
    assert steps_to_fraction([0, 10, 20], [0.2, 0.96, 1.0]) == 10
    assert steps_to_fraction([0], [float("nan")]) is None
    assert steps_to_fraction([], []) is None

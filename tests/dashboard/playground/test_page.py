"""The Playground page through AppTest: every control changes what it should."""


import base64

import numpy as np
import pytest

import dashboard.playground.cache
from dashboard.playground.compute import train_playground
from dashboard.settings import LEARNING_RATES, PRESETS, REGULARIZATIONS, Settings
from tests.chartspec import chart, charts, decode, open_page, release, stage_plane, stage_state


def open_playground(query=None):
    return open_page("dashboard/playground/page.py", query)


def stage_cell(at):
    """The plane arrays of the cell the server's settings select: (W, b, curves, steps)."""
    _, planes = stage_plane(at)
    i, j = stage_state(at)["cell"]
    return planes["W"][i, j], planes["b"][i, j], planes["curves"][i, j], planes["record_steps"]


def recorded(run, steps):
    """Indices of the run's history at ``steps`` (the plane records a subset)."""
    index = {int(s): k for k, s in enumerate(run.history.step)}
    return [index[int(s)] for s in steps if int(s) in index]


@pytest.fixture(autouse=True)
def _fresh(fresh_cache):
    yield


@pytest.fixture(scope="module")
def default_run():
    return train_playground(Settings())


def test_default_page_shows_engine_numbers(default_run):
    at = open_playground()
    for key in ("dw_chart", "error_chart", "w_chart"):
        chart(at, key)
    for key in ("stage_sliders", "regions_chart", "loss_chart"):
        assert stage_state(at, key)["plane_url"] == stage_state(at)["plane_url"]
    h = default_run.history
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Loss"] == f"{h.loss[-1]:.4f}"
    assert metrics["Train accuracy"] == f"{h.train_accuracy[-1]:.1%}"
    assert metrics["Val. accuracy"] == f"{h.val_accuracy[-1]:.1%}"
    dw = chart(at, "dw_chart")["data"][0]
    np.testing.assert_allclose(decode(dw["z"]), h.dW[-1], rtol=1e-5, atol=1e-9)
    # The stage's cell is the model trained alone, to float32 precision.
    W, b, curves, steps = stage_cell(at)
    np.testing.assert_allclose(W, default_run.model.coef_.T, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(b, default_run.model.intercept_, rtol=1e-5, atol=1e-6)
    ks = recorded(default_run, steps)
    assert len(ks) >= 10
    shared = np.isin(steps, h.step[ks])
    np.testing.assert_allclose(curves[shared, 0], h.loss[ks], rtol=1e-5)


def test_the_neighbourhood_shows_first_and_the_whole_plane_follows():
    settings = Settings(dataset="moons", n_classes=2, steps=77)  # a plane no test trained
    # Planes other tests asked for are trained first: with more than the cache holds
    # still pending, finishing them after ours would push ours out of the cache.
    dashboard.playground.cache.wait_for_planes()
    at = open_playground(settings.to_query())
    state = stage_state(at)
    assert state["next_url"] and state["pending"] and not state["note"]
    _, near = stage_plane(at)
    i, j = state["cell"]
    assert near["trained"][i, j] and near["trained"].sum() <= 9
    dashboard.playground.cache.wait_for_planes()
    at.run()
    later = stage_state(at)
    assert later["plane_url"] == state["next_url"] and later["next_url"] is None
    assert "320 models" in later["note"]
    _, whole = stage_plane(at)
    assert whole["trained"].all()
    np.testing.assert_array_equal(whole["W"][i, j], near["W"][i, j])


def test_releasing_the_learning_rate_slider_retrains_the_rest_of_the_page():
    at = open_playground()
    before = chart(at, "dw_chart")
    i, j = LEARNING_RATES.index(0.1), REGULARIZATIONS.index(1e-3)
    release(at, {"lr_index": i, "reg_index": j, "seq": 1})
    settings = at.session_state["settings"]
    assert settings.learning_rate == 0.1 and settings.reg == 1e-3
    assert at.query_params["learning_rate"] in ("0.1", ["0.1"])
    state = stage_state(at)
    assert state["lr_index"] == i and state["echo"] == 1
    expected = train_playground(Settings(learning_rate=0.1)).history
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Loss"] == f"{expected.loss[-1]:.4f}"
    assert chart(at, "dw_chart") != before
    np.testing.assert_allclose(
        decode(chart(at, "dw_chart")["data"][0]["z"]), expected.dW[-1], rtol=1e-5, atol=1e-9
    )


def test_releasing_the_regularization_slider_retrains():
    at = open_playground()
    j = REGULARIZATIONS.index(0.5)
    release(at, {"lr_index": LEARNING_RATES.index(1.0), "reg_index": j, "seq": 1})
    assert at.session_state["settings"].reg == 0.5
    expected = train_playground(Settings(reg=0.5)).history
    assert {m.label: m.value for m in at.metric}["Loss"] == f"{expected.loss[-1]:.4f}"
    # Same training setting but reg: the browser keeps the (whole) plane it has.
    def whole(state):
        return state["next_url"] or state["plane_url"]

    assert whole(stage_state(at)) == whole(stage_state(open_playground()))


@pytest.mark.parametrize(
    "cell",
    [
        {"lr_index": 99, "reg_index": 0, "seq": 1},
        {"lr_index": -1, "reg_index": 0, "seq": 1},
        {"lr_index": "3", "reg_index": 0, "seq": 1},
        {"lr_index": True, "reg_index": 0, "seq": 1},
        {"lr_index": 1.5, "reg_index": 0, "seq": 1},
        {"lr_index": 2},
        "not a cell",
        None,
    ],
)
def test_a_malformed_release_is_ignored(cell):
    at = open_playground()
    release(at, cell)
    assert at.session_state["settings"] == Settings()
    assert stage_state(at)["echo"] == 0


# Each control with a new value; the run's settings must follow and the charts change.
CONTROL_CHANGES = [
    ("dataset", "blobs"),
    ("n_classes", 5),
    ("n_samples", 500),
    ("noise", 0.3),
    ("data_seed", 7),
    ("validation_share", 0.4),
    ("features", "poly"),
    ("rbf_gamma", 10.0),
    ("standardize", False),
    ("optimizer", "adam"),
    ("steps", 50),
    ("batch_size", 32),
    ("init_seed", 3),
]


@pytest.mark.parametrize(("key", "value"), CONTROL_CHANGES)
def test_each_control_changes_the_run(key, value):
    at = open_playground()
    before = charts(at)
    widget = at.sidebar.get(_widget_type(key))
    widget = next(w for w in widget if w.key == key)
    widget.set_value(value).run()
    assert not at.exception
    assert getattr(at.session_state["settings"], key) == value
    after = charts(at)
    changed = [k for k in after if after[k] != before.get(k)]
    assert changed, f"changing {key} redrew nothing"


def _widget_type(key):
    return {
        "dataset": "selectbox",
        "optimizer": "selectbox",
        "features": "radio",
        "standardize": "checkbox",
        "data_seed": "number_input",
        "init_seed": "number_input",
        "rbf_gamma": "select_slider",
        "batch_size": "select_slider",
    }.get(key, "slider")


def test_degree_slider_changes_polynomial_features():
    at = open_playground({"features": "poly"})
    at.sidebar.slider(key="degree").set_value(4).run()
    assert chart(at, "w_chart")["layout"]["meta"]["shape"][0] == 14  # monomials up to degree 4


def test_step_scrubber_redraws_without_retraining(monkeypatch):
    calls = []
    original = dashboard.playground.cache.train_playground

    def counting(settings):
        calls.append(settings)
        return original(settings)

    monkeypatch.setattr(dashboard.playground.cache, "train_playground", counting)
    at = open_playground()
    assert len(calls) == 1
    at.select_slider(key="step").set_value(0).run()
    assert len(calls) == 1  # scrubbing never retrains
    state = stage_state(at, "regions_chart")
    assert state["step"] == 0
    W0 = np.frombuffer(base64.b64decode(state["override"]["W"]), "<f4")
    expected = train_playground(Settings()).history.W[0]
    np.testing.assert_allclose(W0, expected.ravel(), rtol=1e-6)  # the model at step 0
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Step"].startswith("0 /")
    at.sidebar.toggle(key="presenter").set_value(True).run()
    assert len(calls) == 1  # a view-only setting does not retrain either
    release(at, {"lr_index": LEARNING_RATES.index(0.5), "reg_index": 7, "seq": 1})
    assert len(calls) == 2


def test_same_settings_same_result():
    first = train_playground(Settings(batch_size=16, steps=40))
    second = train_playground(Settings(batch_size=16, steps=40))
    np.testing.assert_array_equal(first.history.W, second.history.W)


def test_bad_url_values_are_clamped_with_a_note():
    at = open_playground({"learning_rate": "1e9", "steps": "999999", "bogus": "<b>x</b>"})
    notes = " ".join(w.value for w in at.warning).replace("\\", "")  # as rendered
    assert "learning_rate" in notes and "steps" in notes and "bogus" in notes
    settings = at.session_state["settings"]
    assert settings.learning_rate == 10.0 and settings.steps == 5000
    assert stage_state(at)["lr_index"] == LEARNING_RATES.index(10.0)


def test_url_reproduces_the_view():
    target = Settings(dataset="moons", n_classes=2, features="poly", degree=3, learning_rate=0.5)
    at = open_playground(target.to_query())
    assert at.session_state["settings"] == target
    assert not at.warning


@pytest.mark.parametrize("key", sorted(PRESETS))
def test_presets_apply_with_commentary(key):
    at = open_playground()
    at.sidebar.selectbox(key="preset").set_value(key).run()
    assert not at.exception
    assert at.session_state["settings"] == PRESETS[key].settings
    assert any(PRESETS[key].title in i.value for i in at.info)


def test_divergence_shows_a_clear_message_and_finite_state():
    at = open_playground(
        {"dataset": "blobs", "features": "raw", "learning_rate": "10", "reg": "10", "steps": "50"}
    )
    texts = " ".join(e.value for e in at.error) + " ".join(w.value for w in at.warning)
    assert "diverged" in texts or "overshoots zero" in texts
    dw = decode(chart(at, "w_chart")["data"][0]["z"])
    assert np.all(np.isfinite(dw))


def test_presenter_mode_enlarges_fonts():
    normal = chart(open_playground(), "w_chart")["layout"]["font"]["size"]
    at = open_playground({"presenter": "true"})
    assert chart(at, "w_chart")["layout"]["font"]["size"] > normal
    assert stage_state(at, "regions_chart")["presenter"] is True


def test_play_toggle_sends_the_recorded_states_to_animate():
    at = open_playground()
    assert stage_state(at, "regions_chart")["play"] is None
    at.toggle(key="play").set_value(True).run()
    play = stage_state(at, "regions_chart")["play"]
    run = train_playground(Settings())
    D, C = run.history.W.shape[1:]
    assert 2 <= len(play["steps"]) <= 60
    assert play["steps"][0] == 0 and play["steps"][-1] == run.history.step[-1]
    W = np.frombuffer(base64.b64decode(play["W"]), "<f4").reshape(-1, D, C)
    np.testing.assert_allclose(W[-1], run.history.W[-1], rtol=1e-6)


def test_bundled_dataset_on_its_pca_plane():
    at = open_playground({"dataset": "iris"})
    assert any("principal components" in c.value for c in at.caption)
    meta, _ = stage_plane(at)
    assert meta["class_names"] == ["setosa", "versicolor", "virginica"]
    assert meta["feature_labels"] == ["PC1", "PC2"]


def test_url_text_cannot_inject_markdown_links():
    at = open_playground({"[click](http://evil.example)": "1", "dataset": "**bold**"})
    warning = " ".join(w.value for w in at.warning)
    assert "](http" not in warning  # the brackets arrive escaped: shown as typed, no link
    assert r"\[click\]" in warning and r"\*\*bold\*\*" in warning


HOSTILE_LINKS = [
    {"n_samples": "1e308", "steps": "-1e308", "noise": "1e-400"},
    {"learning_rate": "0x10", "reg": "1e-999", "batch_size": "9" * 400},
    {"dataset": "../../etc/passwd", "features": "<img src=x onerror=alert(1)>"},
    {"data_seed": "99999999999999999999999", "init_seed": "-5", "degree": "NaN"},
    {"validation_share": "Infinity", "rbf_gamma": "-inf", "presenter": "☃"},
    {"n_classes": "10", "dataset": "moons", "optimizer": "lbfgs", "steps": "5000"},
]


@pytest.mark.parametrize("query", HOSTILE_LINKS)
def test_hostile_links_never_break_the_page(query):
    at = open_playground(query)  # asserts no exception
    settings = at.session_state["settings"]
    assert settings.n_samples <= 2000 and settings.steps <= 5000
    assert charts(at)


def test_export_buttons_are_offered():
    at = open_playground()
    labels = {b.proto.label for b in at.get("download_button")}
    assert labels == {"Weights (JSON)", "Weights (.npz)", "History (CSV)", "Dataset (CSV)"}


def test_pinning_keeps_runs_across_slider_moves_and_clear_removes_them():
    at = open_playground()
    assert stage_state(at, "loss_chart")["pins"] == []
    assert at.button(key="clear_pins").disabled
    at.button(key="pin_run").click().run()
    assert not at.exception
    release(at, {"lr_index": LEARNING_RATES.index(0.1), "reg_index": 3, "seq": 1})
    at.button(key="pin_run").click().run()
    release(at, {"lr_index": LEARNING_RATES.index(0.5), "reg_index": 3, "seq": 2})
    pins = stage_state(at, "loss_chart")["pins"]
    assert [p["label"] for p in pins] == ["lr 1, reg 0.001", "lr 0.1"]
    expected = train_playground(Settings()).history
    assert pins[0]["steps"][-1] == expected.step[-1]
    assert pins[0]["loss"][-1] == pytest.approx(expected.loss[-1])
    table = at.dataframe[0].value
    assert list(table["Run"]) == ["now", "1", "2"]
    assert list(table["Final loss"])[1] == f"{expected.loss[-1]:.4g}"
    at.button(key="clear_pins").click().run()
    assert stage_state(at, "loss_chart")["pins"] == [] and not at.dataframe


def test_a_sixth_pin_replaces_the_oldest():
    at = open_playground({"steps": "30"})
    for lr in (1.0, 0.5, 0.2, 0.1, 0.05, 0.02):
        release(at, {"lr_index": LEARNING_RATES.index(lr), "reg_index": 3, "seq": int(lr * 1e3)})
        at.button(key="pin_run").click().run()
    labels = [p["label"] for p in stage_state(at, "loss_chart")["pins"]]
    assert labels == ["lr 0.5", "lr 0.2", "lr 0.1", "lr 0.05", "same settings"]

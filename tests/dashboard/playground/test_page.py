"""The Playground page through AppTest: every control changes what it should."""


import numpy as np
import pytest

import dashboard.playground.cache
from dashboard.playground.compute import train_playground
from dashboard.settings import PRESETS, Settings
from tests.chartspec import chart, charts, decode, open_page


def open_playground(query=None):
    return open_page("dashboard/playground/page.py", query)


def loss_trace(at):
    fig = chart(at, "loss_chart")
    trace = next(t for t in fig["data"] if t["name"] == "total loss")
    return decode(trace["x"]).astype(float), decode(trace["y"]).astype(float)


@pytest.fixture(autouse=True)
def _fresh(fresh_cache):
    yield


@pytest.fixture(scope="module")
def default_run():
    return train_playground(Settings())


def test_default_page_shows_engine_numbers(default_run):
    at = open_playground()
    keys = ("regions_chart", "loss_chart", "dw_chart", "error_chart", "w_chart")
    for key in keys:
        chart(at, key)
    h = default_run.history
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Loss"] == f"{h.loss[-1]:.4f}"
    assert metrics["Train accuracy"] == f"{h.train_accuracy[-1]:.1%}"
    assert metrics["Validation accuracy"] == f"{h.val_accuracy[-1]:.1%}"
    steps, loss = loss_trace(at)
    np.testing.assert_array_equal(steps, h.step)
    np.testing.assert_allclose(loss, h.loss, rtol=1e-6)  # float32 on the wire
    meta = chart(at, "regions_chart")["layout"]["meta"]
    pred_train, pred_val = default_run.predictions_at(len(h.step) - 1)
    expected_wrong = np.sum(pred_train != default_run.y_train) + np.sum(
        pred_val != default_run.y_val
    )
    assert meta["n_misclassified"] == expected_wrong
    dw = chart(at, "dw_chart")["data"][0]
    np.testing.assert_allclose(decode(dw["z"]), h.dW[-1], rtol=1e-5, atol=1e-9)


def test_learning_rate_slider_retrains_and_redraws():
    at = open_playground()
    slider = at.sidebar.select_slider(key="learning_rate")
    assert slider.label == "Learning rate"
    before = loss_trace(at)[1]
    slider.set_value(0.1).run()
    assert not at.exception
    after = loss_trace(at)[1]
    expected = train_playground(Settings(learning_rate=0.1)).history.loss
    np.testing.assert_allclose(after, expected, rtol=1e-6)
    assert not np.allclose(before, after)
    assert at.query_params["learning_rate"] in ("0.1", ["0.1"])


def test_regularization_slider_retrains():
    at = open_playground()
    slider = at.sidebar.select_slider(key="reg")
    assert slider.label == "Regularization"
    slider.set_value(0.5).run()
    fig = chart(at, "loss_chart")
    reg_trace = next(t for t in fig["data"] if t["name"] == "reg. loss")
    expected = train_playground(Settings(reg=0.5)).history.reg_loss
    np.testing.assert_allclose(decode(reg_trace["y"]), expected, rtol=1e-6)


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
    meta = chart(at, "loss_chart")["layout"]["meta"]
    assert meta["selected_step"] == 0
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Step"].startswith("0 /")
    at.sidebar.toggle(key="presenter").set_value(True).run()
    assert len(calls) == 1  # a view-only setting does not retrain either
    at.sidebar.select_slider(key="learning_rate").set_value(0.5).run()
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
    assert at.sidebar.select_slider(key="learning_rate").value == 10.0


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
    normal = chart(open_playground(), "loss_chart")["layout"]["font"]["size"]
    big = chart(open_playground({"presenter": "true"}), "loss_chart")["layout"]["font"]["size"]
    assert big > normal


def test_play_toggle_sends_animation_frames():
    at = open_playground()
    at.toggle(key="play").set_value(True).run()
    fig = chart(at, "regions_chart")
    assert 2 <= len(fig["frames"]) <= 60
    assert fig["layout"]["updatemenus"]


def test_bundled_dataset_on_its_pca_plane():
    at = open_playground({"dataset": "iris"})
    assert any("principal components" in c.value for c in at.caption)
    assert chart(at, "regions_chart")["layout"]["meta"]["n_classes"] == 3


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

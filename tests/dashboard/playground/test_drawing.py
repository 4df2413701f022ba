"""Draw points on the regions chart (issue 14, point 2): clicks are user input."""

import numpy as np
import pytest

import dashboard.playground.cache
from dashboard.playground.cache import playground_run
from dashboard.playground.compute import training_inputs
from dashboard.playground.drawing import add_point, parse_click, remove_near
from dashboard.playground.exports import dataset_csv
from dashboard.playground.own_data import parse_upload
from dashboard.settings import Settings
from softmax_engine import Dataset
from tests.chartspec import click_regions, open_page, stage_plane, stage_state
from tests.dashboard.playground.test_own_data import pets_csv


@pytest.fixture(autouse=True)
def _fresh(fresh_cache):
    yield


def drawing(query=None):
    at = open_page("dashboard/playground/page.py", query)
    assert stage_state(at, "regions_chart")["edit"] == {"on": False}
    at.toggle(key="pg_draw").set_value(True).run()
    assert stage_state(at, "regions_chart")["edit"] == {"on": True, "class_name": "0"}
    return at


def data_of(at):
    return playground_run(at.session_state["settings"]).data


def warnings(at):
    return " ".join(w.value for w in at.warning).replace("\\", "")


def test_a_click_adds_a_point_of_the_chosen_class_and_retrains():
    at = drawing()
    before = data_of(at)
    at.radio(key="pg_draw_class").set_value("2").run()
    click_regions(at, {"op": "add", "x": 0.25, "y": -0.5, "seq": 1})
    settings = at.session_state["settings"]
    assert settings.dataset == "own" and settings.user_data
    after = data_of(at)
    assert after.n_samples == before.n_samples + 1
    np.testing.assert_array_equal(after.X[-1], [0.25, -0.5])
    assert after.y[-1] == 2 and after.class_names == before.class_names
    np.testing.assert_array_equal(after.X[:-1], before.X)
    _, arrays = stage_plane(at)  # the live plane trained on the new data
    assert len(arrays["X_train"]) + len(arrays["X_val"]) == before.n_samples + 1
    assert any("Points drawn on spiral" in c.value for c in at.caption)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Loss"] == f"{playground_run(settings).history.loss[-1]:.4f}"
    dashboard.playground.cache.wait_for_planes()
    at.run()
    assert stage_state(at)["next_url"] is None  # the whole plane followed


def test_a_new_class_and_removing_a_point():
    at = drawing()
    at.radio(key="pg_draw_class").set_value("3").run()
    click_regions(at, {"op": "add", "x": -0.3, "y": 0.6, "seq": 1})
    assert stage_plane(at)[0]["class_names"] == ["0", "1", "2", "3"]
    click_regions(at, {"op": "remove", "x": -0.3001, "y": 0.6001, "seq": 2})
    assert stage_plane(at)[0]["class_names"] == ["0", "1", "2"]  # its only point went
    data = data_of(at)
    assert data.n_samples == 300
    target = data.X[17]
    click_regions(at, {"op": "remove", "x": float(target[0]), "y": float(target[1])})
    assert data_of(at).n_samples == 299
    assert not np.any(np.all(data_of(at).X == target, axis=1))


@pytest.mark.parametrize(
    "click",
    [
        {"op": "add", "x": "1", "y": 0.0},
        {"op": "add", "x": True, "y": 0.0},
        {"op": "add", "x": 0.0},
        {"op": "explode", "x": 0.0, "y": 0.0},
        {"op": "add", "x": 1e300, "y": 0.0},
        {"op": "add", "x": 50.0, "y": 0.0},  # off the chart
        [0.0, 0.0],
        "add",
        None,
    ],
)
def test_a_malformed_or_off_chart_click_changes_nothing(click):
    at = drawing()
    before = at.session_state["settings"]
    click_regions(at, click)
    assert at.session_state["settings"] == before
    assert "nothing changed" in warnings(at)


def test_removing_where_no_point_is_says_so():
    at = drawing({"dataset": "blobs", "n_classes": "2", "features": "raw"})
    inputs = training_inputs(at.session_state["settings"])
    x0, y0 = inputs.x_range[0], inputs.y_range[1]
    click_regions(at, {"op": "remove", "x": x0, "y": y0})
    assert "No point there" in warnings(at)
    assert at.session_state["settings"].dataset == "blobs"


def test_clicks_outside_draw_mode_are_ignored():
    at = open_page("dashboard/playground/page.py")
    click_regions(at, {"op": "add", "x": 0.1, "y": 0.1})
    assert at.session_state["settings"] == Settings()


def test_undo_and_clear_edits():
    at = drawing()
    for k in range(3):
        click_regions(at, {"op": "add", "x": 0.1 * k, "y": 0.5, "seq": k})
    assert data_of(at).n_samples == 303
    at.button(key="draw_undo").click().run()
    assert data_of(at).n_samples == 302
    at.button(key="draw_clear").click().run()
    assert at.session_state["settings"] == Settings()  # back to the data before drawing
    assert at.button(key="draw_undo").disabled and at.button(key="draw_clear").disabled


def test_drawing_on_an_uploaded_csv_keeps_its_classes_and_downloads_unchanged():
    at = open_page("dashboard/playground/page.py")
    at.sidebar.selectbox(key="dataset").set_value("own").run()
    at.sidebar.get("file_uploader")[0].set_value(("pets.csv", pets_csv(), "text/csv")).run()
    at.toggle(key="pg_draw").set_value(True).run()
    at.radio(key="pg_draw_class").set_value("eel").run()
    click_regions(at, {"op": "add", "x": 1.0, "y": 1.0})
    run = playground_run(at.session_state["settings"])
    assert run.data.class_names == ("cat", "dog", "eel") and run.data.n_samples == 61
    again = parse_upload(dataset_csv(run).encode(), "drawn.csv")
    np.testing.assert_array_equal(again.X, run.data.X)
    np.testing.assert_array_equal(again.y, run.data.y)
    assert again.class_names == run.data.class_names


def test_edits_that_would_break_the_data_are_refused():
    data = Dataset([[0.0, 0.0], [1.0, 1.0]], [0, 1], ("x1", "x2"), ("a", "b"))
    edited, message = remove_near(data, 0.0, 0.0, (0, 1), (0, 1))
    assert edited is None and "two classes" in message
    big = Dataset(np.zeros((2000, 2)), np.arange(2000) % 2, ("x1", "x2"), ("a", "b"))
    edited, message = add_point(big, 0.0, 0.0, "a")
    assert edited is None and "2000" in message
    many = Dataset(np.zeros((10, 2)), np.arange(10), ("x1", "x2"), tuple("abcdefghij"))
    assert add_point(many, 0.0, 0.0, "k")[0] is None
    assert parse_click({"op": "add", "x": float("nan"), "y": 0}) is None


def test_an_edit_changes_the_training_set_only():
    """Features, axes and the other points' split stay those of the starting data."""
    at = drawing()
    base = training_inputs(Settings())
    click_regions(at, {"op": "add", "x": 0.3, "y": 0.3})
    click_regions(at, {"op": "add", "x": -0.2, "y": 0.1})
    drawn = training_inputs(at.session_state["settings"])
    assert drawn.x_range == base.x_range and drawn.y_range == base.y_range
    np.testing.assert_array_equal(drawn.feature_map.centers_, base.feature_map.centers_)
    np.testing.assert_array_equal(drawn.data.X[drawn.val_index], base.data.X[base.val_index])
    train = drawn.data.X[drawn.train_index]
    np.testing.assert_array_equal(train[:-2], base.data.X[base.train_index])
    np.testing.assert_array_equal(train[-2:], [[0.3, 0.3], [-0.2, 0.1]])  # drawn points train

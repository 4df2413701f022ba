"""The Sweep page through AppTest: heatmaps of the batched sweep, and the cell picker."""

import numpy as np
import pytest

from dashboard.playground.compute import train_playground, training_inputs
from dashboard.settings import (
    LEARNING_RATES,
    OPTIMIZER_LABELS,
    OPTIMIZERS,
    REGULARIZATIONS,
    Settings,
)
from dashboard.sweep import compute as sweep_compute
from softmax_engine import SoftmaxClassifier
from tests.chartspec import chart, decode, open_page

QUERY = {
    "dataset": "blobs",
    "features": "poly",
    "degree": "2",
    "n_samples": "200",
    "optimizer": "adam",
    "learning_rate": "0.01",
    "steps": "120",
}
SETTINGS = Settings(
    dataset="blobs",
    features="poly",
    degree=2,
    n_samples=200,
    optimizer="adam",
    learning_rate=0.01,
    steps=120,
)


@pytest.fixture(autouse=True)
def _fresh(fresh_cache):
    yield


def open_sweep(query=QUERY):
    return open_page("dashboard/sweep/page.py", query)


def test_heatmaps_show_the_batched_sweep():
    at = open_sweep()
    assert at.session_state["settings"] == SETTINGS
    sw = sweep_compute.playground_sweep(SETTINGS, sweep_compute.SWEEP_DEFAULT_SIZE, 120)
    r = sw.result
    n = sweep_compute.SWEEP_DEFAULT_SIZE
    acc = chart(at, "sweep_acc_chart")
    loss = chart(at, "sweep_loss_chart")
    for fig, values in ((acc, r.val_accuracy), (loss, r.train_loss)):
        meta = fig["layout"]["meta"]
        assert meta["shape"] == [n, n] and meta["n_diverged"] == int(r.diverged.sum())
        z = decode(fig["data"][0]["z"]).astype(float)
        expected = np.where(r.diverged, np.nan, values).T
        np.testing.assert_allclose(z, expected, rtol=1e-6)
        assert fig["layout"]["xaxis"]["ticktext"] == [f"{v:g}" for v in r.learning_rates]
        assert fig["layout"]["yaxis"]["ticktext"] == [f"{v:g}" for v in r.regs]
    assert acc["layout"]["meta"]["best"] == list(r.best_cell())
    m = {x.label: x.value for x in at.metric}
    assert m["Models"] == str(n * n)
    assert m["Diverged"] == str(int(r.diverged.sum()))
    # the default pick is the best cell, and its values are slider values of the Playground
    i, j = r.best_cell()
    assert at.selectbox(key="sweep_lr").value == r.learning_rates[i]
    assert at.selectbox(key="sweep_reg").value == r.regs[j]
    assert set(at.selectbox(key="sweep_lr").options) <= {f"{v:g}" for v in LEARNING_RATES}
    assert set(at.selectbox(key="sweep_reg").options) <= {f"{v:g}" for v in REGULARIZATIONS}
    assert acc["layout"]["meta"]["selected"] == [i, j]


def test_diverged_cells_are_marked():
    at = open_sweep({"dataset": "blobs", "features": "raw", "standardize": "false"})
    fig = chart(at, "sweep_acc_chart")
    meta = fig["layout"]["meta"]
    assert meta["n_diverged"] > 0
    xs = next(t for t in fig["data"] if t.get("name") == "diverged")
    assert len(decode(xs["x"])) == meta["n_diverged"]
    z = decode(fig["data"][0]["z"]).astype(float)
    assert np.isnan(z).sum() == meta["n_diverged"]


def test_picker_loads_the_cell_into_the_playground():
    at = open_sweep()
    lr, reg = 0.2, 0.001
    at.selectbox(key="sweep_lr").set_value(lr)
    at.selectbox(key="sweep_reg").set_value(reg)
    at.run()
    assert chart(at, "sweep_acc_chart")["layout"]["meta"]["selected"] == [
        list(sweep_compute.sweep_axes(sweep_compute.SWEEP_DEFAULT_SIZE)[0]).index(lr),
        list(sweep_compute.sweep_axes(sweep_compute.SWEEP_DEFAULT_SIZE)[1]).index(reg),
    ]
    at.button(key="sweep_load").click().run()
    assert not at.exception, at.exception
    # the Playground's optimizer (Adam) and batch size (full) were swept: they stay
    expected = SETTINGS.replace(learning_rate=lr, reg=reg, steps=120)
    assert at.session_state["settings"] == expected
    # the page switched: the Sweep's controls are gone, the Playground's sidebar is drawn
    assert "sweep_size" not in [w.key for w in at.slider]
    # the Playground's learning-rate and reg controls show the cell's values
    assert at.session_state["learning_rate"] == lr and at.session_state["reg"] == reg
    # and the Playground trains exactly the cell's model
    sw = sweep_compute.playground_sweep(SETTINGS, sweep_compute.SWEEP_DEFAULT_SIZE, 120)
    i = list(sw.result.learning_rates).index(lr)
    j = list(sw.result.regs).index(reg)
    run = train_playground(expected)
    assert abs(run.history.loss[-1] - sw.result.train_loss[i, j]) <= 1e-10
    shown = {x.label: x.value for x in at.metric}
    assert shown["Loss"] == f"{sw.result.train_loss[i, j]:.4f}"


def test_grid_size_and_steps_controls():
    at = open_sweep()
    at.slider(key="sweep_size").set_value(6).run()
    at.slider(key="sweep_steps").set_value(50).run()
    assert not at.exception
    fig = chart(at, "sweep_loss_chart")
    assert fig["layout"]["meta"]["shape"] == [6, 6]
    r = sweep_compute.playground_sweep(SETTINGS, 6, 50).result
    z = decode(fig["data"][0]["z"]).astype(float)
    np.testing.assert_allclose(z, np.where(r.diverged, np.nan, r.train_loss).T, rtol=1e-6)
    # the picker offers the new grid's values
    assert len(at.selectbox(key="sweep_lr").options) == 6
    assert "Steps = 50" in " ".join(c.value for c in at.caption)


def test_changing_the_playground_learning_rate_reuses_the_sweep(monkeypatch):
    calls = []
    real = sweep_compute.playground_sweep

    def counting(settings, n, steps):
        calls.append(settings)
        return real(settings, n, steps)

    monkeypatch.setattr(sweep_compute, "playground_sweep", counting)
    at = open_sweep()
    assert len(calls) == 1
    at.session_state["settings"] = SETTINGS.replace(learning_rate=5.0, reg=1.0)
    at.run()
    assert len(calls) == 1  # the sweep does not depend on the Playground's lr or reg
    at.session_state["settings"] = SETTINGS.replace(data_seed=3)
    at.run()
    assert len(calls) == 2


def test_controls_and_pick_keep_their_values_across_pages():
    at = open_sweep()
    at.slider(key="sweep_size").set_value(8).run()
    at.slider(key="sweep_steps").set_value(60).run()
    lrs, regs = sweep_compute.sweep_axes(8)
    at.selectbox(key="sweep_lr").set_value(lrs[2]).run()
    at.selectbox(key="sweep_reg").set_value(regs[5]).run()
    at.switch_page("dashboard/datasets/page.py").run()
    assert not at.exception, at.exception
    at.switch_page("dashboard/sweep/page.py").run()
    assert not at.exception, at.exception
    assert at.slider(key="sweep_size").value == 8
    assert at.slider(key="sweep_steps").value == 60
    assert at.selectbox(key="sweep_lr").value == lrs[2]
    assert at.selectbox(key="sweep_reg").value == regs[5]
    assert chart(at, "sweep_acc_chart")["layout"]["meta"]["selected"] == [2, 5]


def test_a_click_on_a_cell_picks_it():
    at = open_sweep()
    n = sweep_compute.SWEEP_DEFAULT_SIZE
    lrs, regs = sweep_compute.sweep_axes(n)
    # what Streamlit stores for a chart drawn with on_select="rerun" after a click
    at.session_state["sweep_loss_chart"] = {"selection": {"points": [{"x": 3, "y": 7}]}}
    at.run()
    assert not at.exception, at.exception
    assert at.selectbox(key="sweep_lr").value == lrs[3]
    assert at.selectbox(key="sweep_reg").value == regs[7]
    assert chart(at, "sweep_acc_chart")["layout"]["meta"]["selected"] == [3, 7]
    # the same click, still in the chart's state, does not undo a later pick
    at.selectbox(key="sweep_lr").set_value(lrs[0]).run()
    assert at.selectbox(key="sweep_lr").value == lrs[0]


def test_the_folder_keeps_the_page_rules():
    """page.py only lays out; compute and charts are pure; caches live in cache.py."""
    from tests.dashboard.rules import page_rule_violations

    assert page_rule_violations("sweep") == []


def _trained_alone(settings, lr, reg, steps):
    """The oracle: the engine's SoftmaxClassifier trained alone on the Playground's inputs."""
    inputs = training_inputs(settings)
    y = inputs.data.y
    clf = SoftmaxClassifier(
        optimizer=settings.optimizer,
        learning_rate=lr,
        reg=reg,
        max_iter=steps,
        batch_size=settings.batch_size or None,
        random_state=settings.init_seed,
    ).fit(inputs.Phi_train, y[inputs.train_index])
    val_accuracy = float(np.mean(clf.predict(inputs.Phi_val) == y[inputs.val_index]))
    return clf, val_accuracy


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_each_optimizer_renders_and_its_cells_are_models_trained_alone(optimizer):
    batch = 0 if optimizer in ("lbfgs", "nesterov") else 16
    at = open_sweep()
    at.selectbox(key="sweep_optimizer").set_value(optimizer).run()
    if optimizer == "lbfgs":  # L-BFGS uses the full batch: nothing to pick
        assert at.selectbox(key="sweep_batch").disabled
    else:
        at.selectbox(key="sweep_batch").set_value(batch).run()
    at.slider(key="sweep_size").set_value(6).run()
    at.slider(key="sweep_steps").set_value(60).run()
    assert not at.exception, at.exception
    path = optimizer == "lbfgs"
    # the page states what it trained
    trained = next(m.value for m in at.markdown if m.value.startswith("**Trained:**"))
    if path:
        assert "6 models, one per regularization strength, each by L-BFGS" in trained
        assert "at most 60 iterations" in trained
        assert any("no learning rate" in i.value for i in at.info)
        assert "sweep_lr" not in [w.key for w in at.selectbox]
    else:
        how = OPTIMIZER_LABELS[optimizer] + (
            " on the full batch" if batch == 0 else f" on mini-batches of {batch}"
        )
        assert f"36 models (6 learning rates × 6 regularizations), each by {how}" in trained
        assert "for 60 steps" in trained
    acc = chart(at, "sweep_acc_chart")
    figure = "regularization_path" if path else "sweep_heatmap"
    assert acc["layout"]["meta"]["figure"] == figure
    # the picked cell (the best one) against a model trained alone
    lrs, regs = sweep_compute.sweep_axes(6)
    reg = at.selectbox(key="sweep_reg").value
    lr = SETTINGS.learning_rate if path else at.selectbox(key="sweep_lr").value
    settings = SETTINGS.replace(optimizer=optimizer, batch_size=batch)
    clf, val_accuracy = _trained_alone(settings, lr, reg, 60)
    j = regs.index(reg)
    if path:
        shown = decode(next(t for t in acc["data"] if t["name"] == "path")["y"])[j]
    else:
        shown = decode(acc["data"][0]["z"])[j, lrs.index(lr)]  # rows = regs
    assert float(shown) == pytest.approx(val_accuracy, abs=1e-6)
    cell = next(m.value for m in at.markdown if m.value.startswith("**This cell:**"))
    assert f"validation accuracy {val_accuracy:.1%}" in cell
    assert f"final loss {clf.history_.loss[-1]:.4g}" in cell


def test_optimizer_and_batch_size_follow_the_playground_until_picked():
    at = open_sweep({**QUERY, "optimizer": "momentum", "batch_size": "16"})
    at.slider(key="sweep_size").set_value(6).run()
    assert at.selectbox(key="sweep_optimizer").value == "momentum"
    assert at.selectbox(key="sweep_batch").value == 16
    at.session_state["settings"] = at.session_state["settings"].replace(
        optimizer="nesterov", batch_size=32
    )
    at.run()  # the Playground changed: the sweep follows
    assert at.selectbox(key="sweep_optimizer").value == "nesterov"
    assert at.selectbox(key="sweep_batch").value == 32
    at.selectbox(key="sweep_optimizer").set_value("sgd").run()  # picked here: it stays
    at.session_state["settings"] = at.session_state["settings"].replace(optimizer="adam")
    at.run()
    assert at.selectbox(key="sweep_optimizer").value == "sgd"
    assert at.selectbox(key="sweep_batch").value == 32
    trained = next(m.value for m in at.markdown if m.value.startswith("**Trained:**"))
    assert "Gradient descent on mini-batches of 32" in trained


def test_an_lbfgs_cell_loads_into_the_playground():
    at = open_sweep({**QUERY, "optimizer": "lbfgs"})
    at.slider(key="sweep_size").set_value(6).run()
    regs = sweep_compute.sweep_axes(6)[1]
    at.selectbox(key="sweep_reg").set_value(regs[3]).run()
    assert chart(at, "sweep_loss_chart")["layout"]["meta"]["selected"] == 3
    at.button(key="sweep_load").click().run()
    assert not at.exception, at.exception
    steps = int(QUERY["steps"])
    expected = SETTINGS.replace(optimizer="lbfgs", reg=regs[3], steps=steps)
    assert at.session_state["settings"] == expected  # learning rate and batch size stay
    clf, _ = _trained_alone(expected, SETTINGS.learning_rate, regs[3], steps)
    assert train_playground(expected).history.loss[-1] == pytest.approx(
        clf.history_.loss[-1], abs=1e-10
    )


def test_a_click_on_the_lbfgs_path_picks_its_reg():
    at = open_sweep({**QUERY, "optimizer": "lbfgs"})
    regs = sweep_compute.sweep_axes(sweep_compute.SWEEP_DEFAULT_SIZE)[1]
    # as Chromium sends it: the point's customdata, a row of a typed array
    point = {"x": 4, "y": 0.9, "customdata": {"0": 0, "1": 4}}
    at.session_state["sweep_acc_chart"] = {"selection": {"points": [point]}}
    at.run()
    assert not at.exception, at.exception
    assert at.selectbox(key="sweep_reg").value == regs[4]
    assert chart(at, "sweep_loss_chart")["layout"]["meta"]["selected"] == 4

"""The Derivation page through AppTest: the numbers it shows are the engine's.

Every expected value is recomputed here from the trained run's recorded W and b with
scipy (softmax, log_softmax) and plain numpy, never with ``dashboard.derivation``, and
compared with what the page put in its tables, metrics, LaTeX and chart specs.
"""

import json
import math
import re
import time

import numpy as np
import pytest
import scipy.special

from dashboard.playground.compute import train_playground
from dashboard.settings import Settings
from tests.chartspec import chart, decode, open_page

HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(autouse=True)
def _fresh(fresh_cache):
    yield


SECTIONS = (
    "open_forward",
    "open_chain",
    "open_weights",
    "open_check",
    "open_slips",
    "open_gradcheck",
    "open_props",
)


def open_sections(at, keys=SECTIONS):
    """What a reader's clicks on the sections' headers do: open them, rerun."""
    for key in keys:
        at.session_state[key] = True
    at.run()
    assert not at.exception, at.exception
    return at


def open_derivation(query=None, *, sections=SECTIONS):
    """The page as a fresh visitor gets it, then with ``sections`` opened."""
    return open_sections(open_page("dashboard/derivation/page.py", query), sections)


def frame(at, column):
    """The dataframe that has a column named ``column``."""
    found = [df.value for df in at.dataframe if column in df.value.columns]
    assert len(found) == 1, f"no table with column {column!r}"
    return found[0]


def metric(at, label):
    found = [m.value for m in at.metric if m.label == label]
    assert len(found) == 1, f"no metric {label!r}"
    return found[0]


def number(text):
    """A displayed number back to float: 1.2e-07, ∞, −∞, NaN, LaTeX a\\times10^{b}."""
    text = text.strip().replace("−", "-")
    special = {"∞": math.inf, "-∞": -math.inf, "NaN": math.nan, r"\infty": math.inf}
    if text in special:
        return special[text]
    m = re.fullmatch(r"(-?[\d.]+)\\times10\^\{(-?\d+)\}", text)
    if m:
        return float(m.group(1)) * 10.0 ** int(m.group(2))
    return float(text)


def click_point(at, key, customdata):
    """What a browser sends when a point is clicked on a chart with on_select.

    AppTest has no API for chart selections, so the widget state is built by hand.
    """
    element = next(e for e in at.get("plotly_chart") if e.proto.id.endswith(f"-{key}"))
    states = at._tree.get_widget_states()
    state = states.widgets.add()
    state.id = element.proto.id
    point = {"curve_number": 2, "point_number": 0, "point_index": 0, "customdata": customdata}
    state.string_value = json.dumps(
        {"selection": {"points": [point], "point_indices": [0], "box": [], "lasso": []}}
    )
    at._run(states)
    assert not at.exception, at.exception
    return at


class Expected:
    """The derivation of sample i at record k, from the run's snapshot, with scipy."""

    def __init__(self, run, k, i):
        self.run, self.k, self.i = run, k, i
        W, b = run.history.W[k], run.history.b[k]
        X, y = run.features_train, run.y_train
        self.W, self.b, self.x, self.label = W, b, X[i], int(y[i])
        C = W.shape[1]
        self.s = X[i] @ W + b
        self.q = scipy.special.softmax(self.s)
        self.loss = float(-scipy.special.log_softmax(self.s)[self.label])
        self.p = np.eye(C)[self.label]
        self.dldq = np.where(np.arange(C) == self.label, -1.0 / self.q[self.label], 0.0)
        self.J = np.diag(self.q) - np.outer(self.q, self.q)
        self.closed = self.q - self.p
        self.grad = np.outer(self.x, self.closed)


def most_uncertain(run):
    W, b = run.history.W[-1], run.history.b[-1]
    q = scipy.special.softmax(run.features_train @ W + b, axis=1)
    return int(np.argmax(scipy.special.entr(q).sum(axis=1)))


def check_sample(at, e):
    """The per-sample part of the page (every section open) against the values ``e``."""
    table = frame(at, "s_ij")
    cols = list(table.columns)
    values = {name: table[name].to_numpy(dtype=float) for name in cols[2:]}
    s, q, p, dldq, chain, closed, numerical = values.values()
    np.testing.assert_allclose(s, e.s, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(q, e.q, rtol=1e-10, atol=1e-300)
    np.testing.assert_array_equal(p, e.p)
    np.testing.assert_allclose(dldq, e.dldq, rtol=1e-10)
    np.testing.assert_allclose(closed, e.closed, atol=1e-14)
    if np.all(np.isfinite(chain)):
        np.testing.assert_allclose(chain, e.closed, rtol=1e-7, atol=1e-10)
    np.testing.assert_allclose(numerical, e.closed, atol=1e-6)
    assert at.number_input(key="sample").value == e.i
    # The chosen point is ringed on the picker chart.
    meta = chart(at, "pick_chart")["layout"]["meta"]
    assert meta["selected"] == e.i
    np.testing.assert_allclose(meta["selected_xy"], e.run.X_train[e.i], rtol=1e-6)
    # Scores and probabilities chart, Jacobian and per-sample gradient heatmaps.
    np.testing.assert_allclose(chart(at, "scores_chart")["layout"]["meta"]["q"], e.q, rtol=1e-12)
    jac = decode(chart(at, "jacobian_chart")["data"][0]["z"])
    np.testing.assert_allclose(jac, e.J, rtol=1e-5, atol=1e-7)  # float32 on the wire
    grad = decode(chart(at, "gradient_chart")["data"][1]["z"])
    # float32 on the wire: below ~1e-38 a value shows as 0
    np.testing.assert_allclose(grad, e.grad, rtol=1e-5, atol=1e-6 * np.abs(e.grad).max() + 1e-37)
    xcol = decode(chart(at, "gradient_chart")["data"][0]["z"]).ravel()
    np.testing.assert_allclose(xcol, e.x, rtol=1e-5, atol=1e-7)
    temp = chart(at, "temperature_chart")["layout"]["meta"]
    np.testing.assert_allclose(temp["q_at_T1"], e.q, rtol=1e-6, atol=1e-12)
    # The loss in the LaTeX of eq. (3) and as a metric.
    loss_latex = next(x.value for x in at.latex if r"L_i = -\log q_{i," in x.value)
    shown = number(loss_latex.strip("$\n ").rsplit("=", 1)[1])
    assert math.isclose(shown, e.loss, rel_tol=1e-3, abs_tol=1e-300)
    assert metric(at, "Loss L_i") == f"{e.loss:.4g}"
    assert metric(at, "q of the true class") == f"{e.q[e.label]:.6g}"


def test_default_page_shows_the_engines_numbers():
    at = open_derivation()
    run = train_playground(Settings())
    k = len(run.history.step) - 1
    i = most_uncertain(run)
    assert at.select_slider(key="deriv_step").value == int(run.history.step[-1])
    e = Expected(run, k, i)
    check_sample(at, e)
    assert [link.proto.page for link in at.get("page_link")] == ["playground"]
    header = " ".join(m.value for m in at.markdown)
    assert "Spiral" in header and f"N = {len(run.y_train)}" in header

    # Check section: relative errors are tiny, and the batch gradient is the recorded dW.
    for label in ("chain vs closed form", "∂L_i/∂W vs engine loss"):
        assert number(metric(at, label)) < 1e-12
    assert number(metric(at, "∂L_i/∂W vs numerical")) < 1e-6
    assert number(metric(at, "mean + 2·reg·W vs recorded dW")) < 1e-10

    # Verify sections, with the bias folded into W (the textbook contract has no bias).
    reg = run.settings.reg
    X1 = np.hstack([run.features_train, np.ones((len(run.y_train), 1))])
    W1 = np.vstack([e.W, e.b])
    y = run.y_train
    lsm = scipy.special.log_softmax(X1 @ W1, axis=1)
    loss = -lsm[np.arange(len(y)), y].mean() + reg * np.sum(W1**2)
    assert metric(at, "loss, naive") == f"{loss:.10f}"
    assert metric(at, "loss, vectorized") == f"{loss:.10f}"
    Q = np.exp(lsm)
    Q[np.arange(len(y)), y] -= 1.0
    dW0 = X1.T @ Q / len(y)
    for tab, dW in zip(
        [df.value for df in at.dataframe if "entry W[d, j]" in df.value.columns],
        (dW0, dW0 + 2 * reg * W1),
        strict=True,
    ):
        for entry, num, ana, err in tab.itertuples(index=False):
            r, c = map(int, re.findall(r"\d+", entry))
            assert math.isclose(ana, dW[r, c], rel_tol=1e-9, abs_tol=1e-15)
            assert math.isclose(num, dW[r, c], rel_tol=1e-5, abs_tol=1e-9)
            assert err < 1e-6

    init = frame(at, "loss − log C")
    np.testing.assert_allclose(init["log C"], np.log(init["C"].to_numpy(dtype=float)))
    assert np.all(np.abs(init["loss − log C"].to_numpy(dtype=float)) < 0.01)

    stab = frame(at, "log-softmax")
    scores = e.s
    cls = e.label if np.argmax(scores) != e.label else int(np.argmin(scores))
    for row in stab.itertuples(index=False):
        scale, gap, no_shift, shift_then_log, lsm_value = (number(v) for v in row)
        expected = -scipy.special.log_softmax(scores * scale)[cls]
        assert math.isclose(lsm_value, expected, rel_tol=1e-5)
        assert not math.isfinite(no_shift) or math.isclose(no_shift, expected, rel_tol=1e-4)
        assert math.isclose(gap, scale * (scores.max() - scores[cls]), rel_tol=1e-5)
        if gap > 760:
            assert shift_then_log == math.inf
        elif gap < 700:
            assert math.isclose(shift_then_log, expected, rel_tol=1e-5)

    timing = frame(at, "speed-up ×")
    assert timing.shape[0] == 4
    assert tuple(timing.iloc[-1][["N", "D", "C"]]) == (len(y), X1.shape[1], W1.shape[1])
    assert np.all(timing["naive (ms)"] > 0) and np.all(timing["vectorized (ms)"] > 0)

    step = chart(at, "step_chart")["layout"]["meta"]
    assert 1e-9 <= step["best_h"] <= 1e-3


DATASETS = [
    {"dataset": "blobs", "features": "raw", "n_classes": "4", "steps": "60"},
    {"dataset": "iris", "features": "poly", "degree": "2", "steps": "60"},
    {"dataset": "xor", "n_classes": "2", "features": "raw", "steps": "40"},
    {"dataset": "digits", "steps": "40"},
    # the "learning rate too large" preset: large unstandardized features, huge scores
    {
        "dataset": "wine",
        "features": "poly",
        "degree": "2",
        "standardize": "false",
        "learning_rate": "10",
        "steps": "200",
    },
]


@pytest.mark.parametrize("query", DATASETS, ids=[q["dataset"] for q in DATASETS])
def test_samples_and_steps_on_several_datasets(query):
    at = open_derivation(query)
    settings, notes = Settings.from_query(query)
    assert not notes
    run = train_playground(settings)
    N, last = len(run.y_train), len(run.history.step) - 1
    for i in (0, N - 1, N // 2):
        at.number_input(key="sample").set_value(i).run()
        assert not at.exception, at.exception
        check_sample(at, Expected(run, last, i))
    first_step = int(run.history.step[0])
    at.select_slider(key="deriv_step").set_value(first_step).run()
    assert not at.exception, at.exception
    check_sample(at, Expected(run, 0, N // 2))
    assert chart(at, "pick_chart")["layout"]["title"]["text"].endswith(f"step {first_step}")


def test_every_sample_index_renders_without_an_exception():
    query = {"dataset": "xor", "n_classes": "2", "features": "raw", "steps": "20"}
    at = open_derivation(query)
    N = len(train_playground(Settings.from_query(query)[0]).y_train)
    for i in range(0, N, 7):
        at.number_input(key="sample").set_value(i).run()
        assert not at.exception, (i, at.exception)
    at.number_input(key="sample").set_value(N - 1).run()
    assert not at.exception


def test_bad_values_end_in_range_without_an_exception():
    at = open_derivation()
    run = train_playground(Settings())
    N, last = len(run.y_train), len(run.history.step) - 1
    # Out-of-range values (a crafted request, a stale session) never reach the engine:
    # Streamlit resets an out-of-range number input to its minimum, the page clamps the rest.
    for bad in (10**9, -7, N):
        at.session_state["sample"] = bad
        at.run()
        assert not at.exception, (bad, at.exception)
        i = at.number_input(key="sample").value
        assert 0 <= i <= N - 1
        check_sample(at, Expected(run, last, i))
    at.number_input(key="sample").set_value(10**6).run()
    assert not at.exception
    assert 0 <= at.number_input(key="sample").value <= N - 1
    at.session_state["deriv_step"] = 123457  # not a recorded step
    at.run()
    assert not at.exception
    assert at.select_slider(key="deriv_step").value in run.history.step


def test_language_toggle_switches_text_and_keeps_numbers():
    at = open_derivation()
    english = {
        "title": at.title[0].value,
        "tables": [df.value.to_numpy().tolist() for df in at.dataframe],
        "metrics": [m.value for m in at.metric],
        "latex": [x.value for x in at.latex],
    }
    assert not HAN.search(english["title"])
    at.segmented_control(key="lang").set_value("zh").run()
    assert not at.exception
    assert HAN.search(at.title[0].value)
    zh_title = at.title[0].value
    texts = [m.value for m in at.markdown] + [h.value for h in [*at.subheader, *at.header]]
    long_texts = [t for t in texts if len(t) > 40 and not t.startswith("<style>")]
    assert long_texts and all(HAN.search(t) for t in long_texts)
    assert HAN.search(at.number_input(key="sample").label)
    assert HAN.search(chart(at, "scores_chart")["layout"]["title"]["text"])
    assert [df.value.to_numpy().tolist() for df in at.dataframe] == english["tables"]
    assert [m.value for m in at.metric] == english["metrics"]
    numbers = [x for x in english["latex"] if re.search(r"\d\.\d", x)]  # the valued ones
    assert numbers and all(x in [y.value for y in at.latex] for x in numbers)
    # clicking the selected option again cannot leave the page without a language: the
    # control is required; a crafted empty value falls back to a language, no exception
    assert at.segmented_control(key="lang").proto.required
    at.segmented_control(key="lang").set_value(None).run()
    assert not at.exception
    assert at.title[0].value in (english["title"], zh_title)
    at.segmented_control(key="lang").set_value("en").run()
    assert at.title[0].value == english["title"]


def test_clicking_a_point_picks_the_sample():
    at = open_derivation()
    run = train_playground(Settings())
    click_point(at, "pick_chart", 17)
    check_sample(at, Expected(run, len(run.history.step) - 1, 17))
    click_point(at, "pick_chart", [42])  # customdata as plotly sends a 2-D column
    assert at.number_input(key="sample").value == 42
    # the index input stays authoritative
    at.number_input(key="sample").set_value(5).run()
    assert at.number_input(key="sample").value == 5
    assert chart(at, "pick_chart")["layout"]["meta"]["selected"] == 5


def test_page_follows_the_playground_and_keeps_choices():
    at = open_derivation()
    at.number_input(key="sample").set_value(3).run()
    at.segmented_control(key="lang").set_value("zh").run()
    at.switch_page("dashboard/playground/page.py")
    at.run()
    assert not at.exception
    at.switch_page("dashboard/derivation/page.py")
    at.run()
    assert not at.exception
    assert at.number_input(key="sample").value == 3  # same run: the choice is kept
    assert HAN.search(at.title[0].value)
    # A new model on the Playground: the page follows it.
    at.switch_page("dashboard/playground/page.py")
    at.run()
    at.sidebar.selectbox(key="dataset").set_value("iris").run()
    assert not at.exception
    at.switch_page("dashboard/derivation/page.py")
    at.run()
    assert not at.exception
    settings = at.session_state["settings"]
    run = train_playground(settings)
    assert "Iris" in " ".join(m.value for m in at.markdown)
    assert HAN.search(at.title[0].value)  # still in Chinese
    at.segmented_control(key="lang").set_value("en").run()
    i = most_uncertain(run)
    check_sample(at, Expected(run, len(run.history.step) - 1, i))


def test_remeasure_button_and_presenter_mode():
    at = open_derivation({"presenter": "true"})
    before = frame(at, "speed-up ×")
    at.button(key="remeasure").click().run()
    assert not at.exception
    after = frame(at, "speed-up ×")
    assert after.shape == before.shape
    assert chart(at, "jacobian_chart")["layout"]["font"]["size"] >= 20


def test_a_rerun_is_fast():
    at = open_derivation()
    at.number_input(key="sample").set_value(1).run()  # warm every cache
    start = time.perf_counter()
    at.number_input(key="sample").set_value(2).run()
    elapsed = time.perf_counter() - start
    assert not at.exception
    assert elapsed < 1.0, f"a rerun took {elapsed:.2f} s"


def bmatrix(latex, name):
    """The numbers of the vector after ``name = `` in a LaTeX string."""
    body = latex.split(name, 1)[1].split(r"\begin{bmatrix}", 1)[1].split(r"\end{bmatrix}")[0]
    return np.array([number(v) for v in re.split(r"\\\\|&", body) if v.strip() != r"\vdots"])


def test_a_fresh_load_draws_the_picker_and_the_samples_chain_rule_only():
    at = open_derivation(sections=())
    run = train_playground(Settings())
    e = Expected(run, len(run.history.step) - 1, most_uncertain(run))
    assert [el.proto.id.rsplit("-", 1)[1] for el in at.get("plotly_chart")] == ["pick_chart"]
    assert len(at.expander) == len(SECTIONS) and not at.dataframe
    (glance,) = [x.value for x in at.latex]  # one block of formulas
    np.testing.assert_allclose(bmatrix(glance, "s_i &= x_i W + b"), e.s, rtol=1e-3)
    np.testing.assert_allclose(bmatrix(glance, r"\operatorname{softmax}(s_i)"), e.q, rtol=1e-3)
    np.testing.assert_allclose(bmatrix(glance, "q_i - p"), e.closed, rtol=1e-3, atol=1e-12)
    loss = glance.split(rf"L_i &= -\log q_{{i,{e.label}}} = ", 1)[1].split(r"\\")[0]
    assert math.isclose(number(loss), e.loss, rel_tol=1e-3)
    assert f"#{e.i}" in at.subheader[0].value and not at.metric


def test_each_section_runs_only_while_open():
    at = open_derivation(sections=("open_chain",))
    keys = {el.proto.id.rsplit("-", 1)[1] for el in at.get("plotly_chart")}
    assert keys == {"pick_chart", "jacobian_chart"}
    at.session_state["open_chain"] = False
    at.session_state["open_props"] = True
    at.run()
    keys = {el.proto.id.rsplit("-", 1)[1] for el in at.get("plotly_chart")}
    assert keys == {"pick_chart", "init_chart", "temperature_chart"}
    assert [df.value.columns[0] for df in at.dataframe] == ["C", "scale", "c"]

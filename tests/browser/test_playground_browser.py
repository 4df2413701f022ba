"""Headless Chromium against a real server: the Playground's live stage.

The stage draws in the browser from the plane the engine trained; these tests drive it
as a person would (real pointer drags with ``page.mouse``, key presses) and read back
what it drew.
"""

import numpy as np
import pytest

from dashboard.playground.compute import training_inputs
from dashboard.playground.plane import build_plane
from dashboard.settings import LEARNING_RATES, REGULARIZATIONS, Settings
from softmax_engine.classifier import SoftmaxClassifier
from tests.browser.conftest import wait_for_idle
from tests.browser.harness import PLOTLY_GRAPH

pytestmark = pytest.mark.browser

# Counts what the page sends to the server: every message goes through WebSocket.send.
COUNT_MESSAGES = """
(() => { window.__sent = 0; const send = WebSocket.prototype.send;
         WebSocket.prototype.send = function (...args) { window.__sent += 1;
                                                         return send.apply(this, args); }; })();
"""
STAGE_READY = (
    "() => window.__softmaxStage && window.__softmaxStage.plane && window.__softmaxStage.last"
)
LAST_CELL = "() => window.__softmaxStage.last.cell.join(',')"


def open_stage(page, url):
    page.goto(url)
    wait_for_idle(page)
    page.wait_for_function(STAGE_READY, timeout=60_000)


def slider(page, name):
    return page.get_by_role("slider", name=name, exact=True)


def box(page, key):
    return page.evaluate(
        """(k) => { const r = document.querySelector('.st-key-' + k).getBoundingClientRect();
                    return [r.left, r.top, r.right, r.bottom, r.width * r.height]; }""",
        key,
    )


@pytest.mark.parametrize(
    ("width", "height", "presenter"), [(1280, 720, True), (1024, 768, True), (1400, 900, False)]
)
def test_the_stage_fits_the_screen_without_scrolling(server, browser, width, height, presenter):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    try:
        open_stage(page, f"{server}/playground" + ("?presenter=true" if presenter else ""))
        assert page.evaluate("() => window.scrollY") == 0
        for key in ("stage_sliders", "regions_chart", "loss_chart"):
            left, top, right, bottom, _ = box(page, key)
            assert left >= 0 and top >= 0 and right <= width and bottom <= height, (key, box)
        for name in ("Learning rate", "Regularization"):
            expect_visible = slider(page, name)
            assert expect_visible.is_visible()
            r = expect_visible.bounding_box()
            assert r["y"] >= 0 and r["y"] + r["height"] <= height
        if (width, height) == (1280, 720):
            assert box(page, "regions_chart")[4] >= width * height / 5
        # the chart titles read whole: the step, lr and reg are never cut by an ellipsis
        titles = page.evaluate(
            """() => [...document.querySelectorAll('.stage-title')].map(
                   (t) => [t.textContent, t.scrollWidth <= t.clientWidth])"""
        )
        assert len(titles) == 2 and all(fits for _, fits in titles), titles
        assert all(" · reg " in text for text, _ in titles), titles
        assert "step " in titles[0][0] or "step " in titles[1][0], titles
    finally:
        context.close()


def test_a_drag_redraws_before_release_and_sends_nothing_until_then(server, page):
    page.add_init_script(COUNT_MESSAGES)
    open_stage(page, f"{server}/playground")
    lr = slider(page, "Learning rate").bounding_box()
    y = lr["y"] + lr["height"] / 2
    start = page.evaluate(LAST_CELL)
    page.evaluate(
        """() => { window.__seen = new Set(); window.__watch = true;
                   const f = () => { window.__seen.add(window.__softmaxStage.last.cell.join(','));
                                     if (window.__watch) requestAnimationFrame(f); };
                   requestAnimationFrame(f); }"""
    )
    page.mouse.move(lr["x"] + lr["width"] * 0.8, y)
    sent_before = page.evaluate("() => window.__sent")
    page.mouse.down()
    for k in range(40):
        page.mouse.move(lr["x"] + lr["width"] * (0.8 - 0.7 * k / 39), y)
        if k % 4 == 0:  # let a frame pass now and then, as a hand's drag does on a busy machine
            page.evaluate("() => new Promise((r) => requestAnimationFrame(() => r()))")
    during = page.evaluate(
        """() => { window.__watch = false;
                   return { sent: window.__sent, seen: [...window.__seen] }; }"""
    )
    assert during["sent"] == sent_before, "a message went to the server before the release"
    assert len(during["seen"]) >= 6, during["seen"]  # the regions followed the pointer
    assert start in during["seen"]  # frames per second: benchmarks/latency.py, not a test
    page.mouse.up()
    page.wait_for_function("(n) => window.__sent > n", arg=sent_before, timeout=10_000)
    i = int(page.evaluate(LAST_CELL).split(",")[0])
    page.wait_for_function(  # the server follows the release into the URL
        "(want) => new URLSearchParams(location.search).get('learning_rate') === want",
        arg=f"{LEARNING_RATES[i]:g}",
        timeout=30_000,
    )
    assert page.js_errors == []


def test_keys_move_the_slider_and_the_regions(server, page):
    open_stage(page, f"{server}/playground")
    lr = slider(page, "Learning rate")
    lr.focus()
    before = page.evaluate(LAST_CELL)
    page.keyboard.press("ArrowLeft")
    page.wait_for_function(f"(old) => ({LAST_CELL})() !== old", arg=before, timeout=5_000)
    page.keyboard.press("Home")
    page.wait_for_function(f"() => ({LAST_CELL})().startsWith('0,')", timeout=5_000)
    slider(page, "Regularization").focus()
    page.keyboard.press("End")
    last = len(REGULARIZATIONS) - 1
    page.wait_for_function(f"() => ({LAST_CELL})() === '0,{last}'", timeout=5_000)
    wait_for_idle(page)
    page.wait_for_function("() => location.search.includes('reg=10')", timeout=30_000)
    assert f"learning_rate={LEARNING_RATES[0]:g}" in page.url
    assert lr.get_attribute("aria-valuetext") == f"{LEARNING_RATES[0]:.1e}".replace("e-0", "e-")


def test_the_dragged_picture_is_the_one_a_fresh_load_shows(server, page, browser):
    open_stage(page, f"{server}/playground")
    reg = slider(page, "Regularization").bounding_box()
    y = reg["y"] + reg["height"] / 2
    page.mouse.move(reg["x"] + reg["width"] * 0.37, y)
    page.mouse.down()
    page.mouse.move(reg["x"] + reg["width"] * 0.62, y, steps=8)
    page.mouse.up()
    picture = "() => document.querySelector('.st-key-regions_chart canvas').toDataURL()"
    dragged, cell = page.evaluate(picture), page.evaluate(LAST_CELL)
    j = int(cell.split(",")[1])
    assert j != REGULARIZATIONS.index(1e-3)  # the drag moved it
    page.wait_for_function(  # the server has followed the release into the URL
        "(want) => new URLSearchParams(location.search).get('reg') === want",
        arg=f"{REGULARIZATIONS[j]:g}",
        timeout=30_000,
    )
    wait_for_idle(page)
    assert page.evaluate(picture) == dragged  # the server's answer did not change it
    url = page.url
    fresh = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
    try:
        open_stage(fresh, url)
        assert fresh.evaluate(LAST_CELL) == cell
        assert fresh.evaluate(picture) == dragged
    finally:
        fresh.context.close()


def test_browser_probabilities_equal_the_engines(server, page):
    settings = Settings(dataset="blobs", features="poly", degree=2, n_classes=4, steps=120)
    query = "&".join(f"{k}={v}" for k, v in settings.to_query().items())
    open_stage(page, f"{server}/playground?{query}")
    # move to another cell, so the picture is one the browser made from the plane
    slider(page, "Learning rate").focus()
    page.keyboard.press("ArrowLeft")
    page.wait_for_function(f"() => ({LAST_CELL})().startsWith('11,')", timeout=5_000)
    got = page.evaluate(
        "() => { const l = window.__softmaxStage.last;"
        " return { proba: Array.from(l.proba), grid: l.grid, cell: l.cell }; }"
    )
    i, j = got["cell"]
    plane = build_plane(settings)
    gx, gy = got["grid"]
    xs, ys = plane.grid_x.astype(float), plane.grid_y.astype(float)
    assert (len(xs), len(ys)) == (gx, gy)
    points = np.column_stack([a.ravel() for a in np.meshgrid(xs, ys)])
    inputs = training_inputs(settings)
    model = SoftmaxClassifier(
        learning_rate=LEARNING_RATES[i],
        reg=REGULARIZATIONS[j],
        max_iter=settings.steps,
        random_state=settings.init_seed,
    ).fit(inputs.Phi_train, inputs.data.y[inputs.train_index])
    expected = model.predict_proba(inputs.feature_map.transform(points))
    browser_proba = np.asarray(got["proba"], dtype=float).reshape(gx * gy, -1)
    np.testing.assert_allclose(browser_proba, expected, atol=2e-6)


def test_play_animates_in_the_browser(server, page):
    open_stage(page, f"{server}/playground")
    page.evaluate(
        """() => { window.__steps = []; const t0 = performance.now();
                   const f = () => { const l = window.__softmaxStage.last;
                       if (l.source === 'play') window.__steps.push([performance.now(), l.step]);
                       if (performance.now() - t0 < 8000) requestAnimationFrame(f); };
                   requestAnimationFrame(f); }"""
    )
    page.locator(".st-key-play label").click()
    page.wait_for_function(
        "() => window.__steps.length && window.__steps.at(-1)[1] === "
        "window.__softmaxStage.plane.meta.steps",
        timeout=20_000,
    )
    distinct = sorted({s for _, s in page.evaluate("() => window.__steps")})
    assert len(distinct) >= 20  # it animated through the run (its rate: benchmarks/latency.py)
    assert distinct[-1] == 300


def test_heatmaps_follow_a_release_in_place(server, page):
    open_stage(page, f"{server}/playground")
    page.wait_for_selector(f"{PLOTLY_GRAPH} .main-svg")
    page.evaluate(
        f"() => {{ window.__graphs = Array.from(document.querySelectorAll('{PLOTLY_GRAPH}')); }}"
    )
    loss = page.locator("[data-testid=stMetric]:has-text('Loss') [data-testid=stMetricValue]")
    before = loss.inner_text()
    slider(page, "Learning rate").focus()
    page.keyboard.press("ArrowLeft")
    page.wait_for_function(
        """(old) => { const m = Array.from(document.querySelectorAll('[data-testid=stMetric]'))
                          .find(e => e.innerText.startsWith('Loss'));
                      return m && !m.innerText.includes(old) }""",
        arg=before,
        timeout=60_000,
    )
    wait_for_idle(page)
    assert "learning_rate=0.5" in page.url
    same = page.evaluate(
        f"() => {{ const now = Array.from(document.querySelectorAll('{PLOTLY_GRAPH}'));"
        " return now.length === window.__graphs.length"
        " && now.every((g, i) => g === window.__graphs[i]) }"
    )
    assert same, "a heatmap was remounted instead of updated in place"
    assert page.locator("[data-testid=stException]").count() == 0
    assert page.js_errors == []


def test_hostile_link_shows_a_note(server, page):
    page.goto(f"{server}/playground?learning_rate=NaN&steps=99999999&x=%3Cscript%3E")
    wait_for_idle(page)
    alert = page.locator("[data-testid=stAlert]").first
    alert.wait_for()
    text = alert.inner_text()
    assert "learning_rate" in text and "steps" in text
    assert page.locator("script:text('<script>')").count() == 0
    assert page.locator("[data-testid=stException]").count() == 0


def test_pinning_adds_a_faint_curve_that_stays_through_slider_moves(server, page):
    open_stage(page, f"{server}/playground")
    pins = "() => document.querySelector('.st-key-loss_chart .stage-loss').dataset.pins"
    assert page.evaluate(pins) == "0"
    page.get_by_role("button", name="Pin this run").click()
    page.wait_for_function(f"() => ({pins})() === '1'", timeout=30_000)
    wait_for_idle(page)
    slider(page, "Learning rate").focus()
    page.keyboard.press("ArrowLeft")
    page.wait_for_function("() => location.search.includes('learning_rate=0.5')", timeout=30_000)
    wait_for_idle(page)
    page.wait_for_function(
        "() => (window.__softmaxStage.lastPins || []).join() === 'lr 1'", timeout=10_000
    )
    assert page.evaluate(pins) == "1"
    assert page.locator("[data-testid=stDataFrame]").count() == 1
    assert page.locator("[data-testid=stException]").count() == 0
    assert page.js_errors == []

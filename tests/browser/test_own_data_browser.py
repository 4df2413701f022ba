"""Headless Chromium: your own data on the Playground (issue 14)."""

import pytest

from tests.browser.conftest import wait_for_idle
from tests.dashboard.playground.test_own_data import BROKEN, pets_csv

pytestmark = pytest.mark.browser

STAGE_READY = (
    "() => window.__softmaxStage && window.__softmaxStage.plane && window.__softmaxStage.last"
)
CLASSES = "() => window.__softmaxStage.plane.meta.class_names.join(',')"
PICTURE = "() => document.querySelector('.st-key-regions_chart canvas').toDataURL()"
LEGEND = "() => document.querySelector('.st-key-regions_chart .stage-legend').innerText"


def open_stage(page, url):
    page.goto(url)
    wait_for_idle(page)
    page.wait_for_function(STAGE_READY, timeout=60_000)


def choose_your_csv(page):
    page.locator(".st-key-dataset").click()
    page.get_by_role("option", name="Your CSV").click()
    wait_for_idle(page)
    page.locator(".st-key-pg_csv input[type=file]").wait_for(state="attached")


def upload(page, name, data):
    page.locator(".st-key-pg_csv input[type=file]").set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": data}]
    )
    wait_for_idle(page)


def test_an_uploaded_csv_changes_the_regions_and_the_legend(server, page):
    open_stage(page, f"{server}/playground")
    before = page.evaluate(PICTURE)
    choose_your_csv(page)
    upload(page, "pets.csv", pets_csv())
    page.wait_for_function(f"() => ({CLASSES})() === 'cat,dog,eel'", timeout=60_000)
    page.wait_for_function(
        f"() => ({LEGEND})().includes('cat') && ({LEGEND})().includes('eel')", timeout=10_000
    )
    page.wait_for_function(f"(old) => ({PICTURE})() !== old", arg=before, timeout=10_000)
    assert "dataset=own" in page.url and "user_data" not in page.url
    # a broken file: its message, and the data stays
    shown = page.evaluate(PICTURE)
    upload(page, "broken.csv", BROKEN)
    alert = page.locator("[data-testid=stSidebar] [data-testid=stAlert]").first
    alert.wait_for()
    assert "is not a number" in alert.inner_text() and "keeps its data" in alert.inner_text()
    assert page.evaluate(CLASSES) == "cat,dog,eel"
    assert page.evaluate(PICTURE) == shown
    assert page.locator("[data-testid=stException]").count() == 0
    assert page.js_errors == []


RANGES = "() => { const m = window.__softmaxStage.plane.meta; return [m.x_range, m.y_range]; }"
POINTS = (
    "() => { const a = window.__softmaxStage.plane.a;"
    " return (a.X_train.length + a.X_val.length) / 2; }"
)


def test_a_click_in_draw_mode_adds_a_point_and_retrains_a_click_on_it_removes_it(server, page):
    open_stage(page, f"{server}/playground")
    loss = page.locator("[data-testid=stMetric]:has-text('Loss') [data-testid=stMetricValue]")
    before_loss, before_points = loss.inner_text(), page.evaluate(POINTS)
    page.locator(".st-key-pg_draw label").click()
    wait_for_idle(page)
    page.wait_for_function("() => window.__softmaxStage.server.edit.on", timeout=10_000)
    canvas = page.locator(".st-key-regions_chart canvas").first
    ox, oy, pw, ph = page.evaluate("() => window.__softmaxStage.last.plot")
    (x0, x1), (y0, y1) = page.evaluate(RANGES)
    px, py = ox + 0.03 * pw, oy + 0.03 * ph  # an empty corner
    x, y = x0 + (px - ox) / pw * (x1 - x0), y1 - (py - oy) / ph * (y1 - y0)
    canvas.click(position={"x": px, "y": py})
    page.wait_for_function(f"(n) => ({POINTS})() === n + 1", arg=before_points, timeout=60_000)
    wait_for_idle(page)
    assert "dataset=own" in page.url
    assert loss.inner_text() != before_loss  # the run retrained on the new data
    # a click on the new point (where the new axes put it) removes it
    ox, oy, pw, ph = page.evaluate("() => window.__softmaxStage.last.plot")
    (x0, x1), (y0, y1) = page.evaluate(RANGES)
    at = {"x": ox + (x - x0) / (x1 - x0) * pw, "y": oy + (y1 - y) / (y1 - y0) * ph}
    canvas.click(position=at)
    page.wait_for_function(f"(n) => ({POINTS})() === n", arg=before_points, timeout=60_000)
    wait_for_idle(page)
    assert page.locator("[data-testid=stException]").count() == 0
    assert page.js_errors == []

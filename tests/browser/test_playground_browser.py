"""Headless Chromium against a real server: the Playground reacts to its sliders."""

import pytest

from tests.browser.conftest import wait_for_idle
from tests.browser.harness import PLOTLY_GRAPH

pytestmark = pytest.mark.browser

# A fingerprint of every drawn chart: the SVG plotly rendered, so a redraw with other data
# changes it while an unchanged chart keeps it.
CHART_FINGERPRINTS = f"""
() => Array.from(document.querySelectorAll('{PLOTLY_GRAPH}'))
    .map(chart => {{ let h = 0; const s = chart.innerHTML;
                  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) | 0;
                  return h; }})
"""


def metric(page, label):
    return page.locator(f"[data-testid=stMetric]:has-text('{label}') [data-testid=stMetricValue]")


def test_learning_rate_slider_redraws_every_chart(server, page):
    page.goto(server)
    wait_for_idle(page)
    page.get_by_test_id("stSidebarNavLink").filter(has_text="Playground").click()
    page.wait_for_selector(f"{PLOTLY_GRAPH} .main-svg")
    wait_for_idle(page)
    assert page.locator(PLOTLY_GRAPH).count() >= 3
    before = page.evaluate(CHART_FINGERPRINTS)
    # Remember the graph nodes: plotly_view updates them in place, never remounts.
    page.evaluate(
        f"() => {{ window.__graphs = Array.from(document.querySelectorAll('{PLOTLY_GRAPH}')); }}"
    )
    loss_before = metric(page, "Loss").inner_text()

    thumb = page.locator(".st-key-learning_rate input[type=range]")
    assert "Learning rate" in page.locator(".st-key-learning_rate").inner_text()
    thumb.focus()
    page.keyboard.press("ArrowLeft")
    page.wait_for_function(
        """(old) => { const m = Array.from(document.querySelectorAll('[data-testid=stMetric]'))
                          .find(e => e.innerText.startsWith('Loss'));
                      return m && !m.innerText.includes(old) }""",
        arg=loss_before,
        timeout=60_000,
    )
    wait_for_idle(page)
    page.wait_for_function(
        f"(old) => {{ const now = ({CHART_FINGERPRINTS})();"
        " return now.length === old.length && now.every((h, i) => h !== old[i]) }",
        arg=before,
        timeout=60_000,
    )
    assert "learning_rate=0.5" in page.url
    same_nodes = page.evaluate(
        f"() => {{ const now = Array.from(document.querySelectorAll('{PLOTLY_GRAPH}'));"
        " return now.length === window.__graphs.length"
        " && now.every((g, i) => g === window.__graphs[i]) }"
    )
    assert same_nodes, "a chart was remounted instead of updated in place"
    # plotly's own PNG download, on every chart's modebar
    png_buttons = page.evaluate(
        f"() => Array.from(document.querySelectorAll('{PLOTLY_GRAPH}')).map(g =>"
        " Array.from(g.querySelectorAll('.modebar-btn')).some(b =>"
        " /download plot as a png/i.test(b.getAttribute('data-title') || '')))"
    )
    assert png_buttons and all(png_buttons)
    assert page.locator("[data-testid=stException]").count() == 0
    assert page.js_errors == []


def test_every_page_opens_without_an_exception(server, page):
    for path in ("", "playground"):
        page.goto(f"{server}/{path}")
        wait_for_idle(page)
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

"""Every page in a real browser: opens cleanly, rejects a bad upload; plotly_view in place."""

import pytest

from tests.browser.conftest import wait_for_idle
from tests.browser.harness import PLOTLY_GRAPH, start_server, stop_server

pytestmark = pytest.mark.browser

PAGES = ("", "playground", "derivation", "datasets", "sweep")


@pytest.mark.parametrize("path", PAGES)
def test_page_opens_without_an_exception(server, page, path):
    page.goto(f"{server}/{path}")
    wait_for_idle(page)
    assert page.locator("[data-testid=stException]").count() == 0
    assert page.locator("[data-testid=stMain]").inner_text().strip()
    assert page.js_errors == []


def test_bad_upload_shows_an_error_and_keeps_the_dataset(server, page, tmp_path):
    page.goto(f"{server}/datasets")
    wait_for_idle(page)
    page.locator(".st-key-ds_source").click()
    page.get_by_role("option", name="Upload CSV…").click()
    wait_for_idle(page)
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"a,b,label\n1,2,x\n3,oops,y\n")
    page.locator(".st-key-csv_upload input[type=file]").set_input_files(str(bad))
    error = page.locator("[data-testid=stAlertContentError]").first
    error.wait_for(timeout=60_000)
    wait_for_idle(page)
    assert "row" in error.inner_text().lower() or "column" in error.inner_text().lower()
    assert page.locator("[data-testid=stException]").count() == 0
    assert page.locator(PLOTLY_GRAPH).count() >= 1  # previous data still shown


@pytest.fixture(scope="module")
def plotly_view_app():
    proc, base = start_server("tests/browser/apps/plotly_view_app.py")
    yield base
    stop_server(proc)


def test_plotly_view_updates_in_place_and_reports_a_broken_chart(plotly_view_app, page):
    page.goto(plotly_view_app)
    wait_for_idle(page)
    good = page.locator(f".st-key-good_chart {PLOTLY_GRAPH}")
    good.locator(".main-svg").first.wait_for()
    note = page.locator(".st-key-broken_chart .softmax-plot-error")
    note.wait_for()
    assert note.inner_text().startswith("This chart could not be drawn:")
    page.evaluate(
        f"() => {{ window.__good = document.querySelector('.st-key-good_chart {PLOTLY_GRAPH}'); }}"
    )
    page.locator(".st-key-height input[type=range]").focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "() => (document.querySelector('.st-key-good_chart .gtitle') || {}).textContent"
        " === 'height 400'",
        timeout=60_000,
    )
    assert page.evaluate(
        f"() => document.querySelector('.st-key-good_chart {PLOTLY_GRAPH}') === window.__good"
    )
    assert good.bounding_box()["height"] == 400  # the new layout, drawn in the same div
    assert page.locator("[data-testid=stException]").count() == 0
    assert page.js_errors == []


# Every plotly chart: does its toolbar's box cross its title's?
TOOLBAR_OVER_TITLE = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(gd => {
  const bar = gd.querySelector('.modebar'), title = gd.querySelector('.gtitle');
  if (!bar || !title || !title.textContent) return null;
  const a = bar.getBoundingClientRect(), b = title.getBoundingClientRect();
  const shown = getComputedStyle(bar.closest('.modebar-container') || bar).opacity !== '0';
  const crosses = !(a.right <= b.left || b.right <= a.left || a.bottom <= b.top
                    || b.bottom <= a.top);
  return shown && crosses ? title.textContent : null;
}).filter(Boolean)"""


@pytest.mark.parametrize("path", PAGES[1:])
def test_toolbar_never_covers_a_title_on_a_touch_screen(server, browser, path):
    """A device that reports no hover (a tablet) shows plotly's toolbar all the time."""
    context = browser.new_context(
        viewport={"width": 1024, "height": 768}, has_touch=True, is_mobile=True
    )
    page = context.new_page()
    try:
        assert page.evaluate("() => matchMedia('(hover: none)').matches")
        page.goto(f"{server}/{path}")
        wait_for_idle(page)
        page.wait_for_selector(".js-plotly-plot .modebar", state="attached", timeout=60_000)
        assert page.evaluate(TOOLBAR_OVER_TITLE) == []
    finally:
        context.close()


# Text that does not fit: a plotly title, subtitle or note running past its chart, or a metric,
# widget label, page link, button or stage title cut by an ellipsis.
CUT_TEXT = """() => {
  const cut = [];
  for (const gd of document.querySelectorAll('.js-plotly-plot')) {
    const svg = gd.querySelector('.main-svg');
    if (!svg) continue;
    const box = svg.getBoundingClientRect();
    for (const t of gd.querySelectorAll('.gtitle, .gtitle-subtitle, .annotation-text')) {
      const r = t.getBoundingClientRect();
      if (r.width && (r.left < box.left - 1 || r.right > box.right + 1)) cut.push(t.textContent);
    }
  }
  const boxes = '[data-testid=stMetric] *, [data-testid=stWidgetLabel] *, .stage-title, '
    + '[data-testid=stPageLink] *, button *';
  for (const el of document.querySelectorAll(boxes)) {
    if (el.clientWidth && el.scrollWidth > el.clientWidth + 1) cut.push(el.textContent);
  }
  return [...new Set(cut)];
}"""
# Chart text drawn over chart text: an x axis title on its tick labels or on the legend,
# tick labels under the legend, a y axis title on its tick labels.
OVERLAPS = """() => {
  const out = [];
  const meet = (a, b) => !(a.right <= b.left + 1 || b.right <= a.left + 1
                           || a.bottom <= b.top + 1 || b.bottom <= a.top + 1);
  const boxes = (gd, sel) => [...gd.querySelectorAll(sel)].map((e) => e.getBoundingClientRect())
    .filter((r) => r.width);
  for (const gd of document.querySelectorAll('.js-plotly-plot')) {
    const name = (gd.querySelector('.gtitle') || {}).textContent || '(untitled)';
    const xTitles = boxes(gd, '.g-xtitle text, .g-x2title text');
    const xTicks = boxes(gd, '.xtick text, .x2tick text');
    const legend = boxes(gd, '.legend .traces');
    const yTitles = boxes(gd, '.g-ytitle text, .g-y2title text');
    const yTicks = boxes(gd, '.ytick text, .y2tick text');
    const hit = (as, bs, what) => {
      if (as.some((a) => bs.some((b) => meet(a, b)))) out.push(name + ': ' + what);
    };
    hit(xTitles, xTicks, 'x title on tick labels');
    hit(xTitles, legend, 'x title on the legend');
    hit(xTicks, legend, 'tick labels under the legend');
    hit(yTitles, yTicks, 'y title on tick labels');
  }
  return out;
}"""
# Every plotly chart drawn at its width (charts in an expander draw once it opens).
CHARTS_DRAWN = """() => [...document.querySelectorAll('.js-plotly-plot')].every(
  (gd) => { const s = gd.querySelector('.main-svg');
            return s && s.getBoundingClientRect().width > 0; })"""


def open_everything(page):
    """Open every expander and wait until Streamlit is idle and every chart is drawn."""
    wait_for_idle(page)
    for summary in page.locator("[data-testid=stExpander] summary").all():
        if summary.get_attribute("aria-expanded") != "true":
            summary.click()
    wait_for_idle(page)
    page.wait_for_function(CHARTS_DRAWN, timeout=60_000)


@pytest.mark.parametrize(
    ("width", "height", "presenter"), [(1024, 768, True), (1280, 720, True), (1280, 720, False)]
)
def test_no_title_or_label_is_cut_on_a_projector(server, browser, width, height, presenter):
    """Presenter mode is laid out for 1024 px and up, normal mode for 1280 px with the
    sidebar open: at those widths every title, label and number reads whole, and no chart
    draws one text over another."""
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    try:
        found = {}
        for path in PAGES:
            page.goto(f"{server}/{path}" + ("?presenter=true" if presenter else ""))
            open_everything(page)
            if path == "playground":
                page.wait_for_function("() => window.__softmaxStage && window.__softmaxStage.last")
            found[path] = page.evaluate(CUT_TEXT) + page.evaluate(OVERLAPS)
            if path == "derivation":
                page.get_by_text("中文", exact=True).click()
                open_everything(page)
                found["derivation 中文"] = page.evaluate(CUT_TEXT) + page.evaluate(OVERLAPS)
        assert all(not cut for cut in found.values()), found
    finally:
        context.close()

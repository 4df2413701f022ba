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

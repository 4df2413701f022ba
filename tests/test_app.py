"""The app starts and every page renders without an exception (AppTest, no browser)."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.chartspec import APP

PAGES = [
    "dashboard/home/page.py",
    "dashboard/playground/page.py",
    "dashboard/derivation/page.py",
    "dashboard/datasets/page.py",
    "dashboard/sweep/page.py",
]


@pytest.fixture
def app():
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    return at


def test_home_renders(app):
    assert not app.exception
    assert app.title[0].value == "Softmax Playground"


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders(app, page):
    app.switch_page(page)
    app.run()
    assert not app.exception
    assert len(app.title) >= 1


def test_home_links_to_every_page(app):
    linked = {link.proto.page for link in app.get("page_link")}  # url paths
    assert linked == {Path(page).parent.name for page in PAGES[1:]}

"""Softmax Playground: entry point. Page config and navigation only.

Each page is a folder under ``dashboard/`` whose ``page.py`` lays it out. There is no
``pages/`` folder on purpose: with a folder of that name beside the entry script,
Streamlit serves the first request of a fresh server in its legacy multipage mode, which
runs a linked page such as ``/playground`` without this file (no page config, wrong
navigation). Pages are registered by file, not as callables, so that Streamlit's AppTest
can open each one (``AppTest.switch_page`` takes a file).
"""

from pathlib import Path

import streamlit as st

from dashboard.gc_tuning import freeze_imported_heap

# Once per process: keeps the full garbage collection Streamlit runs after every rerun
# from scanning the ~170 000 objects of the libraries (80-100 ms, see the module).
freeze_imported_heap()

# A lecturer's link with ?presenter=true opens with the sidebar out of the way.
presenter_link = st.query_params.get("presenter", "").lower() in ("1", "true", "yes", "on")
st.set_page_config(
    page_title="Softmax Playground",
    # a local file: a Material icon here makes every browser fetch its favicon from a
    # font CDN, which fails offline and tells a third party who opened the lecture
    page_icon=str(Path(__file__).parent / "assets" / "icon.png"),
    layout="wide",
    initial_sidebar_state="collapsed" if presenter_link else "auto",
)


def _page(name, title, icon, **kw):
    """The page whose layout is ``dashboard/<name>/page.py``, served at ``/<name>``."""
    return st.Page(f"dashboard/{name}/page.py", title=title, icon=icon, url_path=name, **kw)


PAGES = [
    _page("home", "Home", ":material/home:", default=True),
    _page("playground", "Playground", ":material/tune:"),
    _page("derivation", "Derivation", ":material/function:"),
    _page("datasets", "Datasets", ":material/table_chart:"),
    _page("sweep", "Sweep", ":material/grid_on:"),
]

st.navigation(PAGES).run()

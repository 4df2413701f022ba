"""Softmax Playground: entry point. Page config and navigation only; pages live in app_pages/.

Not ``pages/``: with a folder of that name beside the entry script, Streamlit serves the
first request of a fresh server in its legacy multipage mode, which runs a linked page
such as ``/playground`` without this file (no page config, wrong navigation).
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

PAGES = [
    st.Page("app_pages/home.py", title="Home", icon=":material/home:", default=True),
    st.Page("app_pages/playground.py", title="Playground", icon=":material/tune:"),
    st.Page("app_pages/derivation.py", title="Derivation", icon=":material/function:"),
    st.Page("app_pages/datasets.py", title="Datasets", icon=":material/table_chart:"),
    st.Page("app_pages/sweep.py", title="Sweep", icon=":material/grid_on:"),
]

st.navigation(PAGES).run()

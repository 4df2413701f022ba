"""Issue 11's rules for a page folder ``dashboard/<page>/``, checked on its source.

``page.py`` at most 150 lines; ``compute.py`` imports neither streamlit nor plotly;
``charts.py`` not streamlit; every ``st.cache_*`` in ``cache.py``; no module imports
another's ``_private`` name.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MAX_PAGE_LINES = 150


def _imported_modules(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


def page_rule_violations(page: str) -> list[str]:
    """Every broken rule of ``dashboard/<page>/``, as sentences (empty when none)."""
    folder = ROOT / "dashboard" / page
    out = []
    lines = len((folder / "page.py").read_text().splitlines())
    if lines > MAX_PAGE_LINES:
        out.append(f"page.py has {lines} lines")
    for path in sorted(folder.glob("*.py")):
        text = path.read_text()
        tree = ast.parse(text)
        roots = {name.split(".")[0] for name in _imported_modules(tree)}
        if path.name == "compute.py" and roots & {"streamlit", "plotly"}:
            out.append(f"compute.py imports {sorted(roots & {'streamlit', 'plotly'})}")
        if path.name == "charts.py" and "streamlit" in roots:
            out.append("charts.py imports streamlit")
        if path.name != "cache.py" and "cache_" in text and "st.cache_" in text:
            out.append(f"{path.name} uses st.cache_*")
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                private = [a.name for a in node.names if a.name.startswith("_")]
                if private and node.module != "__future__":
                    out.append(f"{path.name} imports {private} from {node.module}")
    return out

"""Widget values that survive a page switch: one helper for every page.

Streamlit forgets a widget's value when a run does not draw that widget, which is what
happens on every other page. :func:`kept` stores each value under a shadow key that
Streamlit does not clean up, and puts it back when the widget is drawn again.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

import streamlit as st

_SHADOW = "_kept:"


def kept(
    key: str,
    default: Any,
    *,
    allowed: Collection | Callable[[Any], bool] | None = None,
) -> Any:
    """The value the widget ``key`` shows, kept across pages; call it just before the widget.

    Create the widget with ``key=key`` and no ``value=`` / ``index=``: its value comes from
    session state, which this call fills.

    Parameters
    ----------
    key : str
        The widget's key.
    default : object
        Its value the first time, and whenever the kept value is not allowed.
    allowed : collection or callable, optional
        The values the widget can show now (its options, or a test such as
        ``lambda v: 0 <= v < n``); a kept value outside them falls back to ``default``.

    Returns
    -------
    value : object
        The value the widget will show in this run.
    """
    state = st.session_state
    value = state[key] if key in state else state.get(_SHADOW + key, default)
    if allowed is not None and not (allowed(value) if callable(allowed) else value in allowed):
        value = default
    state[key] = value
    state[_SHADOW + key] = value
    return value


def forget(key: str) -> None:
    """Drop the widget's value and its kept copy: the next :func:`kept` gives the default."""
    st.session_state.pop(key, None)
    st.session_state.pop(_SHADOW + key, None)

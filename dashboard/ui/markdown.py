"""Showing a person's text (a URL parameter, a file name, a CSV error) as typed."""

import re

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$])")


def markdown_escape(text):
    """``text`` with every markdown (and ``$`` math) character backslash-escaped.

    Streamlit renders alerts, captions and markdown as Markdown: without this, a link
    like ``?x=[click](http://…)`` would put a clickable link into our own warning.
    """
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))

"""Showing a person's text as typed: every Markdown character escaped."""

from dashboard.ui.markdown import markdown_escape


def test_markdown_escape():
    """What the page relies on to show names from a person's file as text."""
    assert markdown_escape("wine.csv") == "wine\\.csv"
    assert markdown_escape("$x$ [a](b) *c* <b> `d`") == (
        "\\$x\\$ \\[a\\]\\(b\\) \\*c\\* \\<b\\> \\`d\\`"
    )
    assert markdown_escape("plain text") == "plain text"

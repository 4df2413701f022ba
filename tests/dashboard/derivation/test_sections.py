"""The sections in 中文: no English sentence left on the page, charts and tables included.

The page is opened with every section open, once in English and once in Chinese, and
every piece of UI text is collected by its place on the page (chart titles, subtitles,
axis titles, legend names, hovers, annotations and colour bars; table headers; metric,
widget and section labels; Markdown and captions). Wherever the English text has words,
the Chinese text at the same place must have Chinese characters. Names, code and math
read the same in both languages and are set aside first.
"""

import re

from tests.chartspec import charts
from tests.dashboard.derivation.test_page import SECTIONS, open_derivation

HAN = re.compile(r"[\u4e00-\u9fff]")
WORD = re.compile(r"[A-Za-z]{3,}")
# Names, code and math that read the same in both languages.
SAME = re.compile(
    r"`[^`]*`|\$[^$]*\$|<[^>]+>|%\{[^}]*\}|Playground|softmax|Softmax|log|exp|reg|max|min"
    r"(?=\b)|NaN|CS231n|randn|Spiral|Iris|Adam|SGD|Momentum|naive|vectorized|English|"
    r"\b[a-zA-Z]\w*_\w+|\bx[12]\b|\[[^\]]*\]"
)


def chart_strings(fig, prefix):
    """``{place: text}`` for every word a plotly figure shows."""
    out = {}
    layout = fig["layout"]
    title = layout.get("title", {})
    out[prefix + "title"] = title.get("text")
    out[prefix + "subtitle"] = title.get("subtitle", {}).get("text")
    for name, axis in layout.items():
        if name.startswith(("xaxis", "yaxis")):
            out[f"{prefix}{name}"] = axis.get("title", {}).get("text")
    for n, note in enumerate(layout.get("annotations", [])):
        out[f"{prefix}annotation{n}"] = note.get("text")
    for n, trace in enumerate(fig["data"]):
        out[f"{prefix}{n}.hover"] = trace.get("hovertemplate")
        if trace.get("showlegend", True) and layout.get("showlegend", True):
            out[f"{prefix}{n}.name"] = trace.get("name")
        hovertext = trace.get("hovertext")
        if isinstance(hovertext, list):
            out[f"{prefix}{n}.hovertext"] = str(hovertext[0])
        colorbar = trace.get("colorbar", {}).get("title", {})
        out[f"{prefix}{n}.colorbar"] = colorbar.get("text")
    return out


def page_strings(at):
    out = {}
    for el_id, fig in charts(at).items():
        out.update(chart_strings(fig, el_id.rsplit("-", 1)[1] + "."))
    for n, df in enumerate(at.dataframe):
        out[f"table{n}"] = " | ".join(map(str, df.value.columns))
    for kind in ("markdown", "caption", "subheader", "header", "title", "metric"):
        for n, el in enumerate(getattr(at, kind)):
            text = el.label if kind == "metric" else el.value
            if not text.startswith("<style>"):
                out[f"{kind}{n}"] = text
    for n, el in enumerate(at.expander):
        out[f"expander{n}"] = el.label
    for kind in ("number_input", "select_slider", "button"):
        for n, el in enumerate(at.get(kind)):
            out[f"{kind}{n}"] = el.label if hasattr(el, "label") else el.proto.label
    out["page_link"] = at.get("page_link")[0].proto.label
    return {k: v for k, v in out.items() if v}


def english_words(text):
    return WORD.findall(SAME.sub(" ", text))


def test_chinese_page_has_no_english_sentence_left():
    at = open_derivation()
    english = page_strings(at)
    at.segmented_control(key="lang").set_value("zh").run()
    assert not at.exception
    chinese = page_strings(at)
    assert set(english) == set(chinese)  # the same page, place by place
    assert sum(key.endswith(".hover") for key in english) >= 10  # the charts were there
    left = {
        place: (english[place], chinese[place])
        for place in english
        if english_words(english[place]) and not HAN.search(chinese[place])
    }
    assert not left, left


def test_sections_stay_open_across_pages():
    at = open_derivation(sections=SECTIONS[:2])
    at.switch_page("dashboard/playground/page.py")
    at.run()
    at.switch_page("dashboard/derivation/page.py")
    at.run()
    assert not at.exception
    keys = {el_id.rsplit("-", 1)[1] for el_id in charts(at)}
    assert keys == {"pick_chart", "scores_chart", "jacobian_chart"}

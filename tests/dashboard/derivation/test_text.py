"""The page's words (``dashboard.derivation.text``): both languages complete and consistent."""

import re
import string

from dashboard.derivation.text import (
    CODE,
    COLUMNS,
    EQUATIONS,
    FIGURE_LABELS,
    LANGUAGES,
    TEXT,
    code_block,
    equations,
)

HAN = re.compile(r"[\u4e00-\u9fff]")


def placeholders(s):
    return {name for _, name, _, _ in string.Formatter().parse(s) if name}


def every_string():
    for lang in LANGUAGES:
        yield from TEXT[lang].values()
        yield from FIGURE_LABELS[lang].values()
        yield from COLUMNS[lang].values()
        yield from (code_block(lang, key) for key in CODE)
    yield from EQUATIONS.values()


def test_every_language_has_the_same_keys_and_placeholders():
    assert set(TEXT) == set(FIGURE_LABELS) == set(COLUMNS) == set(LANGUAGES)
    for table in (TEXT, FIGURE_LABELS, COLUMNS):
        en = table["en"]
        for lang, words in table.items():
            assert set(words) == set(en), lang
            for key, s in words.items():
                assert placeholders(s) == placeholders(en[key]), (lang, key)
                s.format(**{name: "1" for name in placeholders(s)})  # no stray brace
    for lang in LANGUAGES:
        assert set(equations(lang)) == set(EQUATIONS)


def test_chinese_is_chinese_wherever_english_has_words():
    words = re.compile(r"[A-Za-z]{3,}")
    # names, code and math that read the same in both languages
    same = re.compile(
        r"`[^`]*`|\$[^$]*\$|Playground|softmax|log|exp|reg|max|NaN|CS231n|randn|Taylor|"
        r"naive|vectorized|grad_check_sparse|Softmax|Jacobian"
    )
    for table in (TEXT, FIGURE_LABELS, COLUMNS):
        for key, en in table["en"].items():
            zh = table["zh"][key]
            if words.search(same.sub("", en)):
                assert HAN.search(zh), (key, zh)
                assert zh != en, key
    for key in CODE:
        comments = [line for line in code_block("zh", key).splitlines() if "#" in line]
        assert all(HAN.search(c) for c in comments if words.search(c.split("#", 1)[1])), key
    assert not HAN.search(" ".join(TEXT["en"].values()))


def test_no_text_uses_the_random_number_word_for_the_derivation():
    # "seed" means a random seed to the reader; the derivation is "the classic derivation"
    for s in every_string():
        assert "seed" not in s.lower() and "种子" not in s, s


def test_code_comments_translate_without_changing_the_code():
    for key in CODE:
        en, zh = code_block("en", key).splitlines(), code_block("zh", key).splitlines()
        assert len(en) == len(zh)
        for a, b in zip(en, zh, strict=True):
            assert a.split("#")[0] == b.split("#")[0], key

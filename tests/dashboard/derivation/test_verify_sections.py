"""The slips and checks sections (``dashboard.derivation.verify_sections``) on the page:
what they print is the reader's model's numbers, recomputed here with numpy and scipy."""

import re

import numpy as np
import scipy.special

from dashboard.derivation.text import CODE, code_block
from dashboard.playground.compute import train_playground
from dashboard.settings import Settings
from tests.dashboard.derivation.test_page import open_derivation


def test_slips_section_shows_the_slipped_and_right_code_and_the_models_numbers():
    at = open_derivation(sections=("open_slips",))
    run = train_playground(Settings())
    N = len(run.y_train)
    shown = [c.value for c in at.code]
    assert shown == [code_block("en", key) for key in CODE]  # slip, fix, slip, fix, ...
    text = " ".join(m.value for m in at.markdown)
    assert f"(N = {N})" in text and "ValueError" in text
    ratio = float(re.search(r"comes out ([\d.]+)× the engine's", text).group(1))
    assert abs(ratio - N) < 1e-3 * N  # no averaging: N times the gradient
    at.segmented_control(key="lang").set_value("zh").run()
    assert [c.value for c in at.code] == [code_block("zh", key) for key in CODE]


def test_gradient_checks_section_shows_the_models_loss():
    at = open_derivation(sections=("open_gradcheck",))
    run = train_playground(Settings())
    W, b = run.history.W[-1], run.history.b[-1]
    S = run.features_train @ W + b
    y = run.y_train
    data_loss = -scipy.special.log_softmax(S, axis=1)[np.arange(len(y)), y].mean()
    loss = data_loss + run.settings.reg * (np.sum(W**2) + np.sum(b**2))  # b folded into W
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["loss, vectorized"] == f"{loss:.10f}"
    assert f"{data_loss:.10f}" in " ".join(c.value for c in at.caption)

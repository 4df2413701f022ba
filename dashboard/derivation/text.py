"""The Derivation page's explanatory text, in English and Chinese, as data.

``TEXT[language][key]`` is a Markdown string (inline math in ``$...$``); display
equations live in ``EQUATIONS`` (language-free LaTeX for ``st.latex``). Strings with
``{name}`` placeholders are filled by the page with numbers computed by the engine, and
every language uses the same placeholders (a test checks it). The math follows the
classic (CS231n-style) derivation of the softmax gradient, equations (1)-(13); the code
blocks are lines of :mod:`dashboard.derivation.slips` (a test checks that too).

Every word the page shows is here, chart hovers and table headers included, so that the
Chinese page has no English sentence left.
"""

from __future__ import annotations

LANGUAGES = {"en": "English", "zh": "中文"}

EQUATIONS = {
    "eq1": r"\begin{gathered}s_{ij} = x_i\,w_j + b_j\\[1ex]"
    r"S = XW + \mathbf{1}b^{\top}:\quad (N\times D)\,(D\times C)\to(N\times C)"
    r"\end{gathered}",
    "eq2": r"\begin{aligned}q_{ij} &= \frac{e^{s_{ij}}}{\sum_k e^{s_{ik}}}"
    r" = \frac{e^{s_{ij}-m_i}}{\sum_k e^{s_{ik}-m_i}}\\[1ex]"
    r"m_i &= \max_k s_{ik}\end{aligned}",
    "eq3": r"\begin{gathered}L_i = -\sum_m p_m \log q_{im} = -\log q_{i,y_i}\\[1ex]"
    r"L = \frac1N\sum_i L_i + \mathrm{reg}\,\lVert W\rVert^2\end{gathered}",
    "eq4": r"\underbrace{\frac{\partial L_i}{\partial W_j}}_{(1,D)}"
    r" = \underbrace{\frac{\partial L_i}{\partial q_i}}_{(1,C)}"
    r"\;\underbrace{\frac{\partial q_i}{\partial s_i}}_{(C,C)}"
    r"\;\underbrace{\frac{\partial s_i}{\partial W_j}}_{(C,D)}",
    "eq5": r"\frac{\partial L_i}{\partial q_i} = \Bigl[\,0,\;\dots,\;"
    r"-\frac{1}{q_{i,y_i}},\;\dots,\;0\,\Bigr]",
    "eq6": r"\frac{\partial q_i}{\partial s_i} = \Bigl[\frac{\partial q_{im}}"
    r"{\partial s_{in}}\Bigr]_{m,n} = \operatorname{diag}(q_i) - q_i^{\top}q_i",
    "eq7": r"\begin{aligned}m = n:&\quad\frac{e^{s_{im}}\Sigma_i - e^{s_{im}}e^{s_{im}}}"
    r"{\Sigma_i^2} = q_{im}(1-q_{im})\\[1ex]"
    r"m \neq n:&\quad\frac{0 - e^{s_{in}}e^{s_{im}}}{\Sigma_i^2} = -q_{im}\,q_{in}"
    r"\\[1ex]&\quad\Sigma_i = \textstyle\sum_k e^{s_{ik}}\end{aligned}",
    "chain_product": r"\begin{aligned}\Bigl(\frac{\partial L_i}{\partial q_i}"
    r"\frac{\partial q_i}{\partial s_i}\Bigr)_n"
    r" &= -\frac{1}{q_{i,y_i}}\,\frac{\partial q_{i,y_i}}{\partial s_{in}}\\"
    r" &= -\frac{1}{q_{i,y_i}}\,q_{i,y_i}\bigl(\mathbb{1}[n=y_i]-q_{in}\bigr)\\"
    r" &= q_{in} - \mathbb{1}[n=y_i]\\[1ex]"
    r"\Rightarrow\quad\frac{\partial L_i}{\partial s_i} &= q_i - p\end{aligned}",
    "eq8_12": r"s_i = x_i W = \bigl[\,x_i w_1,\; \dots,\; x_i w_j,\; \dots,\;"
    r" x_i w_C\,\bigr]",
    "eq13": r"\frac{\partial s_i}{\partial W_j} = \begin{bmatrix} 0 \\ \vdots \\ x_i \\"
    r" \vdots \\ 0 \end{bmatrix}\begin{matrix}\\ \\ \leftarrow\text{row } j\\ \\ \\"
    r"\end{matrix}\quad (C\times D)",
    "result": r"\begin{gathered}\frac{\partial L_i}{\partial W_j}"
    r" = (q_i - p)\,\frac{\partial s_i}{\partial W_j}"
    r" = \bigl(q_{ij} - \mathbb{1}[j = y_i]\bigr)\,x_i\\[1.5ex]"
    r"\frac{\partial L_i}{\partial W} = x_i^{\top}(q_i - p)\in\mathbb{R}^{D\times C},"
    r"\qquad \frac{\partial L_i}{\partial b} = q_i - p\end{gathered}",
    "batch": r"\begin{aligned}\frac{\partial L}{\partial W} &= \frac1N\sum_i"
    r" x_i^{\top}(q_i - p_i) + 2\,\mathrm{reg}\,W\\"
    r" &= \frac1N X^{\top}(Q - P) + 2\,\mathrm{reg}\,W\end{aligned}",
    "rel_error": r"\text{rel. error}(a, b) = \frac{\lVert a-b\rVert}{\lVert a\rVert"
    r"+\lVert b\rVert}",
    "centred": r"\begin{gathered}\frac{\partial f}{\partial w} \approx"
    r" \frac{f(w+h)-f(w-h)}{2h}\\[1ex]"
    r"\text{error} \approx \underbrace{\tfrac{h^2}{6}\lvert f'''\rvert}_{\text{truncation}}"
    r" + \underbrace{\varepsilon\,\lvert f\rvert / h}_{\text{round-off}}\end{gathered}",
    "log_softmax": r"-\log q_{ic} = \log\sum_k e^{s_{ik}-m_i} - (s_{ic}-m_i)",
    "temperature": r"q_j(T) = \frac{e^{s_j/T}}{\sum_k e^{s_k/T}},\qquad"
    r"\operatorname{softmax}(s + c\mathbf{1}) = \operatorname{softmax}(s)",
}

# Equations with words in them, per language (the rest are language-free).
_EQUATIONS_ZH = {
    "eq13": EQUATIONS["eq13"].replace(r"\text{row } j", r"\text{第 } j \text{ 行}"),
    "rel_error": EQUATIONS["rel_error"].replace(r"\text{rel. error}", r"\text{相对误差}"),
    "centred": EQUATIONS["centred"]
    .replace(r"\text{error}", r"\text{误差}")
    .replace(r"\text{truncation}", r"\text{截断}")
    .replace(r"\text{round-off}", r"\text{舍入}"),
}


def equations(language):
    """The display equations for ``language`` (English wording for unknown languages)."""
    return {**EQUATIONS, **_EQUATIONS_ZH} if language == "zh" else dict(EQUATIONS)


# The textbook loop's slips and their fixes (code blocks on the page): lines of
# dashboard/derivation/slips.py, with a comment on top.
CODE = {
    "index_slip": (
        "# slip: one entry, indexed by the sample\n"
        "for j in range(n_classes):\n"
        "    weight = probs[j] - (j == y[i])\n"
        "    dW[i, j] += weight * X[i]"
    ),
    "index_fixed": (
        "# right: the (D,) vector goes into column j\n"
        "for j in range(n_classes):\n"
        "    weight = probs[j] - (j == y[i])\n"
        "    dW[:, j] += weight * X[i]"
    ),
    "average_slip": "# slip: the loss is averaged, the gradient is not\nloss /= n_samples",
    "average_fixed": "# right: average both\nloss /= n_samples\ndW /= n_samples",
    "reg_slip": "# slip: the penalty reaches the loss only\nloss += reg * np.sum(W * W)",
    "reg_fixed": (
        "# right: d(reg·ΣW²)/dW = 2·reg·W\nloss += reg * np.sum(W * W)\ndW += 2 * reg * W"
    ),
    "shape_slip": "# slip: the shapes of one note\n# X: (D, N), W: (N, C)\nscores = X[i] @ W",
    "shape_fixed": (
        "# right: what X[i] @ W needs\n"
        "# X: (N, D), one sample per row\n"
        "# W: (D, C), one column w_j per class\n"
        "scores = X[i] @ W"
    ),
    "log_slip": (
        "# slip: normalize, then take the log\n"
        "shifted = scores - np.max(scores)\n"
        "probs = np.exp(shifted) / np.sum(np.exp(shifted))\n"
        "loss = -np.log(probs[label])  # q = 0: -log 0 = inf"
    ),
    "log_fixed": (
        "# right: log-softmax, never log(0)\n"
        "scores = scores - np.max(scores)\n"
        "log_norm = np.log(np.sum(np.exp(scores)))\n"
        "loss += log_norm - scores[y[i]]"
    ),
}

_EN = {
    "title": "The softmax gradient, derived",
    "intro": (
        "The classic derivation of the softmax cross-entropy gradient, equations "
        "(1)–(13), evaluated step by step on **one sample of the model you trained on the "
        "Playground**. Each section opens on a click and shows its step with this sample's "
        "numbers; the last three hold the slips of the textbook loop and the checks a "
        "careful student runs before trusting a gradient."
    ),
    "lang_label": "Language",
    "showing": (
        "Model: **{dataset}**, {features} features (D = {D}), C = {C} classes, "
        "{optimizer}, learning rate {lr}, reg = {reg}; N = {N} training samples. "
        "Shown at step **{step}** of {last}."
    ),
    "first_visit": (
        "This is the Playground's default model. Train your own on the Playground and "
        "come back: this page follows it."
    ),
    "back_link": "Back to the Playground",
    "picker_title": "Pick a sample",
    "sample_label": "Sample i",
    "sample_help": "Any training sample, 0 to {last}; or click a point on the chart.",
    "step_label": "Training step",
    "step_help": "Any recorded step of the run; the default is the final one.",
    "picked": (
        "Sample **#{i}** at ({x1}, {x2}) in the plane: true class y_i = **{true}**, "
        "the model predicts **{pred}**."
    ),
    "picked_wrong": "The model gets this sample wrong, so its loss is large.",
    "eq1_title": "1 · Scores (eq. 1)",
    "eq1_text": (
        "Row $x_i$ of X holds the D features of sample i, column $w_j$ of W the weights "
        "of class j. Their product is one score, $s_{{ij}} = x_i w_j$: one row of X times "
        "W gives all C scores of a sample at once, without looping over W's columns. "
        "This model also has a bias b (the classic derivation has none); it shifts the "
        "scores and "
        "changes no derivative with respect to W."
    ),
    "eq2_title": "2 · Softmax (eq. 2)",
    "eq2_text": (
        "The softmax turns the scores into probabilities $q_{{ij}}$: positive, summing "
        "to 1. Multiplying numerator and denominator by the same constant "
        "$e^{{-m_i}}$ changes nothing, so the engine subtracts the largest score first "
        "(the usual trick) and `exp` can never overflow."
    ),
    "eq3_title": "3 · Loss (eq. 3)",
    "eq3_text": (
        "The cross-entropy with the one-hot vector $p$ of the true class $y_i$ keeps a "
        "single term: the negative log-probability of the true class. The training loss "
        "averages $L_i$ over the N samples and adds reg·‖W‖²."
    ),
    "eq4_title": "4 · The chain rule (eq. 4)",
    "eq4_text": (
        "$W_j$ is column j of W, written as a (1, D) row. $L_i$ depends on $W_j$ only "
        "through the scores $s_i$, which give the probabilities $q_i$, which give "
        "$L_i$. Three factors, and their shapes multiply out: (1, C)·(C, C)·(C, D) = "
        "(1, D)."
    ),
    "eq5_title": "5 · ∂L_i/∂q_i (eq. 5)",
    "eq5_text": (
        "Only the true class's probability appears in $L_i = -\\log q_{{i,y_i}}$, so the "
        "derivative is zero everywhere except at $y_i$, where it is $-1/q_{{i,y_i}}$. "
        "For this sample: $q_{{i,y_i}}$ = {q_true}, so the entry is {dldq}."
    ),
    "eq67_title": "6 · The softmax Jacobian ∂q_i/∂s_i (eqs. 6–7)",
    "eq67_text": (
        "Every probability depends on every score (they share the denominator), so the "
        "derivative is a C × C matrix. The quotient rule gives two cases: on the diagonal "
        "$q_{{im}}(1 - q_{{im}})$, off it $-q_{{im}}q_{{in}}$. The matrix is symmetric "
        "and each row sums to 0 (the probabilities always sum to 1). The heatmap shows it "
        "for this sample: row m = probability, column n = score."
    ),
    "chain_title": "Multiplying (5) by (6)",
    "chain_text": (
        "Eq. (5) has one non-zero entry, so the product picks row $y_i$ of the Jacobian "
        "and scales it by $-1/q_{{i,y_i}}$: the $q_{{i,y_i}}$ cancels and what is left "
        "is $q_i - p$. The table below computes the product both ways."
    ),
    "chain_inf": (
        "Here $q_{{i,y_i}}$ underflowed to 0, so the factored product divides by zero "
        "(−1/q = −∞). The closed form $q_i - p$ needs no division: that is why the "
        "engine never computes eq. (5) itself."
    ),
    "eq813_title": "7 · ∂s_i/∂W_j (eqs. 8–13)",
    "eq813_text": (
        "Write W as its columns $w_1, \\dots, w_C$ (eqs. 8–9) and X as its rows (eq. 10). "
        "Then row i of S is $[x_i w_1, \\dots, x_i w_C]$ (eqs. 11–12). Only the j-th "
        "entry contains $w_j$, and its derivative with respect to $w_j$ is $x_i$. So "
        "$\\partial s_i/\\partial W_j$ is a C × D matrix whose row j is $x_i$ and every "
        "other row is 0 (eq. 13)."
    ),
    "result_title": "8 · The result",
    "result_text": (
        "Multiplying $q_i - p$ (1, C) by eq. (13) (C, D) picks its j-th entry: column j "
        "of the gradient is $x_i$ scaled by $q_{{ij}} - 1[j = y_i]$. The true class's "
        "column ($q_{{i,y_i}} - 1 \\le 0$) points against $x_i$, every other column "
        "along it. The heatmap shows $x_i$ and the whole D × C gradient of this sample."
    ),
    "check_title": "9 · Check: chain rule = closed form = numerical gradient",
    "check_text": (
        "Three independent routes to the same derivative: the chain-rule product "
        "(5)·(6), the closed form $q_i - p$, and centred differences of $L_i$ "
        "(h = {h}), which use no calculus at all. Relative errors are norm-wise:"
    ),
    "check_ok": "All routes agree: the derivation is right for this sample.",
    "check_resolution": (
        "The gradient of this sample is tiny (the model is confident), below what "
        "centred differences can resolve: they see round-off of about {res}. The "
        "absolute difference, {abs}, is within that, so the routes agree as far as "
        "finite differences can tell."
    ),
    "check_bad": "The numerical gradient disagrees with the closed form.",
    "batch_title": "From one sample to the training loss",
    "batch_text": (
        "Averaging the per-sample gradients over all N = {N} samples and adding "
        "2·reg·W gives the gradient of the training loss. It matches the dW the "
        "Playground recorded at this step with relative error {err}."
    ),
    "slips_intro": (
        "The derivation is right, but the loop that goes with it is easy to get wrong. "
        "Each slip below shows the slipped lines of the textbook loop, the right ones, and "
        "what the slip does to your model's numbers (computed now, with a gradient check "
        "at reg = {reg})."
    ),
    "slip_index_title": "1 · `dW[i, j]` instead of column j of dW",
    "slip_index_text": (
        "The chain rule gives, for each class j, a whole (D,) vector $(q_{{ij}} - "
        "1[j = y_i])\\,x_i$. Adding it to `dW[i, j]` aims at a single entry of the "
        "(D, C) matrix, indexed by the *sample* i, which is not a row of dW at all. "
        "Running that loop on your model's data: `{error}`. The vector belongs in "
        "column j: `dW[:, j]`."
    ),
    "slip_average_title": "2 · No averaging over N",
    "slip_average_text": (
        "The loss is a mean over the N samples, so its gradient is the mean of the "
        "per-sample gradients. With the indexing fixed but no division, the gradient is "
        "N times too large: here ‖dW‖ comes out {ratio}× the engine's (N = {N}), and the "
        "gradient check (at reg = 0, so that only this slip counts) fails with relative "
        "error {err}."
    ),
    "slip_reg_title": "3 · No regularization gradient 2·reg·W",
    "slip_reg_text": (
        "The loss includes reg·ΣW², whose derivative is 2·reg·W; a loop that adds the "
        "penalty to the loss only leaves it out of the gradient. Averaged but without "
        "this term, the gradient check gives "
        "relative error {err}; with it, {ok}. (Near a minimum the data gradient and "
        "2·reg·W nearly cancel, so leaving one out is far from a small error.)"
    ),
    "slip_shape_title": "4 · X described as (D, N)",
    "slip_shape_text": (
        "One shape note of the classic derivation describes X as (D, N) and W as "
        "(N, C), but the score of a sample is `X[i] @ W`, which needs X[i] to be a row of "
        "D features: X is (N, D), and W must have D rows, so W is (D, C). The derivation "
        "itself (eqs. 8–13) uses X (N, D) and W (D, C), as here."
    ),
    "slip_log_title": "5 · The log of a probability that can underflow",
    "slip_log_text": (
        "Shifting by the max stops `exp` from overflowing, but normalizing first and "
        "then taking `np.log(probs[label])` fails once the true class's score is ~745 "
        "below the largest: $q$ underflows to 0 and the loss is $-\\log 0 = \\infty$. "
        "Log-softmax, $\\log\\sum_k e^{{s_k - m}} - (s_y - m)$, is finite for every "
        "finite score. For this sample, shift-then-log first returns ∞ when the scores "
        "are scaled by {scale} (see the stability table in the last section)."
    ),
    "slip_log_never": (
        "For this sample shift-then-log stays finite up to a scale of 1e8 (the tracked "
        "class never falls far enough behind); try a misclassified sample."
    ),
    "verify_intro": (
        "The checks a careful student runs before trusting a gradient. They use the "
        "textbook contract `(W, X, y, reg) -> (loss, dW)`, which has no bias: b is folded "
        "in as the last row of W, with a column of ones in X (CS231n's bias trick), so "
        "reg here also penalizes b."
    ),
    "naive_title": "Naive loop vs vectorized",
    "naive_text": (
        "`softmax_loss_naive` is the engine's loop over the samples; `softmax_loss_vectorized` "
        "computes the same with matrix products. On your model at this step (reg = "
        "{reg}):"
    ),
    "naive_data_loss": (
        "With reg = 0 the loss is the data loss: {loss}, the value the Playground recorded "
        "at this step ({recorded})."
    ),
    "timing_text": (
        "Timed live on random data at a few shapes, best of several runs (N samples, "
        "D features, C classes; the last row is your model's shape):"
    ),
    "remeasure": "Measure again",
    "gradcheck_title": "Sparse gradient check",
    "gradcheck_text": (
        "`grad_check_sparse` perturbs {n} random entries of W (row D is b) by ±h, takes "
        "centred differences of the training loss, and compares them with the analytic "
        "gradient: relative errors around 1e-7 or below mean the gradient is right. "
        "Left without regularization, right with reg = {reg}."
    ),
    "gradcheck_fallback": "Your model has reg = 0, so the second check uses reg = {reg}.",
    "step_title": "Numerical error against the step h",
    "step_text": (
        "A centred difference has two errors pulling in opposite directions: truncation "
        "(the Taylor terms it drops) shrinks like h², round-off (subtracting two nearly "
        "equal losses, each off by ~ε·|f|) grows like ε/h. On a log-log plot the "
        "measured error is a V: slope +2 on the right, slope −1 on the left. Entry "
        "W[{row}, {col}] (the largest gradient entry); the smallest error, {best_err}, "
        "is at h = {best_h}; the error model below predicts the best h ≈ {pred_h}."
    ),
    "init_title": "Sanity check: initial loss ≈ log C",
    "init_text": (
        "With small random weights every score is ≈ 0, so every $q_{{ij}}$ ≈ 1/C and the "
        "loss is ≈ −log(1/C) = log C, whatever the labels. Computed on your features "
        "with W = 0.001·randn(D, C) and random labels for C = 2 … 10; your model started "
        "at loss {loss0} against log {C} = {logC}."
    ),
    "stability_title": "Stability: scores scaled up to 1e8",
    "stability_text": (
        "The scores of this sample multiplied by 1, 10, …, 1e8, and $-\\log q_c$ "
        "computed three ways: without the max shift (exp overflows: ∞/∞ = NaN or ∞), "
        '"shift by the max, then the log of the probability" (∞ once '
        "$q_c$ underflows to 0), and log-softmax (finite: it grows with the gap). "
        "Class c = {cls}: {why}."
    ),
    "stability_true": "the true class, which this sample's model gets wrong",
    "stability_least": (
        "the least likely class (this sample is classified correctly, so its own "
        "loss tends to 0 under scaling; the least likely class is where underflow bites)"
    ),
    "props_title": "Softmax properties: shift and temperature",
    "shift_text": (
        "Adding the same constant c to every score leaves q unchanged (the factor "
        "$e^{{c}}$ cancels): that is what lets the engine subtract the max. Computed "
        "directly without the shift, large c overflows."
    ),
    "temp_text": (
        "Dividing the scores by a temperature T: T < 1 sharpens q toward the top class "
        "(T → 0: one-hot), T > 1 flattens it (T → ∞: uniform, 1/C each). At T = 1 "
        "the lines pass through this sample's q."
    ),
    "glance_title": "The chain rule for sample #{i}",
    "glance_text": (
        "By the chain rule (4), ∂Lᵢ/∂qᵢ times the Jacobian ∂qᵢ/∂sᵢ leaves qᵢ − p; the "
        "gradient in W puts xᵢ in every column. The sections below derive each factor."
    ),
    "glance_check": (
        "Chain rule, closed form and centred differences agree: relative error {err}."
    ),
    "glance_check_bad": "The numerical gradient disagrees with the closed form here: {err}.",
    "glance_check_resolution": (
        "Chain rule and closed form agree (relative error {err}); centred differences "
        "agree within what they can resolve, the gradient being tiny here (see 9)."
    ),
    "glance_chain_inf": (
        "Here $q_{{i,y_i}}$ underflowed to 0: the factored product divides by zero, the "
        "closed form $q_i - p$ does not (see 4–6)."
    ),
    "sec_forward": "1–3 · Scores, softmax and the loss",
    "sec_chain": "4–6 · The chain rule, factor by factor",
    "sec_weights": "7–8 · From the scores to the weights",
    "sec_check": "9 · Check: three routes to the same gradient",
    "sec_slips": "Slips in the textbook loop",
    "sec_gradcheck": "Verify: loops, gradient checks and the step h",
    "sec_props": "Verify: initial loss, stability, shift and temperature",
    "sections_title": "The derivation, step by step",
}

_ZH = {
    "title": "推导 softmax 的梯度",
    "intro": (
        "按照经典的推导过程，一步步求出 softmax 交叉熵损失的梯度（式 (1)–(13)），并在**你于 "
        "Playground 训练出的模型**的**一个样本**上算出每一步的数值。每一节点击即可展开，"
        "用这个样本的数值讲解一步；最后三节是教科书式循环中的常见错误，以及细心的学生在"
        "相信一个梯度之前会做的各项检验。"
    ),
    "lang_label": "语言",
    "showing": (
        "模型：**{dataset}**，{features} 特征（D = {D}），共 C = {C} 个类别，{optimizer}，"
        "学习率 {lr}，reg = {reg}；训练样本数 N = {N}。显示的是第 **{step}** 步（最后一步为 "
        "{last}）。"
    ),
    "first_visit": (
        "这是 Playground 的默认模型。到 Playground 训练一个你自己的模型再回来，本页会随之更新。"
    ),
    "back_link": "回到 Playground",
    "picker_title": "选一个样本",
    "sample_label": "样本 i",
    "sample_help": "任一训练样本的编号，0 到 {last}；也可以在图中点击一个点。",
    "step_label": "训练步",
    "step_help": "本次训练记录下的任一步；默认为最后一步。",
    "picked": (
        "样本 **#{i}** 位于平面上的 ({x1}, {x2})：真实类别 y_i = **{true}**，模型的预测为 "
        "**{pred}**。"
    ),
    "picked_wrong": "模型把这个样本分错了，因此它的损失很大。",
    "eq1_title": "1 · 得分（式 1）",
    "eq1_text": (
        "X 的第 i 行 $x_i$ 是样本 i 的 D 个特征，W 的第 j 列 $w_j$ 是类别 j 的权重，二者之积"
        "就是一个得分 $s_{{ij}} = x_i w_j$。拿 X 的一行去乘整个 W，一个样本的 C 个得分一次就"
        "全部算出来了，用不着对 W 的各列逐一计算。这个模型还带有偏置 b（经典推导里没有）；"
        "偏置只会平移得分，对 W 的导数一个也不改变。"
    ),
    "eq2_title": "2 · Softmax（式 2）",
    "eq2_text": (
        "softmax 把得分变成概率 $q_{{ij}}$：每个都是正数，加起来等于 1。分子与分母乘上同一个"
        "常数 $e^{{-m_i}}$ 并不影响结果，所以引擎先把最大的得分减掉（常用的技巧），这样 "
        "`exp` 就绝不会上溢。"
    ),
    "eq3_title": "3 · 损失（式 3）",
    "eq3_text": (
        "交叉熵里用的是真实类别 $y_i$ 的独热向量 $p$，所以只留下一项：真实类别概率的负对数。"
        "训练损失把 $L_i$ 在 N 个样本上取平均，再加上 reg·‖W‖²。"
    ),
    "eq4_title": "4 · 链式法则（式 4）",
    "eq4_text": (
        "$W_j$ 是 W 的第 j 列，这里写成 (1, D) 的行向量。$L_i$ 只经由得分 $s_i$ 依赖于 "
        "$W_j$：得分决定概率 $q_i$，概率再决定 $L_i$。三个因子的形状依次相乘："
        "(1, C)·(C, C)·(C, D) = (1, D)。"
    ),
    "eq5_title": "5 · ∂L_i/∂q_i（式 5）",
    "eq5_text": (
        "$L_i = -\\log q_{{i,y_i}}$ 中只出现真实类别的概率，所以导数在 $y_i$ 以外处处为 0，"
        "在 $y_i$ 处等于 $-1/q_{{i,y_i}}$。对这个样本：$q_{{i,y_i}}$ = {q_true}，该项等于 "
        "{dldq}。"
    ),
    "eq67_title": "6 · Softmax 的雅可比矩阵 ∂q_i/∂s_i（式 6–7）",
    "eq67_text": (
        "每个概率都与每个得分有关（它们的分母相同），所以这个导数是一个 C × C 矩阵。按商的"
        "求导法则分两种情形：对角线上为 $q_{{im}}(1 - q_{{im}})$，对角线外为 "
        "$-q_{{im}}q_{{in}}$。矩阵是对称的，且每行之和为 0（概率之和总是 1）。热力图画出了"
        "这个样本的雅可比矩阵：第 m 行对应概率，第 n 列对应得分。"
    ),
    "chain_title": "把 (5) 乘以 (6)",
    "chain_text": (
        "式 (5) 只有一个非零项，所以乘积等于雅可比矩阵的第 $y_i$ 行乘以 "
        "$-1/q_{{i,y_i}}$：其中的 $q_{{i,y_i}}$ 被约去，剩下的正是 $q_i - p$。下表用两种"
        "方式各算了一遍这个乘积。"
    ),
    "chain_inf": (
        "这里 $q_{{i,y_i}}$ 下溢成了 0，分步相乘时要除以零（−1/q = −∞）。闭式 $q_i - p$ "
        "不含除法：引擎从不单独计算式 (5)，原因就在这里。"
    ),
    "eq813_title": "7 · ∂s_i/∂W_j（式 8–13）",
    "eq813_text": (
        "把 W 按列写成 $w_1, \\dots, w_C$（式 8–9），把 X 按行写开（式 10）。于是 S 的第 i 行"
        "是 $[x_i w_1, \\dots, x_i w_C]$（式 11–12）。其中只有第 j 项含有 $w_j$，它对 $w_j$ "
        "的导数是 $x_i$。因此 $\\partial s_i/\\partial W_j$ 是一个 C × D 矩阵：第 j 行为 "
        "$x_i$，其余各行为 0（式 13）。"
    ),
    "result_title": "8 · 结果",
    "result_text": (
        "用 $q_i - p$（1, C）乘式 (13)（C, D），得到的是它的第 j 项：梯度的第 j 列等于 "
        "$x_i$ 乘以 $q_{{ij}} - 1[j = y_i]$。真实类别那一列（$q_{{i,y_i}} - 1 \\le 0$）"
        "指向 $x_i$ 的反方向，其余各列与 $x_i$ 同向。热力图画出了 $x_i$ 以及这个样本完整的 "
        "D × C 梯度。"
    ),
    "check_title": "9 · 检验：链式法则 = 闭式 = 数值梯度",
    "check_text": (
        "求同一个导数的三条独立途径：链式法则的乘积 (5)·(6)、闭式 $q_i - p$，以及对 $L_i$ "
        "做中心差分（h = {h}），最后一种完全不用微积分。相对误差按范数计算："
    ),
    "check_ok": "三条途径结果一致：对这个样本，推导是对的。",
    "check_resolution": (
        "这个样本的梯度非常小（模型很有把握），小于中心差分所能分辨的程度：差分看到的只是"
        "约 {res} 的舍入误差。绝对差为 {abs}，在这个范围之内，所以就有限差分所能判断的而言，"
        "三条途径是一致的。"
    ),
    "check_bad": "数值梯度与闭式结果不一致。",
    "batch_title": "从一个样本到训练损失",
    "batch_text": (
        "把全部 N = {N} 个样本各自的梯度取平均，再加上 2·reg·W，就得到训练损失的梯度。它与 "
        "Playground 在这一步记录的 dW 相符，相对误差为 {err}。"
    ),
    "slips_intro": (
        "推导本身没有问题，但与之配套的循环很容易写错。下面每一条都列出教科书式循环中写错的"
        "几行、正确的写法，以及这个错误会让你的模型的数值变成什么样（现场计算，梯度检验取 "
        "reg = {reg}）。"
    ),
    "slip_index_title": "1 · 写成 `dW[i, j]`，而不是 dW 的第 j 列",
    "slip_index_text": (
        "链式法则对每个类别 j 给出的是一整个 (D,) 向量 $(q_{{ij}} - 1[j = y_i])\\,x_i$。"
        "把它加到 `dW[i, j]` 上，目标只是 (D, C) 矩阵里的一个元素，而且下标用的是*样本*"
        "编号 i，那根本不是 dW 的行。在你的模型的数据上运行这样的循环，得到：`{error}`。"
        "这个向量应该加到第 j 列：`dW[:, j]`。"
    ),
    "slip_average_title": "2 · 没有对 N 取平均",
    "slip_average_text": (
        "损失是 N 个样本的平均，所以它的梯度也是各个样本梯度的平均。下标改对了却不做除法，"
        "梯度就大了 N 倍：这里 ‖dW‖ 是引擎结果的 {ratio} 倍（N = {N}），梯度检验（取 "
        "reg = 0，只看这一个错误）失败，相对误差为 {err}。"
    ),
    "slip_reg_title": "3 · 漏了正则化的梯度 2·reg·W",
    "slip_reg_text": (
        "损失中含有 reg·ΣW²，它的导数是 2·reg·W；只把惩罚项加到损失上的循环，梯度里就少了"
        "这一项。取了平均但少了这一项，梯度检验的相对误差为 {err}；补上之后为 {ok}。"
        "（在极小值附近，数据项的梯度与 2·reg·W 几乎正好抵消，所以漏掉其中一项绝不是小误差。）"
    ),
    "slip_shape_title": "4 · 把 X 说成 (D, N)",
    "slip_shape_text": (
        "经典推导中有一处形状说明把 X 写成 (D, N)、把 W 写成 (N, C)，可是一个样本的得分是 "
        "`X[i] @ W`，这要求 X[i] 是由 D 个特征组成的一行：X 的形状是 (N, D)；W 必须有 D 行，"
        "所以是 (D, C)。推导本身（式 8–13）用的正是 X (N, D) 和 W (D, C)，与本页相同。"
    ),
    "slip_log_title": "5 · 对可能下溢的概率取对数",
    "slip_log_text": (
        "减去最大值能防止 `exp` 上溢，但如果先归一化、再计算 `np.log(probs[label])`，一旦"
        "真实类别的得分比最大得分低约 745，$q$ 就会下溢成 0，损失变成 "
        "$-\\log 0 = \\infty$。改用 log-softmax，即 "
        "$\\log\\sum_k e^{{s_k - m}} - (s_y - m)$，对任何有限的得分都是有限值。对这个样本，"
        "把得分放大 {scale} 倍时，“先平移再取对数”第一次得到 ∞（见最后一节的稳定性表）。"
    ),
    "slip_log_never": (
        "对这个样本，直到放大 1e8 倍，“先平移再取对数”都是有限值（所跟踪的类别落后得还不够"
        "多）；换一个分错的样本试试。"
    ),
    "verify_intro": (
        "细心的学生在相信一个梯度之前会做的检验。它们使用教科书的接口 "
        "`(W, X, y, reg) -> (loss, dW)`，其中没有偏置：按 CS231n 的偏置技巧，把 b 作为 W "
        "的最后一行，并给 X 添一列 1，因此这里的 reg 也会惩罚 b。"
    ),
    "naive_title": "朴素循环与向量化",
    "naive_text": (
        "`softmax_loss_naive` 是引擎中逐个样本计算的循环；`softmax_loss_vectorized` 用矩阵"
        "乘法算同样的量。在你的模型的这一步上（reg = {reg}）："
    ),
    "naive_data_loss": (
        "当 reg = 0 时，损失就是数据损失：{loss}，也就是 Playground 在这一步记录的值"
        "（{recorded}）。"
    ),
    "timing_text": (
        "在几种形状的随机数据上现场计时，取多次运行中最快的一次（N 个样本、D 个特征、C 个"
        "类别；最后一行是你的模型的形状）："
    ),
    "remeasure": "重新计时",
    "gradcheck_title": "稀疏梯度检验",
    "gradcheck_text": (
        "`grad_check_sparse` 随机选取 W 的 {n} 个元素（第 D 行是 b），分别加减 h，对训练损失"
        "做中心差分，再与解析梯度比较：相对误差在 1e-7 左右或更小，说明梯度是对的。左边不带"
        "正则化，右边取 reg = {reg}。"
    ),
    "gradcheck_fallback": "你的模型 reg = 0，所以第二组检验取 reg = {reg}。",
    "step_title": "数值误差与步长 h",
    "step_text": (
        "中心差分有两种方向相反的误差：截断误差（丢掉的泰勒项）随 h² 减小；舍入误差（两个"
        "几乎相等、各自带有约 ε·|f| 误差的损失相减）随 ε/h 增大。在双对数坐标中，实测误差"
        "呈 V 形：右侧斜率 +2，左侧斜率 −1。检验的元素是 W[{row}, {col}]（梯度中绝对值最大的"
        "元素）；最小误差 {best_err} 出现在 h = {best_h}；下面的误差模型预测最佳步长 "
        "h ≈ {pred_h}。"
    ),
    "init_title": "合理性检查：初始损失 ≈ log C",
    "init_text": (
        "权重很小时，每个得分都 ≈ 0，所以每个 $q_{{ij}}$ ≈ 1/C，不论标签是什么，损失都 ≈ "
        "−log(1/C) = log C。这里用你的特征、W = 0.001·randn(D, C) 和随机标签，对 "
        "C = 2 … 10 分别计算；你的模型初始损失为 {loss0}，而 log {C} = {logC}。"
    ),
    "stability_title": "数值稳定性：把得分放大到 1e8 倍",
    "stability_text": (
        "把这个样本的得分乘以 1, 10, …, 1e8，并用三种方法计算 $-\\log q_c$：不减最大值"
        "（exp 上溢：∞/∞ = NaN 或 ∞）、“先减最大值，再对概率取对数”（一旦 $q_c$ 下溢为 0 "
        "就是 ∞），以及 log-softmax（始终有限，随差距增大）。类别 c = {cls}：{why}。"
    ),
    "stability_true": "真实类别，这个样本被模型分错了",
    "stability_least": (
        "最不可能的类别（这个样本分类正确，放大后它自己的损失趋于 0；下溢最先出现在最不"
        "可能的类别上）"
    ),
    "props_title": "Softmax 的性质：平移与温度",
    "shift_text": (
        "给每个得分都加上同一个常数 c，q 不变（因子 $e^{{c}}$ 被约去）：引擎能够减去最大值，"
        "靠的就是这一点。不做平移直接计算时，c 很大就会上溢。"
    ),
    "temp_text": (
        "把得分除以温度 T：T < 1 使 q 更集中于得分最高的类别（T → 0：独热），T > 1 使它"
        "更平坦（T → ∞：均匀分布，每类 1/C）。T = 1 时，各条曲线正好经过这个样本的 q。"
    ),
    "glance_title": "样本 #{i} 的链式法则",
    "glance_text": (
        "由链式法则 (4)，∂Lᵢ/∂qᵢ 乘以雅可比矩阵 ∂qᵢ/∂sᵢ 剩下 qᵢ − p；对 W 的梯度再把 xᵢ "
        "放进每一列。下面各节逐个推导这些因子。"
    ),
    "glance_check": "链式法则、闭式与中心差分三者一致：相对误差 {err}。",
    "glance_check_bad": "这里数值梯度与闭式结果不一致：{err}。",
    "glance_check_resolution": (
        "链式法则与闭式一致（相对误差 {err}）；这里梯度非常小，中心差分在其所能分辨的精度内"
        "也一致（见第 9 节）。"
    ),
    "glance_chain_inf": (
        "这里 $q_{{i,y_i}}$ 下溢成了 0：分步相乘要除以零，闭式 $q_i - p$ 则不会（见 4–6 节）。"
    ),
    "sec_forward": "1–3 · 得分、softmax 与损失",
    "sec_chain": "4–6 · 链式法则，逐个因子",
    "sec_weights": "7–8 · 从得分到权重",
    "sec_check": "9 · 检验：三条途径求同一个梯度",
    "sec_slips": "教科书式循环中的常见错误",
    "sec_gradcheck": "检验：循环、梯度检验与步长 h",
    "sec_props": "检验：初始损失、数值稳定性、平移与温度",
    "sections_title": "逐步推导",
}

TEXT = {"en": _EN, "zh": _ZH}

# Labels inside figures and tables, per language (the numbers never change).
FIGURE_LABELS = {
    "en": {
        "picker": "Training points at step {step}",
        "picker_hint": "click a training point to pick it",
        "scores": "Scores s_i and probabilities q_i of sample #{i}",
        "jacobian": "Jacobian ∂q_i/∂s_i of sample #{i}",
        "gradient": "Per-sample gradient ∂L_i/∂W = x_iᵀ(q_i − p) of sample #{i}",
        "step_error": "Centred difference: error against the step h",
        "measured": "measured relative error",
        "roundoff": "round-off ∝ ε/h",
        "truncation": "truncation ∝ h²",
        "default": "h = 1e-5 (default)",
        "initial": "Loss at small random W against log C",
        "random": "small random W",
        "model": "your model at step 0",
        "diagonal": "loss = log C",
        "temperature": "Temperature: softmax(s_i / T) of sample #{i}",
        "T_axis": "temperature T (scores / T)",
        "T1": "T = 1: the model's q",
        "q_axis": "q_j",
        "class_axis": "class j (★ = true class)",
        "class_axis_short": "class j",
        "score_axis": "score s_ij",
        "prob_axis": "probability q_ij",
        "feature_axis": "feature d",
        "gradient_subtitle": "column j = (q_ij − 1[j = y_i]) · x_i   (★ = true class)",
        "jac_rows": "probability q_i",
        "jac_cols": "score s_j",
        "h_axis": "step h",
        "err_axis": "relative error",
        "logC_axis": "log C",
        "loss_axis": "loss",
        "regions_subtitle": "shade: class probabilities blended (muddy = uncertain)",
        "sample": "sample",
        "chosen": "chosen",
        "feature": "feature",
        "class": "class",
        "jac_row_name": "∂q of class",
        "jac_col_name": "/ ∂s of class",
        "value": "value",
        "minimum": "min",
    },
    "zh": {
        "picker": "第 {step} 步的训练点",
        "picker_hint": "点击一个训练点来选中它",
        "scores": "样本 #{i} 的得分 s_i 与概率 q_i",
        "jacobian": "样本 #{i} 的雅可比矩阵 ∂q_i/∂s_i",
        "gradient": "样本 #{i} 的梯度 ∂L_i/∂W = x_iᵀ(q_i − p)",
        "step_error": "中心差分：误差与步长 h",
        "measured": "实测相对误差",
        "roundoff": "舍入误差 ∝ ε/h",
        "truncation": "截断误差 ∝ h²",
        "default": "h = 1e-5（默认）",
        "initial": "小随机权重下的损失与 log C",
        "random": "小随机权重 W",
        "model": "你的模型（第 0 步）",
        "diagonal": "损失 = log C",
        "temperature": "温度：样本 #{i} 的 softmax(s_i / T)",
        "T_axis": "温度 T（得分 / T）",
        "T1": "T = 1：模型的 q",
        "q_axis": "q_j",
        "class_axis": "类别 j（★ = 真实类别）",
        "class_axis_short": "类别 j",
        "score_axis": "得分 s_ij",
        "prob_axis": "概率 q_ij",
        "feature_axis": "特征 d",
        "gradient_subtitle": "第 j 列 = (q_ij − 1[j = y_i]) · x_i   （★ = 真实类别）",
        "jac_rows": "概率 q_i",
        "jac_cols": "得分 s_j",
        "h_axis": "步长 h",
        "err_axis": "相对误差",
        "logC_axis": "log C",
        "loss_axis": "损失",
        "regions_subtitle": "底色：各类概率的混合色（颜色浑浊 = 不确定）",
        "sample": "样本",
        "chosen": "已选中",
        "feature": "特征",
        "class": "类别",
        "jac_row_name": "概率 q，类别",
        "jac_col_name": "对得分 s，类别",
        "value": "值",
        "minimum": "最小",
    },
}


def text(language):
    """The text dict for ``language`` ("en" or "zh"; anything else gives English)."""
    return TEXT.get(language, _EN)


def figure_labels(language):
    """Figure and table labels for ``language`` (English for unknown languages)."""
    return FIGURE_LABELS.get(language, FIGURE_LABELS["en"])


# Table column and metric labels, per language (tests find columns by position).
COLUMNS = {
    "en": {
        "j": "j",
        "class": "class",
        "s": "s_ij",
        "q": "q_ij",
        "p": "p_j",
        "dldq": "∂L_i/∂q_ij",
        "chain": "chain (5)·(6)",
        "closed": "closed q_ij − p_j",
        "numerical": "numerical",
        "N": "N",
        "D": "D",
        "C": "C",
        "naive_ms": "naive (ms)",
        "vectorized_ms": "vectorized (ms)",
        "speedup": "speed-up ×",
        "entry": "entry W[d, j]",
        "analytic": "analytic",
        "rel_error": "rel. error",
        "log_C": "log C",
        "loss": "loss",
        "loss_minus": "loss − log C",
        "scale": "scale",
        "gap": "gap max s − s_c",
        "no_shift": "no shift",
        "shift_then_log": "shift, then log q",
        "log_softmax": "log-softmax",
        "shift": "c",
        "max_diff": "max |Δq| (engine)",
        "unshifted": "max |Δq| (no shift)",
        "q_shifted": "q(s + c)",
        "m_loss": "Loss L_i",
        "m_qtrue": "q of the true class",
        "m_pred": "Predicted class",
        "m_chain_closed": "chain vs closed form",
        "m_scores_num": "∂L_i/∂s_i vs numerical",
        "m_W_num": "∂L_i/∂W vs numerical",
        "m_W_engine": "∂L_i/∂W vs engine loss",
        "m_batch": "mean + 2·reg·W vs recorded dW",
        "m_loss_naive": "loss, naive",
        "m_loss_vec": "loss, vectorized",
        "m_loss_diff": "|Δ loss|",
        "m_grad_diff": "max |Δ dW|",
        "reg0": "reg = 0",
        "reg": "reg = {reg}",
    },
    "zh": {
        "j": "j",
        "class": "类别",
        "s": "s_ij",
        "q": "q_ij",
        "p": "p_j",
        "dldq": "∂L_i/∂q_ij",
        "chain": "链式 (5)·(6)",
        "closed": "闭式 q_ij − p_j",
        "numerical": "数值差分",
        "N": "N",
        "D": "D",
        "C": "C",
        "naive_ms": "朴素循环 (ms)",
        "vectorized_ms": "向量化 (ms)",
        "speedup": "加速比 ×",
        "entry": "元素 W[d, j]",
        "analytic": "解析",
        "rel_error": "相对误差",
        "log_C": "log C",
        "loss": "损失",
        "loss_minus": "损失 − log C",
        "scale": "放大倍数",
        "gap": "差距 max s − s_c",
        "no_shift": "不平移",
        "shift_then_log": "先平移，再取 log q",
        "log_softmax": "log-softmax",
        "shift": "c",
        "max_diff": "max |Δq|（引擎）",
        "unshifted": "max |Δq|（不平移）",
        "q_shifted": "q(s + c)",
        "m_loss": "损失 L_i",
        "m_qtrue": "真实类别的 q",
        "m_pred": "预测类别",
        "m_chain_closed": "链式法则 vs 闭式解",
        "m_scores_num": "∂L_i/∂s_i vs 数值",
        "m_W_num": "∂L_i/∂W vs 数值",
        "m_W_engine": "∂L_i/∂W vs 引擎损失函数",
        "m_batch": "平均 + 2·reg·W vs 记录的 dW",
        "m_loss_naive": "损失（朴素循环）",
        "m_loss_vec": "损失（向量化）",
        "m_loss_diff": "|Δ 损失|",
        "m_grad_diff": "max |Δ dW|",
        "reg0": "reg = 0",
        "reg": "reg = {reg}",
    },
}


def columns(language):
    """Table column and metric labels for ``language`` (English for unknown languages)."""
    return COLUMNS.get(language, COLUMNS["en"])


# The code blocks' comments in Chinese (the code itself is the same).
_CODE_COMMENTS_ZH = {
    "# slip: one entry, indexed by the sample": "# 错误：只是一个元素，下标还是样本编号",
    "# right: the (D,) vector goes into column j": "# 正确：把 (D,) 向量加到第 j 列",
    "# slip: the loss is averaged, the gradient is not": "# 错误：损失取了平均，梯度没有",
    "# right: average both": "# 正确：两者都取平均",
    "# slip: the penalty reaches the loss only": "# 错误：惩罚项只加到了损失上",
    "# right: d(reg·ΣW²)/dW = 2·reg·W": "# 正确：d(reg·ΣW²)/dW = 2·reg·W",
    "# slip: the shapes of one note": "# 错误：一处形状说明给出的形状",
    "# right: what X[i] @ W needs": "# 正确：X[i] @ W 所要求的形状",
    "one sample per row": "每行一个样本",
    "one column w_j per class": "每个类别一列 w_j",
    "# slip: normalize, then take the log": "# 错误：先归一化，再取对数",
    "# q = 0: -log 0 = inf": "# q = 0 时：-log 0 = inf",
    "# right: log-softmax, never log(0)": "# 正确：log-softmax，永远不会出现 log(0)",
}


def code_block(language, key):
    """Code block ``key`` of :data:`CODE` with its comments in ``language``."""
    code = CODE[key]
    if language == "zh":
        for english, chinese in _CODE_COMMENTS_ZH.items():
            code = code.replace(english, chinese)
    return code


# The Playground's setting names in Chinese (dashboard.settings has them in English).
_SETTING_LABELS_ZH = {
    "dataset": {
        "blobs": "高斯团",
        "linear": "线性可分",
        "spiral": "螺旋",
        "circles": "同心圆",
        "moons": "双月牙",
        "xor": "异或（XOR）",
        "gaussian_quadrants": "高斯象限",
        "iris": "鸢尾花 Iris（PCA 平面）",
        "wine": "葡萄酒 Wine（PCA 平面）",
        "breast_cancer": "乳腺癌（PCA 平面）",
        "digits": "手写数字 Digits（PCA 平面）",
    },
    "features": {"raw": "原始 x1、x2", "poly": "多项式", "rbf": "RBF"},
    "optimizer": {
        "sgd": "梯度下降",
        "momentum": "动量法",
        "nesterov": "Nesterov 动量",
        "adam": "Adam",
        "lbfgs": "L-BFGS（无学习率）",
    },
}


def setting_label(language, kind, key, english):
    """The name of a Playground setting (``kind`` = dataset, features, optimizer) in
    ``language``; ``english`` (the settings' own label) where there is no translation."""
    if language == "zh":
        return _SETTING_LABELS_ZH.get(kind, {}).get(key, english)
    return english

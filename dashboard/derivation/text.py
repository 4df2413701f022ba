"""The Derivation page's explanatory text, in English and Chinese, as data.

``TEXT[language][key]`` is a Markdown string (inline math in ``$...$``); display
equations live in ``EQUATIONS`` (language-free LaTeX for ``st.latex``). Strings with
``{name}`` placeholders are filled by the page with numbers computed by the engine, and
every language uses the same placeholders (a test checks it). The math follows the seed,
``seed/000_3103b47667f8086c.txt``, equations (1)-(13), with its slips corrected.
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


# The seed's lines and their corrections (code blocks on the page).
SEED_CODE = {
    "index_seed": (
        "# the seed: gradient loop\n"
        "for j in range(num_class):\n"
        "  if j!=y[i]:\n"
        "    dw[i,j]+=score[j]*X[i]\n"
        "  else:\n"
        "    dw[i,j]+=(score[j]-1)*X[i]"
    ),
    "index_fixed": (
        "# corrected: add the (D,) vector to column j\n"
        "for j in range(num_class):\n"
        "    if j != y[i]:\n"
        "        dW[:, j] += score[j] * X[i]\n"
        "    else:\n"
        "        dW[:, j] += (score[j] - 1) * X[i]"
    ),
    "average_seed": "# the seed: only the loss is averaged\nloss /= num_train",
    "average_fixed": "# corrected: average the gradient too\nloss /= num_train\ndW /= num_train",
    "reg_seed": "# the seed: penalty on the loss only\nloss += reg * np.sum(W * W)",
    "reg_fixed": "# corrected: d(reg·ΣW²)/dW = 2·reg·W\n"
    "loss += reg * np.sum(W * W)\ndW += 2 * reg * W",
    "shape_seed": "# the seed, “shape查看”\nX为(D,N)，W为(N,C)",
    "shape_fixed": "# corrected: what np.dot(X[i], W) needs\nX: (N, D)   one sample per row\n"
    "W: (D, C)   one column w_j per class\nS = X @ W: (N, C)",
    "log_seed": "# the seed: log of a probability\nscore /= softmax_sum\n"
    "loss -= np.log(score[y[i]])  # q = 0: -log 0 = inf",
    "log_fixed": "# corrected: log-softmax, never log(0)\nscores = X[i].dot(W)\n"
    "scores -= np.max(scores)\nlog_sum = np.log(np.sum(np.exp(scores)))\n"
    "loss += log_sum - scores[y[i]]",
}

_EN = {
    "title": "Derivation: the softmax gradient, on your model",
    "intro": (
        "This page walks through the seed's derivation of the softmax cross-entropy "
        "gradient, equations (1)–(13), and evaluates every step on **one sample of the "
        "model you trained on the Playground**. Pick a sample; each equation shows its own "
        "value beside it, and at the end three independent routes to the gradient are "
        "compared numerically."
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
    "sample_label": "Sample i (training set, 0 … {last})",
    "sample_help": "Any index from 0 to N − 1; or click a point on the chart.",
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
        "This model also has a bias b (the seed has none); it shifts the scores and "
        "changes no derivative with respect to W."
    ),
    "eq2_title": "2 · Softmax (eq. 2)",
    "eq2_text": (
        "The softmax turns the scores into probabilities $q_{{ij}}$: positive, summing "
        "to 1. Multiplying numerator and denominator by the same constant "
        "$e^{{-m_i}}$ changes nothing, so the engine subtracts the largest score first "
        "(the seed's trick) and `exp` can never overflow."
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
    "slips_title": "The seed's slips",
    "slips_intro": (
        "The seed's derivation is right; its code and one shape line are not. Each slip "
        "below shows the seed's lines, the corrected ones, and what the slip does to "
        "your model's numbers (computed now, with a gradient check at reg = {reg})."
    ),
    "slip_index_title": "1 · `dw[i, j]` instead of column j of dW",
    "slip_index_text": (
        "The chain rule gives, for each class j, a whole (D,) vector $(q_{{ij}} - "
        "1[j = y_i])\\,x_i$. The seed adds it to `dw[i, j]`: a single entry of the (D, C) "
        "matrix, and indexed by the *sample* i, which is not a row of dW at all. "
        "(It also writes `dw` where the function created `dW`.) Running the seed's lines "
        "on your model's data: `{error}`. The vector belongs in column j: `dW[:, j]`."
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
        "The loss includes reg·ΣW², whose derivative is 2·reg·W; the seed's gradient "
        "leaves it out. Averaged but without this term, the gradient check gives "
        "relative error {err}; with it, {ok}. (Near a minimum the data gradient and "
        "2·reg·W nearly cancel, so leaving one out is far from a small error.)"
    ),
    "slip_shape_title": "4 · X described as (D, N)",
    "slip_shape_text": (
        "The seed's shape note says X is (D, N) and W is (N, C), but its code computes "
        "`np.dot(X[i], W)`, which needs X[i] to be a row of D features: X is (N, D), "
        "and W must have D rows, so W is (D, C). The derivation itself (eqs. 8–13) uses "
        "X (N, D) and W (D, C), as here."
    ),
    "slip_log_title": "5 · The log of a probability that can underflow",
    "slip_log_text": (
        "Shifting by the max stops `exp` from overflowing, but the seed then takes "
        "`np.log(score[y[i]])`: when the true class's score is ~745 below the largest, "
        "$q$ underflows to 0 and the loss is $-\\log 0 = \\infty$. Our loss uses "
        "log-softmax instead, which is finite for every finite score. For this sample, "
        "the seed's formula first returns ∞ when the scores are scaled by {scale} "
        "(see Stability below)."
    ),
    "slip_log_never": (
        "For this sample the seed's formula stays finite up to a scale of 1e8 (the "
        "tracked class never falls far enough behind); try a misclassified sample."
    ),
    "slip_indent": (
        "A smaller one: in the seed's listing `loss/=num_train` is indented by three "
        "spaces, which matches no block, so Python rejects the function with an "
        "IndentationError before it runs."
    ),
    "verify_title": "Verify",
    "verify_intro": (
        "The checks a careful student runs before trusting a gradient. They use the "
        "seed's contract `(W, X, y, reg) -> (loss, dW)`, which has no bias: b is folded "
        "in as the last row of W, with a column of ones in X (CS231n's bias trick), so "
        "reg here also penalizes b."
    ),
    "naive_title": "Naive loop vs vectorized",
    "naive_text": (
        "`softmax_loss_naive` is the seed's loop, corrected; `softmax_loss_vectorized` "
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
        'the seed\'s "shift by the max, then the log of the probability" (∞ once '
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
}

_ZH = {
    "title": "推导：你的模型上的 softmax 梯度",
    "intro": (
        "本页沿着种子文档对 softmax 交叉熵梯度的推导（公式 (1)–(13)）一步步走，并把每一步"
        "都用**你在 Playground 上训练的模型**的**一个样本**算出来。选一个样本，每个公式旁边"
        "都有它此刻的数值；最后用三种相互独立的方法求同一个梯度，并做数值比对。"
    ),
    "lang_label": "语言",
    "showing": (
        "模型：**{dataset}**，{features} 特征（D = {D}），C = {C} 个类别，{optimizer}，"
        "学习率 {lr}，reg = {reg}；训练样本 N = {N}。当前显示第 **{step}** 步（共 {last} 步）。"
    ),
    "first_visit": (
        "这是 Playground 的默认模型。先去 Playground 训练你自己的模型再回来，本页会跟着它变。"
    ),
    "back_link": "返回 Playground",
    "picker_title": "选择一个样本",
    "sample_label": "样本 i（训练集，0 … {last}）",
    "sample_help": "0 到 N − 1 之间的任意编号；也可以直接在图上点一个点。",
    "step_label": "训练步数",
    "step_help": "训练过程中记录下来的任意一步；默认是最后一步。",
    "picked": (
        "样本 **#{i}**，平面坐标 ({x1}, {x2})：真实类别 y_i = **{true}**，模型预测为 **{pred}**。"
    ),
    "picked_wrong": "模型把这个样本分错了，所以它的损失很大。",
    "eq1_title": "1 · 得分（式 1）",
    "eq1_text": (
        "X 的第 i 行 $x_i$ 是样本 i 的 D 个特征，W 的第 j 列 $w_j$ 是类别 j 的权重。两者相乘"
        "得到一个得分 $s_{{ij}} = x_i w_j$：X 的一行乘以整个 W，一次就得到该样本的全部 C 个"
        "得分，不必循环 W 的每一列。这个模型还有偏置 b（种子文档没有）；它只平移得分，"
        "不改变对 W 的任何导数。"
    ),
    "eq2_title": "2 · Softmax（式 2）",
    "eq2_text": (
        "softmax 把得分变成概率 $q_{{ij}}$：都为正、和为 1。分子分母同乘一个常数 "
        "$e^{{-m_i}}$ 结果不变，所以引擎先减去最大得分（即种子文档里的技巧），`exp` 就"
        "永远不会溢出。"
    ),
    "eq3_title": "3 · 损失（式 3）",
    "eq3_text": (
        "交叉熵里的 $p$ 是真实类别 $y_i$ 的独热（one-hot）向量，所以求和只剩一项：真实类别"
        "概率的负对数。训练损失是 $L_i$ 在 N 个样本上的平均，再加上 reg·‖W‖²。"
    ),
    "eq4_title": "4 · 链式法则（式 4）",
    "eq4_text": (
        "$W_j$ 是 W 的第 j 列，写成 (1, D) 的行向量。$L_i$ 只通过得分 $s_i$ 依赖 $W_j$："
        "得分给出概率 $q_i$，概率给出 $L_i$。三个因子的形状相乘正好是 "
        "(1, C)·(C, C)·(C, D) = (1, D)。"
    ),
    "eq5_title": "5 · ∂L_i/∂q_i（式 5）",
    "eq5_text": (
        "$L_i = -\\log q_{{i,y_i}}$ 里只出现真实类别的概率，所以导数除了 $y_i$ 处都是 0，"
        "在 $y_i$ 处为 $-1/q_{{i,y_i}}$。对这个样本：$q_{{i,y_i}}$ = {q_true}，该项为 {dldq}。"
    ),
    "eq67_title": "6 · Softmax 的雅可比矩阵 ∂q_i/∂s_i（式 6–7）",
    "eq67_text": (
        "每个概率都依赖每个得分（它们共用同一个分母），所以导数是一个 C × C 矩阵。用商的求导"
        "法则分两种情况：对角线上是 $q_{{im}}(1 - q_{{im}})$，非对角线上是 "
        "$-q_{{im}}q_{{in}}$。这个矩阵是对称的，每一行之和为 0（概率之和恒为 1）。热力图"
        "画的是这个样本的雅可比矩阵：第 m 行对应概率，第 n 列对应得分。"
    ),
    "chain_title": "式 (5) 乘以式 (6)",
    "chain_text": (
        "式 (5) 只有一个非零项，所以乘积就是取出雅可比矩阵的第 $y_i$ 行再乘以 "
        "$-1/q_{{i,y_i}}$：$q_{{i,y_i}}$ 正好约掉，剩下 $q_i - p$。下表把两种算法都算了一遍。"
    ),
    "chain_inf": (
        "这里 $q_{{i,y_i}}$ 已经下溢为 0，分解形式的乘积要除以 0（−1/q = −∞）。闭式解 "
        "$q_i - p$ 不需要除法：这就是引擎从不直接计算式 (5) 的原因。"
    ),
    "eq813_title": "7 · ∂s_i/∂W_j（式 8–13）",
    "eq813_text": (
        "把 W 写成列向量 $w_1, \\dots, w_C$（式 8–9），把 X 写成行（式 10）。S 的第 i 行就是 "
        "$[x_i w_1, \\dots, x_i w_C]$（式 11–12）。只有第 j 项含 $w_j$，它对 $w_j$ 的导数"
        "是 $x_i$。所以 $\\partial s_i/\\partial W_j$ 是一个 C × D 矩阵：第 j 行是 $x_i$，"
        "其余各行全为 0（式 13）。"
    ),
    "result_title": "8 · 结果",
    "result_text": (
        "$q_i - p$（1 × C）乘以式 (13)（C × D）只取出第 j 项：梯度的第 j 列就是 $x_i$ 乘以 "
        "$q_{{ij}} - 1[j = y_i]$。真实类别那一列（$q_{{i,y_i}} - 1 \\le 0$）与 $x_i$ 方向"
        "相反，其他各列与 $x_i$ 同向。热力图画出 $x_i$ 和这个样本完整的 D × C 梯度。"
    ),
    "check_title": "9 · 验证：链式法则 = 闭式解 = 数值梯度",
    "check_text": (
        "三条相互独立的路得到同一个导数：链式法则乘积 (5)·(6)、闭式解 $q_i - p$，以及对 "
        "$L_i$ 做中心差分（h = {h}），后者完全不用微积分。相对误差按范数计算："
    ),
    "check_ok": "三条路完全一致：对这个样本，推导是正确的。",
    "check_resolution": (
        "这个样本的梯度非常小（模型很有把握），低于中心差分能分辨的程度：差分只能看到约 "
        "{res} 的舍入误差。绝对差 {abs} 在此范围内，所以在有限差分能判断的精度内，三条路一致。"
    ),
    "check_bad": "数值梯度与闭式解不一致。",
    "batch_title": "从一个样本到训练损失",
    "batch_text": (
        "把每个样本的梯度在全部 N = {N} 个样本上取平均，再加上 2·reg·W，就是训练损失的梯度。"
        "它与 Playground 在这一步记录的 dW 一致，相对误差 {err}。"
    ),
    "slips_title": "种子文档中的笔误",
    "slips_intro": (
        "种子文档的推导是对的；出错的是代码和一处形状说明。下面每一条都给出原文、改正后的"
        "代码，以及这个错误会让你的模型的数值变成什么样（现场计算，梯度检验用 reg = {reg}）。"
    ),
    "slip_index_title": "1 · 写成了 `dw[i, j]`，而不是 dW 的第 j 列",
    "slip_index_text": (
        "链式法则对每个类别 j 给出的是一整个 (D,) 向量 $(q_{{ij}} - 1[j = y_i])\\,x_i$。"
        "种子代码把它加到 `dw[i, j]` 上：那只是 (D, C) 矩阵中的一个元素，而且用的是*样本*"
        "编号 i，它根本不是 dW 的行号。（函数里建的是 `dW`，这里却写成了 `dw`。）在你的模型"
        "数据上运行种子的这几行：`{error}`。这个向量应当加到第 j 列：`dW[:, j]`。"
    ),
    "slip_average_title": "2 · 没有对 N 取平均",
    "slip_average_text": (
        "损失是 N 个样本的平均，所以它的梯度也是各样本梯度的平均。只改正下标而不做除法，"
        "梯度大了 N 倍：这里 ‖dW‖ 是引擎结果的 {ratio} 倍（N = {N}），梯度检验（取 reg = 0，"
        "只看这一处错误）的相对误差为 {err}。"
    ),
    "slip_reg_title": "3 · 缺少正则化梯度 2·reg·W",
    "slip_reg_text": (
        "损失中包含 reg·ΣW²，它的导数是 2·reg·W；种子代码的梯度漏掉了这一项。取了平均但没有"
        "这一项时，梯度检验的相对误差为 {err}；加上之后为 {ok}。（在极小值附近，数据梯度与 "
        "2·reg·W 几乎相互抵消，所以漏掉其中一项绝不是小误差。）"
    ),
    "slip_shape_title": "4 · 把 X 说成了 (D, N)",
    "slip_shape_text": (
        "种子文档的形状说明写 X 是 (D, N)、W 是 (N, C)，但代码算的是 `np.dot(X[i], W)`，"
        "这要求 X[i] 是 D 个特征组成的一行：X 是 (N, D)；W 必须有 D 行，所以 W 是 (D, C)。"
        "推导本身（式 8–13）用的正是 X (N, D)、W (D, C)，与本页一致。"
    ),
    "slip_log_title": "5 · 对可能下溢的概率取对数",
    "slip_log_text": (
        "减去最大值可以防止 `exp` 上溢，但种子代码接着计算 `np.log(score[y[i]])`：当真实类别"
        "的得分比最大得分低约 745 时，$q$ 下溢为 0，损失就成了 $-\\log 0 = \\infty$。我们的"
        "损失改用 log-softmax，对任何有限的得分都是有限值。对这个样本，当得分放大 {scale} "
        "倍时，种子的公式首次返回 ∞（见下文“数值稳定性”）。"
    ),
    "slip_log_never": (
        "对这个样本，种子的公式在放大到 1e8 倍之前一直是有限值（所跟踪的类别落后得不够多）；"
        "换一个被分错的样本试试。"
    ),
    "slip_indent": (
        "还有一个小问题：种子代码里 `loss/=num_train` 缩进了三个空格，与任何代码块都对不上，"
        "Python 在运行之前就会报 IndentationError。"
    ),
    "verify_title": "验证",
    "verify_intro": (
        "认真的学生在相信一个梯度之前会做的几项检查。它们使用种子代码的接口 "
        "`(W, X, y, reg) -> (loss, dW)`，其中没有偏置：按 CS231n 的偏置技巧，把 b 作为 W "
        "的最后一行、在 X 中加一列 1，因此这里的 reg 也会惩罚 b。"
    ),
    "naive_title": "朴素循环 vs 向量化",
    "naive_text": (
        "`softmax_loss_naive` 是改正后的种子循环；`softmax_loss_vectorized` 用矩阵乘法算同样"
        "的东西。在你的模型的当前这一步（reg = {reg}）："
    ),
    "naive_data_loss": (
        "reg = 0 时损失就是数据损失：{loss}，正是 Playground 在这一步记录的值（{recorded}）。"
    ),
    "timing_text": (
        "在几种形状的随机数据上现场计时，取多次运行中的最好成绩（N 个样本、D 个特征、C 个类别；"
        "最后一行是你的模型的形状）："
    ),
    "remeasure": "重新计时",
    "gradcheck_title": "稀疏梯度检验",
    "gradcheck_text": (
        "`grad_check_sparse` 随机挑 W 的 {n} 个元素（第 D 行是 b），各加减 h，对训练损失做"
        "中心差分，再与解析梯度比较：相对误差在 1e-7 左右或更小，说明梯度是对的。左边不带"
        "正则化，右边 reg = {reg}。"
    ),
    "gradcheck_fallback": "你的模型 reg = 0，所以第二组检验使用 reg = {reg}。",
    "step_title": "数值误差与步长 h",
    "step_text": (
        "中心差分有两种方向相反的误差：截断误差（丢掉的泰勒项）按 h² 缩小；舍入误差（两个几乎"
        "相等的损失相减，每个都有约 ε·|f| 的误差）按 ε/h 增大。在双对数坐标上，实测误差呈 V "
        "形：右侧斜率 +2，左侧斜率 −1。检验的元素是 W[{row}, {col}]（梯度绝对值最大的元素）；"
        "最小误差 {best_err} 出现在 h = {best_h}；下面的误差模型预测最佳步长 h ≈ {pred_h}。"
    ),
    "init_title": "合理性检查：初始损失 ≈ log C",
    "init_text": (
        "权重很小时，每个得分都 ≈ 0，所以每个 $q_{{ij}}$ ≈ 1/C，无论标签是什么，损失都 ≈ "
        "−log(1/C) = log C。这里用你的特征、W = 0.001·randn(D, C) 和随机标签，对 "
        "C = 2 … 10 计算；你的模型起始损失为 {loss0}，而 log {C} = {logC}。"
    ),
    "stability_title": "数值稳定性：得分放大到 1e8",
    "stability_text": (
        "把这个样本的得分乘以 1, 10, …, 1e8，用三种方法计算 $-\\log q_c$：不减最大值"
        "（exp 上溢：∞/∞ = NaN 或 ∞）、种子的“先减最大值，再对概率取对数”（一旦 $q_c$ "
        "下溢为 0 就是 ∞），以及 log-softmax（始终有限，随差距增长）。类别 c = {cls}：{why}。"
    ),
    "stability_true": "真实类别，模型把这个样本分错了",
    "stability_least": (
        "最不可能的类别（这个样本分类正确，放大后它自己的损失趋于 0；下溢首先出现在最不可能"
        "的类别上）"
    ),
    "props_title": "Softmax 的性质：平移与温度",
    "shift_text": (
        "给所有得分加同一个常数 c，q 不变（因子 $e^{{c}}$ 约掉了）：正因如此，引擎才可以减去"
        "最大值。不做平移直接计算时，c 很大就会上溢。"
    ),
    "temp_text": (
        "把得分除以温度 T：T < 1 使 q 更尖锐、集中到得分最高的类别（T → 0：独热），T > 1 "
        "使它更平坦（T → ∞：均匀分布，每类 1/C）。T = 1 时各条曲线正好经过这个样本的 q。"
    ),
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
        "seed": "seed: shift, log q",
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
        "seed": "种子：平移后取 log q",
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
    "# the seed: gradient loop": "# 种子代码：梯度循环",
    "# corrected: add the (D,) vector to column j": "# 改正：把 (D,) 向量加到第 j 列",
    "# the seed: only the loss is averaged": "# 种子代码：只对损失取了平均",
    "# corrected: average the gradient too": "# 改正：梯度也要取平均",
    "# the seed: penalty on the loss only": "# 种子代码：惩罚项只加在损失上",
    "# corrected: d(reg·ΣW²)/dW = 2·reg·W": "# 改正：d(reg·ΣW²)/dW = 2·reg·W",
    "# the seed, “shape查看”": "# 种子文档，“shape查看”",
    "# corrected: what np.dot(X[i], W) needs": "# 改正：np.dot(X[i], W) 要求的形状",
    "one sample per row": "每行一个样本",
    "one column w_j per class": "每个类别一列 w_j",
    "# the seed: log of a probability": "# 种子代码：对概率取对数",
    "# q = 0: -log 0 = inf": "# q = 0 时：-log 0 = inf",
    "# corrected: log-softmax, never log(0)": "# 改正：log-softmax，永远不会 log(0)",
}


def seed_code(language, key):
    """Code block ``key`` of ``SEED_CODE`` with its comments in ``language``."""
    code = SEED_CODE[key]
    if language == "zh":
        for english, chinese in _CODE_COMMENTS_ZH.items():
            code = code.replace(english, chinese)
    return code

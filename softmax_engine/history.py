"""``TrainingHistory``: what training looked like at each recorded step of one model.

``SoftmaxClassifier.history_`` is one; :func:`history_from_recorder` builds it from the
shared trainer's ``Recorder`` (the G = 1 case).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, fields

import numpy as np

from .trainer import Recorder

__all__ = ["TrainingHistory", "history_from_recorder"]


@dataclass(eq=False)
class TrainingHistory:
    """What training looked like at each recorded step.

    All arrays share their first axis: K recorded steps, in increasing step order.
    Step 0 (the initial weights) and the final step are always recorded. Losses,
    accuracies and gradients are those of the full training set, also when training
    uses mini-batches.

    Attributes
    ----------
    step : ndarray of int, shape (K,)
        Number of updates made before the snapshot.
    loss, data_loss, reg_loss : ndarray, shape (K,)
        Training objective = mean cross-entropy (``data_loss``) + ``reg * ||W||^2``
        (``reg_loss``).
    train_accuracy : ndarray, shape (K,)
        Fraction of training samples classified correctly.
    val_loss, val_accuracy : ndarray, shape (K,)
        Mean cross-entropy (no regularization term) and accuracy on the validation set
        given to ``fit``; NaN without one.
    grad_norm : ndarray, shape (K,)
        Euclidean norm of the full gradient (dW and db together).
    W : ndarray, shape (K, D, C)
    b : ndarray, shape (K, C)
        Weights and biases at the step.
    dW : ndarray, shape (K, D, C)
    db : ndarray, shape (K, C)
        Gradient of ``loss`` at the step.

    Examples
    --------
    >>> from softmax_engine import SoftmaxClassifier
    >>> X, y = np.array([[0.0], [1.0], [2.0], [3.0]]), np.array([0, 0, 1, 1])
    >>> history = SoftmaxClassifier(max_iter=4, record_every=2, random_state=0).fit(X, y).history_
    >>> history.step.tolist(), history.W.shape
    ([0, 2, 4], (3, 1, 2))
    """

    step: np.ndarray
    loss: np.ndarray
    data_loss: np.ndarray
    reg_loss: np.ndarray
    train_accuracy: np.ndarray
    val_loss: np.ndarray
    val_accuracy: np.ndarray
    grad_norm: np.ndarray
    W: np.ndarray
    b: np.ndarray
    dW: np.ndarray
    db: np.ndarray

    SCALARS = (
        "step",
        "loss",
        "data_loss",
        "reg_loss",
        "train_accuracy",
        "val_loss",
        "val_accuracy",
        "grad_norm",
    )

    def __len__(self):
        return len(self.step)

    def __repr__(self):  # the arrays can be large: summarize instead
        if not len(self):
            return "TrainingHistory(empty)"
        _, D, C = self.W.shape
        return (
            f"TrainingHistory({len(self)} recorded steps from {self.step[0]} to {self.step[-1]}, "
            f"D={D}, C={C}, loss {self.loss[0]:.4g} -> {self.loss[-1]:.4g})"
        )

    def as_table(self) -> dict[str, np.ndarray]:
        """The scalar columns, for a table or a line chart.

        Returns
        -------
        dict of str -> ndarray, each of shape (K,)

        Examples
        --------
        >>> from softmax_engine import SoftmaxClassifier
        >>> X, y = np.array([[0.0], [1.0], [2.0], [3.0]]), np.array([0, 0, 1, 1])
        >>> table = SoftmaxClassifier(max_iter=2, random_state=0).fit(X, y).history_.as_table()
        >>> list(table)[:3], table["step"].tolist()
        (['step', 'loss', 'data_loss'], [0, 1, 2])
        """
        return {name: getattr(self, name) for name in self.SCALARS}

    def to_csv(self, path_or_buf=None) -> str | None:
        """Write the scalar columns as CSV (a header line, then one line per step).

        Parameters
        ----------
        path_or_buf : str, path-like, file-like or None
            Where to write; ``None`` returns the text.

        Returns
        -------
        str or None

        Examples
        --------
        >>> from softmax_engine import SoftmaxClassifier
        >>> X, y = np.array([[0.0], [1.0], [2.0], [3.0]]), np.array([0, 0, 1, 1])
        >>> text = SoftmaxClassifier(max_iter=2, random_state=0).fit(X, y).history_.to_csv()
        >>> text.splitlines()[0]
        'step,loss,data_loss,reg_loss,train_accuracy,val_loss,val_accuracy,grad_norm'
        >>> len(text.splitlines())
        4
        """
        buf = io.StringIO()
        buf.write(",".join(self.SCALARS) + "\n")
        columns = [self.step.astype(np.int64)] + [getattr(self, n) for n in self.SCALARS[1:]]
        for row in zip(*columns, strict=True):
            buf.write(str(int(row[0])) + "," + ",".join(repr(float(v)) for v in row[1:]) + "\n")
        text = buf.getvalue()
        if path_or_buf is None:
            return text
        if hasattr(path_or_buf, "write"):
            path_or_buf.write(text)
        else:
            with open(path_or_buf, "w", encoding="utf-8", newline="") as f:
                f.write(text)
        return None

    def take(self, index) -> TrainingHistory:
        """The recorded steps selected by ``index`` (a boolean mask or indices), every
        column alike.

        Examples
        --------
        >>> from softmax_engine import SoftmaxClassifier
        >>> X, y = np.array([[0.0], [1.0], [2.0], [3.0]]), np.array([0, 0, 1, 1])
        >>> h = SoftmaxClassifier(max_iter=4, record_every=1, random_state=0).fit(X, y).history_
        >>> h.take(h.step % 2 == 0).step.tolist()
        [0, 2, 4]
        """
        return TrainingHistory(**{f.name: getattr(self, f.name)[index] for f in fields(self)})

    @staticmethod
    def concat(first: TrainingHistory, second: TrainingHistory) -> TrainingHistory:
        """``first``'s steps, then ``second``'s (a continued training call's).

        Examples
        --------
        >>> from softmax_engine import SoftmaxClassifier
        >>> X, y = np.array([[0.0], [1.0], [2.0], [3.0]]), np.array([0, 0, 1, 1])
        >>> h = SoftmaxClassifier(max_iter=2, random_state=0).fit(X, y).history_
        >>> TrainingHistory.concat(h, h.take([-1])).step.tolist()
        [0, 1, 2, 2]
        """
        return TrainingHistory(
            **{
                f.name: np.concatenate([getattr(first, f.name), getattr(second, f.name)])
                for f in fields(first)
            }
        )


def history_from_recorder(
    recorder: Recorder, final_step: int, skip: int, n_samples: int
) -> TrainingHistory:
    """The TrainingHistory of one model (G = 1) from a finished ``trainer.Recorder``.

    The recorded steps up to the kept state ``final_step``, then the kept state itself
    if it is not one of them (and not ``skip``, the last step of the history a continued
    call extends); accuracies are hit counts over ``n_samples`` (and the validation size).

    Examples
    --------
    >>> from softmax_engine.objective import BatchedObjective
    >>> from softmax_engine.optim import make_optimizer
    >>> from softmax_engine.trainer import Recorder, Schedule, train
    >>> objective = BatchedObjective(np.array([[0.0], [1.0]]), np.array([0, 1]), 2)
    >>> theta, schedule = np.zeros((1, 2, 2)), Schedule(start=0, stop=5, every=2)
    >>> recorder = Recorder(schedule, theta, None, snapshots=True)
    >>> result = train(objective, theta, make_optimizer("sgd", learning_rate=0.5), schedule,
    ...                recorder)
    >>> history_from_recorder(recorder, 5, -1, 2).step.tolist()
    [0, 2, 4, 5]
    """
    keep = recorder.steps <= final_step
    steps = recorder.steps[keep]
    columns = {name: getattr(recorder, name)[keep, 0] for name in Recorder.COLUMNS}
    thetas, grads = recorder.thetas[keep, 0], recorder.grads[keep, 0]
    if final_step != skip and (len(steps) == 0 or steps[-1] != final_step):
        steps = np.append(steps, final_step)
        for name in Recorder.COLUMNS:
            columns[name] = np.append(columns[name], getattr(recorder, "final_" + name)[0])
        thetas = np.concatenate([thetas, recorder.final_theta])
        grads = np.concatenate([grads, recorder.final_grad])
    K, d = len(steps), thetas.shape[-1] - 1
    g64 = grads.reshape(K, grads[0].size if K else 0).astype(np.float64)
    n_val = recorder.val_objective.n_samples if recorder.val_objective is not None else 1
    return TrainingHistory(
        step=steps.astype(np.int64),
        loss=columns["loss"],
        data_loss=columns["data_loss"],
        reg_loss=columns["reg_loss"],
        train_accuracy=columns["n_correct"] / n_samples,
        val_loss=columns["val_loss"],
        val_accuracy=columns["val_correct"] / n_val,
        grad_norm=np.sqrt(np.einsum("ki,ki->k", g64, g64)),
        W=thetas[:, :, :d].transpose(0, 2, 1).copy(),
        b=thetas[:, :, d].copy(),
        dW=grads[:, :, :d].transpose(0, 2, 1).copy(),
        db=grads[:, :, d].copy(),
    )

"""The Playground's static figures at one recorded step: pure, arrays in, figures out."""

from __future__ import annotations

from dashboard import figures


def playground_figures(run, k, presenter):
    """``{chart key: go.Figure}`` for the regions, loss, dW, error-signal and W charts.

    Parameters
    ----------
    run : PlaygroundRun
    k : int
        Recorded-step index into ``run.history``.
    presenter : bool
    """
    h = run.history
    step = int(h.step[k])
    class_names = run.data.class_names
    W, _, dW = run.weights_at(k)
    pred_train, pred_val = run.predictions_at(k)
    xs, ys, proba = run.regions_at(k)
    return {
        "regions_chart": figures.decision_regions_figure(
            xs,
            ys,
            proba,
            run.X_train,
            run.y_train,
            X_val=run.X_val,
            y_val=run.y_val,
            pred_train=pred_train,
            pred_val=pred_val,
            class_names=class_names,
            x_range=run.x_range,
            y_range=run.y_range,
            feature_labels=run.data.feature_names,
            presenter=presenter,
            title=f"Decision regions at step {step}",
        ),
        "loss_chart": figures.loss_curve_figure(
            h.step,
            h.loss,
            h.data_loss,
            h.reg_loss,
            train_accuracy=h.train_accuracy,
            val_accuracy=h.val_accuracy,
            grad_norm=h.grad_norm,
            selected_step=step,
            presenter=presenter,
        ),
        "dw_chart": figures.weights_heatmap_figure(
            dW,
            run.feature_names,
            class_names,
            title=f"dW at step {step} (features × classes)",
            presenter=presenter,
        ),
        "error_chart": figures.error_signal_figure(
            run.error_signal_at(k),
            run.y_train,
            class_names,
            presenter=presenter,
            title=f"Error signal q − onehot(y) at step {step}",
        ),
        "w_chart": figures.weights_heatmap_figure(
            W,
            run.feature_names,
            class_names,
            title=f"W at step {step} (features × classes)",
            presenter=presenter,
        ),
    }

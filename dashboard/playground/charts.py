"""The Playground's plotly charts: the heatmaps at one recorded step.

Pure: a run's arrays in, figures out; built from the shared kit in ``dashboard.charts``.
The decision regions and the loss curve are drawn by the live stage in the browser
(``dashboard.ui.live_stage``), from the engine's weights.
"""

from __future__ import annotations

from dashboard.charts.heatmaps import error_signal_figure, weights_heatmap_figure

HEATMAP_SHARE = 0.31  # of the page width: three heatmaps share a row, 1 : 1.2 : 1 (page.py)


def playground_figures(run, k, presenter):
    """``{chart key: go.Figure}`` for the dW, error-signal and W heatmaps.

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
    figures = {
        "dw_chart": weights_heatmap_figure(
            dW,
            run.feature_names,
            class_names,
            title=f"dW at step {step}",
            subtitle="features × classes",
            presenter=presenter,
            width_share=HEATMAP_SHARE,
        ),
        "error_chart": error_signal_figure(
            run.error_signal_at(k),
            run.y_train,
            class_names,
            presenter=presenter,
            title=f"Error signal at step {step}",
            subtitle="q − onehot(y)",
            width_share=HEATMAP_SHARE,
        ),
        "w_chart": weights_heatmap_figure(
            W,
            run.feature_names,
            class_names,
            title=f"W at step {step}",
            subtitle="features × classes",
            presenter=presenter,
            width_share=HEATMAP_SHARE,
        ),
    }
    # one top margin for the row, so the three plots start level whatever their titles wrap to
    top = max(fig.layout.margin.t for fig in figures.values())
    for fig in figures.values():
        fig.layout.margin.t = top
    return figures

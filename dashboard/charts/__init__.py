"""The shared chart kit: pure builders, numpy arrays in, ``go.Figure`` out.

- :mod:`.style`: palette, sizes for normal and projector display, axes, colour bars,
  base layout, :func:`~.style.make_figure`.
- :mod:`.regions`: decision regions (blended probabilities, boundaries, class markers).
- :mod:`.loss`: the loss curve with accuracies and the gradient norm.
- :mod:`.heatmaps`: signed heatmaps of weights, gradients, the error signal, a Jacobian.

A chart used by one page lives in that page's ``charts`` module and is built from these
pieces; it moves here when a second page needs it.
"""

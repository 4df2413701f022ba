"""The ``toy`` fixture for every chart test in this folder."""

from tests.dashboard.charts.samples import toy  # noqa: F401  (a fixture: pytest finds it here)

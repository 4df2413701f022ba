"""Datasets for the playground: seeded toy generators, scikit-learn's bundled sets, CSV files.

Everything here returns a :class:`Dataset` (``datasets/base.py``): ``X`` (N, D) float64,
``y`` (N,) integers in ``[0, C)``, and the names that go with them, in read-only arrays.

Three sources, one module each:

- :func:`make_dataset` (``toy.py``) -- toy 2-D data (blobs, moons, circles, spiral, xor,
  gaussian_quadrants, linear), pure and seeded. :data:`TOY_DATASETS` says which class
  counts each one allows, so a UI can offer only valid choices.
- :func:`load_dataset` (``bundled.py``) -- scikit-learn's bundled iris, wine,
  breast_cancer and digits (shipped with scikit-learn, no download).
- :func:`load_csv` (``csv_file.py``) -- a person's own CSV file. Every problem with the
  file raises :class:`DatasetError` (a ``ValueError``) whose message names the row, the
  column or the limit involved; sizes are bounded before parsing starts.

Every name is re-exported here, so ``softmax_engine.datasets.<name>`` is the import path.
"""

from .base import Dataset, DatasetError
from .bundled import BUNDLED_DATASETS, load_dataset
from .csv_file import MAX_CSV_BYTES, MAX_CSV_CLASSES, MAX_CSV_COLUMNS, MAX_CSV_ROWS, load_csv
from .toy import MAX_TOY_CLASSES, MAX_TOY_SAMPLES, TOY_DATASETS, ToyDatasetInfo, make_dataset

__all__ = [
    "BUNDLED_DATASETS",
    "MAX_CSV_BYTES",
    "MAX_CSV_CLASSES",
    "MAX_CSV_COLUMNS",
    "MAX_CSV_ROWS",
    "MAX_TOY_CLASSES",
    "MAX_TOY_SAMPLES",
    "TOY_DATASETS",
    "Dataset",
    "DatasetError",
    "ToyDatasetInfo",
    "load_csv",
    "load_dataset",
    "make_dataset",
]

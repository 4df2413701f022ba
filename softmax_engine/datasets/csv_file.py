"""A person's own CSV file as a :class:`~softmax_engine.datasets.Dataset`.

Every problem with the file raises :class:`DatasetError` (a ``ValueError``) whose message
names the row, the column or the limit involved; sizes are bounded before parsing starts.
"""

from __future__ import annotations

import codecs
import csv
import io
import math
import numbers
import os
import re

import numpy as np

from .._validation import check_bool, check_int
from .base import Dataset, DatasetError

__all__ = ["MAX_CSV_BYTES", "MAX_CSV_CLASSES", "MAX_CSV_COLUMNS", "MAX_CSV_ROWS", "load_csv"]

MAX_CSV_BYTES = 5 * 1024 * 1024
MAX_CSV_ROWS = 100_000
MAX_CSV_COLUMNS = 1_000
MAX_CSV_CLASSES = 50

_DELIMITERS_BY_PRIORITY = ("\t", ";", ",")
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}
_SNIFF_RECORDS = 50
_SNIFF_CHARS = 64 * 1024
_DECIMAL_COMMA = re.compile(r"[+-]?\d*,\d+(?:[eE][+-]?\d+)?")
_MAGIC = {
    b"PK\x03\x04": "a ZIP archive (an .xlsx or .ods spreadsheet?)",
    b"\x1f\x8b": "a gzip-compressed file",
    b"%PDF": "a PDF document",
    b"\xd0\xcf\x11\xe0": "an old Excel (.xls) or other Office file",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
}


def load_csv(
    source,
    *,
    label_column: int | str | None = None,
    header: bool | None = None,
    name: str | None = None,
    max_bytes: int = MAX_CSV_BYTES,
    max_rows: int = MAX_CSV_ROWS,
    max_columns: int = MAX_CSV_COLUMNS,
    max_classes: int = MAX_CSV_CLASSES,
) -> Dataset:
    """Read a classification dataset from a CSV file.

    The file holds numeric feature columns and one label column (any text: "cat", "3",
    ...). Rows are numbered as in a spreadsheet: the first line of the file is row 1 (the
    header, if there is one); columns are numbered from 1 in messages.

    Parameters
    ----------
    source : str, os.PathLike, bytes, bytearray, memoryview or file-like
        A path, the file's bytes, or an object with ``read()`` returning bytes or str
        (read from its current position), e.g. Streamlit's ``UploadedFile``.
    label_column : None, int or str
        The label column: ``None`` for the last column, an index (negative counts from
        the end), or a header name (which requires a header row).
    header : None or bool
        Whether row 1 is a header. ``None`` detects it: row 1 is a header when none of its
        feature cells is a number (or when ``label_column`` is a name).
    name : str, optional
        The Dataset's name; defaults to the file name, or ``"uploaded CSV"``.
    max_bytes, max_rows, max_columns, max_classes : int
        Limits (defaults :data:`MAX_CSV_BYTES` = 5 MiB, :data:`MAX_CSV_ROWS` = 100,000
        data rows, :data:`MAX_CSV_COLUMNS` = 1,000, :data:`MAX_CSV_CLASSES` = 50). The byte
        limit is checked before anything is parsed.

    Returns
    -------
    Dataset
        Classes ordered by value when every label is a number, otherwise alphabetically
        (numbers first); ``class_names`` keep the labels' text. Without a header the
        features are named ``x1, x2, ...`` and the label column ``label``.

    Raises
    ------
    DatasetError
        For any problem with the input, with a message naming the row, column or limit:
        unreadable or oversized input, binary content or NUL bytes, text that is not UTF-8
        (UTF-8 with or without BOM, and UTF-16 with BOM, are accepted), no data rows,
        rows of different lengths, empty, non-numeric, NaN or infinite feature values,
        empty labels, fewer than one feature column, a single class, too many classes,
        rows or columns, duplicate header names, or a label column that does not exist.

    Notes
    -----
    Delimiters: comma, semicolon or tab, detected from the first records (the one that
    splits them all into the same number of fields, the most fields winning). With a
    semicolon or tab delimiter a decimal comma ("1,5") is read as a decimal point. Quoted
    fields, CRLF line endings, blank lines and a trailing delimiter on every line are
    handled; cells are stripped of surrounding whitespace.

    Examples
    --------
    >>> ds = load_csv(b"width;height;kind\\n1,5;2;cat\\n3;4;dog\\n")
    >>> ds.feature_names, ds.class_names
    (('width', 'height'), ('cat', 'dog'))
    >>> ds.X.tolist()
    [[1.5, 2.0], [3.0, 4.0]]
    >>> load_csv(b"a,b,label\\n1,x,cat\\n2,3,dog\\n")
    Traceback (most recent call last):
    ...
    softmax_engine.datasets.base.DatasetError: row 2, column 2 ('b'): 'x' is not a number
    """
    for limit_name, limit in (
        ("max_bytes", max_bytes), ("max_rows", max_rows),
        ("max_columns", max_columns), ("max_classes", max_classes),
    ):
        check_int(limit, limit_name, low=1, error=DatasetError)
    if header is not None:
        check_bool(header, "header", error=DatasetError)
    if label_column is not None and (
        isinstance(label_column, bool) or not isinstance(label_column, (numbers.Integral, str))
    ):
        raise DatasetError(
            f"label_column must be None, a column index or a column name, got {label_column!r}"
        )

    raw, default_name = _read_source(source, int(max_bytes))
    text = _decode(raw)
    parser = _CsvParser(
        text,
        label_column=label_column,
        header=header,
        max_rows=int(max_rows),
        max_columns=int(max_columns),
        max_classes=int(max_classes),
    )
    X, labels, feature_names = parser.parse()
    classes = sorted(set(labels), key=_label_sort_key)
    index = {c: k for k, c in enumerate(classes)}
    y = np.fromiter((index[c] for c in labels), dtype=np.int64, count=len(labels))
    return Dataset(X, y, feature_names, tuple(classes), name or default_name)


def _label_sort_key(label):
    value = _try_float(label)
    if value is not None and math.isfinite(value):
        return (0, value, label)
    return (1, 0.0, label)


def _try_float(text):
    try:
        return float(text)
    except ValueError:
        return None


def _short(value, limit=40):
    """Quote a cell for an error message, truncated."""
    text = value if len(value) <= limit else value[: limit - 3] + "..."
    return repr(text)


def _read_source(source, max_bytes):
    """Return (bytes, default name), reading at most ``max_bytes + 1`` bytes."""
    mib = f" ({max_bytes / 2**20:.3g} MiB)" if max_bytes >= 2**20 else ""
    too_large = f"the file is larger than the limit of {max_bytes:,} bytes{mib}"
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        if len(data) > max_bytes:
            raise DatasetError(f"{too_large}: got {len(data):,} bytes")
        return data, "uploaded CSV"
    if isinstance(source, (str, os.PathLike)):
        try:
            path = os.fspath(source)
            size = os.stat(path).st_size
            if size > max_bytes:
                raise DatasetError(f"{too_large}: {path!r} has {size:,} bytes")
            with open(path, "rb") as fh:
                data = fh.read(max_bytes + 1)  # the file may grow after stat
        except DatasetError:
            raise
        except (OSError, ValueError, TypeError) as exc:
            shown = source if isinstance(source, str) else repr(source)
            hint = ""
            if isinstance(source, str) and ("\n" in source or "," in source):
                hint = " (to parse CSV text, pass bytes, e.g. text.encode(), or io.StringIO)"
            raise DatasetError(
                f"cannot read file {_short(str(shown), 80)}: {exc.__class__.__name__}: "
                f"{exc}{hint}"
            ) from None
        if len(data) > max_bytes:
            raise DatasetError(too_large)
        return data, os.path.basename(path) or "CSV file"
    read = getattr(source, "read", None)
    if not callable(read):
        raise DatasetError(
            f"cannot read a CSV from a {type(source).__name__}: pass a path, bytes or a "
            "file-like object"
        )
    try:
        data = read(max_bytes + 1)
    except Exception as exc:  # any failure of a foreign read() is a bad input here
        raise DatasetError(f"cannot read the file: {exc.__class__.__name__}: {exc}") from None
    if isinstance(data, str):
        data = data.encode("utf-8", errors="surrogatepass")
    elif isinstance(data, (bytearray, memoryview)):
        data = bytes(data)
    elif not isinstance(data, bytes):
        raise DatasetError(f"read() returned {type(data).__name__}, expected bytes or str")
    if len(data) > max_bytes:
        raise DatasetError(too_large)
    file_name = getattr(source, "name", None)
    if isinstance(file_name, str) and file_name:
        return data, os.path.basename(file_name)
    return data, "uploaded CSV"


def _decode(raw):
    """Bytes -> str: UTF-8 (BOM optional) or UTF-16 with BOM; reject binary content."""
    for magic, what in _MAGIC.items():
        if raw.startswith(magic):
            raise DatasetError(f"this looks like {what}, not a CSV text file")
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        encoding = "utf-8-sig"
        nul = raw.find(b"\x00")
        if nul >= 0:
            row = raw.count(b"\n", 0, nul) + 1
            raise DatasetError(
                f"the file contains a NUL byte (byte {nul:,}, row {row}): it looks binary, "
                "not a CSV text file"
            )
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        bad = raw[exc.start : exc.start + 1].hex()
        raise DatasetError(
            f"the file is not valid {encoding.upper().replace('-SIG', '')} text (byte 0x{bad} at "
            f"offset {exc.start:,}, row {line}); save it as a UTF-8 CSV"
        ) from None
    if "\x00" in text:
        raise DatasetError("the file contains NUL characters: it looks binary, not CSV text")
    return text


def _sniff_delimiter(text):
    """Pick the delimiter that splits the first records into equal field counts > 1.

    The most fields wins; on a tie tab beats semicolon beats comma (a file that splits
    evenly on ';' too is a European-style CSV with decimal commas). When no delimiter
    splits evenly, the one giving the first record the most fields is used, so that the
    ragged row is reported later with its row number.
    """
    sample = text[:_SNIFF_CHARS]
    truncated = len(text) > len(sample)
    best, best_fields = None, 1
    fallback, fallback_fields = ",", 1
    for delimiter in _DELIMITERS_BY_PRIORITY:
        counts = []
        try:
            reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
            for row in reader:
                if any(cell.strip() for cell in row):
                    counts.append(len(row))
                if len(counts) > _SNIFF_RECORDS:
                    break
        except csv.Error:
            continue
        if truncated and 1 < len(counts) <= _SNIFF_RECORDS:
            counts.pop()  # the last record may be cut off by the sample boundary
        if not counts:
            continue
        if min(counts) == max(counts) and counts[0] > best_fields:
            best, best_fields = delimiter, counts[0]
        if counts[0] > fallback_fields:
            fallback, fallback_fields = delimiter, counts[0]
    return best if best is not None else fallback


class _CsvParser:
    """One pass over the records; raises DatasetError at the first problem."""

    def __init__(self, text, *, label_column, header, max_rows, max_columns, max_classes):
        self.text = text
        self.label_column = label_column
        self.header = header
        self.max_rows = max_rows
        self.max_columns = max_columns
        self.max_classes = max_classes
        self.delimiter = _sniff_delimiter(text)

    # -- helpers for messages -------------------------------------------------------

    def _col(self, j):
        name = self.column_names[j] if self.column_names else None
        return f"column {j + 1} ({_short(name)})" if name else f"column {j + 1}"

    def _parse_number(self, cell):
        try:
            return float(cell)
        except ValueError:
            if self.delimiter != "," and _DECIMAL_COMMA.fullmatch(cell):
                return float(cell.replace(",", "."))
            raise

    def _bad_cell(self, row_no, j, cell):
        where = f"row {row_no}, {self._col(j)}"
        if cell == "":
            return DatasetError(f"{where}: the value is missing (empty cells are not supported)")
        hint = ""
        if row_no == self.first_row_no and not self.has_header:
            hint = " (if row 1 is a header, pass header=True)"
        elif self.delimiter == "," and _DECIMAL_COMMA.fullmatch(cell.replace(".", "")):
            hint = " (use '.' as the decimal separator)"
        return DatasetError(f"{where}: {_short(cell)} is not a number{hint}")

    # -- the pass ---------------------------------------------------------------------

    def parse(self):
        reader = csv.reader(io.StringIO(self.text, newline=""), delimiter=self.delimiter)
        self.column_names = None
        self.has_header = False
        self.first_row_no = None
        rows, labels, row_numbers = [], [], []
        label_index = {}
        width = None
        strip_trailing = False
        row_no = 0
        try:
            for row_no, row in enumerate(reader, start=1):
                cells = [c.strip() for c in row]
                if not any(cells):
                    continue  # blank line (or only delimiters)
                if width is None:
                    strip_trailing = self._trailing_delimiter()
                if strip_trailing and cells[-1] == "":
                    cells.pop()
                if width is None:
                    width = self._first_row(row_no, cells)
                    if self.has_header:
                        continue
                elif len(cells) != width:
                    raise DatasetError(
                        f"row {row_no} has {len(cells)} fields but row {self.first_row_no} "
                        f"has {width} ({_DELIMITER_NAMES[self.delimiter]}-delimited); "
                        "every row needs the same number of fields"
                    )
                if len(rows) >= self.max_rows:
                    raise DatasetError(
                        f"the file has more than {self.max_rows:,} data rows (the limit)"
                    )
                rows.append(self._features(row_no, cells))
                label = cells[self.label_idx]
                if label == "":
                    raise DatasetError(
                        f"row {row_no}, {self._col(self.label_idx)}: the label is missing"
                    )
                if label not in label_index:
                    if len(label_index) >= self.max_classes:
                        raise DatasetError(
                            f"row {row_no}: more than {self.max_classes} distinct labels in "
                            f"{self._col(self.label_idx)} (the limit is {self.max_classes} "
                            "classes); is label_column the right column?"
                        )
                    label_index[label] = len(label_index)
                labels.append(label)
                row_numbers.append(row_no)
        except csv.Error as exc:
            raise DatasetError(f"row {row_no + 1}: cannot parse the CSV: {exc}") from None

        if width is None:
            raise DatasetError("the file is empty (no rows with any content)")
        if not rows:
            raise DatasetError("the file has a header but no data rows")
        X = np.array(rows, dtype=np.float64).reshape(len(rows), width - 1)
        finite = np.isfinite(X)
        if not finite.all():
            i, k = np.argwhere(~finite)[0]
            j = self.feature_idx[k]
            raise DatasetError(
                f"row {row_numbers[i]}, {self._col(j)}: value {float(X[i, k])} is not a finite "
                "number (NaN, infinity and missing values are not supported)"
            )
        if len(label_index) < 2:
            raise DatasetError(
                f"only one class ({_short(labels[0])}) in {self._col(self.label_idx)}; "
                "a classifier needs at least 2"
            )
        feature_names = tuple(self.column_names[j] for j in self.feature_idx)
        return X, labels, feature_names

    def _trailing_delimiter(self):
        """True when every sampled record ends with an empty field (e.g. "1,2,a,")."""
        reader = csv.reader(io.StringIO(self.text[:_SNIFF_CHARS], newline=""),
                            delimiter=self.delimiter)
        seen = 0
        try:
            for row in reader:
                if not any(c.strip() for c in row):
                    continue
                if len(row) < 3 or row[-1].strip() != "":
                    return False
                seen += 1
                if seen >= _SNIFF_RECORDS:
                    break
        except csv.Error:
            return False
        return seen > 0

    def _first_row(self, row_no, cells):
        """Settle the width, the header and the label column from the first record."""
        width = len(cells)
        self.first_row_no = row_no
        if width > self.max_columns:
            raise DatasetError(
                f"row {row_no} has {width:,} columns; the limit is {self.max_columns:,}"
            )
        if width < 2:
            raise DatasetError(
                f"row {row_no} has a single column: need at least one feature column and a "
                "label column, separated by commas, semicolons or tabs"
            )
        lc = self.label_column
        header = self.header
        if isinstance(lc, str):
            if header is False:
                raise DatasetError(
                    f"label_column={lc!r} is a name, but header=False says there is no header"
                )
            header = True
            matches = [j for j, c in enumerate(cells) if c == lc.strip()]
            if not matches:
                shown = ", ".join(_short(c, 20) for c in cells[:20])
                more = ", ..." if width > 20 else ""
                raise DatasetError(
                    f"label column {lc!r} not found in the header (row {row_no}): "
                    f"{shown}{more}"
                )
            label_idx = matches[0]
        elif lc is None:
            label_idx = width - 1
        else:
            if not (-width <= lc < width):
                raise DatasetError(
                    f"label_column={lc} is out of range: the file has {width} columns "
                    f"(valid indices {-width}..{width - 1})"
                )
            label_idx = int(lc) % width
        self.label_idx = label_idx
        self.feature_idx = [j for j in range(width) if j != label_idx]
        if header is None:
            header = all(
                _try_float(cells[j]) is None and not _DECIMAL_COMMA.fullmatch(cells[j])
                for j in self.feature_idx
            )
        self.has_header = header
        if header:
            names = [c if c else f"column {j + 1}" for j, c in enumerate(cells)]
            seen = {}
            for j, n in enumerate(names):
                if n in seen:
                    raise DatasetError(
                        f"duplicate column name {_short(n)} in the header (row {row_no}): "
                        f"columns {seen[n] + 1} and {j + 1}"
                    )
                seen[n] = j
            self.column_names = names
        else:
            self.column_names = [f"x{k + 1}" for k in range(width)]
            for k, j in enumerate(self.feature_idx):
                self.column_names[j] = f"x{k + 1}"
            self.column_names[label_idx] = "label"
        return width

    def _features(self, row_no, cells):
        values = [cells[j] for j in self.feature_idx]
        try:
            return [float(v) for v in values]
        except ValueError:
            pass
        out = []  # slow path: decimal commas, or find the bad cell for the message
        for j, v in zip(self.feature_idx, values, strict=True):
            try:
                out.append(self._parse_number(v))
            except ValueError:
                raise self._bad_cell(row_no, j, v) from None
        return out

"""load_csv: good files in their common variants, and bad files that must fail clearly."""

import csv
import io
import pathlib

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from softmax_engine.datasets import (
    MAX_CSV_BYTES,
    MAX_CSV_COLUMNS,
    MAX_CSV_ROWS,
    Dataset,
    DatasetError,
    load_csv,
    load_dataset,
    make_dataset,
)

GOOD = b"f1,f2,species\n1.5,2,cat\n3,-4e-1,dog\n5,6,cat\n"
GOOD_X = np.array([[1.5, 2.0], [3.0, -0.4], [5.0, 6.0]])


def check_good(ds, X=GOOD_X, classes=("cat", "dog"), labels=("cat", "dog", "cat")):
    assert isinstance(ds, Dataset)
    np.testing.assert_array_equal(ds.X, X)
    assert ds.class_names == tuple(classes)
    assert tuple(ds.class_names[k] for k in ds.y) == tuple(labels)


# ----------------------------------------------------------------------------- good files


def test_header_and_string_labels():
    ds = load_csv(GOOD)
    check_good(ds)
    assert ds.feature_names == ("f1", "f2")
    assert ds.name == "uploaded CSV"


def test_no_header():
    ds = load_csv(b"1.5,2,cat\n3,-4e-1,dog\n5,6,cat\n")
    check_good(ds)
    assert ds.feature_names == ("x1", "x2")


@pytest.mark.parametrize(
    "variant",
    [
        GOOD.replace(b"\n", b"\r\n"),  # Windows line endings
        b"\xef\xbb\xbf" + GOOD,  # UTF-8 byte order mark (Excel)
        GOOD.replace(b",", b";"),  # semicolon-delimited
        GOOD.replace(b",", b"\t"),  # tab-delimited
        b"f1;f2;species\n1,5;2;cat\n3;-0,4;dog\n5;6;cat\n",  # ';' with decimal commas
        b'"f1","f2","species"\n"1.5","2","cat"\n3,"-4e-1",dog\n"5",6,"cat"\n',  # quoted
        b"\n" + GOOD.replace(b"\n", b"\n\n") + b"\n\n",  # blank lines
        GOOD.replace(b",", b" , "),  # spaces around fields
        GOOD.replace(b"\n", b",\n"),  # a trailing delimiter on every line
        GOOD.decode().encode("utf-16"),  # UTF-16 with BOM ("Unicode text" exports)
    ],
)
def test_common_variants(variant):
    ds = load_csv(variant)
    check_good(ds)
    assert ds.feature_names == ("f1", "f2")


def test_quoted_fields_with_delimiters_and_newlines_inside():
    ds = load_csv(b'a,b,label\n1,2,"big, red"\n3,4,"two\nlines"\n')
    assert ds.class_names == ("big, red", "two\nlines")


def test_numeric_labels_are_ordered_by_value():
    ds = load_csv(b"1,10\n2,9\n3,10\n4,-1\n5,2.5\n")
    assert ds.class_names == ("-1", "2.5", "9", "10")
    assert [ds.class_names[k] for k in ds.y] == ["10", "9", "10", "-1", "2.5"]
    assert ds.n_features == 1  # one feature column is enough


@pytest.mark.parametrize("label_column", ["species", 2, -1])
def test_label_column_last(label_column):
    check_good(load_csv(GOOD, label_column=label_column))


@pytest.mark.parametrize("label_column", ["kind", 0, -3])
def test_label_column_first(label_column):
    ds = load_csv(b"kind,f1,f2\ncat,1.5,2\ndog,3,-4e-1\ncat,5,6\n", label_column=label_column)
    check_good(ds)
    assert ds.feature_names == ("f1", "f2")


def test_label_column_in_the_middle_without_header():
    ds = load_csv(b"1.5,cat,2\n3,dog,-4e-1\n5,cat,6\n", label_column=1)
    check_good(ds)
    assert ds.feature_names == ("x1", "x2")


def test_header_override():
    # A header whose names look like numbers is only recognised when asked for.
    data = b"1,2,label\n1.5,2,cat\n3,-4e-1,dog\n5,6,cat\n"
    ds = load_csv(data, header=True)
    check_good(ds)
    assert ds.feature_names == ("1", "2")
    with pytest.raises(DatasetError, match=r"row 1, column 1 \('x1'\): 'f1' is not a number"):
        load_csv(GOOD, header=False)


def test_sources(tmp_path):
    path = tmp_path / "pets.csv"
    path.write_bytes(GOOD)
    for source in (str(path), path, pathlib.PurePath(path)):
        ds = load_csv(source)
        check_good(ds)
        assert ds.name == "pets.csv"
    check_good(load_csv(bytearray(GOOD)))
    check_good(load_csv(memoryview(GOOD)))
    check_good(load_csv(io.BytesIO(GOOD)))
    check_good(load_csv(io.StringIO(GOOD.decode())))
    with open(path, encoding="utf-8") as fh:
        assert load_csv(fh).name == "pets.csv"
    upload = io.BytesIO(GOOD)
    upload.name = "upload.csv"  # like Streamlit's UploadedFile
    assert load_csv(upload).name == "upload.csv"
    assert load_csv(GOOD, name="mine").name == "mine"


@pytest.mark.parametrize("ds", [make_dataset("spiral", n_samples=90, n_classes=4),
                                load_dataset("iris")], ids=["spiral", "iris"])
def test_round_trip_through_to_csv(ds):
    back = load_csv(ds.to_csv().encode())
    np.testing.assert_array_equal(back.X, ds.X)
    np.testing.assert_array_equal(back.y, ds.y)
    assert back.feature_names == ds.feature_names
    assert back.class_names == ds.class_names


# ----------------------------------------------------------------------------- bad files


BAD = [
    pytest.param(b"", {}, ["empty"], id="empty"),
    pytest.param(b"\n \r\n\t\n", {}, ["empty"], id="only-whitespace"),
    pytest.param(b"a,b,label\n", {}, ["header", "no data rows"], id="only-header"),
    pytest.param(b"a,b,c\n1,2,x\n3,4,\xff\xfey\n", {}, ["UTF-8", "row 3", "0xff"],
                 id="latin1-bytes"),
    pytest.param(b"a,b,c\n1,2\x00,x\n", {}, ["NUL", "row 2"], id="nul-byte"),
    pytest.param(bytes(range(256)) * 4, {}, ["NUL"], id="binary-garbage"),
    pytest.param(b"\x89PNG\r\n\x1a\nxxxx", {}, ["PNG"], id="png"),
    pytest.param(b"PK\x03\x04\x14\x00", {}, ["ZIP", "xlsx"], id="xlsx"),
    pytest.param(b"a,b,c\n1,2,x\n3,4\n5,6,y\n", {}, ["row 3", "2 fields", "3"], id="ragged"),
    pytest.param(b"a,b,c\n1,2,x\n3,4,y,9\n", {}, ["row 3", "4 fields"], id="ragged-long"),
    pytest.param(b"a,b,c\n1,2,x\n3,abc,y\n", {}, ["row 3", "column 2", "'b'", "'abc'"],
                 id="non-numeric"),
    pytest.param(b"a,b,c\n1,2,x\n3," + b"z" * 500 + b",y\n", {}, ["row 3", "..."],
                 id="long-non-numeric"),
    pytest.param(b"a,b,c\n1,,x\n3,4,y\n", {}, ["row 2", "column 2", "missing"],
                 id="missing-value"),
    pytest.param(b"a,b,c\n1,2,x\n3,nan,y\n", {}, ["row 3", "column 2", "nan", "finite"],
                 id="nan"),
    pytest.param(b"a,b,c\n1,2,x\n-inf,4,y\n", {}, ["row 3", "column 1", "inf"], id="inf"),
    pytest.param(b"a,b,c\n1,2,x\n3,1e999,y\n", {}, ["row 3", "column 2", "inf"],
                 id="overflow"),
    pytest.param(b"a,b,c\n1,2,x\n3,4,\n", {}, ["row 3", "label is missing"],
                 id="missing-label"),
    pytest.param(b"a,b,c\n1,2,x\n3,4,x\n", {}, ["one class", "'x'"], id="single-class"),
    pytest.param(b"label\ncat\ndog\n", {}, ["single column"], id="no-feature-column"),
    pytest.param(b"1 2 cat\n3 4 dog\n", {}, ["single column"], id="space-delimited"),
    pytest.param(b"x,x,label\n1,2,a\n3,4,b\n", {}, ["duplicate", "'x'", "columns 1 and 2"],
                 id="duplicate-header"),
    pytest.param(GOOD, {"label_column": "kind"}, ["'kind'", "not found", "'species'"],
                 id="label-name-missing"),
    pytest.param(GOOD, {"label_column": 3}, ["label_column=3", "3 columns"],
                 id="label-index-too-big"),
    pytest.param(GOOD, {"label_column": -4}, ["label_column=-4"], id="label-index-too-small"),
    pytest.param(GOOD, {"label_column": 1.0}, ["label_column", "1.0"], id="label-float"),
    pytest.param(GOOD, {"label_column": "species", "header": False}, ["header"],
                 id="label-name-without-header"),
    pytest.param(b"x,2,label\n1,2,a\n3,4,b\n", {}, ["row 1", "column 1", "'x'", "header=True"],
                 id="half-numeric-header"),
    pytest.param(b"1,2,x\n3,4,y\n5,6,z\n", {"max_classes": 2}, ["more than 2", "row 3"],
                 id="too-many-classes"),
    pytest.param(b"a,b\n" + b"".join(b"%d,%d\n" % (i, i) for i in range(60)), {},
                 ["more than 50", "label_column"], id="continuous-label"),
    pytest.param(b"1,x\n2,y\n3,x\n4,y\n", {"max_rows": 3}, ["more than 3", "data rows"],
                 id="too-many-rows"),
    pytest.param(b"1,2,3,x\n4,5,6,y\n", {"max_columns": 3}, ["4 columns", "limit is 3"],
                 id="too-many-columns"),
    pytest.param(GOOD, {"max_bytes": 20}, ["20 bytes", f"{len(GOOD)} bytes"],
                 id="too-many-bytes"),
    pytest.param(GOOD, {"max_rows": 0}, ["max_rows", "0"], id="bad-limit"),
    pytest.param(GOOD, {"header": "yes"}, ["header", "'yes'"], id="bad-header-arg"),
    pytest.param(b'a,b,c\n1,2,"' + b"x" * 200_000 + b'"\n', {}, ["row 2", "field"],
                 id="huge-field"),
]


@pytest.mark.parametrize("data,kwargs,fragments", BAD)
def test_bad_inputs_raise_dataset_error(data, kwargs, fragments):
    with pytest.raises(DatasetError) as info:
        load_csv(data, **kwargs)
    message = str(info.value)
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in {message!r}"
    assert len(message) < 400  # long values are truncated
    assert isinstance(info.value, ValueError)


def test_default_limits():
    assert MAX_CSV_BYTES == 5 * 1024 * 1024
    rows = b"1,x\n2,y\n" * (MAX_CSV_ROWS // 2) + b"3,x\n"
    with pytest.raises(DatasetError, match=f"more than {MAX_CSV_ROWS:,} data rows"):
        load_csv(rows)
    load_csv(b"1,x\n2,y\n" * (MAX_CSV_ROWS // 2))  # exactly at the limit is fine
    wide = (",".join(["1"] * MAX_CSV_COLUMNS) + ",x\n").encode()
    with pytest.raises(DatasetError, match=f"{MAX_CSV_COLUMNS + 1:,} columns"):
        load_csv(wide + wide.replace(b"x", b"y"))


def test_size_is_checked_before_parsing(tmp_path, monkeypatch):
    # 5 MiB + 1 of valid-looking CSV: rejected at once, without parsing it or reading it all.
    big = b"1,2,x\n" * (MAX_CSV_BYTES // 6 + 1)
    path = tmp_path / "big.csv"
    path.write_bytes(big)

    def no_parsing(*args, **kwargs):
        raise AssertionError("the CSV parser ran on an oversized file")

    monkeypatch.setattr(csv, "reader", no_parsing)
    stream = io.BytesIO(big)
    for source in (big, path, stream):
        with pytest.raises(DatasetError, match="larger than the limit of 5,242,880 bytes"):
            load_csv(source)
    assert stream.tell() == MAX_CSV_BYTES + 1  # read up to the limit, not to the end


class _Exploding(io.RawIOBase):
    def read(self, n=-1):
        raise OSError("device on fire")


class _Weird:
    def read(self, n=-1):
        return 42


@pytest.mark.parametrize(
    "source,fragment",
    [
        ("/definitely/not/here.csv", "cannot read"),
        ("a,b,c\n1,2,x\n", "pass bytes"),
        ("bad\x00path", "cannot read"),
        (12, "int"),
        (None, "NoneType"),
        (_Exploding(), "device on fire"),
        (_Weird(), "read() returned int"),
        (io.StringIO(), "empty"),
    ],
)
def test_bad_sources(source, fragment):
    with pytest.raises(DatasetError, match=None) as info:
        load_csv(source)
    assert fragment in str(info.value)


def test_directory_and_unreadable_sources(tmp_path):
    with pytest.raises(DatasetError, match="cannot read"):
        load_csv(tmp_path)
    with pytest.raises(DatasetError, match="cannot read"):
        load_csv(tmp_path / "missing.csv")


# ----------------------------------------------------------------------------- fuzzing


def _outcome(data):
    """load_csv must return a Dataset or raise DatasetError -- nothing else."""
    try:
        ds = load_csv(data)
    except DatasetError as exc:
        assert str(exc)
    else:
        assert isinstance(ds, Dataset)
        assert ds.n_samples >= 1 and ds.n_features >= 1 and ds.n_classes >= 2
        assert np.all(np.isfinite(ds.X))
        assert set(np.unique(ds.y)) == set(range(ds.n_classes))


FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

EXAMPLE_CSVS = [
    GOOD,
    b"1,2,a\r\n3,4,b\r\n5,6,a\r\n",
    b'x;y;"z"\n1,5;2;p\n3;4;q\n',
    b"\xef\xbb\xbfa\tb\tc\n1\t2\tq\n3\t4\tr\n",
]


@FUZZ
@given(st.binary(max_size=3000))
def test_random_bytes(data):
    _outcome(data)


@FUZZ
@given(st.text(alphabet=st.sampled_from(list(',;\t\n\r" 0123456789.-+eEnaifxyz\ufeff')),
               max_size=400))
def test_random_csv_like_text(text):
    _outcome(text.encode("utf-8"))


@st.composite
def mutated_csv(draw):
    data = bytearray(draw(st.sampled_from(EXAMPLE_CSVS)))
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["insert", "delete", "replace", "duplicate", "truncate"]))
        pos = draw(st.integers(0, max(len(data) - 1, 0)))
        if op == "insert":
            data[pos:pos] = draw(st.binary(min_size=1, max_size=8))
        elif op == "delete":
            del data[pos : pos + draw(st.integers(1, 8))]
        elif op == "replace" and data:
            data[pos] = draw(st.integers(0, 255))
        elif op == "duplicate":
            data[pos:pos] = data[pos : pos + draw(st.integers(1, 40))]
        elif op == "truncate":
            del data[pos:]
    return bytes(data)


@FUZZ
@given(mutated_csv())
def test_mutated_valid_csvs(data):
    _outcome(data)

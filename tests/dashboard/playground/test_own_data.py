"""Your own CSV on the Playground (issue 14, point 1): upload, plane, bad files, links."""

import numpy as np
import pytest

from dashboard.playground.cache import playground_run
from dashboard.playground.compute import train_playground
from dashboard.playground.exports import dataset_csv, dataset_file_name
from dashboard.playground.own_data import data_digest, parse_upload, plane_of, register
from dashboard.settings import Settings
from softmax_engine import DatasetError
from tests.chartspec import open_page, stage_plane, stage_state


def pets_csv(n=60, columns=("width", "height")):
    rng = np.random.default_rng(0)
    kinds = ("cat", "dog", "eel")
    rows = [",".join([*columns, "kind"])]
    for i in range(n):
        k = i % 3
        values = rng.normal(loc=2.0 * k, scale=0.6, size=len(columns))
        rows.append(",".join([*(f"{v:.3f}" for v in values), kinds[k]]))
    return ("\n".join(rows) + "\n").encode()


BROKEN = b"a,b,label\n1,2,cat\n3,oops,dog\n"


@pytest.fixture(autouse=True)
def _fresh(fresh_cache):
    yield


def open_playground(query=None):
    return open_page("dashboard/playground/page.py", query)


def upload(at, name, data):
    at.sidebar.get("file_uploader")[0].set_value((name, data, "text/csv")).run()
    assert not at.exception, at.exception
    return at


def choose_own(at):
    at.sidebar.selectbox(key="dataset").set_value("own").run()
    assert not at.exception
    return at


def errors(at):
    return " ".join(e.value for e in at.sidebar.error).replace("\\", "")


def test_choosing_your_csv_keeps_the_data_until_a_file_arrives():
    at = choose_own(open_playground())
    assert any("Choose a CSV file" in i.value for i in at.sidebar.info)
    assert at.session_state["settings"].dataset == "spiral"
    assert stage_plane(at)[0]["class_names"] == ["0", "1", "2"]


def test_a_csv_with_string_labels_trains_and_names_the_legend():
    at = upload(choose_own(open_playground()), "pets.csv", pets_csv())
    settings = at.session_state["settings"]
    assert settings.dataset == "own" and len(settings.user_data) == 32
    meta, arrays = stage_plane(at)
    assert meta["class_names"] == ["cat", "dog", "eel"]
    assert meta["feature_labels"] == ["width", "height"]
    assert len(arrays["X_train"]) + len(arrays["X_val"]) == 60
    full = parse_upload(pets_csv(), "pets.csv")
    run = playground_run(settings)
    np.testing.assert_array_equal(run.data.X, full.X)  # two columns: used as they are
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Loss"] == f"{run.history.loss[-1]:.4f}"
    assert at.query_params["dataset"] in ("own", ["own"])
    assert "user_data" not in at.query_params


def test_more_columns_pca_plane_or_two_chosen_columns():
    data = pets_csv(columns=("a", "b", "c", "d"))
    at = upload(choose_own(open_playground()), "four.csv", data)
    assert stage_plane(at)[0]["feature_labels"] == ["PC1", "PC2"]
    assert any("principal components" in c.value for c in at.caption)
    at.sidebar.radio(key="pg_own_kind").set_value("Two columns").run()
    at.sidebar.selectbox(key="pg_own_x").set_value(2).run()
    at.sidebar.selectbox(key="pg_own_y").set_value(0).run()
    assert not at.exception
    assert stage_plane(at)[0]["feature_labels"] == ["c", "a"]
    run = playground_run(at.session_state["settings"])
    full = parse_upload(data, "four.csv")
    np.testing.assert_array_equal(run.data.X, full.X[:, [2, 0]])


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (BROKEN, "'oops' is not a number"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "PNG"),
        (b"x,label\n1,a\n2,b\n", "one feature column"),
        (b"a,b,label\n" + b"".join(f"{i},{i},c{i}\n".encode() for i in range(12)), "classes"),
        (b"a,b,label\n1,2,cat\n3,4,cat\n", "class"),
        (b"", "empty"),
    ],
)
def test_a_bad_file_shows_its_message_and_the_previous_data_stays(data, message):
    at = upload(choose_own(open_playground()), "pets.csv", pets_csv())
    before = at.session_state["settings"]
    upload(at, "broken.csv", data)
    assert message.lower() in errors(at).lower() and "broken.csv" in errors(at)
    assert "keeps its data" in errors(at)
    assert at.session_state["settings"] == before
    assert stage_plane(at)[0]["class_names"] == ["cat", "dog", "eel"]


def test_a_bad_first_file_keeps_the_built_in_data():
    at = upload(choose_own(open_playground()), "broken.csv", BROKEN)
    assert "not a number" in errors(at)
    assert at.session_state["settings"].dataset == "spiral"


def test_a_link_to_an_uploaded_view_opens_the_default_data_with_a_note():
    at = open_playground({"dataset": "own", "learning_rate": "0.1", "user_data": "ab" * 16})
    notes = " ".join(w.value for w in at.warning)
    assert "not shared" in notes
    assert at.session_state["settings"] == Settings(learning_rate=0.1)


def test_two_sessions_uploads_never_mix():
    first = upload(choose_own(open_playground()), "pets.csv", pets_csv())
    other = pets_csv().replace(b"cat", b"cow")
    second = upload(choose_own(open_playground()), "pets.csv", other)
    a, b = first.session_state["settings"], second.session_state["settings"]
    assert a.user_data != b.user_data
    assert stage_plane(first)[0]["class_names"] == ["cat", "dog", "eel"]
    assert stage_plane(second)[0]["class_names"] == ["cow", "dog", "eel"]
    assert stage_state(first)["plane_url"] != stage_state(second)["plane_url"]


def test_the_dataset_download_uploads_again_unchanged():
    data, note = plane_of(parse_upload(pets_csv(), "my pets.csv"))
    run = train_playground(Settings(dataset="own", user_data=register(data, note), steps=20))
    assert dataset_file_name(run) == "my_pets.csv"
    again = parse_upload(dataset_csv(run).encode(), "my pets.csv")
    np.testing.assert_array_equal(again.X, run.data.X)
    np.testing.assert_array_equal(again.y, run.data.y)
    assert again.class_names == run.data.class_names
    assert again.feature_names == run.data.feature_names
    assert data_digest(again) == data_digest(run.data)


def test_plane_of_checks_its_columns():
    full = parse_upload(pets_csv(columns=("a", "b", "c")), "x.csv")
    with pytest.raises(ValueError, match="two different"):
        plane_of(full, (1, 1))
    with pytest.raises(DatasetError):
        parse_upload(b"", "x.csv")


def test_every_page_works_with_your_data_and_the_playground_keeps_it():
    at = upload(choose_own(open_playground()), "pets.csv", pets_csv(columns=("a", "b", "c")))
    at.sidebar.radio(key="pg_own_kind").set_value("Two columns").run()
    before = at.session_state["settings"]
    for page in ("sweep", "derivation", "datasets", "home", "playground"):
        at.switch_page(f"dashboard/{page}/page.py").run()
        assert not at.exception, (page, at.exception)
    assert at.session_state["settings"] == before
    assert stage_plane(at)[0]["feature_labels"] == ["a", "b"]


def test_a_file_name_is_shown_as_text_not_markdown():
    data = pets_csv(columns=("a", "b", "c"))
    at = upload(choose_own(open_playground()), "[x](http://evil.example)*b*.csv", data)
    caption = next(c.value for c in at.caption if "principal components" in c.value)
    assert "](http" not in caption and r"\[x\]" in caption

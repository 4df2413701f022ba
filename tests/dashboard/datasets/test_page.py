"""The Datasets page through AppTest: bundled datasets, uploads good and bad, the options."""

import numpy as np
import pytest

from dashboard.datasets import compute as datasets_compute
from dashboard.ui.markdown import markdown_escape
from softmax_engine import load_csv, load_dataset
from tests.chartspec import chart, decode, open_page

KEYS = ("ds_confusion", "ds_precision_recall", "ds_regions", "ds_loss", "ds_weights")
GOOD_CSV = b"height;width;kind\n" + b"".join(
    f"{1 + 0.1 * i:.2f};{2 + (i % 5) * 0.3:.2f};{'ab'[i % 2]}\n".encode() for i in range(40)
)
BAD_CSV = b"a,b,label\n1,2,x\n3,,y\n"


@pytest.fixture(autouse=True)
def _fresh(fresh_cache):
    yield


def open_datasets(source=None):
    at = open_page("dashboard/datasets/page.py")
    if source is not None:
        at.selectbox(key="ds_source").set_value(source).run()
        assert not at.exception, at.exception
    return at


def metrics(at):
    return {m.label: m.value for m in at.metric}


def shown_dataset(at):
    return next(m.value for m in at.markdown if " samples, " in m.value)


@pytest.mark.parametrize("name", datasets_compute.BUNDLED_SOURCES)
def test_each_bundled_dataset(name):
    at = open_datasets(None if name == "iris" else name)
    run = datasets_compute.train_on_dataset(load_dataset(name), datasets_compute.DatasetOptions())
    for key in KEYS:
        chart(at, key)
    m = metrics(at)
    assert m["Train accuracy"] == f"{run.train_accuracy:.1%}"
    assert m["Val. accuracy"] == f"{run.val_accuracy:.1%}"
    assert m["Objective"] == f"{run.model.history_.loss[-1]:.4f}"
    assert m["Iterations"] == str(run.model.n_iter_)
    assert shown_dataset(at).startswith(
        f"**{markdown_escape(name)}**: {run.dataset.n_samples} samples"
    )
    meta = chart(at, "ds_confusion")["layout"]["meta"]
    assert meta["counts"] == run.report["confusion"].tolist()
    pr = chart(at, "ds_precision_recall")["layout"]["meta"]
    np.testing.assert_allclose(pr["recall"], run.report["recall"])
    weights = chart(at, "ds_weights")
    if name == "digits":
        assert weights["layout"]["meta"]["figure"] == "weight_templates"
        z = decode(weights["data"][0]["z"]).astype(float)
        np.testing.assert_allclose(z, run.W[:, 0].reshape(8, 8), rtol=1e-5, atol=1e-7)
    else:
        assert weights["layout"]["meta"]["shape"] == [
            run.dataset.n_features,
            3 - (name == "breast_cancer"),
        ]
        ticks = weights["layout"]["yaxis"]["ticktext"]
        assert list(ticks) == list(run.dataset.feature_names)
    assert chart(at, "ds_regions")["layout"]["meta"]["n_classes"] == run.dataset.n_classes
    assert any(m.value.startswith("**What this plane is.**") for m in at.markdown)
    # scikit-learn side by side: the table holds the engine's and sklearn's numbers
    table = at.table[0].value
    cmp = run.comparison
    row = list(table.iloc[:, 0]).index("Objective")
    assert table.iloc[row, 1] == f"{cmp.ours_objective:.10f}"
    assert table.iloc[row, 2] == f"{cmp.theirs_objective:.10f}"
    assert any("same class to 100.0%" in c.value for c in at.caption)
    assert not at.error


def test_upload_good_then_bad_keeps_the_good_dataset():
    at = open_datasets(datasets_compute.UPLOAD_SOURCE)
    assert any("Choose a CSV file" in i.value for i in at.info)
    assert shown_dataset(at).startswith("**iris**")  # nothing uploaded yet: previous stays
    uploader = at.get("file_uploader")[0]
    assert uploader.key == "csv_upload" and list(uploader.proto.type) == [".csv"]
    uploader.set_value(("shapes.csv", GOOD_CSV, "text/csv")).run()
    assert not at.exception and not at.error
    assert shown_dataset(at).startswith("**shapes\\.csv**: 40 samples, 2 features, 2 classes")
    expected = datasets_compute.train_on_dataset(
        load_csv(GOOD_CSV, name="shapes.csv"), datasets_compute.DatasetOptions()
    )
    assert metrics(at)["Train accuracy"] == f"{expected.train_accuracy:.1%}"
    good_confusion = chart(at, "ds_confusion")["layout"]["meta"]["counts"]

    at.get("file_uploader")[0].set_value(("broken.csv", BAD_CSV, "text/csv")).run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and errors[0].startswith("**broken\\.csv** cannot be used: ")
    with pytest.raises(Exception) as info:
        load_csv(BAD_CSV)
    assert markdown_escape(info.value) in errors[0]  # the DatasetError message
    assert "keeps showing **shapes\\.csv**" in errors[0]
    assert shown_dataset(at).startswith("**shapes\\.csv**")  # the good upload stays in place
    assert chart(at, "ds_confusion")["layout"]["meta"]["counts"] == good_confusion


def test_bad_upload_first_keeps_the_bundled_dataset():
    at = open_datasets("wine")
    at.selectbox(key="ds_source").set_value(datasets_compute.UPLOAD_SOURCE).run()
    at.get("file_uploader")[0].set_value(("image.csv", b"\x89PNG\r\n\x1a\nxx", "text/csv"))
    at.run()
    assert not at.exception
    assert any("PNG" in e.value for e in at.error)
    assert shown_dataset(at).startswith("**wine**")
    for key in KEYS:
        chart(at, key)


def test_an_upload_stays_in_its_session():
    first = open_datasets(datasets_compute.UPLOAD_SOURCE)
    first.get("file_uploader")[0].set_value(("mine.csv", GOOD_CSV, "text/csv")).run()
    assert shown_dataset(first).startswith("**mine\\.csv**")
    second = open_datasets(datasets_compute.UPLOAD_SOURCE)
    assert datasets_compute.UPLOADED_KEY not in second.session_state
    assert shown_dataset(second).startswith("**iris**")
    # going to a bundled set and back finds the session's own upload again
    first.selectbox(key="ds_source").set_value("digits").run()
    first.selectbox(key="ds_source").set_value(datasets_compute.UPLOAD_SOURCE).run()
    assert shown_dataset(first).startswith("**mine\\.csv**")


def test_training_is_cached_by_content(monkeypatch):
    calls = []
    real = datasets_compute.train_on_dataset

    def counting(dataset, options):
        calls.append((dataset.name, options))
        return real(dataset, options)

    monkeypatch.setattr(datasets_compute, "train_on_dataset", counting)
    at = open_datasets()
    assert len(calls) == 1
    at.radio(key="ds_plane").set_value("features").run()  # view only: no retraining
    assert len(calls) == 1
    at.select_slider(key="ds_reg").set_value(0.1).run()
    assert len(calls) == 2 and calls[-1][1].reg == 0.1


def test_gradient_descent_controls():
    at = open_datasets()
    at.radio(key="ds_optimizer").set_value("sgd").run()
    at.select_slider(key="ds_lr").set_value(0.2).run()
    at.slider(key="ds_steps").set_value(150).run()
    assert not at.exception
    opts = datasets_compute.DatasetOptions(optimizer="sgd", learning_rate=0.2, steps=150)
    run = datasets_compute.train_on_dataset(load_dataset("iris"), opts)
    m = metrics(at)
    assert m["Steps"] == "150"
    assert m["Objective"] == f"{run.model.history_.loss[-1]:.4f}"
    loss = chart(at, "ds_loss")
    trace = next(t for t in loss["data"] if t["name"] == "total loss")
    np.testing.assert_allclose(decode(trace["y"]), run.model.history_.loss, rtol=1e-6)
    assert any("above this optimum" in c.value for c in at.caption)


def test_feature_plane_choice():
    at = open_datasets("wine")
    at.radio(key="ds_plane").set_value("features").run()
    at.selectbox(key="ds_feat_u").set_value(3).run()
    at.selectbox(key="ds_feat_v").set_value(9).run()
    layout = chart(at, "ds_regions")["layout"]
    names = load_dataset("wine").feature_names
    assert layout["xaxis"]["title"]["text"] == f"{names[3]} − mean"
    assert layout["yaxis"]["title"]["text"] == f"{names[9]} − mean"
    text = next(m.value for m in at.markdown if m.value.startswith("**What this plane is.**"))
    assert "held at their mean" in text and "standard deviations" in text
    at.selectbox(key="ds_feat_v").set_value(3).run()
    assert any("two different features" in w.value for w in at.warning)


def test_names_from_a_file_are_shown_as_text():
    csv = b"x,y,label\n1,2,$a$\n2,1,[b](c)\n3,3,$a$\n0,1,[b](c)\n1,1,$a$\n2,2,[b](c)\n"
    at = open_datasets(datasets_compute.UPLOAD_SOURCE)
    at.get("file_uploader")[0].set_value(("*bold*.csv", csv, "text/csv")).run()
    assert not at.exception and not at.error
    line = shown_dataset(at)
    assert line.startswith("**\\*bold\\*\\.csv**")
    assert "\\$a\\$: 3" in line and "\\[b\\]\\(c\\): 3" in line


def test_many_classes_and_one_feature_need_no_plane():
    rows = "".join(f"{i % 7}.5,{(i * 3) % 11}.25,c{i % 12}\n" for i in range(120)).encode()
    at = open_datasets(datasets_compute.UPLOAD_SOURCE)
    at.get("file_uploader")[0].set_value(("twelve.csv", rows, "text/csv")).run()
    assert not at.exception
    assert any("up to 10 classes" in i.value for i in at.info)
    one = "".join(f"{i * 0.1:.1f},{'xy'[i > 9]}\n" for i in range(20)).encode()
    at.get("file_uploader")[0].set_value(("one.csv", one, "text/csv")).run()
    assert not at.exception
    assert any("single feature" in i.value for i in at.info)


def test_controls_keep_their_values_across_pages():
    at = open_datasets("wine")
    at.radio(key="ds_optimizer").set_value("sgd").run()
    at.select_slider(key="ds_lr").set_value(0.2).run()
    at.select_slider(key="ds_reg").set_value(0.01).run()
    at.slider(key="ds_val_share").set_value(0.3).run()
    at.radio(key="ds_plane").set_value("features").run()
    at.selectbox(key="ds_feat_u").set_value(4).run()
    at.switch_page("dashboard/playground/page.py").run()
    assert not at.exception, at.exception
    at.switch_page("dashboard/datasets/page.py").run()
    assert not at.exception, at.exception
    assert at.selectbox(key="ds_source").value == "wine"
    assert at.radio(key="ds_optimizer").value == "sgd"
    assert at.select_slider(key="ds_lr").value == 0.2
    assert at.select_slider(key="ds_reg").value == 0.01
    assert at.slider(key="ds_val_share").value == 0.3
    assert at.selectbox(key="ds_feat_u").value == 4
    # and the page trains with them, as a model trained alone with the same options does
    opts = datasets_compute.DatasetOptions(
        optimizer="sgd", learning_rate=0.2, reg=0.01, validation_share=0.3
    )
    run = datasets_compute.train_on_dataset(load_dataset("wine"), opts)
    assert metrics(at)["Train accuracy"] == f"{run.train_accuracy:.1%}"


def test_a_kept_feature_index_outside_a_smaller_dataset_falls_back():
    at = open_datasets("wine")  # 13 features
    at.radio(key="ds_plane").set_value("features").run()
    at.selectbox(key="ds_feat_u").set_value(12).run()
    at.selectbox(key="ds_source").set_value("iris").run()  # 4 features
    assert not at.exception, at.exception
    assert at.selectbox(key="ds_feat_u").value == 0
    assert not at.warning  # the fallback pair (0, 1) is two different features


def test_the_folder_keeps_the_page_rules():
    """page.py only lays out; compute and charts are pure; caches live in cache.py."""
    from tests.dashboard.rules import page_rule_violations

    assert page_rule_violations("datasets") == []


def test_iris_page_matches_scikit_learn_trained_alone():
    """The page's numbers against an oracle built without the page's glue: scikit-learn's
    StandardScaler and LogisticRegression at the matching C on the same seeded split."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import accuracy_score, confusion_matrix
    from sklearn.preprocessing import StandardScaler

    at = open_datasets()
    ds = load_dataset("iris")
    opts = datasets_compute.DatasetOptions()
    train, val = ds.train_validation_indices(opts.validation_share, random_state=0)
    scaler = StandardScaler().fit(ds.X[train])
    Z = scaler.transform(ds.X)
    C = 1 / (2 * len(train) * opts.reg)  # multiclass: sklearn's objective is 2·N·reg·ours
    lr = LogisticRegression(C=C, tol=1e-10, max_iter=3000).fit(Z[train], ds.y[train])
    m = metrics(at)
    assert m["Train accuracy"] == f"{accuracy_score(ds.y[train], lr.predict(Z[train])):.1%}"
    assert m["Val. accuracy"] == f"{accuracy_score(ds.y[val], lr.predict(Z[val])):.1%}"
    counts = chart(at, "ds_confusion")["layout"]["meta"]["counts"]
    assert counts == confusion_matrix(ds.y[val], lr.predict(Z[val])).tolist()

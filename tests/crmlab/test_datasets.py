"""Data loaders: right shapes and types, clear errors on bad files, work when installed."""

import subprocess
import sys
import textwrap

import numpy as np
import pandas as pd
import pytest

from crmlab import datasets


# rows and customers of each file, as published by Fader, Hardie & Lee (2005)
@pytest.mark.parametrize("kind, rows, customers", [("master", 69_659, 23_570),
                                                   ("sample", 6_919, 2_357)])
def test_cdnow_shape_and_types(kind, rows, customers):
    tx = datasets.load_cdnow(kind)
    assert list(tx.columns) == ["customer_id", "date", "quantity", "amount"]
    assert len(tx) == rows and tx["customer_id"].nunique() == customers
    assert str(tx["customer_id"].dtype) == "int64" and str(tx["quantity"].dtype) == "int64"
    assert str(tx["amount"].dtype) == "float64"
    assert pd.api.types.is_datetime64_any_dtype(tx["date"])
    assert tx["date"].min() == pd.Timestamp("1997-01-01")
    assert tx["date"].max() == pd.Timestamp("1998-06-30")
    # every CDNOW customer made the first purchase in the first quarter of 1997
    assert tx.groupby("customer_id")["date"].min().max() < pd.Timestamp("1997-04-01")


def test_sample_customers_are_a_subset_of_master():
    master, sample = datasets.load_cdnow("master"), datasets.load_cdnow("sample")
    assert set(sample["customer_id"]) <= set(master["customer_id"])
    merged = sample.merge(master, on=list(sample.columns), how="left", indicator=True)
    assert (merged["_merge"] == "both").all()


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="kind='full'.*master"):
        datasets.load_cdnow("full")


def _write(tmp_path, text, name="cdnow.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="ascii")
    return path


def test_missing_file_is_named(tmp_path):
    with pytest.raises(ValueError, match="path=.*nope.txt' does not exist"):
        datasets.read_cdnow_file(tmp_path / "nope.txt")


def test_unparseable_date_names_file_and_rows(tmp_path):
    path = _write(tmp_path, " 00001 19970101  1   11.77\n 00002 1997-13-40  1   12.00\n")
    with pytest.raises(ValueError, match=r"cdnow.txt: column 'date'.*rows \[2\]"):
        datasets.read_cdnow_file(path)


def test_negative_quantity_is_refused(tmp_path):
    path = _write(tmp_path, " 00001 19970101  -1   11.77\n")
    with pytest.raises(ValueError, match=r"negative quantity or amount in rows \[1\]"):
        datasets.read_cdnow_file(path)


def test_missing_column_is_refused(tmp_path):
    path = _write(tmp_path, " 00001 19970101  1\n")
    with pytest.raises(ValueError, match="expected 4 whitespace-separated columns"):
        datasets.read_cdnow_file(path)


def test_csv_loader_names_missing_columns(monkeypatch, tmp_path):
    (tmp_path / "cdnow").mkdir()
    (tmp_path / "synthetic").mkdir()
    (tmp_path / "synthetic" / "toy.csv").write_text("id,when\n1,2024-01-01\n", encoding="utf-8")
    monkeypatch.setattr(datasets, "data_dir", lambda: tmp_path)
    with pytest.raises(ValueError, match=r"columns=\['amount'\] is invalid: data set toy"):
        datasets.load_synthetic("toy", columns=["amount"])
    with pytest.raises(ValueError, match="not found.*expected one of \\['toy'\\]"):
        datasets.load_synthetic("other")
    (tmp_path / "synthetic" / "bad.csv").write_text("when\nyesterday\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad.csv: column 'when' has unparseable dates"):
        datasets.load_synthetic("bad", parse_dates=["when"])


def test_non_editable_install_ships_the_data(tmp_path, root):
    """Build the wheel, install it into an empty folder, load CDNOW from there."""
    wheels, target = tmp_path / "wheels", tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels),
                    str(root)], check=True, capture_output=True, timeout=300)
    wheel = next(wheels.glob("crmlab-*.whl"))
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target",
                    str(target), str(wheel)], check=True, capture_output=True, timeout=300)
    code = textwrap.dedent("""
        import crmlab, crmlab.datasets as d, crmlab.plotting as p
        assert "site" in crmlab.__file__, crmlab.__file__
        print(len(d.load_cdnow("master")), d.data_dir().name, p.font_path().is_file())
    """)
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                         text=True, env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"},
                         timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["69659", "_datasets", "True"]


# --- bad input: every loader answers with ValueError/TypeError ---------------------------

@pytest.mark.parametrize("bad", [None, 1, 1.5, np.nan, True, "", ["master"], {"a": 1},
                                 "MASTER", "../cdnow/CDNOW_master", np.str_("nope")])
def test_loaders_refuse_bad_names(bad):
    calls = [lambda: datasets.load_cdnow(bad), lambda: datasets.load_textbook(bad),
             lambda: datasets.load_synthetic(bad), lambda: datasets.list_datasets(bad),
             lambda: datasets.read_cdnow_file(bad)]
    for call in calls:
        with pytest.raises((ValueError, TypeError)):
            call()


@pytest.mark.parametrize("bad", ["date", 5, [5], [None], ("amount", 3)])
def test_column_lists_must_be_lists_of_names(bad):
    with pytest.raises(TypeError, match="expected a list of column names|non-empty string"):
        datasets.load_synthetic("customer_orders", columns=bad)
    with pytest.raises(TypeError):
        datasets.load_synthetic("customer_orders", parse_dates=bad)


def test_read_cdnow_file_flag_must_be_a_bool():
    path = datasets.data_dir() / "cdnow" / "CDNOW_master.txt"
    with pytest.raises(TypeError, match="True or False"):
        datasets.read_cdnow_file(path, with_sample_index="False")


def test_customer_file_example_moved_here():
    records, orders, contacts = datasets.load_customer_file_example()
    assert set(orders["record_id"]) <= set(records["record_id"])
    assert set(contacts["record_id"]) <= set(records["record_id"])
    from crmlab import customer_file

    assert not hasattr(customer_file, "load_example")  # data makers live in datasets only

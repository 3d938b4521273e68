"""RFM summary: crmlab vs lifetimes vs DuckDB SQL, on CDNOW and synthetic data.

Usage: .venv/bin/python benchmarks/rfm.py [--sizes 1000000 10000000] [--repeat 3]

Each (engine, data set) pair runs in a fresh subprocess that builds the input
DataFrame, resets the kernel's peak-RSS counter (/proc/self/clear_refs), runs the
summary and reports wall time (best of --repeat) and the peak extra resident
memory of the first run. Results are written to .npz files and checked against
crmlab's: same customers, recency and frequency exactly, money to 1e-9.

* crmlab: ``crmlab.rfm.summary`` (this environment).
* DuckDB: one SQL query (``pip install duckdb``, the ``bench`` extra).
* lifetimes 0.11.3: ``lifetimes.utils.summary_data_from_transaction_data``. It
  fails on pandas 3 / numpy 2, so it runs in its own virtual environment
  (default /tmp/lt-venv, or $LIFETIMES_PYTHON), e.g.
  ``python3 -m venv /tmp/lt-venv && /tmp/lt-venv/bin/pip install lifetimes==0.11.3
  "pandas<2" "numpy<1.25" "scipy<1.11"``; data go through .npz files. If that
  interpreter is missing, its column is skipped with a note.
  lifetimes' defaults differ from the textbook: ``frequency`` = repeat purchases
  (occasions - 1), ``recency`` = age at the last purchase (last - first),
  ``monetary_value`` = mean of repeat purchases only. We call it with
  ``include_first_transaction=True`` (frequency = occasions, monetary_value =
  mean over all occasions) and convert recency: ``recency_days = T - recency``;
  its default call is checked too, converted (occasions = frequency + 1).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from _machine import machine  # benchmarks/ is on sys.path when run as a script

ROOT = Path(__file__).resolve().parents[1]
AS_OF_CDNOW = "1998-07-01"
AS_OF_SYNTH = "2024-01-01"
LIFETIMES_PYTHON = os.environ.get("LIFETIMES_PYTHON", "/tmp/lt-venv/bin/python")
ENGINES = ("crmlab", "duckdb", "lifetimes")


# --- worker (runs in a subprocess; imports only what its engine needs) -----------

def _rss_kib(field: str) -> int:
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def _reset_peak() -> bool:
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")
        return True
    except OSError:
        return False


def _frame(path: str):
    import pandas as pd

    data = np.load(path)
    frame = pd.DataFrame({
        "customer_id": data["customer_id"],
        "date": data["day"].astype("datetime64[D]").astype("datetime64[ns]"),
        "amount": data["amount"],
    })
    return frame, str(data["as_of"])


def _run_crmlab(frame, as_of):
    from crmlab import rfm

    s = rfm.summary(frame, as_of=as_of)
    return {k: s[k].to_numpy() for k in ("customer_id", "recency_days", "frequency",
                                         "monetary_total", "monetary_mean")}


def _run_duckdb(frame, as_of):
    import duckdb

    con = duckdb.connect()
    con.register("tx", frame)
    sql = f"""
        WITH occ AS (
            SELECT customer_id, CAST(date AS DATE) AS day, SUM(amount) AS amount
            FROM tx WHERE CAST(date AS DATE) <= DATE '{as_of}'
            GROUP BY customer_id, day)
        SELECT customer_id,
               DATE '{as_of}' - MAX(day) AS recency_days,
               COUNT(*) AS frequency,
               SUM(amount) AS monetary_total,
               AVG(amount) AS monetary_mean
        FROM occ GROUP BY customer_id ORDER BY customer_id"""
    out = con.execute(sql).fetchnumpy()
    con.close()
    return {k: np.asarray(v) for k, v in out.items()}


def _run_lifetimes(frame, as_of):
    import pandas as pd
    from lifetimes.utils import summary_data_from_transaction_data

    s = summary_data_from_transaction_data(
        frame, "customer_id", "date", monetary_value_col="amount",
        observation_period_end=pd.Timestamp(as_of), freq="D",
        include_first_transaction=True).sort_index()
    freq = s["frequency"].to_numpy()
    return {"customer_id": s.index.to_numpy(),
            "recency_days": (s["T"] - s["recency"]).to_numpy(),
            "frequency": freq,
            "monetary_total": s["monetary_value"].to_numpy() * freq,
            "monetary_mean": s["monetary_value"].to_numpy()}


def _lifetimes_default(frame, as_of):
    import pandas as pd
    from lifetimes.utils import summary_data_from_transaction_data

    s = summary_data_from_transaction_data(
        frame, "customer_id", "date", monetary_value_col="amount",
        observation_period_end=pd.Timestamp(as_of), freq="D").sort_index()
    # default: frequency = repeat purchases -> occasions = frequency + 1;
    # recency = age at the last purchase -> days since it = T - recency.
    return {"default_occasions": s["frequency"].to_numpy() + 1,
            "default_recency_days": (s["T"] - s["recency"]).to_numpy()}


def worker(engine: str, data_path: str, out_path: str, repeat: int) -> None:
    frame, as_of = _frame(data_path)
    run = {"crmlab": _run_crmlab, "duckdb": _run_duckdb, "lifetimes": _run_lifetimes}[engine]
    # Import the engine before measuring: neither import time nor module memory count.
    __import__({"crmlab": "crmlab.rfm", "duckdb": "duckdb",
                "lifetimes": "lifetimes.utils"}[engine])
    input_mib = frame.memory_usage(deep=True).sum() / 2**20
    exact = _reset_peak()
    before = _rss_kib("VmRSS")
    start = time.perf_counter()
    result = run(frame, as_of)
    times = [time.perf_counter() - start]
    peak_extra = (_rss_kib("VmHWM") - before) / 1024 if exact else float("nan")
    for _ in range(repeat - 1):
        start = time.perf_counter()
        run(frame, as_of)
        times.append(time.perf_counter() - start)
    if engine == "lifetimes":  # lifetimes' own (default) definitions, converted
        result.update(_lifetimes_default(frame, as_of))
    np.savez(out_path, **result)
    print(json.dumps({"seconds": min(times), "peak_mib": peak_extra, "input_mib": input_mib}))


# --- driver --------------------------------------------------------------------------

def _save(path: Path, customer, day, amount, as_of: str) -> None:
    np.savez(path, customer_id=np.asarray(customer, dtype=np.int64),
             day=np.asarray(day, dtype=np.int64), amount=np.asarray(amount, dtype=float),
             as_of=np.array(as_of))


def make_cdnow(path: Path) -> None:
    sys.path.insert(0, str(ROOT))
    from crmlab import datasets

    tx = datasets.load_cdnow("master")
    day = tx["date"].to_numpy().astype("datetime64[D]").astype(np.int64)
    _save(path, tx["customer_id"], day, tx["amount"], AS_OF_CDNOW)


def make_synthetic(path: Path, n: int, seed: int = 2024) -> None:
    """n transactions by n/10 customers over 3 years, random row order."""
    rng = np.random.default_rng(seed)
    customers = max(n // 10, 1)
    # Activity differs by customer (heavy tail), so frequencies vary as in real data.
    weight = rng.pareto(1.5, customers) + 1
    customer = rng.choice(customers, size=n, p=weight / weight.sum()) + 100_000
    start = np.datetime64("2021-01-01", "D").astype(np.int64)
    day = start + rng.integers(0, 3 * 365, n)
    amount = np.round(rng.lognormal(3.2, 0.8, n), 2)
    _save(path, customer, day, amount, AS_OF_SYNTH)


def run_engine(engine: str, data: Path, out: Path, repeat: int) -> dict | None:
    python = LIFETIMES_PYTHON if engine == "lifetimes" else sys.executable
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.run([python, __file__, "--worker", engine, str(data), str(out),
                           str(repeat)], capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        print(f"  {engine} failed:\n{proc.stderr[-2000:]}", file=sys.stderr)
        return None
    return json.loads(proc.stdout.strip().splitlines()[-1])


def agree(reference: Path, other: Path) -> str:
    a, b = np.load(reference), np.load(other)
    if not np.array_equal(a["customer_id"], b["customer_id"]):
        return "customers differ"
    for key in ("recency_days", "frequency"):
        if not np.array_equal(a[key].astype(np.int64), np.asarray(b[key]).astype(np.int64)):
            return f"{key} differs"
    if "default_occasions" in b.files:
        if not (np.array_equal(a["frequency"], b["default_occasions"].astype(np.int64))
                and np.array_equal(a["recency_days"],
                                   b["default_recency_days"].astype(np.int64))):
            return "default definitions differ after conversion"
    for key in ("monetary_total", "monetary_mean"):
        if not np.allclose(a[key], b[key], rtol=1e-9, atol=1e-9):
            return f"{key} differs (max {np.max(np.abs(a[key] - b[key])):.3g})"
    return "agree"


def fmt(r: dict | None) -> str:
    return f"{r['seconds']:.3f}" if r else "skipped"



def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1_000_000, 10_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    import duckdb
    import pandas as pd

    have_lifetimes = Path(LIFETIMES_PYTHON).is_file()
    print(f"machine: {machine()}")
    print(f"pandas {pd.__version__}, numpy {np.__version__}, duckdb {duckdb.__version__}")
    if not have_lifetimes:
        print(f"note: {LIFETIMES_PYTHON} not found: the lifetimes column is skipped "
              f"(see the module docstring to create that virtual environment)")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        sets = [("CDNOW master", None)] + [(f"synthetic {n:,}", n) for n in args.sizes]
        for label, n in sets:
            data = tmpdir / "data.npz"
            make_cdnow(data) if n is None else make_synthetic(data, n)
            res = {}
            for engine in ENGINES:
                if engine == "lifetimes" and not have_lifetimes:
                    continue
                out = tmpdir / f"{engine}.npz"
                stats = run_engine(engine, data, out, 1 if engine == "lifetimes"
                                   else args.repeat)
                if stats is not None:
                    stats["check"] = ("reference" if engine == "crmlab"
                                      else agree(tmpdir / "crmlab.npz", out))
                    res[engine] = stats
            rows.append((label, res))
            c = res.get("crmlab", {})
            print(f"{label}: " + "; ".join(
                f"{e} {r['seconds']:.3f} s, peak +{r['peak_mib']:.0f} MiB ({r['check']})"
                for e, r in res.items()) + f"; input frame {c.get('input_mib', 0):.0f} MiB",
                flush=True)

    print("\n| data | rows | crmlab s | DuckDB s | lifetimes s | lifetimes / crmlab "
          "| crmlab / DuckDB | crmlab peak / input | results |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for label, res in rows:
        c, d, lt = res.get("crmlab"), res.get("duckdb"), res.get("lifetimes")
        n = label.split()[-1] if label.startswith("synthetic") else "69,659"
        ratio_lt = f"{lt['seconds'] / c['seconds']:.0f}×" if lt and c else "—"
        ratio_d = f"{c['seconds'] / d['seconds']:.2f}" if d and c else "—"
        mem = (f"{c['peak_mib']:.0f} / {c['input_mib']:.0f} MiB = "
               f"{c['peak_mib'] / c['input_mib']:.2f}×") if c else "—"
        checks = ", ".join(f"{e}: {r['check']}" for e, r in res.items() if e != "crmlab")
        print(f"| {label.rsplit(' ', 1)[0] if n != '69,659' else label} | {n} | {fmt(c)} | "
              f"{fmt(d)} | {fmt(lt)} | {ratio_lt} | {ratio_d} | {mem} | {checks} |")
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        worker(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]))
    else:
        sys.exit(main(sys.argv[1:]))

"""BG/NBD (+ Gamma-Gamma, CLV) and Pareto/NBD: crmlab vs lifetimes 0.11.3, CDNOW and simulated.

Usage: .venv/bin/python benchmarks/probabilistic.py [--sizes 100000 1000000] [--repeat 3]
       [--models bgnbd pnbd] [--lifetimes-pnbd-max 1000000]

Data: the calibration summaries (x, t_x, T, monetary) of the CDNOW 1/10 sample and the
CDNOW master file (calibration to 1997-09-30, weeks), and customer bases simulated by
``crmlab.synthetic.buyers.bgnbd_summary`` from the published CDNOW parameters (first
purchases spread over 12 weeks, times on a grid of whole days as real dates give).

Each (engine, data set) pair runs in a fresh subprocess that loads the summary from an
.npz file, resets the kernel's peak-RSS counter (/proc/self/clear_refs) and measures

* fit: ``BetaGeo().fit`` (crmlab) / ``BetaGeoFitter().fit`` (lifetimes), wall time
  (best of --repeat; lifetimes: 1 run) and CPU time of the same run;
* predict: P(alive) + conditional expected transactions in the next 39 weeks + a
  12-month CLV (periods of 4.345 weeks, 1 % per month, as lifetimes'
  ``customer_lifetime_value(..., time=12, discount_rate=0.01, freq="W")`` computes it;
  the Gamma-Gamma fit is done before the clock starts);
* peak: extra resident memory over the whole fit + predict of the first run.

Pareto/NBD (``--models pnbd``): ``ParetoNBD().fit`` vs lifetimes' ``ParetoNBDFitter().fit``
on the same summaries; predict = P(alive) + conditional expected transactions in the next
39 weeks. lifetimes evaluates the likelihood customer by customer with Nelder-Mead, so it
is only run up to ``--lifetimes-pnbd-max`` customers. BG/BB: the donations data (22
patterns, 11,104 donors), ``BetaGeoBetaBinom`` vs ``BetaGeoBetaBinomFitter``.

lifetimes 0.11.3 fails on pandas 3 / numpy 2, so it runs in its own virtual environment
(default /tmp/lt-venv, or $LIFETIMES_PYTHON), e.g. ``python3 -m venv /tmp/lt-venv &&
/tmp/lt-venv/bin/pip install lifetimes==0.11.3 "pandas<2" "numpy<1.25" "scipy<1.11"``.
If that interpreter is missing its columns are skipped with a note. Both engines'
parameters, P(alive), conditional expectations and CLV are compared.
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
LIFETIMES_PYTHON = os.environ.get("LIFETIMES_PYTHON", "/tmp/lt-venv/bin/python")
HOLDOUT = 39.0            # weeks
MONTHS, MONTHLY_RATE = 12, 0.01
WEEKS_PER_MONTH = 4.345   # lifetimes' factor for freq="W"
NAMES = ("r", "alpha", "a", "b")
PNBD_NAMES = ("r", "alpha", "s", "beta")
ENGINES = {("crmlab", "bgnbd"): "_crmlab", ("lifetimes", "bgnbd"): "_lifetimes",
           ("crmlab", "pnbd"): "_crmlab_pnbd", ("lifetimes", "pnbd"): "_lifetimes_pnbd"}


# --- worker (runs in a subprocess) -------------------------------------------------

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


def _crmlab_pnbd(frame):
    from crmlab import probabilistic as pb

    def fit():
        return pb.ParetoNBD().fit(frame)

    def predict(model, _):
        alive = model.p_alive(frame).to_numpy()
        expected = model.conditional_expected_transactions(HOLDOUT, frame).to_numpy()
        return alive, expected, expected

    def warm_up():    # import scipy's optimiser and special functions before the clock
        from scipy import optimize, special  # noqa: F401

    return (fit, predict, warm_up, lambda m: [m.params_[k] for k in PNBD_NAMES],
            lambda _: [1.0])


def _lifetimes_pnbd(frame):
    from lifetimes import ParetoNBDFitter

    x, t_x, T = (frame[k].to_numpy() for k in ("x", "t_x", "T"))   # its predictions need arrays

    def fit():
        return ParetoNBDFitter().fit(x, t_x, T)

    def predict(model, _):
        alive = np.asarray(model.conditional_probability_alive(x, t_x, T))
        expected = np.asarray(model.conditional_expected_number_of_purchases_up_to_time(
            HOLDOUT, x, t_x, T))
        return alive, expected, expected

    return (fit, predict, lambda: None, lambda m: [float(m.params_[k]) for k in PNBD_NAMES],
            lambda _: [1.0])


def _crmlab(frame):
    from crmlab import probabilistic as pb

    def fit():
        return pb.BetaGeo().fit(frame)

    def predict(bg, gg):
        alive = bg.p_alive(frame)
        expected = bg.conditional_expected_transactions(HOLDOUT, frame)
        value = pb.clv(bg, gg, frame, horizon=MONTHS, rate=MONTHLY_RATE, margin=1.0,
                       period=WEEKS_PER_MONTH)
        return alive.to_numpy(), expected.to_numpy(), value.to_numpy()

    def spend():   # CDNOW master has repeat buyers whose items were free (mean spend 0)
        return pb.GammaGamma().fit(frame[frame["monetary"] != 0])

    def params(bg):
        return [bg.params_[k] for k in NAMES]

    def gg_params(gg):
        return [gg.params_[k] for k in ("p", "q", "gamma")]

    return fit, predict, spend, params, gg_params


def _lifetimes(frame):
    from lifetimes import BetaGeoFitter, GammaGammaFitter

    x, t_x, T, money = frame["x"], frame["t_x"], frame["T"], frame["monetary"]

    def fit():
        return BetaGeoFitter().fit(x, t_x, T)

    def predict(bg, gg):
        alive = bg.conditional_probability_alive(x, t_x, T)
        expected = bg.conditional_expected_number_of_purchases_up_to_time(HOLDOUT, x, t_x, T)
        value = gg.customer_lifetime_value(bg, x, t_x, T, money.fillna(0.0), time=MONTHS,
                                           discount_rate=MONTHLY_RATE, freq="W")
        return np.asarray(alive), np.asarray(expected), np.asarray(value)

    def spend():
        buyers = (x > 0) & (money != 0)
        return GammaGammaFitter().fit(x[buyers], money[buyers])

    def params(bg):
        return [float(bg.params_[k]) for k in NAMES]

    def gg_params(gg):
        return [float(gg.params_[k]) for k in ("p", "q", "v")]

    return fit, predict, spend, params, gg_params


def worker(engine: str, data_path: str, out_path: str, repeat: int,
           model: str = "bgnbd") -> None:
    import pandas as pd

    data = np.load(data_path)
    frame = pd.DataFrame({k: data[k] for k in ("x", "t_x", "T", "monetary")})
    frame["x"] = frame["x"].astype(np.int64)
    summary_mib = frame.memory_usage(deep=True).sum() / 2**20
    fit, predict, spend, params, gg_params = globals()[ENGINES[engine, model]](frame)
    gg = spend()
    exact = _reset_peak()
    before = _rss_kib("VmRSS")
    fit_wall, fit_cpu, pred_wall, pred_cpu = [], [], [], []
    for run in range(repeat):
        w, c = time.perf_counter(), time.process_time()
        bg = fit()
        fit_wall.append(time.perf_counter() - w)
        fit_cpu.append(time.process_time() - c)
        w, c = time.perf_counter(), time.process_time()
        alive, expected, value = predict(bg, gg)
        pred_wall.append(time.perf_counter() - w)
        pred_cpu.append(time.process_time() - c)
        if run == 0:
            peak = (_rss_kib("VmHWM") - before) / 1024 if exact else float("nan")
    best = int(np.argmin(fit_wall))
    np.savez(out_path, params=np.array(params(bg)), gg=np.array(gg_params(gg)),
             alive=alive, expected=expected, clv=value)
    print(json.dumps({"fit": fit_wall[best], "fit_cpu": fit_cpu[best],
                      "predict": min(pred_wall), "predict_cpu": min(pred_cpu), "peak_mib": peak,
                      "summary_mib": summary_mib}))


# --- driver --------------------------------------------------------------------------

def _save(path: Path, frame) -> None:
    np.savez(path, x=frame["x"].to_numpy(np.int64), t_x=frame["t_x"].to_numpy(float),
             T=frame["T"].to_numpy(float), monetary=frame["monetary"].to_numpy(float))


def make_cdnow(path: Path, kind: str) -> int:
    sys.path.insert(0, str(ROOT))
    from crmlab import datasets, probabilistic

    s = probabilistic.calibration_summary(datasets.load_cdnow(kind),
                                          calibration_end="1997-09-30")
    _save(path, s)
    return len(s)


def make_synthetic(path: Path, n: int) -> int:
    sys.path.insert(0, str(ROOT))
    from crmlab.synthetic.buyers import bgnbd_summary

    _save(path, bgnbd_summary(n, T="cohort", days=True, seed=2024))
    return n


def run_engine(engine: str, data: Path, out: Path, repeat: int,
               model: str = "bgnbd") -> dict | None:
    python = LIFETIMES_PYTHON if engine == "lifetimes" else sys.executable
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.run([python, __file__, "--worker", engine, str(data), str(out),
                           str(repeat), model], capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        print(f"  {engine} failed:\n{proc.stderr[-2000:]}", file=sys.stderr)
        return None
    return json.loads(proc.stdout.strip().splitlines()[-1])


def compare(ours: Path, theirs: Path) -> dict:
    a, b = np.load(ours), np.load(theirs)
    rel = np.abs(a["params"] / b["params"] - 1)
    rel_gg = np.abs(a["gg"] / b["gg"] - 1)
    return {"params_rel": float(rel.max()), "gg_rel": float(rel_gg.max()),
            "alive_abs": float(np.max(np.abs(a["alive"] - b["alive"]))),
            "expected_abs": float(np.max(np.abs(a["expected"] - b["expected"]))),
            "clv_rel": float(np.max(np.abs(a["clv"] - b["clv"])
                                    / np.maximum(np.abs(b["clv"]), 1e-9)))}



def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--models", nargs="*", default=["bgnbd", "pnbd"],
                        choices=["bgnbd", "pnbd"])
    parser.add_argument("--lifetimes-pnbd-max", type=int, default=1_000_000)
    args = parser.parse_args(argv)

    import pandas as pd
    import scipy

    have_lifetimes = Path(LIFETIMES_PYTHON).is_file()
    print(f"machine: {machine()} (other jobs: wall "
          f"times grow with it, CPU times much less)")
    print(f"pandas {pd.__version__}, numpy {np.__version__}, scipy {scipy.__version__}")
    if not have_lifetimes:
        print(f"note: {LIFETIMES_PYTHON} not found: the lifetimes columns are skipped "
              f"(see the module docstring to create that virtual environment)")
    for model in args.models:
        print(f"\n## {'BG/NBD + Gamma-Gamma + CLV' if model == 'bgnbd' else 'Pareto/NBD'}")
        _run_model(model, args, have_lifetimes)
    bgbb_row(have_lifetimes)
    return 0


def _run_model(model: str, args, have_lifetimes: bool) -> None:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        sets = [("CDNOW sample", "sample"), ("CDNOW master", "master")] + [
            ("simulated", n) for n in args.sizes]
        for label, what in sets:
            data = tmpdir / "data.npz"
            n = (make_cdnow(data, what) if isinstance(what, str)
                 else make_synthetic(data, what))
            res = {}
            for engine in ("crmlab", "lifetimes"):
                if engine == "lifetimes" and (not have_lifetimes or (
                        model == "pnbd" and n > args.lifetimes_pnbd_max)):
                    continue
                stats = run_engine(engine, data, tmpdir / f"{engine}.npz",
                                   1 if engine == "lifetimes" else args.repeat, model)
                if stats is not None:
                    res[engine] = stats
            if len(res) == 2:
                res["check"] = compare(tmpdir / "crmlab.npz", tmpdir / "lifetimes.npz")
            rows.append((label, n, res))
            print(f"{label} {n:,}: {json.dumps(res)}; load {os.getloadavg()[0]:.1f}", flush=True)

    print("\n| data | customers | crmlab fit s (CPU s) | lifetimes fit s | lifetimes / crmlab "
          "| crmlab predict s (CPU s) | lifetimes predict s | crmlab peak / summary "
          "| max rel. diff of parameters (BG/NBD; GG) | max abs. diff P(alive); E[Y(39)]; "
          "max rel. diff CLV |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|---|")
    for label, n, res in rows:
        c, lt, chk = res.get("crmlab"), res.get("lifetimes"), res.get("check")
        cf = f"{c['fit']:.3f} ({c['fit_cpu']:.3f})" if c else "—"
        lf = f"{lt['fit']:.2f}" if lt else "—"
        ratio = f"{lt['fit'] / c['fit']:.0f}×" if c and lt else "—"
        cp = f"{c['predict']:.3f} ({c['predict_cpu']:.3f})" if c else "—"
        lp = f"{lt['predict']:.2f}" if lt else "—"
        mem = (f"{c['peak_mib']:.0f} / {c['summary_mib']:.0f} MiB = "
               f"{c['peak_mib'] / c['summary_mib']:.2f}×") if c else "—"
        par = f"{chk['params_rel']:.1e}; {chk['gg_rel']:.1e}" if chk else "—"
        pred = (f"{chk['alive_abs']:.1e}; {chk['expected_abs']:.1e}; {chk['clv_rel']:.1e}"
                if chk else "—")
        print(f"| {label} | {n:,} | {cf} | {lf} | {ratio} | {cp} | {lp} | {mem} | {par} "
              f"| {pred} |")


BGBB_SCRIPT = """
import json, time
import pandas as pd
from lifetimes import BetaGeoBetaBinomFitter
from lifetimes.datasets import load_donations
d = load_donations()
w = time.perf_counter()
m = BetaGeoBetaBinomFitter().fit(d["frequency"], d["recency"], d["periods"], weights=d["weights"])
print(json.dumps({"fit": time.perf_counter() - w,
                  "params": [float(m.params_[k]) for k in ("alpha", "beta", "gamma", "delta")]}))
"""


def bgbb_row(have_lifetimes: bool) -> None:
    """BG/BB on the donations data: both fits, parameters against the published ones."""
    sys.path.insert(0, str(ROOT))
    from crmlab import datasets, probabilistic

    d = datasets.load_donations()
    w = time.perf_counter()
    model = probabilistic.BetaGeoBetaBinom().fit(d, weights="donors")
    ours = time.perf_counter() - w
    print("\n## BG/BB, donations (11,104 donors, 22 patterns); published 1.204, 0.750, "
          "0.657, 2.783")
    print(f"crmlab fit {ours:.3f} s, parameters "
          f"{[round(v, 3) for v in model.params_.values()]}")
    if have_lifetimes:
        proc = subprocess.run([LIFETIMES_PYTHON, "-c", BGBB_SCRIPT], capture_output=True,
                              text=True)
        if proc.returncode == 0:
            res = json.loads(proc.stdout.strip().splitlines()[-1])
            print(f"lifetimes fit {res['fit']:.3f} s, parameters "
                  f"{[round(v, 3) for v in res['params']]}")
        else:
            print(f"lifetimes BG/BB failed: {proc.stderr[-500:]}")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        worker(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), sys.argv[6])
    else:
        sys.exit(main(sys.argv[1:]))

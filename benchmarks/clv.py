"""CLV of many customers at once: ``crmlab.clv.npv`` vs. a Python loop vs. numpy-financial.

Usage: .venv/bin/python benchmarks/clv.py [--customers 1000000] [--periods 10]
                                          [--subset 20000] [--repeat 3]

The same work — present value of 10 end-of-year cash flows for each of 1 000 000
customers at 10 % — is done by

* crmlab: ``clv.npv(matrix, 0.10)`` (one matrix-vector product), and with one
  rate per customer (``clv.npv(matrix, rates)``, e.g. risk-adjusted rates);
* a per-customer Python loop (``sum(cf / (1 + i) ** t ...)`` over plain lists);
* ``numpy_financial.npv`` called once per customer (its first value is at t = 0,
  so it is given ``[0, cf_1, ..., cf_n]`` to match end-of-year timing;
  ``pip install numpy-financial``, the ``bench`` extra).

The two per-customer methods are far too slow for 1 M customers, so they run on
the first ``--subset`` customers and their time is scaled linearly to the full
count (the output says so). All results are compared on that subset. Peak
memory is Python's tracemalloc peak during one crmlab call (numpy allocations
are traced), on top of the input matrix.
"""

from __future__ import annotations

import argparse
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _machine import machine  # noqa: E402  (benchmarks/ is on sys.path as a script)

from crmlab import clv  # noqa: E402

RATE = 0.10



def best_time(func, repeat: int) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        best = min(best, time.perf_counter() - start)
    return best, result


def python_loop(rows: list[list[float]], rate: float) -> list[float]:
    out = []
    for row in rows:
        total = 0.0
        for t, cash in enumerate(row, start=1):
            total += cash / (1.0 + rate) ** t
        out.append(total)
    return out


def numpy_financial_loop(matrix: np.ndarray, rate: float) -> np.ndarray:
    import numpy_financial as npf

    zero = np.zeros((matrix.shape[0], 1))
    padded = np.hstack([zero, matrix])
    return np.array([npf.npv(rate, row) for row in padded])


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--periods", type=int, default=10)
    parser.add_argument("--subset", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    n, k, sub = args.customers, args.periods, min(args.subset, args.customers)
    scale = n / sub

    rng = np.random.default_rng(0)
    matrix = rng.gamma(2.0, 250.0, size=(n, k)) - 150.0     # yuan; some negative years
    rates = clv.risk_adjusted_rate(RATE, rng.uniform(0, 0.5, n),
                                   rng.choice(["average", "high", "low"], n))

    t_crmlab, values = best_time(lambda: clv.npv(matrix, RATE), args.repeat)
    t_rates, values_rates = best_time(lambda: clv.npv(matrix, rates), args.repeat)
    tracemalloc.start()
    clv.npv(matrix, RATE)
    peak_scalar = tracemalloc.get_traced_memory()[1]
    tracemalloc.reset_peak()
    clv.npv(matrix, rates)
    peak_rates = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()

    rows = matrix[:sub].tolist()
    t_loop, loop_values = best_time(lambda: python_loop(rows, RATE), 1)
    rows_out = [("crmlab clv.npv, one rate", t_crmlab, t_crmlab, peak_scalar),
                ("crmlab clv.npv, rate per customer", t_rates, t_rates, peak_rates),
                (f"Python loop ({sub:,} customers, x{scale:g})", t_loop, t_loop * scale, None)]
    checks = [np.allclose(loop_values, values[:sub], rtol=1e-12, atol=1e-9)]
    manual = (matrix[:sub] * (1 + rates[:sub, None]) ** -np.arange(1, k + 1)).sum(axis=1)
    checks.append(np.allclose(values_rates[:sub], manual, rtol=1e-12, atol=1e-9))
    try:
        t_npf, npf_values = best_time(lambda: numpy_financial_loop(matrix[:sub], RATE), 1)
        rows_out.append((f"numpy_financial.npv per customer ({sub:,}, x{scale:g})",
                         t_npf, t_npf * scale, None))
        checks.append(np.allclose(npf_values, values[:sub], rtol=1e-12, atol=1e-9))
    except ModuleNotFoundError:
        print("numpy-financial is not installed (pip install numpy-financial): skipped")

    print(f"CLV (NPV) of {n:,} customers x {k} periods at {RATE:.0%}; "
          f"{machine(numpy=np.__version__)}")
    print("Per-customer methods ran on a subset and were scaled linearly to "
          f"{n:,} customers.")
    print()
    print("| method | measured (s) | for 1 M customers (s) | x slower than crmlab | "
          "peak memory (MiB) |")
    print("|---|---:|---:|---:|---:|")
    for name, measured, full, peak in rows_out:
        mem = f"{peak / 2**20:,.0f}" if peak is not None else "-"
        print(f"| {name} | {measured:,.3f} | {full:,.3f} | {full / t_crmlab:,.1f} | {mem} |")
    print()
    print(f"input matrix: {matrix.nbytes / 2**20:,.0f} MiB; same numbers: {all(checks)}; "
          f"target 1 M customers < 1 s: {'met' if t_crmlab < 1 else 'NOT met'}")
    return 0 if all(checks) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

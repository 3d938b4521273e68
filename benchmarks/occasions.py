"""Purchase occasions (one per customer per day): the shared kernel vs the three it replaced.

Usage: .venv/bin/python benchmarks/occasions.py [--sizes 1000000 5000000] [--repeat 3]

``crmlab._transactions.occasions`` (one int64 key ``customer * span + day``, sorted
once) is timed against the three ways the modules used before issue 26, on the same
synthetic transactions (n rows, n/10 customers with heavy-tailed activity, 3 years of
days, random row order):

* without amounts (rfm, loyalty, portfolio): the kernel; ``np.lexsort`` on (day,
  customer) + neighbour comparison (the old ``probabilistic`` way);
  ``DataFrame.drop_duplicates().sort_values`` (the old ``loyalty`` way);
* with amounts summed per occasion (probabilistic): the kernel (stable argsort of the
  key + ``np.add.reduceat``); ``np.lexsort`` + ``np.add.reduceat`` (the old
  ``probabilistic`` way); ``groupby([customer, day]).sum()``.

Every method's occasions must equal the kernel's; the summed amounts must be the same
floats to the last bit as the old lexsort way (each occasion's rows are added in input
order), and within 1e-9 relative of pandas (whose groupby sum is compensated).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from _machine import machine  # benchmarks/ is on sys.path when run as a script

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from crmlab import _transactions  # noqa: E402


def make(n: int, seed: int = 2024) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Customer codes, day numbers and amounts of ``n`` synthetic transactions."""
    rng = np.random.default_rng(seed)
    customers = max(n // 10, 1)
    weight = rng.pareto(1.5, customers) + 1
    codes = rng.choice(customers, size=n, p=weight / weight.sum()).astype(np.int64)
    days = 18_628 + rng.integers(0, 3 * 365, n)  # 2021-01-01 + up to 3 years
    return codes, days.astype(np.int64), np.round(rng.lognormal(3.2, 0.8, n), 2)


def kernel(codes, days, amounts=None):
    """The shared kernel (its key buffer is a copy: the caller's codes stay intact)."""
    out = _transactions.occasions(codes.copy(), days, amounts)
    return out.customer, out.day, out.amount


def lexsort(codes, days, amounts=None):
    """The old probabilistic way: lexsort on (day, customer), then neighbours."""
    order = np.lexsort((days, codes))
    c, d = codes[order], days[order]
    new = np.ones(len(c), dtype=bool)
    new[1:] = (c[1:] != c[:-1]) | (d[1:] != d[:-1])
    starts = np.flatnonzero(new)
    total = None if amounts is None else np.add.reduceat(amounts[order], starts)
    return c[starts], d[starts], total


def pandas_way(codes, days, amounts=None):
    """drop_duplicates + sort (old loyalty) or groupby(...).sum() with amounts."""
    frame = pd.DataFrame({"c": codes, "d": days})
    if amounts is None:
        frame = frame.drop_duplicates().sort_values(["c", "d"], kind="stable")
        return frame["c"].to_numpy(), frame["d"].to_numpy(), None
    summed = frame.assign(m=amounts).groupby(["c", "d"], sort=True)["m"].sum()
    return (summed.index.get_level_values(0).to_numpy(),
            summed.index.get_level_values(1).to_numpy(), summed.to_numpy())


def best(function, repeat: int, *args):
    """Best wall time of ``repeat`` runs and the last result."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = function(*args)
        times.append(time.perf_counter() - start)
    return min(times), result


def main(argv: list[str]) -> int:
    """Time every method on every size; print a Markdown table of seconds and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1_000_000, 5_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    print(f"machine: {machine(numpy=np.__version__, pandas=pd.__version__)}")
    print("\n| rows | amounts | crmlab kernel s | lexsort s | pandas s | lexsort / kernel "
          "| pandas / kernel |")
    print("|---:|---|---:|---:|---:|---:|---:|")
    for n in args.sizes:
        codes, days, amounts = make(n)
        for money in (None, amounts):
            t0, ref = best(kernel, args.repeat, codes, days, money)
            t1, lex = best(lexsort, args.repeat, codes, days, money)
            t2, pdw = best(pandas_way, args.repeat, codes, days, money)
            for other in (lex, pdw):
                assert np.array_equal(ref[0], other[0]) and np.array_equal(ref[1], other[1])
            if money is not None:
                assert np.array_equal(ref[2], lex[2])  # bit for bit: no number changes
                assert np.allclose(ref[2], pdw[2], rtol=1e-9, atol=0)
            print(f"| {n:,} | {'summed' if money is not None else 'no'} | {t0:.3f} | "
                  f"{t1:.3f} | {t2:.3f} | {t1 / t0:.1f}× | {t2 / t0:.1f}× |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

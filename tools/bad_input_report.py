"""Count the bad-input sweep's verdicts: good / weak / bad, by module, and list the bad cases.

Usage::

    .venv/bin/python tools/bad_input_report.py                 # this checkout's crmlab
    .venv/bin/python tools/bad_input_report.py --tree /tmp/old  # another checkout's crmlab
    .venv/bin/python tools/bad_input_report.py --names clv.npv equity.decompose --weak

The harness (tests/_bad_input.py) and the registry (tests/_bad_input_calls.py) always
come from this checkout; with ``--tree`` crmlab is imported from that tree instead, so
an older crmlab meets the same junk. A registry entry whose valid call fails there
(a name or argument that did not exist yet) is counted as not comparable (n/a).
"""

from __future__ import annotations

import argparse
import collections
import importlib.util
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _load_harness(tree: Path | None):
    """Import tests._bad_input* from this checkout, crmlab from ``tree`` (or this checkout)."""
    spec = importlib.util.spec_from_file_location("tests", ROOT / "tests" / "__init__.py",
                                                  submodule_search_locations=[str(ROOT / "tests")])
    package = importlib.util.module_from_spec(spec)
    sys.modules["tests"] = package
    spec.loader.exec_module(package)
    sys.path.insert(0, str(tree or ROOT))
    import crmlab
    import tests._bad_input_calls as calls
    return calls, Path(crmlab.__file__).parent


def main(argv: list[str] | None = None) -> int:
    """Run the sweep and print the counts; exit 1 when a bad case is found."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tree", type=Path, help="a checkout whose crmlab is swept")
    parser.add_argument("--names", nargs="*", help="only these registry names")
    parser.add_argument("--weak", action="store_true", help="list the weak cases too")
    parser.add_argument("--json", type=Path, help="write every outcome to this file")
    args = parser.parse_args(argv)

    import matplotlib
    matplotlib.use("Agg")
    calls, package = _load_harness(args.tree)
    names = args.names or sorted(calls.REGISTRY)
    print(f"crmlab from {package}; {len(names)} registered callables, "
          f"{len(calls.EXCLUDED)} excluded")
    start = time.perf_counter()
    outcomes, timing = [], {}
    for name in names:
        began = time.perf_counter()
        outcomes += calls.run(name)
        timing[name] = time.perf_counter() - began
    seconds = time.perf_counter() - start

    by_module: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    compared = set()
    for o in outcomes:
        by_module[o.name.split(".")[0]][o.verdict] += 1
        if o.verdict != "n/a":
            compared.add(o.name)
    total = collections.Counter(o.verdict for o in outcomes)
    print(f"{len(compared)} of {len(names)} callables compared "
          f"({len(names) - len(compared)} not comparable); {sum(total.values())} calls "
          f"in {seconds:.0f} s")
    print(f"\n{'module':16s}{'calls':>7s}{'good':>7s}{'weak':>7s}{'bad':>7s}{'n/a':>6s}")
    for module in sorted(by_module):
        c = by_module[module]
        print(f"{module:16s}{sum(c.values()):7d}{c['good']:7d}{c['weak']:7d}{c['bad']:7d}"
              f"{c['n/a']:6d}")
    print(f"{'total':16s}{sum(total.values()):7d}{total['good']:7d}{total['weak']:7d}"
          f"{total['bad']:7d}{total['n/a']:6d}")
    slowest = sorted(timing, key=timing.get, reverse=True)[:8]
    print("\nslowest: " + ", ".join(f"{n} {timing[n]:.1f} s" for n in slowest))
    shown = ("bad", "n/a", "weak") if args.weak else ("bad", "n/a")
    for verdict in shown:
        listed = [o for o in outcomes if o.verdict == verdict]
        if listed:
            print(f"\n{verdict} ({len(listed)}):")
            for o in listed:
                print(f"  {o.name}({o.case}): {o.reason[:160]}")
    if args.json:
        args.json.write_text(json.dumps([o.__dict__ for o in outcomes], ensure_ascii=False,
                                        indent=0), encoding="utf-8")
    return 1 if total["bad"] else 0


if __name__ == "__main__":
    sys.exit(main())

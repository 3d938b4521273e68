"""The bad-input sweep over every public callable of crmlab.

One harness: ``tests/_bad_input.py`` builds the junk (NaN/±inf, 1e308, negatives,
text for numbers, wrong containers, empty input, missing columns, duplicated rows,
repeated index labels, time zones, integer widths, unknown labels) and judges each
answer good / weak / bad; ``tests/_bad_input_calls.py`` holds one valid call per
public callable (``REGISTRY``) and the names left out on purpose (``EXCLUDED``).

A public callable in neither fails ``test_every_public_callable_is_swept``: new
code cannot skip the sweep. Each callable is one parametrised test (xdist spreads
them) asserting no *bad* answer; *weak* answers are counted by
``tools/bad_input_report.py``, not asserted.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402

from tests._bad_input_calls import EXCLUDED, REGISTRY, public_names, resolve, run  # noqa: E402


def test_every_public_callable_is_swept():
    covered = set()
    for name in [*REGISTRY, *EXCLUDED]:
        covered.add(id(resolve(name)))
    missing = [name for name, obj in public_names().items() if id(obj) not in covered]
    assert missing == [], "register these in tests/_bad_input_calls.py (or exclude them)"


def test_registered_and_excluded_names_are_public():
    public = public_names()
    assert sorted(set(REGISTRY) | set(EXCLUDED)) == sorted(
        n for n in set(REGISTRY) | set(EXCLUDED) if n in public)
    assert not set(REGISTRY) & set(EXCLUDED)


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_junk_gets_a_clear_error_or_a_right_answer(name):
    outcomes = run(name, quick=True)   # a fixed subset; the report runs all
    assert outcomes[0].verdict != "n/a", f"the registry's valid call fails: {outcomes[0].reason}"
    bad = [f"{o.case}: {o.reason}" for o in outcomes if o.verdict == "bad"]
    assert bad == []

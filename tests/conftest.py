import os
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parents[1]

# Two busy cores (pytest -n 2 next to notebook kernels) make timings noisy:
# property tests are judged on their results, never on a per-example deadline.
settings.register_profile("crmlab", deadline=None, derandomize=False)
settings.load_profile("crmlab")


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


SKIP_SLOW_REASON = "CRMLAB_SKIP_SLOW=1 (CI always runs slow tests)"


def skipping_slow() -> bool:
    """``CRMLAB_SKIP_SLOW=1`` on a developer's machine; never in CI (``CI`` set)."""
    return bool(os.environ.get("CRMLAB_SKIP_SLOW")) and not os.environ.get("CI")


def pytest_collection_modifyitems(config, items):
    """``CRMLAB_SKIP_SLOW=1`` skips the tests marked slow on a developer's machine;
    CI (``CI`` set) always runs them."""
    if not skipping_slow():
        return
    skip = pytest.mark.skip(reason=SKIP_SLOW_REASON)
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)

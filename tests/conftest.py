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


def pytest_collection_modifyitems(config, items):
    """``CRMLAB_SKIP_SLOW=1`` skips the tests marked slow on a developer's machine;
    CI (``CI`` set) always runs them."""
    if not os.environ.get("CRMLAB_SKIP_SLOW") or os.environ.get("CI"):
        return
    skip = pytest.mark.skip(reason="CRMLAB_SKIP_SLOW=1 (CI always runs slow tests)")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)

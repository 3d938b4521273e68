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

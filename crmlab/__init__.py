"""crmlab — the companion package of the CRM analytics course (客户关系管理实训).

Every calculation the course notebooks show lives here, one module per concept
(``crmlab.clv``, ``crmlab.costing``, ``crmlab.rfm``, ...). Submodules load on first
use, so ``import crmlab`` stays light and never pulls in seaborn, scipy or widgets.

>>> import crmlab
>>> crmlab.__version__
'0.1.0'
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

__version__ = "0.1.0"


def _public_modules() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))


#: the version and every concept module (found on disk, so a new module is listed)
__all__ = ["__version__", *_public_modules()]


def __getattr__(name: str) -> ModuleType:
    # PEP 562: `crmlab.clv` imports crmlab/clv.py the first time it is used.
    if name in _public_modules():
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'crmlab' has no attribute {name!r}")


def __dir__() -> list[str]:
    # the public API only: the version and the concept modules
    return ["__version__", *_public_modules()]

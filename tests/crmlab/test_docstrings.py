"""Every public function and class of crmlab has a numpy-style docstring with a runnable example.

Public = listed in the module's ``__all__``. Functions need the sections Parameters
(when they take arguments), Returns (unless they return None) and Examples; a
Raises section is required where the body raises. Classes need a docstring with
Examples (on the class or its ``__init__``).
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import textwrap

import pytest

import crmlab

MODULES = sorted(
    m.name for m in pkgutil.walk_packages(crmlab.__path__, "crmlab.")
    if not any(part.startswith("_") for part in m.name.split(".")[1:])
    and m.name not in {"crmlab.grade.__main__", "crmlab.synthetic.__main__"}
)


def _public(module_name):
    module = importlib.import_module(module_name)
    for name in getattr(module, "__all__", []):
        obj = getattr(module, name)
        if inspect.isfunction(obj) or inspect.isclass(obj):
            yield f"{module_name}.{name}", obj


CALLABLES = [pytest.param(obj, id=qual) for m in MODULES for qual, obj in _public(m)]


def _raises(func) -> bool:
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(func)))
    except (OSError, TypeError, SyntaxError):
        return False
    body = tree.body[0]
    nested = {id(n) for f in ast.walk(body) if isinstance(f, ast.FunctionDef | ast.Lambda)
              and f is not body for n in ast.walk(f)}
    return any(isinstance(n, ast.Raise) and id(n) not in nested for n in ast.walk(body))


def test_every_module_declares_all():
    missing = [m for m in MODULES if not hasattr(importlib.import_module(m), "__all__")]
    assert missing == []


@pytest.mark.parametrize("obj", CALLABLES)
def test_numpy_docstring_with_example(obj):
    doc = inspect.getdoc(obj) or ""
    if inspect.isclass(obj):
        doc += "\n" + (inspect.getdoc(obj.__init__) or "")
        assert doc.strip(), "no docstring"
        assert "Examples\n--------" in doc or ">>>" in doc, "no example"
        return
    assert doc.strip(), "no docstring"
    signature = inspect.signature(obj)
    if signature.parameters:
        assert "Parameters\n----------" in doc, "no Parameters section"
    if signature.return_annotation not in (None, "None"):
        assert "Returns\n-------" in doc or "Yields\n------" in doc, "no Returns section"
    assert "Examples\n--------" in doc and ">>>" in doc, "no runnable example"
    if _raises(obj):
        assert "Raises\n------" in doc, "raises but has no Raises section"

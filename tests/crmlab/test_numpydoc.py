"""Every public callable of crmlab has a docstring in exact numpydoc form.

``tests/crmlab/test_docstrings.py`` checks that the section headers are there; this test runs
numpydoc's own validator (``numpydoc.validate.validate``) on the same public set (the
functions and classes in each public module's ``__all__``) and fails on the codes below.

Checked (each one a reader or Sphinx trips over):

- GL06/GL07 unknown section, sections out of order; GL08 no docstring.
- SS01–SS06 the one-line summary: present, capitalised, a full stop, an infinitive verb
  ("Return", not "Returns"), one line.
- PR01 a parameter not documented, PR02 a documented parameter the signature lacks,
  PR03 wrong order, PR04 no type, PR05 a type ending in ".", PR06 ``int``/``bool``/``str``
  spelt out, PR07 no description, PR08/PR09 a description that does not start
  capitalised or end with a full stop, PR10 "name: type" without a space.
- RT01 no Returns section for a function that returns, RT02 more than the type on a
  single return's first line, RT03 no description, RT04/RT05 its capital and full stop.
- YD01 no Yields section for a generator.
- EX01 no Examples section (tests/crmlab/test_docstrings.py also runs them as doctests).

Left out, on purpose: ES01 (an extended summary: many one-liners say all there is),
SA01 (See Also: the module map in README's Design section links the modules), GL01/GL02
(where the text starts and ends inside the quotes: ruff's pydocstyle rules D212/D213
already decide that), GL03 (double blank lines), GL09/GL10 (deprecation notes; none).
The public methods of the public classes (including properties, cached properties and the
methods a public class inherits from a private crmlab base, such as ``from_params`` of the
probabilistic models) are checked against the same codes. A method that overrides a
documented one and has no docstring of its own inherits it (``inspect.getdoc``) and is
skipped; any other method without a docstring fails with GL08. Dunder methods are left out
(``__init__`` is documented by the class docstring). Their examples run as doctests with
their modules.
"""

from __future__ import annotations

import inspect
import warnings

import pytest
from numpydoc.validate import validate

from tests.crmlab.test_docstrings import CALLABLES, MODULES, _public

CHECKED = frozenset({
    "GL06", "GL07", "GL08",
    "SS01", "SS02", "SS03", "SS04", "SS05", "SS06",
    "PR01", "PR02", "PR03", "PR04", "PR05", "PR06", "PR07", "PR08", "PR09", "PR10",
    "RT01", "RT02", "RT03", "RT04", "RT05",
    "YD01",
    "EX01",
})

#: one entry per object (a name re-exported by a package and its module is checked once)
NAMES = list({id(obj): qual for module in MODULES for qual, obj in _public(module)}.values())


def _function(attr):
    """Return the function behind a class attribute (method, property, ...), or None."""
    for inner in ("fget", "func", "__func__"):  # property, cached_property, static/classmethod
        attr = getattr(attr, inner, attr)
    return attr if inspect.isfunction(attr) and attr.__module__.startswith("crmlab") else None


def _methods():
    """Return {id(function): "module.Class.name"} of the public methods of the public classes.

    A class's own methods come first, so a method is named after the class that defines it;
    then what a public class inherits from a private crmlab base.
    """
    classes = [(qual, obj) for qual, obj in
               {id(obj): (qual, obj) for m in MODULES for qual, obj in _public(m)}.values()
               if inspect.isclass(obj)]
    found = {}
    for own in (True, False):
        for qual, cls in classes:
            for base in [cls] if own else cls.__mro__[1:]:
                for name, attr in vars(base).items():
                    func = _function(attr)
                    if name.startswith("_") or func is None or id(func) in found:
                        continue
                    if func.__doc__ is None and inspect.getdoc(getattr(cls, name)):
                        continue  # an override that inherits its base's docstring
                    found[id(func)] = f"{qual}.{name}"
    return found


METHODS = list(_methods().values())


def test_the_set_is_the_public_set_of_test_docstrings():
    assert {id(param.values[0]) for param in CALLABLES} == {
        id(obj) for module in MODULES for _, obj in _public(module)}
    assert len(NAMES) > 150


def test_the_methods_are_found():
    assert len(METHODS) > 60
    assert "crmlab.exercises.Kind.match" in METHODS  # a method
    assert "crmlab.rfm.Rule.points" in METHODS  # a property
    assert "crmlab.exercises.Number.tolerance" in METHODS  # no docstring in a base: checked
    assert "crmlab.exercises.Share.what" not in METHODS  # inherits Kind.what's docstring


def _errors(name, checked):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # ipywidgets' own, on inspection
        warnings.simplefilter("error", UserWarning)  # numpydoc: an unknown section
        errors = validate(name)["errors"]
    return [f"{code}: {message}" for code, message in errors if code in checked]


@pytest.mark.parametrize("name", NAMES)
def test_numpydoc_validation(name):
    assert _errors(name, CHECKED) == []


@pytest.mark.parametrize("name", METHODS)
def test_numpydoc_validation_of_methods(name):
    assert _errors(name, CHECKED) == []

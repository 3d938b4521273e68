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
Methods of public classes are not in the set yet (as in tests/crmlab/test_docstrings.py).
"""

from __future__ import annotations

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


def test_the_set_is_the_public_set_of_test_docstrings():
    assert {id(param.values[0]) for param in CALLABLES} == {
        id(obj) for module in MODULES for _, obj in _public(module)}
    assert len(NAMES) > 150


@pytest.mark.parametrize("name", NAMES)
def test_numpydoc_validation(name):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # ipywidgets' own, on inspection
        warnings.simplefilter("error", UserWarning)  # numpydoc: an unknown section
        errors = validate(name)["errors"]
    found = [f"{code}: {message}" for code, message in errors if code in CHECKED]
    assert found == []

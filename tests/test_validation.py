"""The shared boundary checks: the messages name the argument, value and expectation."""

import numpy as np
import pandas as pd
import pytest

from crmlab import _validation as check


@pytest.mark.parametrize("value, error, pattern", [
    ("0.1", TypeError, r"rate='0.1' is invalid: expected a number, got str"),
    (True, TypeError, "expected a number"),
    (float("nan"), ValueError, "expected a finite number"),
    (-1.0, ValueError, r"rate=-1.0 is invalid: expected a number > -1"),
    (-2, ValueError, "> -1"),
])
def test_rate_refuses(value, error, pattern):
    with pytest.raises(error, match=pattern):
        check.rate(value)


def test_rate_and_probability_accept_numpy_scalars():
    assert check.rate(np.float64(0.15)) == 0.15
    assert check.probability(np.int64(1), "retention") == 1.0
    with pytest.raises(ValueError, match=r"retention=1.2 is invalid: expected a number <= 1"):
        check.probability(1.2, "retention")


def test_integer():
    assert check.integer(5.0, "horizon", minimum=1) == 5
    with pytest.raises(TypeError, match="horizon=2.5"):
        check.integer(2.5, "horizon")
    with pytest.raises(ValueError, match=">= 1"):
        check.integer(0, "horizon", minimum=1)


def test_float_array_copies_and_checks():
    source = [1.0, 2.0]
    out = check.float_array(source, "cash_flows")
    out[0] = 99
    assert source == [1.0, 2.0]
    with pytest.raises(ValueError, match=r"NaN or infinite values at positions \[\[1\]\]"):
        check.float_array([1, np.nan], "cash_flows")
    with pytest.raises(ValueError, match="cash_flows is empty"):
        check.float_array([], "cash_flows")
    with pytest.raises(ValueError, match="has 2 dimension"):
        check.float_array([[1, 2]], "cash_flows")
    with pytest.raises(TypeError, match="numbers only"):
        check.float_array(["a"], "cash_flows")
    with pytest.raises(ValueError, match="negative values"):
        check.float_array([1, -1], "counts", nonnegative=True)
    assert check.float_array(pd.DataFrame([[1, 2]]), "flows", ndim=(2,)).shape == (1, 2)


def test_frame_and_missing():
    with pytest.raises(TypeError, match="data is a list"):
        check.frame([1])
    with pytest.raises(ValueError, match=r"missing column\(s\) \['b'\]"):
        check.frame(pd.DataFrame({"a": [1]}), columns=["a", "b"])
    with pytest.raises(ValueError, match="data is empty"):
        check.frame(pd.DataFrame({"a": []}))
    with pytest.raises(ValueError, match=r"amount has 1 missing value\(s\), e.g. at rows \['y'\]"):
        check.no_missing(pd.Series([1.0, None], index=["x", "y"]), "amount")
    with pytest.raises(ValueError, match=r"kind='x' is invalid: expected one of \['a', 'b'\]"):
        check.choice("x", "kind", ("a", "b"))

"""The shared boundary checks: Chinese then English, the argument, the value as typed, the fix."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from crmlab import _validation as validate


@pytest.mark.parametrize("value, error, pattern", [
    ("0.1", TypeError, r"rate='0.1' 不是数字.*你是不是想写数字 0.1（不带引号）？.*"
                       r"rate='0.1' is invalid: expected a number, got str"),
    (True, TypeError, "expected a number"),
    (float("nan"), ValueError, "应为有限的数.*expected a finite number"),
    (-1.0, ValueError,
     r"rate=-1 超出范围：应为 > -1 的数。rate=-1 is invalid: expected a number > -1"),
    (np.float64(-2.0), ValueError, r"rate=-2 .*> -1"),
])
def test_rate_refuses(value, error, pattern):
    with pytest.raises(error, match=pattern):
        validate.rate(value)


def test_probability_message_matches_the_course_style():
    with pytest.raises(ValueError) as info:
        validate.probability(np.float64(80.0), "retention", label="保留率")
    assert str(info.value) == (
        "保留率 retention=80 超出范围：应为 0 到 1 之间的小数（例如 0.8）。你是不是想写 0.8？ "
        "retention=80 is out of range: expected a probability in [0, 1]; did you mean 0.8?")
    assert "np.float64" not in str(info.value)
    with pytest.raises(ValueError, match=r"retention=1.2 超出范围.*retention=1.2 is out of range"):
        validate.probability(1.2, "retention")
    with pytest.raises(ValueError) as info:
        validate.probability(-0.5, "retention")
    assert "你是不是" not in str(info.value)


def test_rate_and_probability_accept_numpy_scalars():
    assert validate.rate(np.float64(0.15)) == 0.15
    assert validate.probability(np.int64(1), "retention") == 1.0
    assert type(validate.rate(np.float32(0.5))) is float


@pytest.mark.parametrize("value, shown", [
    (np.float64(80.0), "80"), (np.int8(-3), "-3"), (np.uint64(2**64 - 1), str(2**64 - 1)),
    (0.8, "0.8"), (1e308, "1e+308"), ("80", "'80'"), (np.array([1.0, 2.0]), "[1.0, 2.0]"),
    (np.bool_(True), "True"), (float("nan"), "nan"),
])
def test_show_prints_values_as_typed(value, shown):
    assert validate.show(value) == shown


def test_show_truncates_long_values():
    assert validate.show("x" * 200).endswith("...")
    assert len(validate.show(list(range(1000)))) <= 60


def test_integer():
    assert validate.integer(5.0, "horizon", minimum=1) == 5
    assert validate.integer(np.uint8(7), "horizon") == 7
    with pytest.raises(TypeError, match="horizon=2.5"):
        validate.integer(2.5, "horizon")
    with pytest.raises(ValueError, match="应为 >= 1 的整数.*>= 1"):
        validate.integer(0, "horizon", minimum=1)
    with pytest.raises(ValueError, match="<= 10"):
        validate.integer(11, "horizon", maximum=10)
    with pytest.raises(TypeError, match="你是不是想写数字 3"):
        validate.integer("3", "horizon")


@pytest.mark.parametrize("value", ["False", "true", 0, 1, None, np.float64(1.0)])
def test_flag_refuses_anything_but_a_bool(value):
    with pytest.raises(TypeError, match="应为 True 或 False.*expected True or False"):
        validate.flag(value, "higher_is_better")


def test_flag_hints_at_quoted_booleans():
    with pytest.raises(TypeError, match="你是不是想写 False（不带引号）"):
        validate.flag("False", "higher_is_better")
    assert validate.flag(np.False_, "x") is False


def test_money():
    assert validate.money(np.int64(12), "cost") == 12.0
    with pytest.raises(ValueError, match="cost=-5 是负数.*cost=-5 is negative"):
        validate.money(-5, "cost")
    assert validate.money(-5, "profit", signed=True) == -5.0
    with pytest.raises(ValueError, match="太大.*too large"):
        validate.money(1e308, "cost")
    with pytest.raises(ValueError, match="too large"):
        validate.money_array([1.0, 1e300], "cost")
    assert validate.money_array([], "cost", allow_empty=True).size == 0


def test_float_array_copies_and_checks():
    source = [1.0, 2.0]
    out = validate.float_array(source, "cash_flows")
    out[0] = 99
    assert source == [1.0, 2.0]
    array = np.array([1.0, 2.0])
    validate.float_array(array, "x")[0] = 5
    assert array[0] == 1.0
    with pytest.raises(ValueError,
                       match=r"NaN 或无穷大.*NaN or infinite values at positions \[\[1\]\]"):
        validate.float_array([1, np.nan], "cash_flows")
    with pytest.raises(ValueError, match="cash_flows 是空的.*cash_flows is empty"):
        validate.float_array([], "cash_flows")
    with pytest.raises(ValueError, match="has 2 dimension"):
        validate.float_array([[1, 2]], "cash_flows")
    with pytest.raises(ValueError, match="negative values"):
        validate.float_array([1, -1], "counts", nonnegative=True)
    assert validate.float_array(pd.DataFrame([[1, 2]]), "flows", ndim=(2,)).shape == (1, 2)
    assert validate.float_array((1, 2), "x").tolist() == [1.0, 2.0]
    assert validate.float_array(pd.Series([1, 2]), "x").tolist() == [1.0, 2.0]


@pytest.mark.parametrize("values", [
    ["a"], ["1", "2"], np.array(["1", "2"]), pd.Series(["1", "2"]), [True, False],
    "12", None, {"a": 1}, [[1, 2], [3]], [1, None, "x"],
])
def test_float_array_refuses_text_and_odd_containers(values):
    with pytest.raises(TypeError):
        validate.float_array(values, "x")


def test_equal_lengths_and_scalar_or_rows():
    assert validate.equal_lengths(a=[1, 2], b=np.zeros(2), c=pd.Series([1, 2])) == 2
    with pytest.raises(ValueError, match=r"长度不一致（a 1, b 2）.*lengths differ \(a 1, b 2\)"):
        validate.equal_lengths(a=[1], b=[1, 2])
    assert validate.scalar_or_rows(np.float64(2), "x", 2).tolist() == [2.0, 2.0]
    assert validate.scalar_or_rows([1, 2], "x", 2).tolist() == [1.0, 2.0]
    with pytest.raises(ValueError,
                       match="x 有 3 个值.*x has 3 values: expected one number, or one per row"):
        validate.scalar_or_rows([1, 2, 3], "x", 2)
    with pytest.raises(TypeError):
        validate.scalar_or_rows("2", "x", 2)
    with pytest.raises(ValueError, match="negative"):
        validate.scalar_or_rows(-1, "cost", 2, convert=validate.money_array)


def test_rows_formats_the_first_bad_rows():
    index = pd.Index(range(10, 20))
    bad = np.arange(10) % 2 == 0
    assert validate.rows(index, bad) == "[10, 12, 14, 16, 18]"
    assert validate.rows(index, bad, list("abcdefghij")) == (
        "[10, 12, 14, 16, 18] (values ['a', 'c', 'e'])")
    assert validate.rows(pd.Index(np.array([3], dtype="int8")), [True]) == "[3]"


def test_frame_choice_language_and_missing():
    with pytest.raises(TypeError, match="data 是 list.*data is a list"):
        validate.frame([1])
    with pytest.raises(ValueError, match=r"missing column\(s\) \['b'\]"):
        validate.frame(pd.DataFrame({"a": [1]}), columns=["a", "b"])
    with pytest.raises(ValueError, match="data is empty"):
        validate.frame(pd.DataFrame({"a": []}))
    assert validate.frame(pd.DataFrame({"a": []}), allow_empty=True).empty
    with pytest.raises(ValueError, match=r"amount has 1 missing value\(s\), e.g. at rows \['y'\]"):
        validate.no_missing(pd.Series([1.0, None], index=["x", "y"]), "amount")
    with pytest.raises(ValueError, match=r"kind='x' is invalid: expected one of \['a', 'b'\]"):
        validate.choice("x", "kind", ("a", "b"))
    with pytest.raises(ValueError, match=r"显示语言 lang='fr'.*lang='fr' is invalid"):
        validate.language("fr")
    with pytest.raises(ValueError):
        validate.choice(True, "points", (1, 3))
    with pytest.raises(ValueError):
        validate.choice([1], "points", (1, 3))
    assert validate.language("zh") == "zh"
    with pytest.raises(TypeError, match="non-empty string"):
        validate.name(3, "customer")


@pytest.mark.parametrize("value, day", [
    ("2024-01-02T07:00:00+08:00", "2024-01-02"),
    ("2024-01-01T23:00:00-05:00", "2024-01-01"),
    (pd.Timestamp("2024-01-02 07:00", tz="Asia/Shanghai"), "2024-01-02"),
    ("2024-01-02", "2024-01-02"),
    (np.datetime64("2024-01-02"), "2024-01-02"),
])
def test_timestamp_keeps_the_local_calendar_day(value, day):
    assert str(validate.timestamp(value, "as_of").date()) == day


@pytest.mark.parametrize("value, error", [
    (None, TypeError), (True, TypeError), (20240101, TypeError), (1.5, TypeError),
    ("not a date", ValueError), (float("nan"), TypeError), (pd.NaT, ValueError),
])
def test_timestamp_refuses(value, error):
    with pytest.raises(error, match="as_of"):
        validate.timestamp(value, "as_of")


def test_day_numbers_count_the_local_calendar_day():
    text = pd.Series(["2024-01-02T07:00:00+08:00", "2024-01-01T23:00:00-05:00",
                      "2024-01-02T00:30:00Z", "2024/1/3"])
    days = validate.day_numbers(text, "date").astype("datetime64[D]").astype(str).tolist()
    assert days == ["2024-01-02", "2024-01-01", "2024-01-02", "2024-01-03"]
    aware = pd.Series([pd.Timestamp("2024-01-02 07:00", tz="Asia/Shanghai"),
                       pd.Timestamp("2024-01-01 23:00", tz="America/New_York")], dtype=object)
    assert validate.day_numbers(aware, "date").astype("datetime64[D]").astype(str).tolist() == [
        "2024-01-02", "2024-01-01"]
    zoned = pd.Series(pd.to_datetime(["2024-01-02 07:00"])).dt.tz_localize("Asia/Shanghai")
    assert validate.day_numbers(zoned, "date").tolist() == [
        int(np.datetime64("2024-01-02", "D").astype(np.int64))]


def test_day_numbers_refuse_numbers_and_name_bad_rows():
    with pytest.raises(TypeError, match="dtype int64"):
        validate.day_numbers(pd.Series([20240101]), "date")
    with pytest.raises(ValueError, match=r"rows \[1\] \(values \['soon'\]\)"):
        validate.day_numbers(pd.Series(["2024-01-01", "soon"]), "date")
    with pytest.raises(ValueError, match="missing"):
        validate.day_numbers(pd.Series([pd.NaT, pd.Timestamp("2024-01-01")]), "date")


@pytest.mark.parametrize("dtype, values", [
    ("int8", [-128, 127, 5, 5]), ("int16", [-300, 2, -300]), ("uint8", [255, 0, 255]),
    ("uint64", [2**63 + 5, 2**63 + 1, 3, 2**63 + 5]), ("uint64", [2**64 - 1, 0]),
    ("int64", [-(2**63), 2**63 - 1, 0]), ("int32", [7, 7, -1]),
])
def test_id_codes_any_integer_width_and_sign(dtype, values):
    series = pd.Series(values, dtype=dtype)
    codes, uniques = validate.id_codes(series, "customer_id")
    assert uniques.dtype == np.dtype(dtype)
    assert uniques.tolist() == sorted(set(values))
    assert uniques[codes].tolist() == values


def test_id_codes_refuse_missing_bool_and_mixed_ids():
    with pytest.raises(ValueError, match="missing"):
        validate.id_codes(pd.Series([1.0, None]), "customer_id")
    with pytest.raises(TypeError, match="booleans"):
        validate.id_codes(pd.Series([True, False]), "customer_id")
    with pytest.raises(TypeError, match="mixes text and numeric"):
        validate.id_codes(pd.Series([1, "a"], dtype=object), "customer_id")


@given(st.lists(st.integers(-(2**63), 2**63 - 1), min_size=1, max_size=40))
def test_id_codes_match_factorize(values):
    codes, uniques = validate.id_codes(pd.Series(values, dtype="int64"), "id")
    expected_codes, expected_uniques = pd.factorize(pd.Series(values), sort=True)
    assert codes.tolist() == expected_codes.tolist()
    assert uniques.tolist() == list(expected_uniques)


@given(st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=5),
                 st.none(), st.booleans(), st.integers()))
def test_probability_raises_only_value_or_type_error(value):
    try:
        result = validate.probability(value, "p")
    except (ValueError, TypeError) as error:
        assert "p=" in str(error)
    else:
        assert 0.0 <= result <= 1.0


# --- every helper meets every bad-input category with ValueError/TypeError ---------------

BAD = {"nan": np.nan, "inf": np.inf, "-inf": -np.inf, "1e308": 1e308, "negative": -5.0,
       "text number": "100", "text": "abc", "None": None, "bool": True, "list": [1.0, 2.0],
       "array": np.array([1.0, 2.0]), "Series": pd.Series([1.0, 2.0]), "empty": [],
       "dict": {"a": 1}, "tz date": pd.Timestamp("2024-01-02 07:00", tz="Asia/Shanghai"),
       "int8": np.int8(-3), "uint64 big": np.uint64(2**64 - 1), "huge int": 2**80,
       "nan list": [1.0, np.nan], "text list": ["1", "2"], "object mix": [1, "a", None]}

HELPERS = {
    "number": lambda v: validate.number(v, "x"),
    "rate": lambda v: validate.rate(v),
    "probability": lambda v: validate.probability(v, "p"),
    "money": lambda v: validate.money(v, "m"),
    "integer": lambda v: validate.integer(v, "n", minimum=0, maximum=10**6),
    "flag": lambda v: validate.flag(v, "f"),
    "name": lambda v: validate.name(v, "column"),
    "choice": lambda v: validate.choice(v, "kind", ("a", "b")),
    "language": lambda v: validate.language(v),
    "float_array": lambda v: validate.float_array(v, "xs"),
    "money_array": lambda v: validate.money_array(v, "amounts"),
    "scalar_or_rows": lambda v: validate.scalar_or_rows(v, "r", 2),
    "frame": lambda v: validate.frame(v),
    "timestamp": lambda v: validate.timestamp(v, "as_of"),
    "day_numbers": lambda v: validate.day_numbers(pd.Series([v]), "date"),
    "id_codes": lambda v: validate.id_codes(pd.Series([v, v]), "id"),
}


@pytest.mark.parametrize("helper", sorted(HELPERS))
def test_helpers_answer_bad_input_with_value_or_type_error(helper):
    for label, value in BAD.items():
        before = value.copy() if hasattr(value, "copy") else value
        try:
            result = HELPERS[helper](value)
        except (ValueError, TypeError) as error:
            message = str(error)
            assert "。" in message and "np.float64" not in message, (helper, label, message)
        else:
            if isinstance(result, float):
                assert np.isfinite(result), (helper, label)
            if isinstance(result, np.ndarray) and result.dtype.kind == "f":
                assert np.isfinite(result).all(), (helper, label)
        if isinstance(value, pd.Series | np.ndarray):
            assert np.array_equal(before, value), (helper, label)  # never mutated


@pytest.mark.parametrize("helper", sorted(HELPERS))
def test_helpers_raise_bilingual_errors_whose_halves_make_the_message(helper):
    for value in BAD.values():
        try:
            HELPERS[helper](value)
        except (ValueError, TypeError) as error:
            assert isinstance(error, validate.BilingualError), (helper, error)
            assert str(error).startswith(error.zh) and str(error).endswith(error.en)
            assert any("\u4e00" <= c <= "\u9fff" for c in error.zh), error.zh
            assert any("a" <= c <= "z" for c in error.en), error.en


def test_a_widget_shows_the_chinese_half_of_an_error():
    from crmlab import widgets

    calc = widgets.CLVCalculator(draw=False)
    calc.controls["revenue"].value = "1000, 1,500"
    assert calc.error.endswith("1000, 1500, 2000。") and "thousands" not in calc.error
    calc.controls["revenue"].value = "1000, -5"
    assert calc.error.endswith("你是不是想写 5？") or "负" in calc.error, calc.error
    assert "negative" not in calc.error


@pytest.mark.parametrize("dates", [
    pd.Series(pd.to_datetime(["2024-01-01", "2024-02-01"])),
    np.array(["2024-01-01"], dtype="M8[D]"),
    pd.Series(pd.to_timedelta([1, 2], unit="D")),
])
def test_float_array_refuses_dates_instead_of_counting_nanoseconds(dates):
    with pytest.raises(TypeError, match="amount.*日期.*amount holds dates"):
        validate.float_array(dates, "amount")

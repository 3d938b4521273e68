import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from crmlab import glossary


def test_every_term_has_zh_and_en():
    for key, pair in glossary.TERMS.items():
        assert key == key.strip() and key.islower(), key
        zh, en = pair
        assert zh and en and zh != en, key


def test_relabel_copies_and_keeps_unknown_columns():
    frame = pd.DataFrame({"customer_id": [1], "mystery": [2]}).set_index("customer_id")
    out = glossary.relabel(frame, "zh")
    assert list(out.columns) == ["mystery"] and out.index.name == "客户编号"
    assert frame.index.name == "customer_id"  # input untouched
    assert glossary.relabel(frame, "en").index.name == "Customer ID"


def test_series_name_is_relabelled():
    assert glossary.zh(pd.Series([1.0], name="amount")).name == "金额（元）"


@pytest.mark.parametrize("lang", ["fr", None, 1])
def test_bad_language_is_refused(lang):
    with pytest.raises(ValueError, match="lang"):
        glossary.label("amount", lang)


def test_bad_frame_type_is_refused():
    with pytest.raises(TypeError, match="DataFrame"):
        glossary.relabel([1, 2])


def test_values_of_coded_columns_are_relabelled(monkeypatch):
    import pandas as pd

    from crmlab import glossary

    monkeypatch.setitem(glossary.VALUES, "quadrant", {"vip": ("贵宾型", "VIP")})
    frame = pd.DataFrame({"quadrant": ["vip", "unknown"], "amount": [1.0, 2.0]})
    shown = glossary.zh(frame)
    assert list(shown.iloc[:, 0]) == ["贵宾型", "unknown"]  # unknown codes stay as they are
    assert list(glossary.en(frame["quadrant"])) == ["VIP", "unknown"]
    assert list(frame["quadrant"]) == ["vip", "unknown"]  # the caller's frame is untouched
    by_index = glossary.zh(frame.set_index("quadrant"))
    assert list(by_index.index) == ["贵宾型", "unknown"]


# --- RFM value labels and bad input ------------------------------------------------------

def test_rfm_codes_have_labels_in_both_languages():
    from crmlab import rfm

    table = rfm.strategy_table()
    shown = glossary.zh(table)
    assert shown.index.tolist()[:2] == ["重要价值客户", "重要发展客户"]
    assert shown.columns.tolist() == ["R 得分", "F 得分", "M 得分", "营销策略"]
    assert shown.iloc[0, 0] == "高（最近来过）"   # not "R（光顾间歇）高", which reads as a long gap
    assert glossary.en(table).iloc[-1, -1].startswith("Minimal spend")
    assert table.index[0] == "important_value"  # the caller's table keeps its codes
    for column, vocabulary in glossary.VALUES.items():
        for code, (zh, en) in vocabulary.items():
            assert zh and en, (column, code)


def test_categorical_and_multiindex_values_are_relabelled():
    seg = pd.Series(pd.Categorical(["general_value", "important_value"]), name="segment")
    assert glossary.zh(seg).tolist() == ["一般价值客户", "重要价值客户"]
    frame = pd.DataFrame({"x": [1, 2]}, index=pd.MultiIndex.from_tuples(
        [("r", "interval"), ("f", "seed_text")], names=["rfm_dimension", "preset_row"]))
    assert glossary.zh(frame).index.tolist() == [("光顾间歇 R", "crmlab 区间"),
                                                ("光顾频率 F", "教材原文")]


def test_odd_keys_codes_and_columns_come_back_unchanged():
    assert glossary.label(3) == 3 and glossary.label(None) is None
    assert glossary.label(("a", "b")) == ("a", "b")
    assert glossary.value_label("segment", 5) == 5
    assert glossary.value_label(["segment"], "important_value") == "important_value"
    dup = pd.DataFrame([["important_value", "general_value"]], columns=["segment", "segment"])
    assert glossary.zh(dup).iloc[0].tolist() == ["重要价值客户", "一般价值客户"]
    mixed = pd.Series(["important_value", 3, None, np.nan], name="segment", dtype=object)
    assert glossary.zh(mixed).tolist()[:2] == ["重要价值客户", 3]


@pytest.mark.parametrize("bad", [None, 1, "fr", ["zh"], np.nan, True])
def test_every_function_refuses_a_bad_language(bad):
    frame = pd.DataFrame({"amount": [1.0]})
    for call in (lambda: glossary.label("amount", bad),
                 lambda: glossary.value_label("segment", "general_value", bad),
                 lambda: glossary.relabel(frame, bad)):
        with pytest.raises(ValueError, match="lang"):
            call()


@pytest.mark.parametrize("bad", [None, 1, "text", [1, 2], np.array([1.0]), {"a": 1}])
def test_relabel_refuses_what_is_not_a_frame(bad):
    for function in (glossary.zh, glossary.en, glossary.relabel):
        with pytest.raises(TypeError, match="expected a DataFrame or Series"):
            function(bad)


@given(st.lists(st.sampled_from(["important_value", "general_winback", "x", "", "segment"]),
                max_size=8))
def test_relabel_never_mutates_and_round_trips_known_codes(codes):
    frame = pd.DataFrame({"segment": codes, "amount": np.arange(len(codes), dtype=float)})
    before = frame.copy()
    shown = glossary.zh(frame)
    pd.testing.assert_frame_equal(frame, before)
    back = {zh: code for code, (zh, _) in glossary.VALUES["segment"].items()}
    assert [back.get(v, v) for v in shown["客户细分"]] == codes

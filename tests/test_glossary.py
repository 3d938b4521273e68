import pandas as pd
import pytest

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

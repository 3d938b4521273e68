"""Chapter 0: cleaning, matching and unifying customer records."""

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from crmlab import customer_file as cf
from crmlab import datasets


def test_phone_formats_collapse_to_one_number():
    raw = pd.Series(["138 0013 8000", "+86-13800138000", "8613800138000",
                     "138-0013-8000", None, "12345", "23800138000"])
    assert cf.normalize_phone(raw).tolist() == ["13800138000"] * 4 + [pd.NA] * 3


@given(st.text(alphabet="0123456789", min_size=10, max_size=10),
       st.sampled_from(["{}", "+86-{}", "86{}", "{} ", " {}"]))
def test_any_mobile_number_survives_any_decoration(tail, decoration):
    number = "1" + tail
    assert cf.normalize_phone(pd.Series([decoration.format(number)])).iloc[0] == number


def test_other_fields_are_standardised():
    assert cf.normalize_email(pd.Series([" A@B.COM ", "nope"])).tolist() == ["a@b.com", pd.NA]
    assert cf.normalize_name(pd.Series([" 王 伟 ", "李\u3000娜"])).tolist() == ["王伟", "李娜"]
    assert cf.normalize_city(pd.Series(["上海市", "上海"])).tolist() == ["上海", "上海"]
    genders = cf.normalize_gender(pd.Series(["M", "f", "女", "x"]))
    assert genders.tolist() == ["男", "女", "女", pd.NA]


def test_four_date_forms_parse_to_the_same_day():
    forms = pd.Series(["2023-01-05", "2023/1/5", "20230105", "2023年1月5日", None])
    parsed = cf.parse_dates(forms)
    assert (parsed.iloc[:4] == pd.Timestamp("2023-01-05")).all() and pd.isna(parsed.iloc[4])


def test_bad_date_names_the_rows():
    with pytest.raises(ValueError, match=r"rows \[1\].*'next week'"):
        cf.parse_dates(pd.Series(["2023-01-05", "next week"], name="birth_date"))
    with pytest.raises(ValueError, match="unparseable"):
        cf.parse_dates(pd.Series(["2023-02-30"]))


def _records(**overrides):
    base = {"record_id": ["R1", "R2", "R3", "R4"],
            "source": ["门店会员", "网上商城", "呼叫中心", "门店会员"],
            "name": ["王伟", "王 伟", "王伟", "李娜"],
            "phone": ["138 0013 8000", "13800138000", None, "13900000000"],
            "email": ["w@x.com", None, "W@X.COM", "l@x.com"],
            "city": ["上海市", "上海", "上海", "北京"], "gender": ["男", "M", "男", "女"],
            "birth_date": ["1990-01-02", None, "1990/1/2", None],
            "registered": ["2022-01-01", "2023-01-01", "2024-01-01", "2022-05-01"]}
    base.update(overrides)
    return pd.DataFrame(base)


def test_matching_is_transitive_and_ignores_names():
    clean = cf.clean_records(_records())
    ids = cf.match_customers(clean)
    # R1~R2 by phone, R1~R3 by e-mail; R4 is someone else
    assert ids.tolist() == [1, 1, 1, 2]
    namesakes = cf.clean_records(_records(name=["王伟"] * 4))
    assert cf.match_customers(namesakes).nunique() == 2


def test_unified_view_takes_newest_known_value():
    clean = cf.clean_records(_records(city=["上海", "上海", "苏州", "北京"]))
    unified = cf.unify(clean, cf.match_customers(clean))
    assert unified.loc[1, "city"] == "苏州"           # newest record wins
    assert unified.loc[1, "phone"] == "13800138000"   # newest *known* phone
    assert unified.loc[1, "n_records"] == 3
    assert unified.loc[1, "sources"] == "呼叫中心、网上商城、门店会员"


def test_customer_file_sums_orders_across_channels():
    records = _records()
    orders = pd.DataFrame({"record_id": ["R1", "R2", "R3", "R3"],
                           "date": ["2024-01-01", "2024-02-01", "2024-03-01", "2024-03-02"],
                           "amount": [100.0, 50.0, 25.0, 25.0]})
    contacts = pd.DataFrame({"record_id": ["R2", "R4"], "cost": [5.0, 60.0]})
    before = (records.copy(), orders.copy(), contacts.copy())
    file = cf.build_customer_file(records, orders, contacts)
    assert file.loc[1, "total_amount"] == 200.0 and file.loc[1, "n_orders"] == 4
    assert file.loc[1, "avg_amount"] == 50.0
    assert file.loc[2, "n_orders"] == 0 and pd.isna(file.loc[2, "avg_amount"])
    assert file.loc[2, "contact_cost"] == 60.0
    assert list(file.columns) == list(cf.FILE_SECTIONS)
    for original, after in zip(before, (records, orders, contacts), strict=True):
        pd.testing.assert_frame_equal(original, after)  # inputs untouched


def test_bad_inputs_get_clear_errors():
    with pytest.raises(ValueError, match=r"records is missing column\(s\) \['phone'\]"):
        cf.clean_records(_records().drop(columns="phone"))
    with pytest.raises(ValueError, match="record_id' must be unique"):
        cf.clean_records(_records(record_id=["R1", "R1", "R2", "R3"]))
    orders = pd.DataFrame({"record_id": ["R1"], "date": ["2024-01-01"], "amount": [-5.0]})
    contacts = pd.DataFrame({"record_id": ["R1"], "cost": [1.0]})
    with pytest.raises(ValueError, match="orders\\['amount'\\] has 1 negative value"):
        cf.build_customer_file(_records(), orders, contacts)
    with pytest.raises(TypeError, match="expected a pandas DataFrame"):
        cf.clean_records([1, 2, 3])


def test_example_data_recovers_the_planted_customers():
    records, orders, contacts = datasets.load_customer_file_example()
    file = cf.build_customer_file(records, orders, contacts)
    assert len(records) > len(file) == 300  # the generator plants 300 people
    assert file["n_orders"].sum() == len(orders)
    assert file["total_amount"].sum() == pytest.approx(orders["amount"].sum())
    assert file["contact_cost"].sum() == pytest.approx(contacts["cost"].sum())

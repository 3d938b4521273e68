"""Chapter 0: cleaning, matching and unifying customer records."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
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


# --- regressions: bad input that once lost data or crashed ----------------------------

def test_one_blank_phone_does_not_lose_every_phone(tmp_path):
    # pandas reads a column of numbers with one blank as float64: 13800138000.0
    path = tmp_path / "records.csv"
    path.write_text("phone\n13800138000\n\n13900000000\n", encoding="utf-8")
    phones = pd.read_csv(path, skip_blank_lines=False)["phone"]
    assert phones.dtype == "float64"
    assert cf.normalize_phone(phones).tolist() == ["13800138000", pd.NA, "13900000000"]
    mixed = pd.Series([13800138000.0, "+86-139 0000 0000", None], dtype=object)
    assert cf.normalize_phone(mixed).tolist() == ["13800138000", "13900000000", pd.NA]


@pytest.mark.parametrize("container", [list, tuple, np.array, pd.Index, pd.Series])
def test_normalizers_accept_lists_arrays_and_series(container):
    values = container(["138 0013 8000", "x"])
    assert cf.normalize_phone(values).tolist() == ["13800138000", pd.NA]
    assert cf.normalize_email(container([" A@B.COM "])).tolist() == ["a@b.com"]
    assert cf.normalize_name(container([" 王 伟 "])).tolist() == ["王伟"]
    assert cf.normalize_city(container(["上海市"])).tolist() == ["上海"]
    assert cf.normalize_gender(container(["M"])).tolist() == ["男"]
    assert cf.parse_dates(container(["2023/1/5"])).tolist() == [pd.Timestamp("2023-01-05")]


@pytest.mark.parametrize("bad", ["13800138000", 13800138000, None, pd.DataFrame({"a": [1]}),
                                 [True, False], {"a": 1}])
def test_normalizers_refuse_non_columns_with_type_error(bad):
    for function in (cf.normalize_phone, cf.normalize_email, cf.normalize_name,
                     cf.normalize_city, cf.normalize_gender, cf.parse_dates):
        with pytest.raises(TypeError, match="expected"):
            function(bad)


def test_compact_dates_read_as_numbers_parse():
    assert cf.parse_dates(pd.Series([20230105.0, None])).iloc[0] == pd.Timestamp("2023-01-05")


def test_record_without_source_is_a_clear_error_not_a_crash():
    records = _records(source=["门店会员", None, "呼叫中心", "门店会员"])
    orders = pd.DataFrame({"record_id": ["R1"], "date": ["2024-01-01"], "amount": [1.0]})
    contacts = pd.DataFrame({"record_id": ["R1"], "cost": [1.0]})
    with pytest.raises(ValueError, match=r"数据来源 records\['source'\].*rows \[1\]"):
        cf.build_customer_file(records, orders, contacts)
    with pytest.raises(ValueError, match="missing"):
        cf.clean_records(_records(record_id=["R1", None, "R3", "R4"]))


def test_contacts_with_unknown_record_ids_are_not_dropped_silently():
    orders = pd.DataFrame({"record_id": ["R1"], "date": ["2024-01-01"], "amount": [1.0]})
    contacts = pd.DataFrame({"record_id": ["R1", "R9", "R8"], "cost": [1.0, 2.0, 3.0]})
    with pytest.raises(ValueError, match=r"contacts: 2 row\(s\).*not in records.*"
                                         r"rows \[1, 2\] \(values \['R9', 'R8'\]\)"):
        cf.build_customer_file(_records(), orders, contacts)
    with pytest.raises(ValueError, match="orders: 1 row"):
        cf.build_customer_file(_records(), orders.assign(record_id=["X"]), contacts.head(1))


@pytest.mark.parametrize("amount, error", [
    (np.nan, ValueError), (np.inf, ValueError), (1e308, ValueError), (-1.0, ValueError),
    ("12", TypeError)])
def test_bad_amounts_and_costs(amount, error):
    orders = pd.DataFrame({"record_id": ["R1"], "date": ["2024-01-01"], "amount": [amount]})
    contacts = pd.DataFrame({"record_id": ["R1"], "cost": [1.0]})
    with pytest.raises(error, match=r"orders\['amount'\]"):
        cf.build_customer_file(_records(), orders, contacts)
    with pytest.raises(error, match=r"contacts\['cost'\]"):
        cf.build_customer_file(_records(), orders.assign(amount=[1.0]),
                               contacts.assign(cost=[amount]))


def test_no_orders_or_contacts_yet_gives_zeros():
    orders = pd.DataFrame({"record_id": [], "date": [], "amount": []})
    contacts = pd.DataFrame({"record_id": [], "cost": []})
    file = cf.build_customer_file(_records(), orders, contacts)
    assert (file["n_orders"] == 0).all() and (file["contact_cost"] == 0).all()


def test_unify_and_match_check_their_arguments():
    clean = cf.clean_records(_records())
    assert cf.unify(clean, [1, 1, 1, 2])["n_records"].tolist() == [3, 1]
    with pytest.raises(ValueError, match="lengths differ"):
        cf.unify(clean, [1, 2])
    with pytest.raises(TypeError, match="one customer number per record"):
        cf.unify(clean, "1")
    with pytest.raises(ValueError, match="missing"):
        cf.unify(clean, [1, None, 1, 2])
    with pytest.raises(TypeError, match="list of column names"):
        cf.match_customers(clean, keys="phone")
    assert cf.match_customers(clean, keys=["phone"]).nunique() == 3


# --- property: bad input in every public function -------------------------------------

BAD = [np.nan, np.inf, -np.inf, 1e308, -1.0, "12", "abc", None, True, [1, 2], (),
       np.array(["1"]), pd.Series([np.nan]), {}, 2**64, np.int8(-3),
       pd.Timestamp("2024-01-02 07:00", tz="Asia/Shanghai")]


def _calls(bad):
    records = _records()
    orders = pd.DataFrame({"record_id": ["R1", "R2"], "date": ["2024-01-01", "2024-01-02"],
                           "amount": [10.0, 20.0]})
    contacts = pd.DataFrame({"record_id": ["R1"], "cost": [5.0]})
    scalar = np.ndim(bad) == 0 and not isinstance(bad, dict)
    put = (lambda frame, column: frame.assign(**{column: [bad] * len(frame)})) if scalar \
        else (lambda frame, column: bad)
    return [
        lambda: cf.normalize_phone(bad), lambda: cf.normalize_email(bad),
        lambda: cf.normalize_name(bad), lambda: cf.normalize_city(bad),
        lambda: cf.normalize_gender(bad), lambda: cf.parse_dates(bad),
        lambda: cf.normalize_phone(pd.Series([bad, "13800138000"], dtype=object)),
        lambda: cf.parse_dates(pd.Series([bad, "2023-01-05"], dtype=object)),
        lambda: cf.clean_records(bad),
        lambda: cf.clean_records(put(records, "phone")),
        lambda: cf.clean_records(put(records, "source")),
        lambda: cf.quality_report(put(records, "email")),
        lambda: cf.match_customers(cf.clean_records(records), keys=bad),
        lambda: cf.unify(cf.clean_records(records), bad),
        lambda: cf.build_customer_file(records, put(orders, "amount"), contacts),
        lambda: cf.build_customer_file(records, put(orders, "record_id"), contacts),
        lambda: cf.build_customer_file(records, orders, put(contacts, "cost")),
        lambda: cf.build_customer_file(records, put(orders, "date"), contacts),
    ]


N_CALLS = len(_calls(0.0))


@pytest.mark.parametrize("bad", BAD, ids=repr)
def test_every_public_function_meets_every_bad_value(bad):
    records = _records()
    before = records.copy()
    for call in _calls(bad):
        try:
            result = call()
        except (ValueError, TypeError) as error:
            assert str(error)
            continue
        if isinstance(result, pd.DataFrame):
            numbers = result.select_dtypes("number").drop(columns=["avg_amount"],
                                                          errors="ignore")
            assert np.isfinite(numbers.to_numpy(dtype=float)).all()
    pd.testing.assert_frame_equal(records, before)


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(BAD), st.integers(0, 10**6))
def test_bad_input_property(bad, which):
    try:
        _calls(bad)[which % N_CALLS]()
    except (ValueError, TypeError):
        pass

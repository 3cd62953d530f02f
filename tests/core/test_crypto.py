import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from shegong.core import crypto


def test_encrypt_round_trip_and_not_plain():
    token = crypto.encrypt("11010519491231002X")
    assert "11010519491231002X" not in token
    assert crypto.decrypt(token) == "11010519491231002X"
    assert crypto.encrypt("11010519491231002X") != token  # fresh nonce every time


def test_blind_index_is_stable_and_keyed():
    assert crypto.blind_index("11010519491231002x") == crypto.blind_index("11010519491231002X")
    assert crypto.blind_index("11010519491231002X") != crypto.blind_index("110105194912310010")


def test_mask_shows_first_six_and_last_four():
    assert crypto.mask_id("11010519491231002X") == "110105********002X"


def test_resident_id_gives_sex_and_birth_date():
    rid = crypto.validate_resident_id("11010519491231002X")
    assert (rid.sex, rid.birth_date.isoformat()) == ("F", "1949-12-31")


@pytest.mark.parametrize(
    "value,reason",
    [
        ("110105194912310021", "校验位"),
        ("1101051949123100", "18 位"),
        ("110105194913310021", "出生日期"),
    ],
)
def test_resident_id_errors_are_clear(value, reason):
    with pytest.raises(ValidationError) as exc:
        crypto.validate_resident_id(value)
    assert reason in exc.value.message_dict["id_number"][0]


@given(st.text(min_size=1, max_size=40))
def test_encryption_round_trips_any_text(text):
    assert crypto.decrypt(crypto.encrypt(text)) == text


def test_ids_issued_by_a_county_created_after_the_birth_are_valid():
    from stdnum.cn import ric

    body = "44010619491231002"  # 天河区 (created 1985), born 1949
    number = body + ric.calc_check_digit(body + "0")
    assert crypto.validate_resident_id(number).birth_date.year == 1949


def test_unknown_province_code_is_refused():
    from stdnum.cn import ric

    body = "99010619800101001"
    with pytest.raises(ValidationError) as exc:
        crypto.validate_resident_id(body + ric.calc_check_digit(body + "0"))
    assert "地区代码" in exc.value.message_dict["id_number"][0]


@given(
    st.dates(
        min_value=__import__("datetime").date(1900, 1, 1),
        max_value=__import__("datetime").date(2025, 12, 31),
    ),
    st.integers(min_value=0, max_value=999),
)
def test_any_well_formed_id_round_trips_sex_and_birth_date(birth, seq):
    from stdnum.cn import ric

    body = f"440106{birth:%Y%m%d}{seq:03d}"
    rid = crypto.validate_resident_id(body + ric.calc_check_digit(body + "0"))
    assert rid.birth_date == birth
    assert rid.sex == ("M" if seq % 2 else "F")

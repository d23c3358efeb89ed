"""Unified social credit code (GB 32100-2015) with the organisation-code check (GB 11714).

Real codes below are published registration data of well-known organisations. Each was found
quoted in public material during research (search of public pages and public GitHub
repositories, e.g. supplier/customer seed data and invoice examples) and its two check
characters were recomputed here; a mistyped or invented code fails with probability 30/31.
"""

from __future__ import annotations

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.kernel.credit_code import (
    CHARSET,
    REGISTRATION_AUTHORITIES,
    WEIGHTS,
    compose_credit_code,
    credit_code_check_character,
    organisation_code_check_character,
    parse_credit_code,
    validate_credit_code,
)
from shared.kernel.errors import ValidationFailed

REAL_CODES = [
    # (code, organisation, where it is published)
    (
        "9131000013221158XC",
        "上海浦东发展银行股份有限公司",
        "Shanghai, municipal registration; annual reports",
    ),
    ("91310000132260250X", "上海汽车集团股份有限公司", "Shanghai, municipal registration; annual reports"),
    ("9131011877976576X6", "上海南特克实业有限公司", "Shanghai Qingpu (310118); operator notice on its site"),
    ("91310109MACHK7GN2R", "上海掇骁贸易有限公司", "Shanghai Hongkou (310109), post-2015 MA series code"),
    ("12100000425006133D", "华东师范大学", "national-level public institution located in Shanghai"),
    ("91330100716105852F", "阿里巴巴（中国）网络技术有限公司", "Hangzhou"),
    ("9144030071526726XG", "腾讯科技（深圳）有限公司", "Shenzhen"),
    ("914403001922038216", "华为技术有限公司", "Shenzhen"),
    ("91110108551385082Q", "小米科技有限责任公司", "Beijing Haidian"),
    ("91340100MA2NJYNM4Q", "MA-series code quoted in a CSRC-filed legal opinion", "Hefei"),
    ("91110102MA008DDL0X", "MA-series code quoted in a CSRC-filed legal opinion", "Beijing Xicheng"),
]


@pytest.mark.parametrize(("code", "organisation", "where"), REAL_CODES)
def test_real_published_credit_codes_validate(code: str, organisation: str, where: str) -> None:
    result = validate_credit_code(code)
    assert result.ok, (organisation, where, result.errors)
    assert result.value is not None
    assert result.value.value == code


def test_weights_are_powers_of_three_mod_31() -> None:
    assert list(WEIGHTS) == [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def test_charset_has_31_characters_without_i_o_s_v_z() -> None:
    assert len(CHARSET) == 31
    assert not set("IOSVZ") & set(CHARSET)


def test_credit_code_check_character_matches_hand_computation_for_spdb() -> None:
    # 9131000013221158X: values 9,1,3,1,0,0,0,0,1,3,2,2,1,1,5,8,X=29
    # products 9+3+27+27+0+0+0+0+20+87+50+26+8+24+50+240+812 = 1383
    # 1383 mod 31 = 19; 31 - 19 = 12 -> 'C'
    assert credit_code_check_character("9131000013221158X") == "C"


def test_credit_code_check_character_matches_the_standards_worked_example() -> None:
    # GB 32100-2015 explanatory example: 91350100M000100Y4, sum 1640, 1640 mod 31 = 28, 31-28 = 3.
    # (https://renrendoc.com/p-47802332.html; the example's printed final character Z is wrong.)
    assert credit_code_check_character("91350100M000100Y4") == "3"
    assert validate_credit_code("91350100M000100Y43").ok
    # Z is not even in the character set, so that printed code is rejected outright.
    assert [e.code for e in validate_credit_code("91350100M000100Y4Z").errors] == ["credit_code.charset"]


def test_check_value_31_is_written_as_zero() -> None:
    # Vary one character of a prefix until the weighted sum is a multiple of 31: 31 - 0 = 31 -> '0'.
    prefixes = (f"9131000013221158{ch}" for ch in CHARSET)
    prefix = next(
        p for p in prefixes if sum(CHARSET.index(c) * w for c, w in zip(p, WEIGHTS, strict=True)) % 31 == 0
    )
    assert credit_code_check_character(prefix) == "0"


def test_organisation_code_check_matches_hand_computation() -> None:
    # 13221158: 1*3+3*7+2*9+2*10+1*5+1*8+5*4+8*2 = 111; 111 mod 11 = 1; 11-1 = 10 -> 'X'
    assert organisation_code_check_character("13221158") == "X"
    # M000100Y (M=22, Y=34): 66+0+0+0+5+0+0+68 = 139; 139 mod 11 = 7; 11-7 = 4
    assert organisation_code_check_character("M000100Y") == "4"
    # 19220382 (Huawei): 3+63+18+20+0+24+32+4 = 164; 164 mod 11 = 10; 11-10 = 1
    assert organisation_code_check_character("19220382") == "1"


def test_organisation_code_check_value_11_is_written_as_zero() -> None:
    # 13226025 (SAIC): 3+21+18+20+30+0+8+10 = 110; 110 mod 11 = 0; 11 - 0 = 11 -> '0'
    assert organisation_code_check_character("13226025") == "0"


def test_credit_code_check_character_must_match() -> None:
    result = validate_credit_code("9131000013221158XD")
    assert not result.ok
    assert [e.code for e in result.errors] == ["credit_code.check_character_mismatch"]


def test_organisation_code_check_character_must_match() -> None:
    body = "9131000013221158"  # organisation code body 13221158, whose check character is X
    wrong = body + "1"
    code = wrong + credit_code_check_character(wrong)  # final check made consistent on purpose
    result = validate_credit_code(code)
    assert [e.code for e in result.errors] == ["credit_code.organisation_code_check_mismatch"]


def test_credit_code_must_be_18_characters() -> None:
    assert [e.code for e in validate_credit_code("9131000013221158X").errors] == ["credit_code.length"]


def test_credit_code_is_required() -> None:
    assert [e.code for e in validate_credit_code("   ").errors] == ["credit_code.required"]


@pytest.mark.parametrize("letter", ["I", "O", "S", "V", "Z"])
def test_credit_code_rejects_letters_outside_the_31_character_set(letter: str) -> None:
    result = validate_credit_code("91310000132211" + letter + "8XC")
    assert [e.code for e in result.errors] == ["credit_code.charset"]
    assert letter in result.errors[0].message.en


def test_credit_code_is_trimmed_and_upper_cased() -> None:
    code = parse_credit_code("  9131000013221158xc ")
    assert code.value == "9131000013221158XC"


def test_a_credit_code_typed_in_full_width_characters_is_read_as_ascii() -> None:
    assert parse_credit_code("９１３１００００１３２２１１５８ｘｃ").value == "9131000013221158XC"


def test_registration_authority_code_must_exist() -> None:
    first17 = "B131000013221158X"
    result = validate_credit_code(first17 + credit_code_check_character(first17))
    assert "credit_code.registration_authority_unknown" in {e.code for e in result.errors}


def test_organisation_type_must_belong_to_the_registration_authority() -> None:
    first17 = "9431000013221158X"  # 工商 has types 1, 2, 3 only
    result = validate_credit_code(first17 + credit_code_check_character(first17))
    assert [e.code for e in result.errors] == ["credit_code.organisation_type_unknown"]


def test_division_code_must_be_a_province_division() -> None:
    first17 = "9199000013221158X"
    result = validate_credit_code(first17 + credit_code_check_character(first17))
    assert [e.code for e in result.errors] == ["credit_code.division_invalid"]


def test_parsed_credit_code_exposes_its_parts() -> None:
    code = parse_credit_code("9131000013221158XC")
    assert code.registration_authority.code == "9"
    assert code.registration_authority.name.zh == "工商"
    assert code.organisation_type.zh == "企业"
    assert code.division_code == "310000"
    assert code.organisation_code == "13221158X"
    assert code.organisation_code_display == "13221158-X"
    assert code.check_character == "C"


def test_parse_credit_code_raises_with_all_errors() -> None:
    with pytest.raises(ValidationFailed) as caught:
        parse_credit_code("9131000013221158XD")
    assert caught.value.errors[0].code == "credit_code.check_character_mismatch"


def test_credit_code_errors_carry_chinese_and_english_messages() -> None:
    for raw in ["", "123", "9131000013221158XD", "91310000132211I8XC", "B131000013221158XC"]:
        for error in validate_credit_code(raw).errors:
            assert error.field == "credit_code"
            assert any("\u4e00" <= ch <= "\u9fff" for ch in error.message.zh)
            assert error.message.en.isascii()


# --- generated codes ------------------------------------------------------------------------

_AUTHORITY_TYPES = [(a, t) for a, auth in REGISTRATION_AUTHORITIES.items() for t in auth.organisation_types]
_DIVISIONS = ["310000", "310101", "310115", "310151", "110108", "440300", "100000", "330100"]
# Organisation-code bodies use the GB 11714 alphabet restricted to the credit-code character set.
_ORG_BODY_CHARS = [ch for ch in CHARSET if ch in string.digits + string.ascii_uppercase]


@st.composite
def valid_credit_codes(draw: st.DrawFn) -> str:
    authority, org_type = draw(st.sampled_from(_AUTHORITY_TYPES))
    division = draw(st.sampled_from(_DIVISIONS))
    body = "".join(draw(st.lists(st.sampled_from(_ORG_BODY_CHARS), min_size=8, max_size=8)))
    first17 = authority + org_type + division + body + organisation_code_check_character(body)
    return first17 + credit_code_check_character(first17)


@given(valid_credit_codes())
def test_generated_valid_credit_codes_always_validate(code: str) -> None:
    assert validate_credit_code(code).ok


@given(valid_credit_codes(), st.integers(min_value=0, max_value=17), st.sampled_from(CHARSET))
def test_any_single_character_change_in_a_credit_code_fails(code: str, position: int, new: str) -> None:
    if code[position] == new:
        return
    changed = code[:position] + new + code[position + 1 :]
    result = validate_credit_code(changed)
    assert not result.ok
    assert "credit_code.check_character_mismatch" in {e.code for e in result.errors}


def test_a_composed_credit_code_is_valid_and_registered_in_its_division() -> None:
    code = parse_credit_code(compose_credit_code("310115", "MA1DEM00"))
    assert code.value.startswith("91310115MA1DEM00")

"""The 16 districts of Shanghai (GB/T 2260), found by code, former code or name."""

from __future__ import annotations

import pytest

from shared.kernel.districts import (
    SHANGHAI_DISTRICTS,
    district_by_code,
    district_by_name,
    district_label,
    validate_district_code,
)
from shared.kernel.text import Text


def test_shanghai_has_sixteen_districts_with_their_division_codes() -> None:
    assert {d.short_zh: d.code for d in SHANGHAI_DISTRICTS} == {
        "黄浦": "310101",
        "徐汇": "310104",
        "长宁": "310105",
        "静安": "310106",
        "普陀": "310107",
        "虹口": "310109",
        "杨浦": "310110",
        "闵行": "310112",
        "宝山": "310113",
        "嘉定": "310114",
        "浦东新区": "310115",
        "金山": "310116",
        "松江": "310117",
        "青浦": "310118",
        "奉贤": "310120",
        "崇明": "310151",
    }


def test_every_district_has_an_english_name() -> None:
    assert all(d.name.en.isascii() and d.name.en for d in SHANGHAI_DISTRICTS)
    pudong = district_by_code("310115")
    assert pudong is not None and pudong.name == Text("浦东新区", "Pudong New Area")


@pytest.mark.parametrize("name", ["静安", "静安区", "Jing'an", "jing'an district", " Jing'an District "])
def test_district_can_be_found_by_chinese_or_english_name(name: str) -> None:
    district = district_by_name(name)
    assert district is not None and district.code == "310106"


@pytest.mark.parametrize(
    ("old", "new"), [("310108", "310106"), ("310103", "310101"), ("310119", "310115"), ("310230", "310151")]
)
def test_former_division_codes_resolve_to_the_district_that_absorbed_them(old: str, new: str) -> None:
    district = district_by_code(old)
    assert district is not None and district.code == new


def test_only_current_district_codes_are_accepted_as_input() -> None:
    assert validate_district_code("310101") == ()
    assert [e.code for e in validate_district_code("310108")] == ["district.unknown"]
    assert [e.code for e in validate_district_code("320102")] == ["district.unknown"]
    assert district_by_code("320102") is None


def test_a_district_code_is_shown_by_its_name_and_an_unknown_one_as_it_is() -> None:
    assert district_label("310115") == Text("浦东新区", "Pudong New Area")
    assert district_label("310199") == Text("310199", "310199")

"""Administrative divisions (GB/T 2260): the provinces, and the 16 districts of Shanghai.

A unit files at the talent centre of the district where it is registered, and a clerk acts only
in their own district, so the district code is the join key between units, applications and
clerks. Codes as published in the Ministry of Civil Affairs division code list (county level,
Shanghai 3101xx); 崇明 became a district in 2016 with the new code 310151.

Credit codes are lifelong, so a unit registered before a merger still carries the old
division code; :data:`FORMER_DIVISION_CODES` maps those to the district that absorbed them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from shared.kernel.errors import FieldError
from shared.kernel.text import Text

PROVINCE_CODES: frozenset[str] = frozenset(
    {
        "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36",
        "37", "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62",
        "63", "64", "65", "71", "81", "82",
    }
)  # fmt: skip
"""The first two digits of every GB/T 2260 province-level division (71 台湾, 81 香港, 82 澳门 included)."""


@dataclass(frozen=True, slots=True)
class District:
    code: str
    name: Text
    """Full name, e.g. 黄浦区 / Huangpu District, 浦东新区 / Pudong New Area."""
    short_zh: str
    """Short name used in speech and on the clerk UI, e.g. 黄浦 / 浦东新区."""


def _district(code: str, name_zh: str, short_zh: str, name_en: str) -> District:
    return District(code, Text(name_zh, name_en), short_zh)


SHANGHAI_DISTRICTS: tuple[District, ...] = (
    _district("310101", "黄浦区", "黄浦", "Huangpu District"),
    _district("310104", "徐汇区", "徐汇", "Xuhui District"),
    _district("310105", "长宁区", "长宁", "Changning District"),
    _district("310106", "静安区", "静安", "Jing'an District"),
    _district("310107", "普陀区", "普陀", "Putuo District"),
    _district("310109", "虹口区", "虹口", "Hongkou District"),
    _district("310110", "杨浦区", "杨浦", "Yangpu District"),
    _district("310112", "闵行区", "闵行", "Minhang District"),
    _district("310113", "宝山区", "宝山", "Baoshan District"),
    _district("310114", "嘉定区", "嘉定", "Jiading District"),
    _district("310115", "浦东新区", "浦东新区", "Pudong New Area"),
    _district("310116", "金山区", "金山", "Jinshan District"),
    _district("310117", "松江区", "松江", "Songjiang District"),
    _district("310118", "青浦区", "青浦", "Qingpu District"),
    _district("310120", "奉贤区", "奉贤", "Fengxian District"),
    _district("310151", "崇明区", "崇明", "Chongming District"),
)

DISTRICTS_BY_CODE: Mapping[str, District] = MappingProxyType({d.code: d for d in SHANGHAI_DISTRICTS})

FORMER_DIVISION_CODES: Mapping[str, str] = MappingProxyType(
    {
        "310103": "310101",  # 卢湾区 merged into 黄浦区 (2011)
        "310108": "310106",  # 闸北区 merged into 静安区 (2015)
        "310119": "310115",  # 南汇区 merged into 浦东新区 (2009)
        "310230": "310151",  # 崇明县 became 崇明区 (2016)
    }
)

_BY_NAME: Mapping[str, District] = MappingProxyType(
    {
        key: d
        for d in SHANGHAI_DISTRICTS
        for key in {
            d.name.zh,
            d.short_zh,
            d.name.en.casefold(),
            d.name.en.casefold().removesuffix(" district"),
        }
    }
    | {"浦东": DISTRICTS_BY_CODE["310115"], "pudong": DISTRICTS_BY_CODE["310115"]}
)


def district_by_code(code: str) -> District | None:
    """The current district for a code, following :data:`FORMER_DIVISION_CODES`."""
    code = code.strip()
    return DISTRICTS_BY_CODE.get(FORMER_DIVISION_CODES.get(code, code))


def district_label(code: str) -> Text:
    """What a district code is called (浦东新区 / Pudong New Area); an unknown code stays as it is."""
    found = district_by_code(code)
    return found.name if found is not None else Text(code, code)


def district_by_name(name: str) -> District | None:
    """Look a district up by 黄浦 / 黄浦区 / Huangpu / Huangpu District (case-insensitive)."""
    key = name.strip()
    return _BY_NAME.get(key) or _BY_NAME.get(key.casefold())


def validate_district_code(code: str, *, field: str = "district") -> tuple[FieldError, ...]:
    """Only the 16 current codes are accepted as input; former codes are for reading old data."""
    if code.strip() in DISTRICTS_BY_CODE:
        return ()
    return (
        FieldError(
            field,
            "district.unknown",
            Text("请选择上海市的一个区。", "Choose one of the districts of Shanghai."),
        ),
    )

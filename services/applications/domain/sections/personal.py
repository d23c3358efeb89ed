"""个人基本信息: the applicant's basic information and current employment."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from services.applications.domain.sections.common import MAX_NAME_LENGTH, Problems
from services.applications.domain.sections.names import SectionName
from shared.kernel.errors import FieldError
from shared.kernel.form_codes import EducationAttainment, MaritalStatus
from shared.kernel.id_number import ResidentId, Sex, normalise_id_number, validate_id_number
from shared.kernel.mobile import normalise_mobile

LANDLINE = re.compile(r"(?=(?:\D*\d){7})[0-9 ()+\-]+(?:(?:转|ext\.?|x)\s*\d{1,6})?")
"""A landline as people write it: at least 7 digits, with area code, spaces, hyphens, brackets or a
``+86``, and an extension (``转 123``, ``ext 123``)."""

ETHNIC_GROUPS: frozenset[str] = frozenset(
    [
        "汉族",
        "蒙古族",
        "回族",
        "藏族",
        "维吾尔族",
        "苗族",
        "彝族",
        "壮族",
        "布依族",
        "朝鲜族",
        "满族",
        "侗族",
        "瑶族",
        "白族",
        "土家族",
        "哈尼族",
        "哈萨克族",
        "傣族",
        "黎族",
        "傈僳族",
        "佤族",
        "畲族",
        "高山族",
        "拉祜族",
        "水族",
        "东乡族",
        "纳西族",
        "景颇族",
        "柯尔克孜族",
        "土族",
        "达斡尔族",
        "仫佬族",
        "羌族",
        "布朗族",
        "撒拉族",
        "毛南族",
        "仡佬族",
        "锡伯族",
        "阿昌族",
        "普米族",
        "塔吉克族",
        "怒族",
        "乌孜别克族",
        "俄罗斯族",
        "鄂温克族",
        "德昂族",
        "保安族",
        "裕固族",
        "京族",
        "塔塔尔族",
        "独龙族",
        "鄂伦春族",
        "赫哲族",
        "门巴族",
        "珞巴族",
        "基诺族",
    ]
) | {"其他", "外国血统中国籍人士"}
"""The 56 recognised ethnic groups (GB 3304), plus the two extra entries of that standard."""


@dataclass(frozen=True, slots=True)
class Employment:
    """Current post and labour contract with the applying unit. ``contract_end`` ``None`` means a
    contract without a fixed term (无固定期限劳动合同)."""

    post: str
    contract_start: date
    contract_end: date | None


@dataclass(frozen=True, slots=True)
class PersonalInfo:
    """The applicant's basic information.

    ``hukou_address`` is the address in the household register (户口本), which is what the form wants
    even when it differs from the address on the ID card; ``hukou_address_differs_from_id_card`` records
    that it does. ``sex`` is the stated sex; the ID number decides, so a stated sex must agree with it.
    The ID number and the mobile number are kept in their normal form (trimmed, upper-case ``X``; bare
    11 digits), as the kernel's rules read them.
    """

    name: str
    ethnicity: str
    id_number: str
    hukou_address: str
    hukou_address_differs_from_id_card: bool
    shanghai_address: str
    mobile: str
    marital_status: MaritalStatus
    residence_permit_valid_from: date
    residence_permit_valid_until: date
    highest_education: EducationAttainment
    employment: Employment
    sex: Sex | None = None
    former_name: str = ""
    political_status: str = ""
    landline: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "id_number", normalise_id_number(self.id_number))
        object.__setattr__(self, "mobile", normalise_mobile(self.mobile))
        object.__setattr__(self, "landline", unicodedata.normalize("NFKC", self.landline).strip())

    @property
    def resident_id(self) -> ResidentId | None:
        """What the ID number tells (birth date, sex), or ``None`` if it breaks a rule of the number
        itself. Whether the birth date lies after the application date is the validator's check."""
        return validate_id_number(self.id_number, today=None).value


def validate_personal_info(info: PersonalInfo, on: date) -> list[FieldError]:
    """Check the basic information as of the application date ``on`` (in the order of the page)."""
    problems = Problems(SectionName.PERSONAL_INFO)
    _check_names(info, problems)
    resident = problems.id_number("id_number", info.id_number, on)
    if resident is not None and info.sex is not None and info.sex is not resident.sex:
        problems.add(
            "sex",
            "personal.sex_disagrees_with_id_number",
            f"性别与身份证号码不一致（身份证号码为{resident.sex.label.zh}性）",
            f"The stated sex does not match the ID number ({resident.sex.label.en})",
        )
    _check_contacts(info, problems)
    _check_residence_permit(info, on, problems)
    _check_post(info.employment, problems)
    _check_employment(info.employment, on, problems)
    return problems.errors


def validate_personal_text(info: PersonalInfo) -> list[FieldError]:
    """The rules of the typed answers alone (names, addresses, phones, post), which no date or choice
    changes: a page checks them even while a date it was sent does not exist, so that a person sees
    every mistake at once, not in rounds."""
    problems = Problems(SectionName.PERSONAL_INFO)
    _check_names(info, problems)
    _check_contacts(info, problems)
    _check_post(info.employment, problems)
    return problems.errors


def _check_names(info: PersonalInfo, problems: Problems) -> None:
    problems.required_text("name", info.name, "姓名", "name", MAX_NAME_LENGTH)
    problems.optional_text("former_name", info.former_name, "曾用名", "former name", MAX_NAME_LENGTH)
    if info.ethnicity not in ETHNIC_GROUPS:
        problems.add(
            "ethnicity", "personal.unknown_ethnicity", "请选择民族", "Choose an ethnic group from the list"
        )


def _check_contacts(info: PersonalInfo, problems: Problems) -> None:
    problems.required_text("hukou_address", info.hukou_address, "户籍地址（按户口本填写）", "hukou address")
    problems.required_text("shanghai_address", info.shanghai_address, "在沪居住地址", "Shanghai address")
    problems.mobile("mobile", info.mobile)
    problems.optional_text("political_status", info.political_status, "政治面貌", "political status", 20)
    problems.optional_text("landline", info.landline, "固定电话", "landline", 20)
    if info.landline and not LANDLINE.fullmatch(info.landline):
        problems.add(
            "landline",
            "personal.landline_format",
            "固定电话应为数字，可含区号、“-”和分机号，如 021-62345678",
            "A landline is digits, with an area code, hyphens and an extension if need be: 021-62345678",
        )


def _check_post(employment: Employment, problems: Problems) -> None:
    problems.required_text("employment.post", employment.post, "现工作岗位", "current post")


def _check_residence_permit(info: PersonalInfo, on: date, problems: Problems) -> None:
    valid_from, valid_until = info.residence_permit_valid_from, info.residence_permit_valid_until
    if valid_until <= valid_from:
        problems.add(
            "residence_permit_valid_until",
            "personal.residence_permit_ends_before_start",
            "居住证有效期截止日期必须晚于起始日期",
            "The residence permit must end after it starts",
        )
    elif not valid_from <= on <= valid_until:
        problems.add(
            "residence_permit_valid_until",
            "personal.residence_permit_not_valid",
            f"居住证在申请日期 {on.isoformat()} 不在有效期内",
            f"The residence permit is not valid on the application date {on.isoformat()}",
        )


def _check_employment(employment: Employment, on: date, problems: Problems) -> None:
    start, end = employment.contract_start, employment.contract_end
    if end is not None and end <= start:
        problems.add(
            "employment.contract_end",
            "personal.contract_ends_before_start",
            "劳动合同终止日期必须晚于起始日期",
            "The labour contract must end after it starts",
        )
    elif start > on or (end is not None and end < on):
        problems.add(
            "employment.contract_end" if start <= on else "employment.contract_start",
            "personal.contract_not_valid",
            f"劳动合同在申请日期 {on.isoformat()} 不在有效期内",
            f"The labour contract is not in force on the application date {on.isoformat()}",
        )

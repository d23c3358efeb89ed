"""Unified social credit code (统一社会信用代码), GB 32100-2015.

Structure of the 18 characters (all from the 31-character set below; I, O, S, V, Z are not used):

=========  ==========================================================================
position   meaning
=========  ==========================================================================
1          registration-authority code (登记管理部门代码), e.g. 9 = market regulation (工商)
2          organisation-type code (机构类别代码), depends on the authority
3-8        administrative division of the registering authority (GB/T 2260)
9-17       subject identifier = organisation code (主体标识码/组织机构代码, GB 11714);
           its 9th character (position 17 overall) is the GB 11714 check character
18         check character (GB/T 17710 MOD 31-3): weights 3^(i-1) mod 31, value
           ``31 - (sum mod 31)``, where 31 maps to 0
=========  ==========================================================================

Input is brought to ASCII (full-width digits and letters), trimmed and upper-cased; every failed rule
is reported, and a code is valid only when both check characters (GB 11714 at position 17, GB 32100
at position 18) are right.

Code tables are from GB 32100-2015 Appendix (authority and type codes) as reproduced at
https://osuse.cn/post/10002590.html; the check-character worked example
(91350100M000100Y4 -> 3) is the one printed with the standard's explanation at
https://renrendoc.com/p-47802332.html.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from shared.kernel.districts import PROVINCE_CODES
from shared.kernel.errors import FieldError, Validated, ValidationFailed
from shared.kernel.text import Text

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
"""The 31 characters of GB 32100-2015 table 1; the value of a character is its index."""

_VALUE = {ch: i for i, ch in enumerate(CHARSET)}

WEIGHTS: tuple[int, ...] = tuple(pow(3, i, 31) for i in range(17))
"""Position weights W_i = 3^(i-1) mod 31 for i = 1..17."""

ORG_CODE_WEIGHTS: tuple[int, ...] = (3, 7, 9, 10, 5, 8, 4, 2)
"""GB 11714-1997 weights for the 8 body characters of an organisation code."""

NATIONAL_DIVISION = "100000"
"""The division of national-level registrations (e.g. 12100000425006133D, 华东师范大学)."""


@dataclass(frozen=True, slots=True)
class RegistrationAuthority:
    code: str
    name: Text
    organisation_types: Mapping[str, Text]


def _types(**kinds: tuple[str, str]) -> Mapping[str, Text]:
    return MappingProxyType({k.removeprefix("t"): Text(*v) for k, v in kinds.items()})


REGISTRATION_AUTHORITIES: Mapping[str, RegistrationAuthority] = MappingProxyType(
    {
        a.code: a
        for a in (
            RegistrationAuthority(
                "1",
                Text("机构编制", "Public-sector establishment office"),
                _types(
                    t1=("机关", "Government organ"),
                    t2=("事业单位", "Public institution"),
                    t3=("中央编办直接管理机构编制的群众团体", "Mass organisation under the central office"),
                    t9=("其他", "Other"),
                ),
            ),
            RegistrationAuthority(
                "2",
                Text("外交", "Foreign affairs"),
                _types(t1=("外国常驻新闻机构", "Resident foreign news agency"), t9=("其他", "Other")),
            ),
            RegistrationAuthority(
                "3",
                Text("司法行政", "Justice administration"),
                _types(
                    t1=("律师执业机构", "Law firm"),
                    t2=("公证处", "Notary office"),
                    t3=("基层法律服务所", "Grassroots legal service office"),
                    t4=("司法鉴定机构", "Forensic appraisal institution"),
                    t5=("仲裁委员会", "Arbitration commission"),
                    t9=("其他", "Other"),
                ),
            ),
            RegistrationAuthority(
                "4",
                Text("文化", "Culture"),
                _types(t1=("外国在华文化中心", "Foreign cultural centre in China"), t9=("其他", "Other")),
            ),
            RegistrationAuthority(
                "5",
                Text("民政", "Civil affairs"),
                _types(
                    t1=("社会团体", "Social organisation"),
                    t2=("民办非企业单位", "Private non-enterprise unit"),
                    t3=("基金会", "Foundation"),
                    t9=("其他", "Other"),
                ),
            ),
            RegistrationAuthority(
                "6",
                Text("旅游", "Tourism"),
                _types(
                    t1=("外国旅游部门常驻代表机构", "Foreign tourism office"),
                    t2=("港澳台地区旅游部门常驻内地（大陆）代表机构", "HK/Macao/Taiwan tourism office"),
                    t9=("其他", "Other"),
                ),
            ),
            RegistrationAuthority(
                "7",
                Text("宗教", "Religious affairs"),
                _types(
                    t1=("宗教活动场所", "Place of religious activity"),
                    t2=("宗教院校", "Religious school"),
                    t9=("其他", "Other"),
                ),
            ),
            RegistrationAuthority(
                "8",
                Text("工会", "Trade unions"),
                _types(t1=("基层工会", "Grassroots trade union"), t9=("其他", "Other")),
            ),
            RegistrationAuthority(
                "9",
                Text("工商", "Market regulation (industry and commerce)"),
                _types(
                    t1=("企业", "Enterprise"),
                    t2=("个体工商户", "Individual business"),
                    t3=("农民专业合作社", "Farmers' cooperative"),
                ),
            ),
            RegistrationAuthority(
                "A",
                Text("中央军委改革和编制办公室", "CMC reform and establishment office"),
                _types(t1=("军队事业单位", "Military public institution"), t9=("其他", "Other")),
            ),
            RegistrationAuthority(
                "N",
                Text("农业", "Agriculture"),
                _types(
                    t1=("组级集体经济组织", "Group-level collective"),
                    t2=("村级集体经济组织", "Village-level collective"),
                    t3=("乡镇级集体经济组织", "Township-level collective"),
                    t9=("其他", "Other"),
                ),
            ),
            RegistrationAuthority(
                "Y",
                Text("其他", "Other authority"),
                _types(t1=("其他", "Other")),
            ),
        )
    }
)


@dataclass(frozen=True, slots=True)
class CreditCode:
    """A validated unified social credit code, split into its parts."""

    value: str
    registration_authority: RegistrationAuthority
    organisation_type: Text
    division_code: str
    organisation_code: str
    """The 9-character organisation code (positions 9-17), including its own check character."""

    @property
    def check_character(self) -> str:
        return self.value[17]

    @property
    def organisation_code_display(self) -> str:
        """The organisation code as printed on the old certificates, e.g. ``13221158-X``."""
        return f"{self.organisation_code[:8]}-{self.organisation_code[8]}"

    def __str__(self) -> str:
        return self.value


def credit_code_check_character(first17: str) -> str:
    """GB 32100-2015 check character for the first 17 characters."""
    if len(first17) != 17 or any(ch not in _VALUE for ch in first17):
        raise ValueError("need 17 characters from the GB 32100 character set")
    total = sum(_VALUE[ch] * w for ch, w in zip(first17, WEIGHTS, strict=True))
    value = 31 - total % 31
    return CHARSET[0 if value == 31 else value]


def _org_value(ch: str) -> int:
    # GB 11714: digits are their value, letters A..Z are 10..35.
    return int(ch) if ch.isdigit() else ord(ch) - ord("A") + 10


def organisation_code_check_character(first8: str) -> str:
    """GB 11714-1997 check character for an 8-character organisation code body.

    ``C9 = 11 - (sum mod 11)``; 10 is written ``X`` and 11 is written ``0``.
    """
    if len(first8) != 8 or not all(ch.isdigit() or "A" <= ch <= "Z" for ch in first8):
        raise ValueError("need 8 digits or upper-case Latin letters")
    total = sum(_org_value(ch) * w for ch, w in zip(first8, ORG_CODE_WEIGHTS, strict=True))
    value = 11 - total % 11
    if value == 10:
        return "X"
    if value == 11:
        return "0"
    return str(value)


def compose_credit_code(division: str, organisation: str, registration: str = "91") -> str:
    """A valid code from its parts (registration type, default ``91`` an enterprise; the 6-digit
    division; the 8-character organisation code, whose check character is added) with its check
    character: for demo data and tests."""
    first17 = f"{registration}{division}{organisation}{organisation_code_check_character(organisation)}"
    return first17 + credit_code_check_character(first17)


def normalise_credit_code(raw: str) -> str:
    """Full-width digits and letters (typed with a Chinese input method) as ASCII, surrounding white
    space trimmed, upper-cased; nothing else is changed."""
    return unicodedata.normalize("NFKC", raw).strip().upper()


def _err(field: str, code: str, zh: str, en: str) -> FieldError:
    return FieldError(field, f"credit_code.{code}", Text(zh, en))


def validate_credit_code(raw: str, *, field: str = "credit_code") -> Validated[CreditCode]:
    """Check a unified social credit code and return its parts or every failed rule."""
    value = normalise_credit_code(raw)
    if not value:
        return Validated(
            None,
            (_err(field, "required", "请填写统一社会信用代码。", "Enter the unified social credit code."),),
        )
    if len(value) != 18:
        return Validated(
            None,
            (
                _err(
                    field,
                    "length",
                    f"统一社会信用代码应为18位，现为{len(value)}位。",
                    f"The unified social credit code must be 18 characters; this one has {len(value)}.",
                ),
            ),
        )
    bad = sorted({ch for ch in value if ch not in _VALUE})
    if bad:
        shown = "、".join(bad)
        return Validated(
            None,
            (
                _err(
                    field,
                    "charset",
                    f"统一社会信用代码只能包含数字和大写字母（不使用I、O、S、V、Z），发现：{shown}。",
                    "The unified social credit code may contain only digits and capital letters "
                    f"except I, O, S, V and Z; found: {', '.join(bad)}.",
                ),
            ),
        )

    errors: list[FieldError] = []
    authority = REGISTRATION_AUTHORITIES.get(value[0])
    org_type: Text | None = None
    if authority is None:
        errors.append(
            _err(
                field,
                "registration_authority_unknown",
                f"第1位登记管理部门代码“{value[0]}”不存在。",
                f"Character 1 ('{value[0]}') is not a registration-authority code.",
            )
        )
    else:
        org_type = authority.organisation_types.get(value[1])
        if org_type is None:
            errors.append(
                _err(
                    field,
                    "organisation_type_unknown",
                    f"第2位机构类别代码“{value[1]}”不属于登记管理部门“{authority.name.zh}”。",
                    f"Character 2 ('{value[1]}') is not an organisation type of the "
                    f"'{authority.name.en}' authority.",
                )
            )
    division = value[2:8]
    if not (division.isdigit() and (division[:2] in PROVINCE_CODES or division == NATIONAL_DIVISION)):
        errors.append(
            _err(
                field,
                "division_invalid",
                f"第3至8位登记管理机关行政区划码“{division}”无效。",
                f"Characters 3-8 ('{division}') are not an administrative division code.",
            )
        )
    org_code = value[8:17]
    expected_org_check = organisation_code_check_character(org_code[:8])
    if org_code[8] != expected_org_check:
        errors.append(
            _err(
                field,
                "organisation_code_check_mismatch",
                "第9至17位组织机构代码的校验码不正确，请核对是否输错。",
                "The organisation code in characters 9-17 fails its GB 11714 check; "
                "check for a typing error.",
            )
        )
    expected = credit_code_check_character(value[:17])
    if value[17] != expected:
        errors.append(
            _err(
                field,
                "check_character_mismatch",
                "统一社会信用代码校验码不正确，请核对是否输错。",
                "The check character of the unified social credit code does not match; "
                "check for a typing error.",
            )
        )
    if errors or authority is None or org_type is None:
        return Validated(None, tuple(errors))
    return Validated(
        CreditCode(
            value=value,
            registration_authority=authority,
            organisation_type=org_type,
            division_code=division,
            organisation_code=org_code,
        ),
        (),
    )


def parse_credit_code(raw: str, *, field: str = "credit_code") -> CreditCode:
    """Like :func:`validate_credit_code` but raises :class:`ValidationFailed` with every problem."""
    result = validate_credit_code(raw, field=field)
    if result.value is None:
        raise ValidationFailed(result.errors)
    return result.value

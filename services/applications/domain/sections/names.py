"""Names of the form sections, in the order the seed page lists them."""

from __future__ import annotations

from enum import StrEnum


class SectionName(StrEnum):
    PLEDGE = "pledge"  # 承诺与授权
    PERSONAL_INFO = "personal_info"  # 个人基本信息
    RESUME = "resume"  # 个人简历
    FAMILY = "family"  # 家庭情况
    INVESTMENT = "investment"  # 投资与创业
    SCORING_CLAIMS = "scoring_claims"  # 积分指标
    DEDUCTIONS = "deductions"  # 减分项与一票否决项

    @property
    def label_zh(self) -> str:
        return _LABELS_ZH[self]

    @property
    def label_en(self) -> str:
        return _LABELS_EN[self]


_LABELS_ZH = {
    SectionName.PLEDGE: "承诺与授权",
    SectionName.PERSONAL_INFO: "个人基本信息",
    SectionName.RESUME: "个人简历",
    SectionName.FAMILY: "家庭情况",
    SectionName.INVESTMENT: "投资与创业",
    SectionName.SCORING_CLAIMS: "积分指标",
    SectionName.DEDUCTIONS: "减分项与一票否决项",
}
_LABELS_EN = {
    SectionName.PLEDGE: "pledge and authorisation",
    SectionName.PERSONAL_INFO: "personal information",
    SectionName.RESUME: "resume",
    SectionName.FAMILY: "family",
    SectionName.INVESTMENT: "investment and enterprise",
    SectionName.SCORING_CLAIMS: "scoring items",
    SectionName.DEDUCTIONS: "deductions and veto items",
}

DATA_SECTIONS: tuple[SectionName, ...] = tuple(s for s in SectionName if s is not SectionName.PLEDGE)
"""The sections saved with a form payload (the pledge is accepted, not filled in)."""

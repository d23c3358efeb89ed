"""Names of the form sections, in the order the seed page lists them."""

from __future__ import annotations

from enum import StrEnum

from shared.kernel.text import Text


class SectionName(StrEnum):
    PLEDGE = "pledge"  # 承诺与授权
    PERSONAL_INFO = "personal_info"  # 个人基本信息
    RESUME = "resume"  # 个人简历
    FAMILY = "family"  # 家庭情况
    INVESTMENT = "investment"  # 投资与创业
    SCORING_CLAIMS = "scoring_claims"  # 积分指标
    DEDUCTIONS = "deductions"  # 减分项与一票否决项

    @property
    def label(self) -> Text:
        return _LABELS[self]


_LABELS: dict[SectionName, Text] = {
    SectionName.PLEDGE: Text("承诺与授权", "Pledge and authorisation"),
    SectionName.PERSONAL_INFO: Text("个人基本信息", "Personal information"),
    SectionName.RESUME: Text("个人简历", "Resume"),
    SectionName.FAMILY: Text("家庭情况", "Family"),
    SectionName.INVESTMENT: Text("投资与创业", "Investment and enterprise"),
    SectionName.SCORING_CLAIMS: Text("积分指标", "Scoring items"),
    SectionName.DEDUCTIONS: Text("减分项与一票否决项", "Deductions and veto items"),
}

DATA_SECTIONS: tuple[SectionName, ...] = tuple(s for s in SectionName if s is not SectionName.PLEDGE)
"""The sections saved with a form payload (the pledge is accepted, not filled in)."""

"""Names of the form sections, in the order the seed page lists them."""

from __future__ import annotations

from shared.kernel.text import LabelledEnum, Text


class SectionName(LabelledEnum):
    PLEDGE = "pledge", Text("承诺与授权", "Pledge and authorisation")
    PERSONAL_INFO = "personal_info", Text("个人基本信息", "Personal information")
    RESUME = "resume", Text("个人简历", "Resume")
    FAMILY = "family", Text("家庭情况", "Family")
    INVESTMENT = "investment", Text("投资与创业", "Investment and enterprise")
    SCORING_CLAIMS = "scoring_claims", Text("积分指标", "Scoring items")
    DEDUCTIONS = "deductions", Text("减分项与一票否决项", "Deductions and veto items")


DATA_SECTIONS: tuple[SectionName, ...] = tuple(s for s in SectionName if s is not SectionName.PLEDGE)
"""The sections saved with a form payload (the pledge is accepted, not filled in)."""


SECTION_PARTS: dict[SectionName, tuple[str, ...]] = {
    SectionName.SCORING_CLAIMS: ("education", "social_insurance", "bonus", "direct_routes"),
}
"""Sections filled in over several pages (question groups), each saved on its own. The section is in
progress until every part has been saved once; a save of the whole section (``part=""``) saves them all."""


def parts_of(section: SectionName) -> tuple[str, ...]:
    """The parts of ``section`` (empty for a section filled in on one page)."""
    return SECTION_PARTS.get(section, ())

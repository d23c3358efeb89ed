"""投资与创业: an enterprise the applicant invested in, for the investment/tax and local-hiring items.

The scoring needs the enterprise's tax and the Shanghai-hukou staff it employed in each of 3
consecutive (completed) years, and the applicant's own share. An applicant without such an enterprise
still saves the section, with ``has_investment=False`` and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from services.applications.domain.sections.common import Problems
from services.applications.domain.sections.names import SectionName
from shared.kernel.errors import FieldError
from shared.kernel.points.claims import InvestmentClaim
from shared.kernel.points.limits import MAX_HIRES, MAX_TAX_YUAN

YEARS_REQUIRED = 3

DETAILS_WITHOUT_INVESTMENT = "investment.details_without_investment"
THREE_YEARS_REQUIRED = "investment.three_years_required"
YEARS_NOT_CONSECUTIVE = "investment.years_not_consecutive"
YEAR_NOT_COMPLETED = "investment.year_not_completed"
SHARE_REQUIRED = "investment.share_required"
SHARE_OUT_OF_RANGE = "investment.share_out_of_range"


@dataclass(frozen=True, slots=True)
class InvestmentYear:
    year: int
    tax_paid_yuan: int
    shanghai_hukou_staff: int


@dataclass(frozen=True, slots=True)
class Investment:
    """``share_percent`` is the applicant's own share of the enterprise, in percent (0 excluded, 100
    included)."""

    has_investment: bool
    enterprise_name: str = ""
    share_percent: Decimal | None = None
    years: tuple[InvestmentYear, ...] = ()

    def as_claim(self) -> InvestmentClaim | None:
        """The points calculator's view of this section (years in ascending order)."""
        if not self.has_investment or self.share_percent is None or len(self.years) != YEARS_REQUIRED:
            return None
        first, second, third = sorted(self.years, key=lambda year: year.year)
        return InvestmentClaim(
            enterprise_name=self.enterprise_name,
            share_percent=self.share_percent,
            annual_tax_paid_yuan=(first.tax_paid_yuan, second.tax_paid_yuan, third.tax_paid_yuan),
            annual_shanghai_hukou_hires=(
                first.shanghai_hukou_staff,
                second.shanghai_hukou_staff,
                third.shanghai_hukou_staff,
            ),
        )


def validate_investment(investment: Investment, on: date) -> list[FieldError]:
    """Check the section; years must be completed calendar years before the application year."""
    problems = Problems(SectionName.INVESTMENT)
    if not investment.has_investment:
        if investment.enterprise_name or investment.share_percent is not None or investment.years:
            problems.add(
                "has_investment",
                DETAILS_WITHOUT_INVESTMENT,
                "未选择有投资创业，请勿填写企业信息",
                "Enterprise details were given although no investment is declared",
            )
        return problems.errors
    problems.required_text("enterprise_name", investment.enterprise_name, "企业名称", "enterprise name")
    share = investment.share_percent
    if share is None:
        problems.add(
            "share_percent", SHARE_REQUIRED, "请填写本人投资比例", "Enter your share of the enterprise"
        )
    elif not share.is_finite() or not (Decimal(0) < share <= Decimal(100)):
        problems.add(
            "share_percent",
            SHARE_OUT_OF_RANGE,
            "本人投资比例应大于0%且不超过100%",
            "Your share must be more than 0 % and at most 100 %",
        )
    _check_years(investment.years, on, problems)
    return problems.errors


def _check_years(years: tuple[InvestmentYear, ...], on: date, problems: Problems) -> None:
    if len(years) != YEARS_REQUIRED:
        problems.add(
            "years",
            THREE_YEARS_REQUIRED,
            "请填写连续3个年度的纳税额和聘用本市户籍人员数",
            "Enter the tax paid and the Shanghai-hukou staff for 3 consecutive years",
        )
    numbers = sorted(year.year for year in years)
    if len(numbers) == YEARS_REQUIRED and numbers != list(range(numbers[0], numbers[0] + YEARS_REQUIRED)):
        problems.add(
            "years",
            YEARS_NOT_CONSECUTIVE,
            "3个年度必须连续且不重复",
            "The 3 years must be consecutive and different",
        )
    for index, year in enumerate(years):
        prefix = f"years[{index}]"
        if year.year >= on.year:
            problems.add(
                f"{prefix}.year",
                YEAR_NOT_COMPLETED,
                f"{year.year}年度尚未结束，只能填写已结束的年度",
                f"{year.year} is not a completed year; only completed years count",
            )
        problems.within(f"{prefix}.tax_paid_yuan", year.tax_paid_yuan, 0, MAX_TAX_YUAN, "纳税额", "tax paid")
        problems.within(
            f"{prefix}.shanghai_hukou_staff",
            year.shanghai_hukou_staff,
            0,
            MAX_HIRES,
            "聘用本市户籍人员数",
            "staff number",
        )

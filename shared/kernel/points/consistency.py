"""Claims that contradict each other are refused, not scored.

The months of social insurance paid (3 points per full year) and the month-by-month base history (the
base indicator and the title gate) describe the same contributions. A history that shows more months
paid than the total claimed cannot be true: scoring it would give, say, 120 points for "24 months at
3x the average wage" next to "0 months paid". The rule below refuses that, with a field-level
problem; the calculator raises ``ContradictoryClaimsError`` rather than score such claims, and the
application form's validator and the simulator report the same problem at the months-paid field.

Which history months count is the years indicator's own definition (domain.md §1, 在本市工作及缴纳
职工社会保险年限): back-payments (补缴) do not count, nor months paid by someone other than the
employer on the labour contract. Months after the assessment month are not yet paid.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from shared.kernel.errors import FieldError, ValidationFailed
from shared.kernel.text import Text

from .claims import SocialInsuranceClaim

MONTHS_PAID_FIELD = "social_insurance.contribution_months"
MONTHS_PAID_BELOW_HISTORY = "points.months_paid_below_history"


def months_paid_in_history(claim: SocialInsuranceClaim, on: date) -> int:
    """Distinct months, up to the assessment month of ``on``, that the history shows as paid and that
    count towards the years of contributions."""
    last = on.year * 12 + on.month
    return len(
        {
            c.month.year * 12 + c.month.month
            for c in claim.history
            if not c.back_payment
            and c.payer_is_contract_employer
            and c.month.year * 12 + c.month.month <= last
        }
    )


def social_insurance_problems(claim: SocialInsuranceClaim, on: date, section: str = "") -> list[FieldError]:
    """The months paid must be at least the months the history shows as paid (problem at
    ``social_insurance.contribution_months`` of ``section``)."""
    if claim.contribution_months >= len(claim.history):
        return []  # distinct paid months never outnumber the records
    shown = months_paid_in_history(claim, on)
    if claim.contribution_months >= shown:
        return []
    return [
        FieldError(
            MONTHS_PAID_FIELD,
            MONTHS_PAID_BELOW_HISTORY,
            Text(
                f"累计缴费月数（{claim.contribution_months}个月）少于缴费基数记录中已缴费的{shown}个月，"
                f"请至少填写{shown}个月",
                f"The months paid ({claim.contribution_months}) are fewer than the {shown} months the "
                f"contribution-base record shows as paid: enter at least {shown}",
            ),
            section,
        )
    ]


class ContradictoryClaimsError(ValidationFailed):
    """The claims contradict each other and cannot be scored; ``errors`` says where."""

    code = "points.contradictory_claims"

    def __init__(self, errors: Iterable[FieldError]) -> None:
        super().__init__(
            errors,
            Text(
                "所填信息互相矛盾，无法计算积分",
                "What was entered contradicts itself, so no score can be calculated",
            ),
        )

"""A talent-centre case, rule by rule: stages, materials, four eyes, duties, districts, rounds."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from services.review.domain.case import ReviewCase, Submission
from services.review.domain.clerk_rules import Clerk
from services.review.domain.conflicts import AlreadyDecided
from services.review.domain.materials import Material
from services.review.domain.verification import (
    DeclaredLine,
    VerifiedLine,
    VerifiedScore,
    entered_on_form,
    verify,
)
from shared.kernel.application_status import ApplicationKind, ApplicationStatus
from shared.kernel.errors import DomainError, NotPermitted, NotVisible, StateConflict, ValidationFailed
from shared.kernel.roles import Duty
from shared.kernel.text import Text

S = ApplicationStatus
AT = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
PUDONG, XUHUI = "310115", "310104"
CHECKLIST = (
    Material("stamped_form", Text("盖章的申请表", "Stamped form")),
    Material("applicant_id", Text("身份证", "ID card")),
    Material("resume_sheet", Text("A4 简历", "A4 résumé sheet")),
)
LINES = (
    DeclaredLine("age", 30, 30, True, "age"),
    DeclaredLine("education", 100, 110, True, "edu"),
    DeclaredLine("qualification", 60, 140, False, "q"),
)
ALL = [m.code for m in CHECKLIST]
ACCEPTOR = Clerk("a", PUDONG, frozenset({Duty.ACCEPTANCE}))
APPROVER = Clerk("b", PUDONG, frozenset({Duty.APPROVAL}))


def submission(number: int = 1, district: str = PUDONG) -> Submission:
    return Submission(
        number, AT, "unit", ApplicationKind.NEW, "app", "310104********1234", "k.fp", "u", "CODE", "单位",
        district, 130, 120, LINES, CHECKLIST, "sealed",
    )  # fmt: skip


def new_case() -> ReviewCase:
    return ReviewCase.open("application-1", "JF1", submission())


def accepted_case() -> ReviewCase:
    case = new_case()
    case.accept(ACCEPTOR, ALL, AT)
    return case


def score(total: int = 130) -> VerifiedScore:
    return VerifiedScore(
        total, 120, tuple(VerifiedLine(x.indicator, x.points, x.points, x.counted, None) for x in LINES)
    )


def test_a_case_opens_awaiting_acceptance_in_its_units_district() -> None:
    case = new_case()
    assert (case.stage, case.district, case.checklist) == (S.AWAITING_ACCEPTANCE, PUDONG, CHECKLIST)
    assert case.id == ReviewCase.create_id("application-1")


def test_acceptance_with_every_material_moves_the_case_to_awaiting_approval() -> None:
    case = accepted_case()
    assert (case.stage, case.accepted_by, case.materials_received) == (S.AWAITING_APPROVAL, "a", tuple(ALL))


def test_acceptance_lists_every_missing_material_at_once() -> None:
    with pytest.raises(ValidationFailed) as refused:
        new_case().accept(ACCEPTOR, ["stamped_form"], AT)
    assert [e.field for e in refused.value.errors] == ["materials.applicant_id", "materials.resume_sheet"]
    assert "缺少 2 项" in refused.value.message.zh


def test_an_unknown_material_code_is_refused() -> None:
    with pytest.raises(ValidationFailed) as refused:
        new_case().accept(ACCEPTOR, [*ALL, "forged"], AT)
    assert refused.value.codes == {"materials.unknown"}


@pytest.mark.parametrize(
    ("clerk", "error"),
    [
        (APPROVER, NotPermitted),  # no acceptance duty
        (Clerk("x", XUHUI, frozenset(Duty)), NotVisible),  # another district: not even seen
    ],
)
def test_acceptance_needs_the_duty_and_the_district(clerk: Clerk, error: type[Exception]) -> None:
    with pytest.raises(error):
        new_case().accept(clerk, ALL, AT)


def test_the_clerk_who_accepted_may_not_approve() -> None:
    both = Clerk("a", PUDONG, frozenset({Duty.ACCEPTANCE, Duty.APPROVAL}))
    case = new_case()
    case.accept(both, ALL, AT)
    with pytest.raises(NotPermitted) as refused:
        case.approve(both, {}, AT)
    assert refused.value.code == "four_eyes.same_clerk"
    with pytest.raises(NotPermitted):
        case.reject(both, "理由", AT)
    case.approve(APPROVER, {}, AT)
    assert case.stage is S.APPROVED and case.verified == score()


def test_a_decision_on_a_case_that_moved_on_says_when_and_by_whom_the_first_was_taken() -> None:
    case = accepted_case()
    with pytest.raises(AlreadyDecided) as refused:
        case.accept(ACCEPTOR, ALL, AT)
    assert refused.value.code == "case.already_decided"
    assert "10:00" in refused.value.message.zh  # Shanghai time
    assert refused.value.details()["decided_by"] == ACCEPTOR.clerk_id  # the id for the API, not the text
    assert "由工作人员受理通过" in refused.value.message.zh and "by a clerk" in refused.value.message.en
    named = refused.value.naming("张敏（pd-accept）")
    assert "由张敏（pd-accept）受理通过" in named.zh and "by 张敏（pd-accept）" in named.en
    with pytest.raises(StateConflict):
        case.refuse(ACCEPTOR, "理由", AT)


def test_approval_before_acceptance_is_a_state_conflict_not_a_four_eyes_refusal() -> None:
    with pytest.raises(StateConflict) as refused:
        new_case().approve(APPROVER, {}, AT)
    assert refused.value.code == "case.wrong_stage"


def test_a_score_below_the_pass_mark_cannot_be_approved() -> None:
    with pytest.raises(DomainError) as refused:
        accepted_case().approve(APPROVER, {"education": ("80", "学位证书不在目录内")}, AT)
    assert refused.value.code == "case.below_pass_mark"


@pytest.mark.parametrize("decide", ["refuse", "reject", "withdraw"])
def test_a_refusal_a_rejection_and_a_withdrawal_need_a_reason(decide: str) -> None:
    case = accepted_case() if decide == "reject" else new_case()
    with pytest.raises(ValidationFailed) as refused:
        if decide == "refuse":
            case.refuse(ACCEPTOR, "  ", AT)
        elif decide == "reject":
            case.reject(APPROVER, "", AT)
        else:
            case.record_withdrawal(ACCEPTOR, "unit", "", AT)
    assert refused.value.codes == {"reason.required"}


def test_return_for_correction_needs_a_reason_for_a_known_section_and_lists_what_was_missing() -> None:
    with pytest.raises(ValidationFailed) as refused:
        new_case().return_for_correction(ACCEPTOR, {"resume": " "}, [], AT)
    assert refused.value.codes == {"reasons.required"}
    with pytest.raises(ValidationFailed) as unknown:
        new_case().return_for_correction(ACCEPTOR, {"nowhere": "x"}, [], AT)
    assert "section.unknown" in unknown.value.codes
    case = new_case()
    case.return_for_correction(
        ACCEPTOR, {"scoring_claims": "证书不在目录", "resume": "不连续"}, ["stamped_form"], AT
    )
    event = case.collect_events()[-1]
    assert isinstance(event, ReviewCase.ReturnedForCorrection)
    assert [r["section"] for r in event.reasons] == ["resume", "scoring_claims"]  # form order
    assert event.missing_materials == ["applicant_id", "resume_sheet"]


@pytest.mark.parametrize("accept_first", [False, True])
def test_a_withdrawal_is_recorded_on_an_open_case_only(accept_first: bool) -> None:
    case = accepted_case() if accept_first else new_case()
    case.record_withdrawal(ACCEPTOR, "applicant", "申请人要求撤销", AT)
    assert case.stage is S.WITHDRAWN
    with pytest.raises(StateConflict):
        case.record_withdrawal(ACCEPTOR, "applicant", "again", AT)


def test_a_later_submission_opens_a_new_round_and_an_older_one_changes_nothing() -> None:
    case = new_case()
    case.return_for_correction(ACCEPTOR, {"resume": "不连续"}, [], AT)
    assert not case.resubmit(submission(1))
    assert case.resubmit(submission(2))
    assert (case.stage, case.submission.number, case.accepted_by) == (S.AWAITING_ACCEPTANCE, 2, None)


def test_every_decision_event_names_the_application_the_clerk_and_the_district() -> None:
    case = accepted_case()
    case.approve(APPROVER, {}, AT)
    decisions = [e for e in case.collect_events() if isinstance(e, ReviewCase.Decided)]
    assert [(e.application_id, e.clerk_id, e.district, e.decided_at) for e in decisions] == [
        ("application-1", "a", PUDONG, AT),
        ("application-1", "b", PUDONG, AT),
    ]


def test_verification_keeps_confirmed_lines_and_recomputes_the_counted_total() -> None:
    result = verify(LINES, 120, {"education": ("90", "学位不在目录")})
    assert result.total == 120  # 30 + 90; the uncounted qualification line stays out
    assert [(x.indicator, x.verified_points, x.reason) for x in result.lines] == [
        ("age", 30, None),
        ("education", 90, "学位不在目录"),
        ("qualification", 60, None),
    ]


def test_verification_refuses_more_than_declared_a_non_number_and_a_change_without_reason() -> None:
    with pytest.raises(ValidationFailed) as refused:
        verify(LINES, 120, {"age": ("31", "x"), "education": ("abc", ""), "qualification": ("0", "")})
    assert [(e.field, e.code) for e in refused.value.errors] == [
        ("lines.age.points", "points.out_of_range"),
        ("lines.education.points", "points.not_a_number"),
        ("lines.qualification.reason", "line.reason_required"),
    ]
    assert [e.message.zh.split("：")[0] for e in refused.value.errors] == [  # the summary names each line
        "年龄",
        "教育背景",
        "专业技术职称和技能等级",
    ]
    assert refused.value.errors[0].message.en.startswith("Age: ")


def test_verification_decides_an_either_or_choice_again_on_the_verified_points() -> None:
    # education 100 counted over qualification 60; lowered to 40, the title (60) counts instead
    result = verify(LINES, 120, {"education": ("40", "学位证书不在目录内")})
    assert result.total == 90  # 30 + 60, by the points engine's aggregation
    assert {x.indicator: x.counted for x in result.lines} == {
        "age": True,
        "education": False,
        "qualification": True,
    }


def test_a_line_posted_without_points_confirms_the_declared_points() -> None:
    fields = {
        "lines.education.points": "",
        "lines.age.points": "25",
        "lines.age.reason": "出生日期有误",
        "q": "x",
    }
    entered = entered_on_form(fields)
    assert entered == {"education": ("", ""), "age": ("25", "出生日期有误")}
    result = verify(LINES, 120, entered)
    assert [(x.indicator, x.verified_points) for x in result.lines] == [
        ("age", 25),
        ("education", 100),
        ("qualification", 60),
    ]

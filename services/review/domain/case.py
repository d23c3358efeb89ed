"""A talent-centre case (办件): one submitted points application, from intake to the final decision.

The case opens when the applications service publishes the submission (单位审核通过) and belongs to
the talent centre of the unit's registered district (domain §2b step 7). Each later submission of
the same application (after 退回补正 or 申请撤销; ``submission`` counts them) opens a new *round* of
the same case; an older or repeated submission changes nothing.

Stages (the kernel's ``ApplicationStatus`` codes, as review decided them; the applications service
applies each decision and publishes the application's own status):

    AWAITING_ACCEPTANCE --受理通过--> AWAITING_APPROVAL --审批通过--> APPROVED
            |                               |--审批不通过--> REJECTED
            |--不予受理--> NOT_ACCEPTED      |--申请撤销--> WITHDRAWN
            |--退回补正--> RETURNED_FOR_CORRECTION
            |--申请撤销--> WITHDRAWN

Rules: the clerk's duty and district (``clerk_rules``); 受理通过 only with every required material
received (one notice of everything missing); the approver is never the clerk who accepted this round
(four eyes); a decision on a stage that has moved on is a ``StateConflict`` naming who decided what
and when, so a double click or a second clerk gets a clear answer and nothing is applied twice.

Personal data stays sealed at rest: the form is kept as the sealed value it arrived in; the applicant
appears as the masked ID number and a keyed fingerprint (to search by ID number).
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar, Literal
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from services.review.domain.clerk_rules import Clerk, enforce, may_accept, may_approve
from services.review.domain.conflicts import AlreadyDecided
from services.review.domain.materials import Material, reason_errors, require_complete
from services.review.domain.materials import missing as missing_materials
from services.review.domain.verification import DeclaredLine, VerifiedLine, VerifiedScore, verify
from shared.kernel.application_status import ApplicationKind, ApplicationStatus
from shared.kernel.errors import DomainError, FieldError, StateConflict, ValidationFailed
from shared.kernel.text import Text

"""China Standard Time (no daylight saving): how a decision's time is told to a clerk."""
CASE_NS = uuid.UUID("0b7f4c1e-2d6a-5e83-9f10-4a8c3b2e6d51")

S = ApplicationStatus
OPEN_STAGES = frozenset({S.AWAITING_ACCEPTANCE, S.AWAITING_APPROVAL})
FORM_SECTIONS: tuple[tuple[str, Text], ...] = (
    ("personal_info", Text("个人基本信息", "Personal details")),
    ("resume", Text("个人简历", "Résumé")),
    ("family", Text("家庭情况", "Family")),
    ("investment", Text("投资与创业", "Investment and business")),
    ("scoring_claims", Text("积分指标", "Scoring items")),
    ("deductions", Text("减分与一票否决", "Deductions and veto items")),
    ("materials", Text("材料", "Materials")),
)
"""The sections a return for correction (退回补正) can name, as the unit and applicant see them."""
SECTION_CODES = frozenset(code for code, _ in FORM_SECTIONS)


@dataclass(frozen=True, slots=True)
class Submission:
    """What one round of the case started from (the applications service's snapshot)."""

    number: int
    submitted_at: datetime
    submitted_by: str
    kind: ApplicationKind
    applicant_id: str
    applicant_id_masked: str
    id_fingerprint: str
    unit_id: str
    unit_credit_code: str
    unit_name: str
    district: str
    declared_total: int
    pass_mark: int
    declared_lines: tuple[DeclaredLine, ...]
    materials: tuple[Material, ...]
    form: str
    """The sealed ``SubmittedForm`` exactly as it arrived (opened on the case page only)."""

    def record(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "submitted_at": self.submitted_at.isoformat(),
            "submitted_by": self.submitted_by,
            "kind": self.kind.value,
            "applicant_id": self.applicant_id,
            "applicant_id_masked": self.applicant_id_masked,
            "id_fingerprint": self.id_fingerprint,
            "unit_id": self.unit_id,
            "unit_credit_code": self.unit_credit_code,
            "unit_name": self.unit_name,
            "district": self.district,
            "declared_total": self.declared_total,
            "pass_mark": self.pass_mark,
            "declared_lines": [
                {
                    "indicator": x.indicator,
                    "points": x.points,
                    "cap": x.cap,
                    "counted": x.counted,
                    "rule_id": x.rule_id,
                }
                for x in self.declared_lines
            ],
            "materials": [
                {"code": m.code, "zh": m.name.zh, "en": m.name.en, "required": m.required}
                for m in self.materials
            ],
            "form": self.form,
        }

    @classmethod
    def of(cls, record: Mapping[str, Any]) -> Submission:
        return cls(
            number=int(record["number"]),
            submitted_at=datetime.fromisoformat(record["submitted_at"]),
            submitted_by=record["submitted_by"],
            kind=ApplicationKind(record["kind"]),
            applicant_id=record["applicant_id"],
            applicant_id_masked=record["applicant_id_masked"],
            id_fingerprint=record["id_fingerprint"],
            unit_id=record["unit_id"],
            unit_credit_code=record["unit_credit_code"],
            unit_name=record["unit_name"],
            district=record["district"],
            declared_total=int(record["declared_total"]),
            pass_mark=int(record["pass_mark"]),
            declared_lines=tuple(
                DeclaredLine(x["indicator"], x["points"], x["cap"], x["counted"], x["rule_id"])
                for x in record["declared_lines"]
            ),
            materials=tuple(
                Material(m["code"], Text(m["zh"], m["en"]), m["required"]) for m in record["materials"]
            ),
            form=record["form"],
        )


@dataclass(frozen=True, slots=True)
class DecisionMade:
    """The last decision of the current round: what, by whom, when."""

    stage: ApplicationStatus
    clerk_id: str
    at: datetime


_DONE: Mapping[ApplicationStatus, Text] = {
    S.AWAITING_APPROVAL: Text("受理通过", "accepted"),
    S.NOT_ACCEPTED: Text("不予受理", "not accepted"),
    S.RETURNED_FOR_CORRECTION: Text("退回补正", "returned for correction"),
    S.APPROVED: Text("审批通过", "approved"),
    S.REJECTED: Text("审批不通过", "not approved"),
    S.WITHDRAWN: Text("申请撤销", "withdrawn"),
}


class ReviewCase(Aggregate):
    """One application at the talent centre of its unit's district."""

    TOPIC = "review.ReviewCase"

    class Event(Aggregate.Event):
        TOPIC = "review.ReviewCase.Event"

    class Created(Aggregate.Created):
        TOPIC = "review.ReviewCase.Created"

    class Opened(Aggregate.Created):
        TOPIC = "review.ReviewCase.Opened"
        application_id: str
        application_number: str
        submission: dict[str, Any]

    class Resubmitted(Aggregate.Event):
        TOPIC = "review.ReviewCase.Resubmitted"
        application_id: str
        application_number: str
        submission: dict[str, Any]

    class Decided(Aggregate.Event):
        """Base of every clerk's decision (each names the application, the clerk, district, time)."""

        TOPIC = "review.ReviewCase.Decided"
        STAGE: ClassVar[ApplicationStatus]
        application_id: str
        application_number: str
        clerk_id: str
        district: str
        decided_at: datetime

        def apply(self, aggregate: Any) -> None:
            aggregate.stage = self.STAGE
            aggregate.last_decision = DecisionMade(self.STAGE, self.clerk_id, self.decided_at)

    class Accepted(Decided):
        TOPIC = "review.ReviewCase.Accepted"
        STAGE = S.AWAITING_APPROVAL
        materials_received: list[str]

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            aggregate.accepted_by = self.clerk_id
            aggregate.accepted_at = self.decided_at
            aggregate.materials_received = tuple(self.materials_received)

    class NotAccepted(Decided):
        TOPIC = "review.ReviewCase.NotAccepted"
        STAGE = S.NOT_ACCEPTED
        reason: str

    class ReturnedForCorrection(Decided):
        TOPIC = "review.ReviewCase.ReturnedForCorrection"
        STAGE = S.RETURNED_FOR_CORRECTION
        reasons: list[dict[str, str]]
        missing_materials: list[str]

    class ScoreApproved(Decided):
        TOPIC = "review.ReviewCase.ScoreApproved"
        STAGE = S.APPROVED
        verified_total: int
        pass_mark: int
        lines: list[dict[str, Any]]

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            aggregate.verified = VerifiedScore(
                self.verified_total,
                self.pass_mark,
                tuple(
                    VerifiedLine(
                        x["indicator"], x["declared_points"], x["verified_points"], x["counted"], x["reason"]
                    )
                    for x in self.lines
                ),
            )

    class ScoreRejected(Decided):
        TOPIC = "review.ReviewCase.ScoreRejected"
        STAGE = S.REJECTED
        reason: str

    class WithdrawalRecorded(Decided):
        TOPIC = "review.ReviewCase.WithdrawalRecorded"
        STAGE = S.WITHDRAWN
        requested_by: str
        reason: str

    @staticmethod
    def create_id(application_id: str) -> UUID:
        return uuid.uuid5(CASE_NS, application_id)

    @classmethod
    def open(cls, application_id: str, application_number: str, submission: Submission) -> ReviewCase:
        return cls(application_id, application_number, submission.record())

    @event(Opened)
    def __init__(self, application_id: str, application_number: str, submission: dict[str, Any]) -> None:
        self.application_id = application_id
        self.application_number = application_number
        self._start_round(submission)

    def _start_round(self, submission: dict[str, Any]) -> None:
        self.submission = Submission.of(submission)
        self.stage = S.AWAITING_ACCEPTANCE
        self.accepted_by: str | None = None
        self.accepted_at: datetime | None = None
        self.materials_received: tuple[str, ...] = ()
        self.last_decision: DecisionMade | None = None
        self.verified: VerifiedScore | None = None

    # -------------------------------------------------------------------------------- intake

    def resubmit(self, submission: Submission) -> bool:
        """A later submission opens a new round; an older or repeated one changes nothing (False)."""
        if submission.number <= self.submission.number:
            return False
        self._resubmitted(self.application_id, self.application_number, submission.record())
        return True

    @event(Resubmitted)
    def _resubmitted(self, application_id: str, application_number: str, submission: dict[str, Any]) -> None:
        self._start_round(submission)

    @property
    def district(self) -> str:
        return self.submission.district

    @property
    def checklist(self) -> tuple[Material, ...]:
        return self.submission.materials

    # -------------------------------------------------------------------------------- decisions

    def _expect(self, stages: Collection[ApplicationStatus], action: Text) -> None:
        if self.stage in stages:
            return
        done = self.last_decision
        if done is not None:
            what = _DONE[done.stage]
            raise AlreadyDecided(
                lambda who, at: Text(
                    f"该申请已于 {at} 由{who.zh}{what.zh}，不能再{action.zh}。本次操作未执行。",
                    f"This application was already {what.en} at {at} by {who.en}; it cannot be {action.en} "
                    "now. Nothing was changed.",
                ),
                decided_by=done.clerk_id,
                decided_at=done.at,
                code="case.already_decided",
            )
        raise StateConflict(
            Text(
                f"该申请当前为“{self.stage.label.zh}”，不能{action.zh}。",
                f"The application is “{self.stage.label.en}”; it cannot be {action.en}.",
            ),
            code="case.wrong_stage",
        )

    def _decision(self, clerk: Clerk, at: datetime) -> dict[str, Any]:
        return {
            "application_id": self.application_id,
            "application_number": self.application_number,
            "clerk_id": clerk.clerk_id,
            "district": clerk.district_code,
            "decided_at": at,
        }

    def _guard_acceptance(self, clerk: Clerk) -> None:
        enforce(may_accept(clerk, unit_district_code=self.district))

    def accept(self, clerk: Clerk, received: Collection[str], at: datetime) -> None:
        """受理通过: every required item of the checklist received, or one notice of all that is missing."""
        self._guard_acceptance(clerk)
        self._expect({S.AWAITING_ACCEPTANCE}, Text("受理", "accepted"))
        codes = require_complete(self.checklist, received)
        self.trigger_event(self.Accepted, **self._decision(clerk, at), materials_received=list(codes))

    def refuse(self, clerk: Clerk, reason: str, at: datetime) -> None:
        """不予受理, with the reason."""
        self._guard_acceptance(clerk)
        self._expect({S.AWAITING_ACCEPTANCE}, Text("不予受理", "refused"))
        if errors := reason_errors(reason):
            raise ValidationFailed(errors)
        self.trigger_event(self.NotAccepted, **self._decision(clerk, at), reason=reason.strip())

    def return_for_correction(
        self, clerk: Clerk, reasons: Mapping[str, str], received: Collection[str], at: datetime
    ) -> None:
        """退回补正: at least one section with its reason (shown to the unit and the applicant); the
        materials not received are listed with it."""
        self._guard_acceptance(clerk)
        self._expect({S.AWAITING_ACCEPTANCE}, Text("退回补正", "returned for correction"))
        given = {section: text.strip() for section, text in reasons.items() if text.strip()}
        errors: list[FieldError] = [
            FieldError(f"reasons.{section}", "section.unknown", Text("未知的栏目。", "Unknown section."))
            for section in given
            if section not in SECTION_CODES
        ]
        for section, text in given.items():
            errors += reason_errors(text, field=f"reasons.{section}")
        if not given:
            errors.append(
                FieldError(
                    "reasons",
                    "reasons.required",
                    Text("请至少为一个栏目填写退回理由。", "Give the reason for at least one section."),
                )
            )
        if errors:
            raise ValidationFailed(errors)
        missing = [m.code for m in missing_materials(self.checklist, received)]
        self.trigger_event(
            self.ReturnedForCorrection,
            **self._decision(clerk, at),
            reasons=[{"section": code, "reason": given[code]} for code, _ in FORM_SECTIONS if code in given],
            missing_materials=missing,
        )

    def _guard_approval(self, clerk: Clerk) -> None:
        enforce(may_approve(clerk, unit_district_code=self.district, accepted_by=self.accepted_by))

    def approve(self, clerk: Clerk, entered: Mapping[str, tuple[str, str]], at: datetime) -> None:
        """审批通过 with the score verified from the approver's ``entered`` lines (``verify``: each
        changed line needs its reason); the approver is not the clerk who accepted the case."""
        if self.stage is S.AWAITING_APPROVAL:  # before: the stage's own message, not four eyes
            self._guard_approval(clerk)
        self._expect({S.AWAITING_APPROVAL}, Text("审批", "approved"))
        score = verify(self.submission.declared_lines, self.submission.pass_mark, entered)
        if score.total < score.pass_mark:
            raise DomainError(
                Text(
                    f"核定积分 {score.total} 分低于标准分值 {score.pass_mark} 分，不能审批通过；"
                    "请选择审批不通过并说明理由。",
                    f"The verified score {score.total} is below the pass mark {score.pass_mark}: it "
                    "cannot be approved; choose “not approved” and give the reason.",
                ),
                code="case.below_pass_mark",
            )
        self.trigger_event(
            self.ScoreApproved,
            **self._decision(clerk, at),
            verified_total=score.total,
            pass_mark=score.pass_mark,
            lines=[
                {
                    "indicator": x.indicator,
                    "declared_points": x.declared_points,
                    "verified_points": x.verified_points,
                    "counted": x.counted,
                    "reason": (x.reason or "").strip() or None,
                }
                for x in score.lines
            ],
        )

    def reject(self, clerk: Clerk, reason: str, at: datetime) -> None:
        """审批不通过, with the reason (four eyes as for approval)."""
        if self.stage is S.AWAITING_APPROVAL:
            self._guard_approval(clerk)
        self._expect({S.AWAITING_APPROVAL}, Text("审批", "decided"))
        if errors := reason_errors(reason):
            raise ValidationFailed(errors)
        self.trigger_event(self.ScoreRejected, **self._decision(clerk, at), reason=reason.strip())

    def record_withdrawal(
        self, clerk: Clerk, requested_by: Literal["applicant", "unit"], reason: str, at: datetime
    ) -> None:
        """申请撤销 asked for at the window, before the final decision: who asked and why."""
        self._guard_acceptance(clerk)
        self._expect(OPEN_STAGES, Text("撤销", "withdrawn"))
        errors = reason_errors(reason)
        if requested_by not in ("applicant", "unit"):
            errors.append(
                FieldError(
                    "requested_by", "requested_by.required", Text("请选择申请人。", "Choose who asked.")
                )
            )
        if errors:
            raise ValidationFailed(errors)
        self.trigger_event(
            self.WithdrawalRecorded,
            **self._decision(clerk, at),
            requested_by=requested_by,
            reason=reason.strip(),
        )

    # -------------------------------------------------------------------------------- views

    def visible_to(self, clerk: Clerk) -> bool:
        """Only the clerks of the case's district see it at all."""
        return clerk.district_code == self.district

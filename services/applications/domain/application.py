"""The ``PointsApplication`` aggregate: one applicant's points application (积分申请) and its status.

It is the single writer of an application's status (ARCHITECTURE §4). Commands are plain methods:
they check invariants and raise a ``DomainError``, or trigger one event (more than one only when an
edit of a completed form first takes it back to draft). Mutators (the ``@event`` methods, and
``SectionSaved.apply`` for the six section events) only assign state, because they run again on every
replay.

Time: the aggregate never reads the clock. Every command takes ``at``, a timezone-aware datetime
supplied by the caller; the application date used by the form rules is ``at``'s calendar date in
Shanghai.

State holds plain records (see ``records.py``), not the section dataclasses, so that events and
snapshots need no custom transcodings; the typed properties decode them on read.

Versioning (stack.md §2.10): every event class has an explicit ``TOPIC``, so classes can move. A section
record tolerates a field added with a default and a removed field; any other change to an event's
fields needs ``class_version = 2`` on the event class and a ``upcast_v1_v2`` static method, and a change
to the aggregate's own attributes needs the same on the aggregate (for snapshots).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, ClassVar, TypeVar
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from services.applications.domain.completeness import (
    ApplicationForm,
    SectionData,
    claims_for_calculator,
    find_problems,
    materials_for,
    problems_in_section,
)
from services.applications.domain.errors import (
    ActorNotAllowedError,
    ApplicationIncompleteError,
    ApplicationNotVisibleError,
    EditingLockedError,
    InvalidCommandError,
    PledgeNotAcceptedError,
    SectionInvalidError,
    UnitChangeNotAllowedError,
)
from services.applications.domain.opening_hours import SHANGHAI, require_aware
from services.applications.domain.sections.family import Family
from services.applications.domain.sections.investment import Investment
from services.applications.domain.sections.names import SectionName
from services.applications.domain.sections.personal import PersonalInfo
from services.applications.domain.sections.pledge import PledgeAcceptance, validate_pledges
from services.applications.domain.sections.resume import Resume
from services.applications.domain.status import (
    EDITABLE_STATUSES,
    FINAL_STATUSES,
    Action,
    Actor,
    plan_transition,
)
from shared.kernel.application_status import ApplicationKind, ApplicationStatus
from shared.kernel.credit_code import validate_credit_code
from shared.kernel.districts import validate_district_code
from shared.kernel.errors import FieldError
from shared.kernel.points.checklist import MaterialItem
from shared.kernel.points.claims import DeductionClaims, ScoringClaims
from shared.kernel.points.rules import rules_in_force
from shared.kernel.records import Record, from_record, to_record
from shared.kernel.roles import Role
from shared.kernel.text import Text

APPLICATION_ID_NAMESPACE = UUID("6f1d3c64-3f59-5b8e-9a57-2d0c3e2f7a10")
"""uuid5 namespace: an application's id is derived from its application number (流水号)."""


def pass_mark_on(day: date) -> int:
    """标准分值 in force on ``day``, read from the rule data (domain.md §1: "store the pass mark as data,
    not as a constant"). A verified score below it is not approved (审批不通过)."""
    return rules_in_force(day).pass_mark.points


MAX_APPLICATION_NUMBER_LENGTH = 32

_SectionT = TypeVar("_SectionT")

_EDITORS = frozenset({Role.APPLICANT, Role.UNIT})


@dataclass(frozen=True, slots=True)
class StatusChange:
    """One recorded transition: what was done, by whom, when and why."""

    action: Action
    from_status: ApplicationStatus
    to_status: ApplicationStatus
    actor: Actor
    at: datetime
    reason: str
    verified_score: int | None


def application_date(at: datetime) -> date:
    """The calendar date in Shanghai of an aware datetime: the date the form rules are checked on."""
    return at.astimezone(SHANGHAI).date()


class SectionSaved(Aggregate.Event):
    """Shape of the six section events: the section's record, who saved it, and when. Each subclass
    names its ``section``; applying the event stores the record under that name."""

    section: ClassVar[SectionName]
    record: dict[str, Any]
    saved_by_role: str
    saved_by_id: str
    at: datetime

    def apply(self, aggregate: PointsApplication) -> None:
        aggregate._sections[self.section.value] = self.record


class PointsApplication(Aggregate):
    TOPIC = "applications.PointsApplication"

    class Event(Aggregate.Event):
        TOPIC = "applications.PointsApplication.Event"

    class Started(Aggregate.Created):
        TOPIC = "applications.PointsApplication.Started"
        application_number: str
        applicant_id: UUID
        applicant_id_masked: str
        unit_id: UUID
        unit_credit_code: str
        unit_district: str
        kind: str
        started_by_role: str
        started_by_id: str
        at: datetime

    class PledgeAccepted(Aggregate.Event):
        TOPIC = "applications.PointsApplication.PledgeAccepted"
        party: str
        accepted_by: str
        text_version: str
        at: datetime

    class PersonalInfoSaved(SectionSaved):
        TOPIC = "applications.PointsApplication.PersonalInfoSaved"
        section = SectionName.PERSONAL_INFO

    class ResumeSaved(SectionSaved):
        TOPIC = "applications.PointsApplication.ResumeSaved"
        section = SectionName.RESUME

    class FamilySaved(SectionSaved):
        TOPIC = "applications.PointsApplication.FamilySaved"
        section = SectionName.FAMILY

    class InvestmentSaved(SectionSaved):
        TOPIC = "applications.PointsApplication.InvestmentSaved"
        section = SectionName.INVESTMENT

    class ScoringClaimsSaved(SectionSaved):
        TOPIC = "applications.PointsApplication.ScoringClaimsSaved"
        section = SectionName.SCORING_CLAIMS

    class DeductionsSaved(SectionSaved):
        TOPIC = "applications.PointsApplication.DeductionsSaved"
        section = SectionName.DEDUCTIONS

    class UnitChanged(Aggregate.Event):
        TOPIC = "applications.PointsApplication.UnitChanged"
        previous_unit_id: UUID
        unit_id: UUID
        unit_credit_code: str
        unit_district: str
        changed_by: str
        at: datetime

    class StatusChanged(Aggregate.Event):
        """One transition. Besides the transition itself it carries what its published form (the
        public status topic) needs: which application, of which unit and district, whose (masked)."""

        TOPIC = "applications.PointsApplication.StatusChanged"
        application_number: str
        kind: str
        applicant_id_masked: str
        unit_id: UUID
        unit_credit_code: str
        unit_district: str
        action: str
        from_status: str
        to_status: str
        actor_role: str
        actor_id: str
        at: datetime
        reason: str
        verified_score: int | None

    # ----------------------------------------------------------------------------------------------
    # Creation
    # ----------------------------------------------------------------------------------------------

    @staticmethod
    def create_id(application_number: str) -> UUID:
        """One aggregate per application number: a second start with the same number collides."""
        return uuid5(APPLICATION_ID_NAMESPACE, application_number)

    @classmethod
    def start(
        cls,
        *,
        application_number: str,
        applicant_id: UUID,
        applicant_id_masked: str,
        unit_id: UUID,
        unit_credit_code: str,
        unit_district: str,
        kind: ApplicationKind,
        by: Actor,
        at: datetime,
    ) -> PointsApplication:
        """Open an application at the applicant's current unit; the unit or the applicant starts it.

        ``unit_district`` is where the unit is registered (it files there); ``applicant_id_masked``
        the applicant's masked ID number, the only form in which the status topic names them."""
        require_aware(at)
        number = application_number.strip()
        if not number or len(number) > MAX_APPLICATION_NUMBER_LENGTH or number != application_number:
            raise InvalidCommandError.of(
                "application_number",
                "application_number.format",
                Text(
                    f"流水号不能为空、不能含空格、最长{MAX_APPLICATION_NUMBER_LENGTH}位",
                    f"The application number must be 1-{MAX_APPLICATION_NUMBER_LENGTH} characters "
                    "without spaces",
                ),
            )
        credit_code = _valid_credit_code(unit_credit_code)
        district = _valid_district(unit_district)
        if by.role not in _EDITORS:
            raise ActorNotAllowedError(
                Text(
                    "只有申请人本人或其所在单位可以创建积分申请",
                    "Only the applicant or the applicant's unit can start the application",
                )
            )
        if by.id != str(applicant_id if by.role is Role.APPLICANT else unit_id):
            raise ApplicationNotVisibleError(
                Text("未找到该申请人或单位", "The applicant or unit was not found")
            )
        return cls(
            application_number=application_number,
            applicant_id=applicant_id,
            applicant_id_masked=applicant_id_masked,
            unit_id=unit_id,
            unit_credit_code=credit_code,
            unit_district=district,
            kind=ApplicationKind(kind).value,
            started_by_role=by.role.value,
            started_by_id=by.id,
            at=at,
        )

    @event(Started)
    def __init__(
        self,
        application_number: str,
        applicant_id: UUID,
        applicant_id_masked: str,
        unit_id: UUID,
        unit_credit_code: str,
        unit_district: str,
        kind: str,
        started_by_role: str,
        started_by_id: str,
        at: datetime,
    ) -> None:
        self.application_number = application_number
        self.applicant_id = applicant_id
        self.applicant_id_masked = applicant_id_masked
        self.unit_id = unit_id
        self.unit_credit_code = unit_credit_code
        self.unit_district = unit_district
        self._kind = kind
        self.started_at = at
        self._status = ApplicationStatus.DRAFT.value
        self._pledges: dict[str, Record] = {}
        self._sections: dict[str, Record] = {}
        self._history: list[Record] = []
        self.verified_score: int | None = None

    # ----------------------------------------------------------------------------------------------
    # Reading
    # ----------------------------------------------------------------------------------------------

    @property
    def kind(self) -> ApplicationKind:
        return ApplicationKind(self._kind)

    @property
    def status(self) -> ApplicationStatus:
        return ApplicationStatus(self._status)

    @property
    def is_editable(self) -> bool:
        """Sections can be saved and the unit changed (before submission, or after a return/withdrawal)."""
        return self.status in EDITABLE_STATUSES

    @property
    def pledges(self) -> dict[Role, PledgeAcceptance]:
        return {Role(party): from_record(PledgeAcceptance, record) for party, record in self._pledges.items()}

    @property
    def personal_info(self) -> PersonalInfo | None:
        return self._section(SectionName.PERSONAL_INFO, PersonalInfo)

    @property
    def resume(self) -> Resume | None:
        return self._section(SectionName.RESUME, Resume)

    @property
    def family(self) -> Family | None:
        return self._section(SectionName.FAMILY, Family)

    @property
    def investment(self) -> Investment | None:
        return self._section(SectionName.INVESTMENT, Investment)

    @property
    def scoring_claims(self) -> ScoringClaims | None:
        return self._section(SectionName.SCORING_CLAIMS, ScoringClaims)

    @property
    def deductions(self) -> DeductionClaims | None:
        return self._section(SectionName.DEDUCTIONS, DeductionClaims)

    @property
    def form(self) -> ApplicationForm:
        """Everything entered so far."""
        return ApplicationForm(
            pledges=self.pledges,
            personal_info=self.personal_info,
            resume=self.resume,
            family=self.family,
            investment=self.investment,
            scoring_claims=self.scoring_claims,
            deductions=self.deductions,
        )

    @property
    def status_history(self) -> tuple[StatusChange, ...]:
        return tuple(
            StatusChange(
                action=Action(record["action"]),
                from_status=ApplicationStatus(record["from_status"]),
                to_status=ApplicationStatus(record["to_status"]),
                actor=Actor(Role(record["actor_role"]), record["actor_id"]),
                at=record["at"],
                reason=record["reason"],
                verified_score=record["verified_score"],
            )
            for record in self._history
        )

    def problems(self, on: date) -> list[FieldError]:
        """Every problem that stops 完成 on the given application date (empty if none)."""
        return find_problems(self.form, on)

    def claims_for_calculator(self) -> ScoringClaims | None:
        """The scoring claims completed from the other sections, as the points calculator needs them."""
        return claims_for_calculator(self.form)

    def materials_checklist(self, on: date) -> tuple[MaterialItem, ...]:
        """What to bring to the talent-centre window, derived from the claims (see ``materials_for``)."""
        return materials_for(self.form, on)

    def _section(self, name: SectionName, kind: type[_SectionT]) -> _SectionT | None:
        record = self._sections.get(name.value)
        return None if record is None else from_record(kind, record)

    # ----------------------------------------------------------------------------------------------
    # Pledge and sections
    # ----------------------------------------------------------------------------------------------

    def accept_pledge(self, *, by: Actor, text_version: str, at: datetime) -> None:
        """承诺与授权: the applicant or the unit accepts the pledge text of ``text_version``."""
        self._check_can_edit(by, at)
        if not text_version.strip():
            raise InvalidCommandError.of(
                "text_version", "required", Text("缺少承诺书文本版本", "The pledge text version is missing")
            )
        self._reopen_if_completed(by, at)
        self._pledge_accepted(party=by.role.value, accepted_by=by.id, text_version=text_version, at=at)

    @event(PledgeAccepted)
    def _pledge_accepted(self, party: str, accepted_by: str, text_version: str, at: datetime) -> None:
        self._pledges[party] = {
            "party": party,
            "accepted_by": accepted_by,
            "text_version": text_version,
            "accepted_at": at.isoformat(),
        }

    def save_personal_info(self, info: PersonalInfo, *, by: Actor, at: datetime) -> None:
        """个人基本信息."""
        self._save(self.PersonalInfoSaved, info, by, at)

    def save_resume(self, resume: Resume, *, by: Actor, at: datetime) -> None:
        """个人简历."""
        self._save(self.ResumeSaved, resume, by, at)

    def save_family(self, family: Family, *, by: Actor, at: datetime) -> None:
        """家庭情况."""
        self._save(self.FamilySaved, family, by, at)

    def save_investment(self, investment: Investment, *, by: Actor, at: datetime) -> None:
        """投资与创业."""
        self._save(self.InvestmentSaved, investment, by, at)

    def save_scoring_claims(self, claims: ScoringClaims, *, by: Actor, at: datetime) -> None:
        """积分指标."""
        self._save(self.ScoringClaimsSaved, claims, by, at)

    def save_deductions(self, deductions: DeductionClaims, *, by: Actor, at: datetime) -> None:
        """减分项与一票否决项. A veto item saves (it is a true answer) but blocks 完成."""
        self._save(self.DeductionsSaved, deductions, by, at)

    def _save(self, event_class: type[SectionSaved], data: SectionData, by: Actor, at: datetime) -> None:
        """Validate one section against the rest of the form; save it only if it has no problems."""
        self._check_can_edit(by, at)
        if validate_pledges(self.pledges):
            raise PledgeNotAcceptedError(
                Text(
                    "申请人和单位都接受“承诺与授权”后才能填写其他栏目",
                    "Both the applicant and the unit must accept the pledge before other sections can be "
                    "saved",
                )
            )
        name = event_class.section
        problems = problems_in_section(self.form.with_section(name, data), name, application_date(at))
        if problems:
            raise SectionInvalidError(name.value, problems)
        self._reopen_if_completed(by, at)
        self.trigger_event(
            event_class, record=to_record(data), saved_by_role=by.role.value, saved_by_id=by.id, at=at
        )

    # ----------------------------------------------------------------------------------------------
    # Change of unit
    # ----------------------------------------------------------------------------------------------

    def change_unit(
        self, *, unit_id: UUID, unit_credit_code: str, unit_district: str, by: Actor, at: datetime
    ) -> None:
        """The applicant moved to another employer and enters its code (seed 一(二)(2)).

        Only before submission. The new unit has not accepted the pledge yet, so the old unit's
        acceptance is dropped, and a completed form goes back to draft for the new unit to check.
        """
        require_aware(at)
        if by.role is not Role.APPLICANT:
            raise ActorNotAllowedError(
                Text("只有申请人本人可以修改所在单位", "Only the applicant can change the unit")
            )
        self._check_identity(by)
        if not self.is_editable:
            raise UnitChangeNotAllowedError(
                Text(
                    f"申请当前状态为“{self.status.label.zh}”,已提交的申请不能更换单位",
                    f'The application\'s status is "{self.status.label.en}" ({self.status.value}); '
                    "a submitted application cannot move to another unit",
                )
            )
        credit_code = _valid_credit_code(unit_credit_code)
        district = _valid_district(unit_district)
        if unit_id == self.unit_id:
            raise InvalidCommandError.of(
                "unit_credit_code",
                "unit.unchanged",
                Text("新单位与当前单位相同", "The new unit is the current unit"),
            )
        self._reopen_if_completed(by, at)
        self._unit_changed(
            previous_unit_id=self.unit_id,
            unit_id=unit_id,
            unit_credit_code=credit_code,
            unit_district=district,
            changed_by=by.id,
            at=at,
        )

    @event(UnitChanged)
    def _unit_changed(
        self,
        previous_unit_id: UUID,
        unit_id: UUID,
        unit_credit_code: str,
        unit_district: str,
        changed_by: str,
        at: datetime,
    ) -> None:
        self.unit_id = unit_id
        self.unit_credit_code = unit_credit_code
        self.unit_district = unit_district
        self._pledges.pop(Role.UNIT.value, None)

    # ----------------------------------------------------------------------------------------------
    # Status
    # ----------------------------------------------------------------------------------------------

    def perform(
        self,
        action: Action,
        *,
        by: Actor,
        at: datetime,
        reason: str = "",
        verified_score: int | None = None,
    ) -> None:
        """The one path for every status change: check the actor, the table, the action's own rules;
        then record a ``StatusChanged`` event. The identity comes first, so that someone else's
        application answers "not found" whatever its status, never a conflict that names it."""
        require_aware(at)
        self._check_identity(by)
        transition = plan_transition(self.status, action, by.role, reason)
        if action in (Action.COMPLETE, Action.APPROVE_AT_UNIT):
            problems = self.problems(application_date(at))
            if problems:
                raise ApplicationIncompleteError(problems)
        if action is Action.APPROVE:
            pass_mark = pass_mark_on(application_date(at))
            if verified_score is None or verified_score < pass_mark:
                raise InvalidCommandError.of(
                    "verified_score",
                    "verified_score.below_pass_mark",
                    Text(
                        f"审批通过须记录核定分值,且不低于标准分值{pass_mark}分;否则请选择审批不通过",
                        f"Approval records the verified score, at least the standard score {pass_mark}; "
                        "otherwise reject the application",
                    ),
                )
        elif verified_score is not None:
            raise InvalidCommandError.of(
                "verified_score",
                "verified_score.only_on_approval",
                Text("只有审批通过时记录核定分值", "A verified score is recorded only on approval"),
            )
        self._status_changed(
            application_number=self.application_number,
            kind=self._kind,
            applicant_id_masked=self.applicant_id_masked,
            unit_id=self.unit_id,
            unit_credit_code=self.unit_credit_code,
            unit_district=self.unit_district,
            action=action.value,
            from_status=self._status,
            to_status=transition.target.value,
            actor_role=by.role.value,
            actor_id=by.id,
            at=at,
            reason=reason.strip(),
            verified_score=verified_score,
        )

    @event(StatusChanged)
    def _status_changed(
        self,
        application_number: str,
        kind: str,
        applicant_id_masked: str,
        unit_id: UUID,
        unit_credit_code: str,
        unit_district: str,
        action: str,
        from_status: str,
        to_status: str,
        actor_role: str,
        actor_id: str,
        at: datetime,
        reason: str,
        verified_score: int | None,
    ) -> None:
        self._status = to_status
        self._history.append(
            {
                "action": action,
                "from_status": from_status,
                "to_status": to_status,
                "actor_role": actor_role,
                "actor_id": actor_id,
                "at": at,
                "reason": reason,
                "verified_score": verified_score,
            }
        )
        if verified_score is not None:
            self.verified_score = verified_score

    def complete(self, *, by: Actor, at: datetime) -> None:
        """完成: every section present and valid, no veto item; otherwise every problem is raised."""
        self.perform(Action.COMPLETE, by=by, at=at)

    def return_to_applicant(self, *, by: Actor, at: datetime, reason: str) -> None:
        """单位退回: the unit sends the completed form back for changes."""
        self.perform(Action.RETURN_TO_APPLICANT, by=by, at=at, reason=reason)

    def approve_at_unit(self, *, by: Actor, at: datetime) -> None:
        """单位审核通过: the unit submits the application to the talent centre; it is locked from now on."""
        self.perform(Action.APPROVE_AT_UNIT, by=by, at=at)

    def queue_for_acceptance(self, *, by: Actor, at: datetime, reason: str = "") -> None:
        """等待受理: the materials were handed in at the window (or the case was opened)."""
        self.perform(Action.QUEUE_FOR_ACCEPTANCE, by=by, at=at, reason=reason)

    def accept(self, *, by: Actor, at: datetime, reason: str = "") -> None:
        """受理通过."""
        self.perform(Action.ACCEPT, by=by, at=at, reason=reason)

    def refuse_acceptance(self, *, by: Actor, at: datetime, reason: str) -> None:
        """不予受理."""
        self.perform(Action.REFUSE_ACCEPTANCE, by=by, at=at, reason=reason)

    def return_for_correction(self, *, by: Actor, at: datetime, reason: str) -> None:
        """退回补正: editable again; then completed and unit-approved again."""
        self.perform(Action.RETURN_FOR_CORRECTION, by=by, at=at, reason=reason)

    def queue_for_approval(self, *, by: Actor, at: datetime, reason: str = "") -> None:
        """等待审批."""
        self.perform(Action.QUEUE_FOR_APPROVAL, by=by, at=at, reason=reason)

    def approve(self, *, by: Actor, at: datetime, verified_score: int, reason: str = "") -> None:
        """审批通过, recording the verified score (积分核定)."""
        self.perform(Action.APPROVE, by=by, at=at, reason=reason, verified_score=verified_score)

    def reject(self, *, by: Actor, at: datetime, reason: str) -> None:
        """审批不通过."""
        self.perform(Action.REJECT, by=by, at=at, reason=reason)

    def withdraw(self, *, by: Actor, at: datetime, reason: str) -> None:
        """已撤销: recorded by a clerk at the window; the application becomes editable again."""
        self.perform(Action.WITHDRAW, by=by, at=at, reason=reason)

    # ----------------------------------------------------------------------------------------------
    # Guards
    # ----------------------------------------------------------------------------------------------

    def _check_identity(self, by: Actor) -> None:
        """An applicant acts only on their own application, a unit only on its current employees'
        (after a change of unit the old unit no longer sees it); to anyone else it does not exist."""
        if (by.role is Role.APPLICANT and by.id != str(self.applicant_id)) or (
            by.role is Role.UNIT and by.id != str(self.unit_id)
        ):
            raise ApplicationNotVisibleError()
        if not by.id.strip():
            raise InvalidCommandError.of(
                "actor.id", "required", Text("缺少操作人", "The actor's id is missing")
            )

    def _check_can_edit(self, by: Actor, at: datetime) -> None:
        require_aware(at)
        if by.role not in _EDITORS:
            raise ActorNotAllowedError(
                Text(
                    "只有申请人或单位可以填写申请",
                    "Only the applicant or the unit can fill in the application",
                )
            )
        self._check_identity(by)
        status = f'"{self.status.label.en}" ({self.status.value})'
        if self.status in FINAL_STATUSES:
            raise EditingLockedError(
                self.status.value,
                Text(
                    f"申请当前状态为“{self.status.label.zh}”,已办结,信息无法修改;如需重新申请,请提交新的申请",
                    f"The application's status is {status}; it is decided and cannot be changed. To apply "
                    "again, start a new application",
                ),
            )
        if not self.is_editable:
            raise EditingLockedError(
                self.status.value,
                Text(
                    f"申请当前状态为“{self.status.label.zh}”,信息无法修改;如要修改,须到人才服务中心窗口申请撤销",
                    f"The application's status is {status} and it cannot be changed online; to change it, "
                    "ask for a withdrawal at the talent-centre window",
                ),
            )

    def _reopen_if_completed(self, by: Actor, at: datetime) -> None:
        """Changing a completed form takes it back to draft (see ``Action.REOPEN``)."""
        if self.status is ApplicationStatus.COMPLETED:
            self.perform(Action.REOPEN, by=by, at=at)


def _valid_district(code: str) -> str:
    """One of the 16 districts' codes; ``InvalidCommandError`` otherwise."""
    errors = validate_district_code(code, field="unit_district")
    if errors:
        raise InvalidCommandError(errors)
    return code.strip()


def _valid_credit_code(raw: str) -> str:
    """The unit's credit code, normalised; ``InvalidCommandError`` with every rule it breaks."""
    result = validate_credit_code(raw, field="unit_credit_code")
    if result.value is None:
        raise InvalidCommandError(result.errors)
    return result.value.value

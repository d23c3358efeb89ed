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

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
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
from services.applications.domain.moments import application_date, require_aware
from services.applications.domain.sections.family import Family
from services.applications.domain.sections.investment import Investment
from services.applications.domain.sections.names import DATA_SECTIONS, SectionName, parts_of
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
from shared.kernel.points import (
    DeductionClaims,
    MaterialItem,
    RuleSet,
    ScoringClaims,
    calculate,
    rules_in_force,
)
from shared.kernel.points.claims import NO_DEDUCTIONS
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


class SectionProgress(StrEnum):
    """A task-list entry's state (未开始 / 暂不能开始 / 进行中 / 已完成 / 有问题); the values are the UI's
    task states."""

    NOT_STARTED = "not_started"
    CANNOT_START = "cannot_start"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    HAS_PROBLEMS = "has_problems"


@dataclass(frozen=True, slots=True)
class ScoreLineRecord:
    """One indicator of a declared or verified result, as published (``shared.contracts``' ScoreLine)."""

    indicator: str
    points: int
    cap: int | None
    counted: bool
    rule_id: str | None


@dataclass(frozen=True, slots=True)
class VerifiedItem:
    """One indicator as the approver verified it (points and whether it counts)."""

    indicator: str
    points: int
    counted: bool


@dataclass(frozen=True, slots=True)
class DocumentRecord:
    """A rendered PDF the documents service reported ready (the print buttons)."""

    kind: str
    document_id: str
    version: int
    rendered_at: datetime


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


class SectionSaved(Aggregate.Event):
    """Shape of the six section events: the section's record, who saved it, and when. Each subclass
    names its ``section``; applying the event stores the record under that name."""

    section: ClassVar[SectionName]
    record: dict[str, Any]
    saved_by_role: str
    saved_by_id: str
    at: datetime
    part: str = ""
    """The page (question group) of a section filled in over several pages; ``""``: the whole section."""

    def apply(self, aggregate: PointsApplication) -> None:
        name = self.section.value
        aggregate._sections[name] = self.record
        parts = parts_of(self.section) if not self.part else (self.part,)
        aggregate._parts[name] = sorted({*aggregate._parts.get(name, ()), *parts})
        if name not in aggregate._corrected:
            aggregate._corrected.append(name)


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
        unit_name: str
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
        unit_name: str
        unit_district: str
        changed_by: str
        at: datetime

    class ApplicantMovedAway(Aggregate.Event):
        """The applicant now works for another unit, but the application was already submitted (or
        decided): it stays with the unit that filed it, and both units are told why."""

        TOPIC = "applications.PointsApplication.ApplicantMovedAway"
        unit_id: UUID
        new_unit_id: UUID
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

    class CorrectionRequested(Aggregate.Event):
        """退回补正's reasons, per form section, shown to the unit and the applicant until resubmission."""

        TOPIC = "applications.PointsApplication.CorrectionRequested"
        reasons: dict[str, str]
        missing_materials: list[str]
        at: datetime

    class Submitted(Aggregate.Event):
        """单位审核通过: the form as submitted, its declared score and materials checklist, and what
        identifies the application: everything review and documents are told."""

        TOPIC = "applications.PointsApplication.Submitted"
        submission: int
        application_number: str
        kind: str
        applicant_id: UUID
        applicant_id_masked: str
        unit_id: UUID
        unit_credit_code: str
        unit_name: str
        unit_district: str
        submitted_by: str
        at: datetime
        form: dict[str, Any]
        declared_total: int
        pass_mark: int
        declared_lines: list[dict[str, Any]]
        materials: list[dict[str, str]]

    class Approved(Aggregate.Event):
        """审批通过: the verified result line by line, from which the points notice is rendered."""

        TOPIC = "applications.PointsApplication.Approved"
        application_number: str
        kind: str
        applicant_id: UUID
        applicant_id_masked: str
        unit_id: UUID
        unit_credit_code: str
        unit_name: str
        unit_district: str
        approved_by: str
        at: datetime
        verified_total: int
        pass_mark: int
        verified_lines: list[dict[str, Any]]

    class DocumentAvailable(Aggregate.Event):
        """The documents service rendered a PDF of this application (申请表 or 积分通知书)."""

        TOPIC = "applications.PointsApplication.DocumentAvailable"
        kind: str
        document_id: str
        version: int
        rendered_at: datetime

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
        unit_name: str,
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
            unit_name=unit_name.strip(),
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
        unit_name: str,
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
        self.unit_name = unit_name
        self.unit_district = unit_district
        self._kind = kind
        self.started_at = at
        self._started_by = started_by_role
        self._status = ApplicationStatus.DRAFT.value
        self._pledges: dict[str, Record] = {}
        self._sections: dict[str, Record] = {}
        self._parts: dict[str, list[str]] = {}
        self._history: list[Record] = []
        self._correction: Record = {}
        self._corrected: list[str] = []
        self._declared_lines: list[Record] = []
        self._documents: dict[str, Record] = {}
        self.submissions = 0
        self._verified_lines_records: list[Record] = []
        self.moved_away_to: UUID | None = None
        self.verified_score: int | None = None

    def __deepcopy__(self, memo: dict[int, Any]) -> PointsApplication:
        """A copy for a reader of the repository's cache: the containers of the state are copied, the
        plain records inside them are shared, because mutators only ever assign or add records and
        never change one in place (an event's record is the section as saved)."""
        copy = object.__new__(type(self))
        copy.__dict__.update(
            {
                key: value.copy() if isinstance(value, dict | list | set) else value
                for key, value in self.__dict__.items()
            }
        )
        return copy

    # ----------------------------------------------------------------------------------------------
    # Reading
    # ----------------------------------------------------------------------------------------------

    @property
    def kind(self) -> ApplicationKind:
        return ApplicationKind(self._kind)

    @property
    def started_by(self) -> Role:
        """Who started the application (the unit, or the applicant)."""
        return Role(self._started_by)

    @property
    def status(self) -> ApplicationStatus:
        return ApplicationStatus(self._status)

    @property
    def is_editable(self) -> bool:
        """Sections can be saved and the unit changed (before submission, or after a return/withdrawal)."""
        return self.status in EDITABLE_STATUSES

    @property
    def pledges(self) -> dict[Role, PledgeAcceptance]:
        return {Role(party): _decoded(PledgeAcceptance, record) for party, record in self._pledges.items()}

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

    def declared_result_inputs(self) -> tuple[ScoringClaims, DeductionClaims] | None:
        """What the calculator scores for this form (``None`` until the scoring section is saved)."""
        claims = self.claims_for_calculator()
        if claims is None:
            return None
        return claims, self.deductions or NO_DEDUCTIONS

    @property
    def correction_reasons(self) -> dict[str, str]:
        """退回补正's reasons by section code (``""`` for the application as a whole), until resubmission."""
        return dict(self._correction.get("reasons", {}))

    @property
    def missing_materials(self) -> tuple[str, ...]:
        """The checklist codes the window did not receive (退回补正), until resubmission."""
        return tuple(self._correction.get("missing_materials", ()))

    @property
    def documents(self) -> dict[str, DocumentRecord]:
        """The latest rendered PDF of each kind (``application_form``, ``points_notice``)."""
        return {kind: from_record(DocumentRecord, record) for kind, record in self._documents.items()}

    @property
    def declared_lines(self) -> tuple[ScoreLineRecord, ...]:
        """The declared score line by line, as last submitted."""
        return tuple(from_record(ScoreLineRecord, record) for record in self._declared_lines)

    @property
    def verified_lines(self) -> tuple[ScoreLineRecord, ...]:
        """The verified score line by line (审批通过)."""
        return tuple(from_record(ScoreLineRecord, record) for record in self._verified_lines_records)

    def section_progress(
        self, on: date, problems: list[FieldError] | None = None
    ) -> dict[SectionName, SectionProgress]:
        """Each task-list entry's state on the application date ``on``.

        承诺与授权: completed once both parties accepted, in progress after one. Other sections cannot
        start before that; then not started until saved, in progress while a part (page) of a section
        filled in over several pages has not been saved yet, has problems when the whole-form check
        finds one in it (or 退回补正 named it and it has not been saved since), completed otherwise.
        ``problems``: ``self.problems(on)`` if the caller has them already.
        """
        accepted = len(self._pledges)
        states = {
            SectionName.PLEDGE: SectionProgress.COMPLETED
            if accepted == 2
            else SectionProgress.IN_PROGRESS
            if accepted
            else SectionProgress.NOT_STARTED
        }
        found = self.problems(on) if problems is None else problems
        problem_sections = {problem.section for problem in found}
        pending = {name for name in self.correction_reasons if name not in self._corrected}
        for name in DATA_SECTIONS:
            if accepted < 2:
                state = SectionProgress.CANNOT_START
            elif name.value not in self._sections:
                state = SectionProgress.NOT_STARTED
            elif set(parts_of(name)) - set(self._parts.get(name.value, ())):
                state = SectionProgress.IN_PROGRESS
            elif name.value in problem_sections or name.value in pending:
                state = SectionProgress.HAS_PROBLEMS
            else:
                state = SectionProgress.COMPLETED
            states[name] = state
        return states

    def section_record(self, section: SectionName) -> Record | None:
        """The saved section as its plain record (what a stale save is compared on)."""
        return self._sections.get(section.value)

    def saved_parts(self, section: SectionName) -> tuple[str, ...]:
        """The parts of ``section`` saved so far."""
        return tuple(self._parts.get(section.value, ()))

    def ensure_visible_to(self, by: Actor) -> None:
        """Reading: the applicant sees their own applications, a unit those it files (``NotVisible``
        for anyone else, so another's application is never confirmed to exist); clerks and the system
        see every one."""
        self._check_identity(by)

    def _section(self, name: SectionName, kind: type[_SectionT]) -> _SectionT | None:
        record = self._sections.get(name.value)
        return None if record is None else _decoded(kind, record)

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

    def save_scoring_claims(self, claims: ScoringClaims, *, by: Actor, at: datetime, part: str = "") -> None:
        """积分指标, filled in over several pages: ``part`` names the page saved (``""``: all of it)."""
        self._save(self.ScoringClaimsSaved, claims, by, at, part)

    def save_deductions(self, deductions: DeductionClaims, *, by: Actor, at: datetime) -> None:
        """减分项与一票否决项. A veto item saves (it is a true answer) but blocks 完成."""
        self._save(self.DeductionsSaved, deductions, by, at)

    def save_section(
        self, section: SectionName, data: SectionData, *, by: Actor, at: datetime, part: str = ""
    ) -> None:
        """Save ``data`` as ``section`` (any data section; ``part`` for a section filled in over several
        pages)."""
        event_class, kind = _SECTION_EVENTS.get(section, (None, None))
        if event_class is None or kind is None or not isinstance(data, kind):
            raise InvalidCommandError.of(
                "section", "section.unknown", Text("没有这个栏目", "There is no such section")
            )
        self._save(event_class, data, by, at, part)

    def _save(
        self, event_class: type[SectionSaved], data: SectionData, by: Actor, at: datetime, part: str = ""
    ) -> None:
        """Validate one section against the rest of the form; save it only if it has no problems."""
        self._check_can_edit(by, at)
        if part and part not in parts_of(event_class.section):
            raise InvalidCommandError.of(
                "part", "part.unknown", Text("栏目中没有这一页", "The section has no such page")
            )
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
            event_class,
            record=to_record(data),
            saved_by_role=by.role.value,
            saved_by_id=by.id,
            at=at,
            part=part,
        )

    # ----------------------------------------------------------------------------------------------
    # Change of unit
    # ----------------------------------------------------------------------------------------------

    def change_unit(
        self,
        *,
        unit_id: UUID,
        unit_credit_code: str,
        unit_name: str,
        unit_district: str,
        by: Actor,
        at: datetime,
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
                    f"申请当前状态为“{self.status.label.zh}”，已提交的申请不能更换单位",
                    f'The application\'s status is "{self.status.label.en}"; '
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
            unit_name=unit_name.strip(),
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
        unit_name: str,
        unit_district: str,
        changed_by: str,
        at: datetime,
    ) -> None:
        self.unit_id = unit_id
        self.unit_credit_code = unit_credit_code
        self.unit_name = unit_name
        self.unit_district = unit_district
        self.moved_away_to = None
        self._pledges.pop(Role.UNIT.value, None)

    def note_applicant_moved(self, *, new_unit_id: UUID, at: datetime) -> None:
        """The applicant moved to ``new_unit_id`` after this application was submitted or decided: it
        stays with its unit (a change of unit is refused), and the move is recorded for both units."""
        require_aware(at)
        if self.is_editable:
            raise UnitChangeNotAllowedError(
                Text(
                    "申请尚未提交，应随申请人转到新单位",
                    "The application is not submitted; it moves with the applicant instead",
                )
            )
        if new_unit_id not in (self.unit_id, self.moved_away_to):
            self._applicant_moved_away(unit_id=self.unit_id, new_unit_id=new_unit_id, at=at)

    @event(ApplicantMovedAway)
    def _applicant_moved_away(self, unit_id: UUID, new_unit_id: UUID, at: datetime) -> None:
        self.moved_away_to = new_unit_id

    # ----------------------------------------------------------------------------------------------
    # Documents
    # ----------------------------------------------------------------------------------------------

    def record_document(self, *, kind: str, document_id: str, version: int, rendered_at: datetime) -> None:
        """A PDF of this application is ready (the print button appears); an older version than the
        one recorded changes nothing (messages may be repeated)."""
        require_aware(rendered_at)
        known = self._documents.get(kind)
        if known is not None and (known["version"], known["document_id"]) >= (version, document_id):
            return
        self._document_available(kind=kind, document_id=document_id, version=version, rendered_at=rendered_at)

    @event(DocumentAvailable)
    def _document_available(self, kind: str, document_id: str, version: int, rendered_at: datetime) -> None:
        self._documents[kind] = {
            "kind": kind,
            "document_id": document_id,
            "version": version,
            "rendered_at": rendered_at.isoformat(),
        }

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
        rules: RuleSet | None = None,
        section_reasons: Mapping[str, str] | None = None,
        missing_materials: Sequence[str] = (),
        verified_lines: Sequence[VerifiedItem] = (),
    ) -> None:
        """The one path for every status change: check the actor, the table, the action's own rules;
        then record a ``StatusChanged`` event. The identity comes first, so that someone else's
        application answers "not found" whatever its status, never a conflict that names it.

        Three actions record more than the transition, from the arguments only they take:
        单位审核通过 the submission (``Submitted``: the form, its declared score under ``rules``, default
        the rules in force without catalogues, and the materials), 退回补正 the reasons per section
        (``section_reasons``, section code -> reason; ``reason`` defaults to them joined) and the
        ``missing_materials``, 审批通过 the verified result (``verified_lines``)."""
        require_aware(at)
        self._check_identity(by)
        on = application_date(at)
        reasons = {code: text.strip() for code, text in (section_reasons or {}).items() if text.strip()}
        if action is Action.RETURN_FOR_CORRECTION and reasons and not reason.strip():
            reason = "；".join(_reason_line(code, text) for code, text in reasons.items())
        transition = plan_transition(self.status, action, by.role, reason)
        submission: dict[str, Any] | None = None
        if action in (Action.COMPLETE, Action.APPROVE_AT_UNIT):
            problems = self.problems(on)
            if problems:
                raise ApplicationIncompleteError(problems)
            if action is Action.APPROVE_AT_UNIT:
                submission = self._submission(by, at, rules or rules_in_force(on))
        pass_mark = pass_mark_on(on)
        if action is Action.APPROVE:
            if verified_score is None or verified_score < pass_mark:
                raise InvalidCommandError.of(
                    "verified_score",
                    "verified_score.below_pass_mark",
                    Text(
                        f"审批通过须记录核定分值，且不低于标准分值{pass_mark}分；否则请选择审批不通过",
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
        if submission is not None:
            self.trigger_event(self.Submitted, **submission)
        elif action is Action.RETURN_FOR_CORRECTION:
            self._correction_requested(
                reasons=reasons or {"": reason.strip()}, missing_materials=list(missing_materials), at=at
            )
        elif action is Action.APPROVE and verified_score is not None:
            self.trigger_event(
                self.Approved,
                **self._facts(),
                approved_by=by.id,
                at=at,
                verified_total=verified_score,
                pass_mark=pass_mark,
                verified_lines=self._verified_lines(verified_lines),
            )

    def _facts(self) -> dict[str, Any]:
        """What identifies the application in its published events."""
        return {
            "application_number": self.application_number,
            "kind": self._kind,
            "applicant_id": self.applicant_id,
            "applicant_id_masked": self.applicant_id_masked,
            "unit_id": self.unit_id,
            "unit_credit_code": self.unit_credit_code,
            "unit_name": self.unit_name,
            "unit_district": self.unit_district,
        }

    def _submission(self, by: Actor, at: datetime, rules: RuleSet) -> dict[str, Any]:
        """The ``Submitted`` event's fields: the form as it is, scored on the submission date."""
        on = application_date(at)
        inputs = self.declared_result_inputs()
        assert inputs is not None, "a complete form has its scoring section"
        result = calculate(*inputs, on, rules)
        form: dict[str, Any] = {
            "pledges": [self._pledges[party] for party in sorted(self._pledges)],
            **{name.value: self._sections[name.value] for name in DATA_SECTIONS},
        }
        return {
            **self._facts(),
            "submission": self.submissions + 1,
            "submitted_by": by.id,
            "at": at,
            "form": form,
            "declared_total": result.total,
            "pass_mark": result.pass_mark,
            "declared_lines": [
                {
                    "indicator": str(line.indicator),
                    "points": line.points,
                    "cap": line.cap,
                    "counted": line.counted,
                    "rule_id": line.rule_id,
                }
                for line in result.lines
            ],
            "materials": [
                {"code": str(item.code), "name_zh": item.name_zh, "name_en": item.name_en}
                for item in self.materials_checklist(on)
            ],
        }

    def _verified_lines(self, verified: Sequence[VerifiedItem]) -> list[dict[str, Any]]:
        """The approver's lines, with each indicator's cap and rule row as declared at submission."""
        declared = {record["indicator"]: record for record in self._declared_lines}
        return [
            {
                "indicator": item.indicator,
                "points": item.points,
                "cap": declared.get(item.indicator, {}).get("cap"),
                "counted": item.counted,
                "rule_id": declared.get(item.indicator, {}).get("rule_id"),
            }
            for item in verified
        ]

    @event(Submitted)
    def _submitted(self, submission: int, declared_lines: list[dict[str, Any]]) -> None:
        """Triggered with every field of ``Submitted`` (``trigger_event``); applies the ones it names."""
        self.submissions = submission
        self._declared_lines = list(declared_lines)
        self._correction = {}
        self._corrected = []

    @event(CorrectionRequested)
    def _correction_requested(
        self, reasons: dict[str, str], missing_materials: list[str], at: datetime
    ) -> None:
        self._correction = {"reasons": dict(reasons), "missing_materials": list(missing_materials)}
        self._corrected = []

    @event(Approved)
    def _approved(self, verified_lines: list[dict[str, Any]]) -> None:
        """Triggered with every field of ``Approved`` (``trigger_event``); applies the lines."""
        self._verified_lines_records = list(verified_lines)

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

    def approve_at_unit(self, *, by: Actor, at: datetime, rules: RuleSet | None = None) -> None:
        """单位审核通过: the unit submits the application to the talent centre; it is locked from now on.
        The declared score is calculated under ``rules`` (the rules in force, with the catalogues the
        service loaded)."""
        self.perform(Action.APPROVE_AT_UNIT, by=by, at=at, rules=rules)

    def queue_for_acceptance(self, *, by: Actor, at: datetime, reason: str = "") -> None:
        """等待受理: the materials were handed in at the window (or the case was opened)."""
        self.perform(Action.QUEUE_FOR_ACCEPTANCE, by=by, at=at, reason=reason)

    def accept(self, *, by: Actor, at: datetime, reason: str = "") -> None:
        """受理通过."""
        self.perform(Action.ACCEPT, by=by, at=at, reason=reason)

    def refuse_acceptance(self, *, by: Actor, at: datetime, reason: str) -> None:
        """不予受理."""
        self.perform(Action.REFUSE_ACCEPTANCE, by=by, at=at, reason=reason)

    def return_for_correction(
        self,
        *,
        by: Actor,
        at: datetime,
        reason: str = "",
        section_reasons: Mapping[str, str] | None = None,
        missing_materials: Sequence[str] = (),
    ) -> None:
        """退回补正: editable again, with the reasons per section; then completed and unit-approved again."""
        self.perform(
            Action.RETURN_FOR_CORRECTION,
            by=by,
            at=at,
            reason=reason,
            section_reasons=section_reasons,
            missing_materials=missing_materials,
        )

    def queue_for_approval(self, *, by: Actor, at: datetime, reason: str = "") -> None:
        """等待审批."""
        self.perform(Action.QUEUE_FOR_APPROVAL, by=by, at=at, reason=reason)

    def approve(
        self,
        *,
        by: Actor,
        at: datetime,
        verified_score: int,
        reason: str = "",
        verified_lines: Sequence[VerifiedItem] = (),
    ) -> None:
        """审批通过, recording the verified score (积分核定) and its lines."""
        self.perform(
            Action.APPROVE,
            by=by,
            at=at,
            reason=reason,
            verified_score=verified_score,
            verified_lines=verified_lines,
        )

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
        status = f'"{self.status.label.en}"'
        if self.status in FINAL_STATUSES:
            raise EditingLockedError(
                self.status.value,
                Text(
                    f"申请当前状态为“{self.status.label.zh}”，已办结，信息无法修改；如需重新申请，请提交新的申请",
                    f"The application's status is {status}; it is decided and cannot be changed. To apply "
                    "again, start a new application",
                ),
            )
        if not self.is_editable:
            raise EditingLockedError(
                self.status.value,
                Text(
                    f"申请当前状态为“{self.status.label.zh}”，信息无法修改；如要修改，须到人才服务中心窗口申请撤销",
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


_SECTION_EVENTS: dict[SectionName, tuple[type[SectionSaved], type[Any]]] = {
    SectionName.PERSONAL_INFO: (PointsApplication.PersonalInfoSaved, PersonalInfo),
    SectionName.RESUME: (PointsApplication.ResumeSaved, Resume),
    SectionName.FAMILY: (PointsApplication.FamilySaved, Family),
    SectionName.INVESTMENT: (PointsApplication.InvestmentSaved, Investment),
    SectionName.SCORING_CLAIMS: (PointsApplication.ScoringClaimsSaved, ScoringClaims),
    SectionName.DEDUCTIONS: (PointsApplication.DeductionsSaved, DeductionClaims),
}
"""Each data section's event and the type of its data."""


_DECODED: dict[int, tuple[Record, Any]] = {}
_DECODED_MAX = 4096


def _decoded(kind: type[_SectionT], record: Record) -> _SectionT:
    """``from_record``, once per record object: records are never changed in place and copies of an
    aggregate share them, so a section read again (every page, every command) is not decoded again.
    The entry keeps its record alive, so an id is never confused with another record's."""
    found = _DECODED.get(id(record))
    if found is not None and found[0] is record:
        value: _SectionT = found[1]
        return value
    if len(_DECODED) >= _DECODED_MAX:
        _DECODED.clear()
    value = from_record(kind, record)
    _DECODED[id(record)] = (record, value)
    return value


def _reason_line(section: str, reason: str) -> str:
    """One section's reason as it reads in the joined reason of 退回补正 (the status topic's)."""
    try:
        return f"{SectionName(section).label.zh}：{reason}"
    except ValueError:
        return reason

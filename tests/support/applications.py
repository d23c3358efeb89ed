"""Test data for the applications service: the upstream messages it applies (accounts' directory,
review's decisions, documents' renderings) and a way to deliver them to a service application in
memory, as its inbox would.

The payloads are the contracts' own models, built as their source services would publish them
(personal data sealed for the message it travels in); the same builders feed ``Bus.publish`` in the
tests on real Kafka.
"""

from __future__ import annotations

import itertools
import uuid
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Tracking
from pydantic import BaseModel

from services.applications.domain.sections.names import SectionName
from services.applications.domain.status import Actor
from services.applications.integration import INBOUND
from services.applications.service import ApplicationsService, Saved
from shared.contracts import wrap
from shared.contracts.accounts import (
    ApplicantActivated,
    ApplicantChangedUnit,
    ApplicantPersonalData,
    ApplicantRegistered,
    UnitApproved,
)
from shared.contracts.documents import DocumentRendered
from shared.contracts.registry import event_type_of
from shared.contracts.review import (
    ApplicationAccepted,
    ApplicationCaseOpened,
    ApplicationNotAccepted,
    ApplicationReturnedForCorrection,
    ApplicationScoreApproved,
    ApplicationScoreRejected,
    ApplicationWithdrawalRecorded,
    Decision,
    SectionReason,
    VerifiedLine,
)
from shared.kernel.application_status import ApplicationKind
from shared.kernel.id_number import Sex, mask_id_number
from shared.kernel.roles import Role
from shared.platform.integration import Received, Sealing
from shared.platform.kit import MEMORY
from shared.platform.sealing import Keyring, new_key_line
from tests.unit.applications.builders import (
    APPLICANT_BIRTH_DATE,
    APPLICANT_ID,
    APPLICANT_ID_NUMBER,
    AT,
    OTHER_UNIT_CREDIT_CODE,
    OTHER_UNIT_DISTRICT,
    OTHER_UNIT_ID,
    OTHER_UNIT_NAME,
    PLEDGE_VERSION,
    UNIT_CREDIT_CODE,
    UNIT_DISTRICT,
    UNIT_ID,
    UNIT_NAME,
    deductions,
    family,
    no_investment,
    personal_info,
    resume,
    scoring_claims,
)

CLERK_ID = "clerk-0042"
APPROVER_ID = "clerk-0077"
APPLICANT_NAME = "张伟"

APPLICANT = Actor(Role.APPLICANT, str(APPLICANT_ID))
UNIT = Actor(Role.UNIT, str(UNIT_ID))
OTHER_UNIT = Actor(Role.UNIT, str(OTHER_UNIT_ID))


def decision(at: datetime = AT, clerk_id: str = CLERK_ID, district: str = UNIT_DISTRICT) -> Decision:
    return Decision(clerk_id=clerk_id, district=district, decided_at=at)


# --------------------------------------------------------------------------------------------------
# accounts


def unit_approved(
    unit_id: UUID = UNIT_ID,
    credit_code: str = UNIT_CREDIT_CODE,
    name: str = UNIT_NAME,
    district: str = UNIT_DISTRICT,
    at: datetime = AT - timedelta(days=30),
) -> UnitApproved:
    return UnitApproved(
        unit_id=str(unit_id),
        credit_code=credit_code,
        unit_name=name,
        district=district,
        approved_at=at,
        clerk_id=CLERK_ID,
    )


def other_unit_approved() -> UnitApproved:
    return unit_approved(OTHER_UNIT_ID, OTHER_UNIT_CREDIT_CODE, OTHER_UNIT_NAME, OTHER_UNIT_DISTRICT)


def applicant_registered(
    sealing: Sealing,
    applicant_id: UUID = APPLICANT_ID,
    unit_id: UUID = UNIT_ID,
    name: str = APPLICANT_NAME,
    id_number: str = APPLICANT_ID_NUMBER,
    at: datetime = AT - timedelta(days=10),
) -> ApplicantRegistered:
    """Sealed for the message about ``applicant_id`` (publish it with ``subject=str(applicant_id)``)."""
    personal = ApplicantPersonalData(
        name=name, id_number=id_number, mobile="13812345678", email="zhang.wei@example.com"
    )
    return ApplicantRegistered(
        applicant_id=str(applicant_id),
        unit_id=str(unit_id),
        unit_credit_code=UNIT_CREDIT_CODE,
        id_number_masked=mask_id_number(id_number),
        birth_date=APPLICANT_BIRTH_DATE,
        sex=Sex.MALE,
        registered_at=at,
        personal=sealing.seal(personal, payload=ApplicantRegistered, subject=str(applicant_id)),
    )


def applicant_activated(applicant_id: UUID = APPLICANT_ID, at: datetime = AT) -> ApplicantActivated:
    return ApplicantActivated(applicant_id=str(applicant_id), activated_at=at)


def applicant_changed_unit(
    applicant_id: UUID = APPLICANT_ID, at: datetime = AT, to: UUID = OTHER_UNIT_ID, previous: UUID = UNIT_ID
) -> ApplicantChangedUnit:
    return ApplicantChangedUnit(
        applicant_id=str(applicant_id),
        previous_unit_id=str(previous),
        unit_id=str(to),
        unit_credit_code=OTHER_UNIT_CREDIT_CODE if to == OTHER_UNIT_ID else UNIT_CREDIT_CODE,
        changed_at=at,
    )


# --------------------------------------------------------------------------------------------------
# review


def _case(application_id: UUID, number: str, at: datetime, clerk: str = CLERK_ID) -> dict[str, Any]:
    return {
        "application_id": str(application_id),
        "application_number": number,
        "decision": decision(at, clerk),
    }


def case_opened(application_id: UUID, number: str, at: datetime = AT) -> ApplicationCaseOpened:
    return ApplicationCaseOpened(**_case(application_id, number, at, "system"))


def accepted(application_id: UUID, number: str, at: datetime = AT) -> ApplicationAccepted:
    return ApplicationAccepted(**_case(application_id, number, at), materials_received=["applicant_id_card"])


def not_accepted(application_id: UUID, number: str, at: datetime = AT) -> ApplicationNotAccepted:
    return ApplicationNotAccepted(**_case(application_id, number, at), reason="劳动合同已过期,不予受理")


RESUME_REASON = "简历2012年的经历与社保记录不一致,请核对"


def returned_for_correction(
    application_id: UUID, number: str, at: datetime = AT
) -> ApplicationReturnedForCorrection:
    return ApplicationReturnedForCorrection(
        **_case(application_id, number, at),
        reasons=[SectionReason(section=SectionName.RESUME.value, reason=RESUME_REASON)],
        missing_materials=["labour_contract"],
    )


def score_approved(
    application_id: UUID, number: str, total: int, at: datetime = AT
) -> ApplicationScoreApproved:
    return ApplicationScoreApproved(
        **_case(application_id, number, at, APPROVER_ID),
        verified_total=total,
        pass_mark=120,
        lines=[
            VerifiedLine(indicator="age", declared_points=30, verified_points=30, counted=True),
            VerifiedLine(indicator="education", declared_points=90, verified_points=90, counted=True),
        ],
    )


def score_rejected(application_id: UUID, number: str, at: datetime = AT) -> ApplicationScoreRejected:
    return ApplicationScoreRejected(
        **_case(application_id, number, at, APPROVER_ID), reason="核定分值不足120分"
    )


def withdrawal_recorded(
    application_id: UUID, number: str, at: datetime = AT
) -> ApplicationWithdrawalRecorded:
    return ApplicationWithdrawalRecorded(
        **_case(application_id, number, at), requested_by="unit", reason="单位申请撤销,需修改学历信息"
    )


def document_rendered(
    application_id: UUID, number: str, kind: str = "application_form", version: int = 1, at: datetime = AT
) -> DocumentRendered:
    return DocumentRendered(
        document_id=str(uuid.uuid5(application_id, f"{kind}:{version}")),
        application_id=str(application_id),
        application_number=number,
        kind=kind,  # type: ignore[arg-type]
        version=version,
        sha256="0" * 64,
        size_bytes=12_345,
        rendered_at=at,
    )


# --------------------------------------------------------------------------------------------------
# a service in memory


class InMemoryService:
    """The applications service on eventsourcing's in-memory persistence, with a keyring, fed with
    upstream messages as its inbox would (numbered per source)."""

    def __init__(self, env: dict[str, str] | None = None) -> None:
        """``env``: another persistence than memory (a throw-away PostgreSQL schema)."""
        self.keyring = Keyring.parse(new_key_line())
        self.sealing = Sealing(self.keyring)
        self.app = ApplicationsService(env=env or dict(MEMORY), inbound=INBOUND, keyring=self.keyring)
        self._sequences: dict[str, itertools.count[int]] = {}

    def deliver(self, payload: BaseModel, *, subject: str | None = None) -> None:
        entry = event_type_of(type(payload))
        sequence = next(self._sequences.setdefault(entry.source, itertools.count(1)))
        subject = subject or str(
            getattr(payload, "application_id", None) or getattr(payload, "applicant_id", "")
        )
        if not subject:
            subject = str(getattr(payload, "unit_id", "subject"))
        envelope = wrap(
            source=entry.source,
            sequence=sequence,
            subject=subject,
            aggregate_version=1,
            occurred_at=AT,
            payload=payload,
        )
        self.app.process_event(Received(envelope, payload), Tracking(f"{entry.source}:0", sequence))

    def with_directory(self) -> InMemoryService:
        """The unit approved and the applicant registered with it."""
        self.deliver(unit_approved())
        self.deliver(applicant_registered(self.sealing))
        return self

    def start(
        self, by: Actor = UNIT, kind: ApplicationKind = ApplicationKind.NEW, at: datetime = AT
    ) -> Saved:
        return self.app.start(by=by, applicant_id=APPLICANT_ID, kind=kind, at=at)

    def fill(self, application_id: UUID, by: Actor = APPLICANT, at: datetime = AT) -> Saved:
        """Both pledges and every section, valid: ready for 完成."""
        saved = self.app.accept_pledge(
            application_id,
            by=APPLICANT,
            based_on_version=self.version(application_id),
            text_version=PLEDGE_VERSION,
            at=at,
        )
        saved = self.app.accept_pledge(
            application_id, by=UNIT, based_on_version=saved.version, text_version=PLEDGE_VERSION, at=at
        )
        sections: list[tuple[SectionName, Any]] = [
            (SectionName.PERSONAL_INFO, personal_info()),
            (SectionName.RESUME, resume()),
            (SectionName.FAMILY, family()),
            (SectionName.INVESTMENT, no_investment()),
            (SectionName.SCORING_CLAIMS, scoring_claims()),
            (SectionName.DEDUCTIONS, deductions()),
        ]
        for section, data in sections:
            saved = self.app.save_section(
                application_id, section, data, by=by, based_on_version=saved.version, at=at
            )
        return saved

    def version(self, application_id: UUID) -> int:
        return int(self.app.repository.get(application_id).version)

    def submitted(self, at: datetime = AT) -> UUID:
        """An application started, filled, completed and submitted by the unit (单位审核通过)."""
        application_id = self.start().application_id
        saved = self.fill(application_id)
        saved = self.app.complete(application_id, by=APPLICANT, based_on_version=saved.version, at=at)
        self.app.submit(application_id, by=UNIT, based_on_version=saved.version, at=at)
        return application_id

    def number(self, application_id: UUID) -> str:
        return str(self.app.repository.get(application_id).application_number)

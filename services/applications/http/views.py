"""What the pages and the API show of an application: its task list, status timeline, next step, print
buttons and the links between its pages. Pure functions of the aggregate (and the viewer's role).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from services.applications.domain.application import PointsApplication, SectionProgress
from services.applications.domain.changes import flatten_record
from services.applications.domain.sections.names import SectionName
from services.applications.domain.sections.resume import MAX_ONLINE_ENTRIES
from services.applications.domain.status import EDITABLE_STATUSES, FINAL_STATUSES
from services.applications.scoring import level_label
from shared.kernel.application_status import ApplicationStatus
from shared.kernel.errors import FieldError
from shared.kernel.form_codes import EducationAttainment, MaritalStatus, ResumeEntryKind
from shared.kernel.id_number import Sex, mask_id_number
from shared.kernel.moments import SHANGHAI
from shared.kernel.points.claims import (
    AwardLevel,
    EducationLevel,
    KeyAreaKind,
    QualificationLevel,
)
from shared.kernel.roles import Role
from shared.kernel.text import Text
from shared.platform.i18n import t

S = ApplicationStatus

SECTION_PAGES: dict[SectionName, str] = {
    SectionName.PLEDGE: "pledge",
    SectionName.PERSONAL_INFO: "personal-info",
    SectionName.RESUME: "resume",
    SectionName.FAMILY: "family",
    SectionName.INVESTMENT: "investment",
    SectionName.SCORING_CLAIMS: "scoring/education",
    SectionName.DEDUCTIONS: "deductions",
}
"""Each task's first page, under ``/applications/<application id>/``."""

SCORING_PAGES: dict[str, str] = {
    "education": "scoring/education",
    "social_insurance": "scoring/social-insurance",
    "bonus": "scoring/bonus",
    "direct_routes": "scoring/direct-routes",
}

FORM_ORDER: tuple[str, ...] = (
    "pledge",
    "personal-info",
    "resume",
    "family",
    "investment",
    "scoring/education",
    "scoring/social-insurance",
    "scoring/bonus",
    "scoring/direct-routes",
    "deductions",
    "check",
)
"""Save and continue leads from each page to the next; the last section leads to 核对 (check answers)."""

HAPPY_PATH: tuple[ApplicationStatus, ...] = (
    S.DRAFT,
    S.COMPLETED,
    S.UNIT_APPROVED,
    S.AWAITING_ACCEPTANCE,
    S.ACCEPTED,
    S.AWAITING_APPROVAL,
    S.APPROVED,
)
"""The steps in their usual order (seed: 等待受理—受理通过—等待审批—审批通过), for the tracker."""


def page_url(application_id: UUID, page: str = "") -> str:
    return f"/applications/{application_id}/{page}" if page else f"/applications/{application_id}"


def next_page(application_id: UUID, page: str) -> str:
    index = FORM_ORDER.index(page)
    return page_url(application_id, FORM_ORDER[min(index + 1, len(FORM_ORDER) - 1)])


DOCUMENT_PAGES = {"application_form": "form", "points_notice": "notice"}
"""The documents service's page of each kind of PDF, under ``/documents/applications/<id>/``."""


def document_url(application_id: UUID | str, kind: str) -> str:
    """Where the documents service serves an application's PDF of ``kind`` (the latest version), as
    its ``DocumentRendered`` names them: the one place such links are made."""
    return f"/documents/applications/{application_id}/{DOCUMENT_PAGES[kind]}"


@dataclass(frozen=True, slots=True)
class Task:
    section: SectionName
    href: str
    status: SectionProgress
    reason: str = ""
    """退回补正's reason for this section, if any."""


def task_list(
    application: PointsApplication, on: date, problems: list[FieldError] | None = None
) -> list[Task]:
    progress = application.section_progress(on, problems)
    reasons = application.correction_reasons
    return [
        Task(name, page_url(application.id, SECTION_PAGES[name]), progress[name], reasons.get(name.value, ""))
        for name in SectionName
    ]


@dataclass(frozen=True, slots=True)
class Step:
    """One step of the timeline (newest first on the page)."""

    status: ApplicationStatus
    time: datetime
    """In Asia/Shanghai."""
    actor: Role
    reason: str


def timeline(application: PointsApplication) -> list[Step]:
    """Every status the application has been in, newest first, starting from 填写中 at its start."""
    started = Step(S.DRAFT, application.started_at.astimezone(SHANGHAI), application.started_by, "")
    steps = [started] + [
        Step(change.to_status, change.at.astimezone(SHANGHAI), change.actor.role, change.reason)
        for change in application.status_history
    ]
    return list(reversed(steps))


def steps_ahead(status: ApplicationStatus) -> list[ApplicationStatus]:
    """The usual steps still to come (none once decided, or when off the usual path)."""
    if status in FINAL_STATUSES:
        return []
    if status in HAPPY_PATH:
        return list(HAPPY_PATH[HAPPY_PATH.index(status) + 1 :])
    return list(HAPPY_PATH[1:])  # returned or withdrawn: the whole way again


def next_step_key(application: PointsApplication, role: Role) -> str:
    """The catalogue key of what ``role`` should do next (``applications.next.<status>.<who>``)."""
    status = application.status
    who = "unit" if role is Role.UNIT else "applicant"
    if (
        status in EDITABLE_STATUSES
        and status is not S.COMPLETED
        and Role.UNIT.value not in {party.value for party in application.pledges}
    ):
        return f"applications.next.pledge.{who}"
    return f"applications.next.{status.value}.{who}"


@dataclass(frozen=True, slots=True)
class PrintButton:
    kind: str
    href: str
    version: int


def print_buttons(application: PointsApplication) -> list[PrintButton]:
    """打印申请表 / 打印积分通知书, once the documents service reported the PDF ready."""
    documents = application.documents
    return [
        PrintButton(kind, document_url(application.id, kind), documents[kind].version)
        for kind in DOCUMENT_PAGES
        if kind in documents
    ]


_INDEX = re.compile(r"\[\d+\]")
_INDEX_NUMBER = re.compile(r"\[(\d+)\]")

_VALUE_LABELS: dict[str, Text] = {
    **{
        member.value: member.label
        for kind in (MaritalStatus, EducationAttainment, ResumeEntryKind, Sex)
        for member in kind
    },
    **{
        member.value: level_label(member)
        for kind in (EducationLevel, QualificationLevel, AwardLevel, KeyAreaKind)
        for member in kind
    },
}
"""Codes a check-your-answers page shows by their labels."""


def changed_fields(
    section: SectionName, record: Mapping[str, Any] | None, paths: Sequence[str], lang: str
) -> list[dict[str, str]]:
    """What a stale save shows of someone else's change: each changed field's label (the form's own),
    and its value now (``path``, ``label``; ``item_label`` is the label without the item number)."""
    flat = flatten_record(record or {})
    rows = []
    for path in paths:
        indexes = [int(n) + 1 for n in _INDEX_NUMBER.findall(path)]
        name = t(f"applications.f.{section.value}.{_INDEX.sub('', path)}", lang, max=MAX_ONLINE_ENTRIES)
        label = t("applications.row.numbered", lang, name=name, n=indexes[0]) if indexes else name
        rows.append(
            {"path": path, "label": label, "item_label": name, "value": _display(path, flat.get(path), lang)}
        )
    return rows


def _display(path: str, value: Any, lang: str) -> str:
    if value is None or value == "" or value == []:
        return t("summary.not_provided", lang)
    if isinstance(value, bool):
        return t("applications.yes" if value else "applications.no", lang)
    if isinstance(value, str) and value in _VALUE_LABELS:
        return _VALUE_LABELS[value].for_lang(lang)
    if path.endswith("month") and isinstance(value, str):
        return value[:7]
    return str(value)


def section_rows(section: SectionName, record: Mapping[str, Any] | None, lang: str) -> list[dict[str, Any]]:
    """Check your answers: every answer of a saved section, labelled as on its page; each item of a
    repeating group is one row (its answers as lines), and the monthly social-insurance history is
    shown as the periods it was entered as."""
    if record is None:
        return []
    shown = dict(record)
    if section is SectionName.PERSONAL_INFO and isinstance(shown.get("id_number"), str):
        # Registered with the account, not typed here: masked, as the personal-information page shows it.
        shown["id_number"] = mask_id_number(shown["id_number"])
    extra: list[dict[str, Any]] = []
    insurance = shown.get("social_insurance")
    if section is SectionName.SCORING_CLAIMS and isinstance(insurance, Mapping):
        history = insurance.get("history") or []
        shown["social_insurance"] = {"contribution_months": insurance.get("contribution_months")}
        extra.append(
            {
                "key": t("applications.f.scoring_claims.periods", lang),
                "value": [_period_line(period, lang) for period in _periods(history)]
                or t("summary.not_provided", lang),
            }
        )
    rows: list[dict[str, Any]] = []
    items: dict[str, dict[str, Any]] = {}
    for field in changed_fields(section, shown, list(flatten_record(shown)), lang):
        match = _ITEM.match(field["path"])
        if match is None:
            rows.append({"key": field["label"], "value": field["value"]})
            continue
        group, number = match.group(1), int(match.group(2)) + 1
        key = f"{group}[{number}]"
        if key not in items:
            name = t(f"applications.f.{section.value}.{_INDEX.sub('', group)}", lang)
            items[key] = {"key": t("applications.row.numbered", lang, name=name, n=number), "value": []}
            rows.append(items[key])
        items[key]["value"].append(f"{field['item_label']}{t('punctuation.colon', lang)}{field['value']}")
    return rows + extra


_ITEM = re.compile(r"^(.*?)\[(\d+)\]\.")


def _periods(history: Sequence[Mapping[str, Any]]) -> list[tuple[str, str, str]]:
    """(first month, last month, base multiple) of consecutive months at the same multiple."""
    months = sorted((str(m["month"])[:7], str(m["base_multiple"])) for m in history)
    periods: list[tuple[str, str, str]] = []
    for month, multiple in months:
        if periods and periods[-1][2] == multiple and _next_month(periods[-1][1]) == month:
            periods[-1] = (periods[-1][0], month, multiple)
        else:
            periods.append((month, month, multiple))
    return periods


def _next_month(month: str) -> str:
    year, number = int(month[:4]), int(month[5:7])
    return f"{year + number // 12:04d}-{number % 12 + 1:02d}"


def _period_line(period: tuple[str, str, str], lang: str) -> str:
    return t("applications.check.period", lang, first=period[0], last=period[1], multiple=period[2])

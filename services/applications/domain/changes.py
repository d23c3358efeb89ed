"""What changed in an application since a version: the stale-save rule.

Every save carries the version of the application it was based on (the page or API answer it was
made from). Two people may edit one application at once (the unit's HR specialist and the
applicant), so before a command runs, the events recorded after that version are read:

* a section save is stale when the same section (the same page of a section filled in over several
  pages, or any page when either side saved the whole section) was saved by someone since;
* a status command (完成, 单位退回, 单位审核通过) is stale when anything the user checked changed since:
  a section, a pledge, the unit or the status;
* what is only recorded for the user's information (a PDF became available, the applicant moved away
  after submission) never makes a save stale.

A stale command is refused with ``StaleVersionError``: who changed what and when, and for a section
the fields whose values differ, so that nothing is overwritten silently.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from services.applications.domain.application import PointsApplication, SectionSaved
from services.applications.domain.errors import StaleVersionError
from services.applications.domain.sections.names import SectionName
from shared.kernel.application_status import ApplicationStatus
from shared.kernel.roles import Role


class ChangeKind(StrEnum):
    SECTION = "section"
    PLEDGE = "pledge"
    UNIT = "unit"
    STATUS = "status"


@dataclass(frozen=True, slots=True)
class Change:
    """One change recorded after the version a command was based on."""

    kind: ChangeKind
    by_role: Role
    at: datetime
    section: SectionName | None = None
    part: str = ""
    status: ApplicationStatus | None = None
    """For a status change: the new status."""
    fields: tuple[str, ...] = ()
    """For the section being saved: the paths (``employment.post``, ``entries[2].end_month``) whose
    values differ from the version the save was based on."""


def changes_in(events: Iterable[Any]) -> tuple[Change, ...]:
    """The changes among ``events`` (the application's events after some version), in order."""
    found: list[Change] = []
    for event in events:
        if isinstance(event, SectionSaved):
            found.append(
                Change(ChangeKind.SECTION, Role(event.saved_by_role), event.at, event.section, event.part)
            )
        elif isinstance(event, PointsApplication.PledgeAccepted):
            found.append(Change(ChangeKind.PLEDGE, Role(event.party), event.at, SectionName.PLEDGE))
        elif isinstance(event, PointsApplication.UnitChanged):
            found.append(Change(ChangeKind.UNIT, Role.APPLICANT, event.at))
        elif isinstance(event, PointsApplication.StatusChanged):
            found.append(
                Change(
                    ChangeKind.STATUS,
                    Role(event.actor_role),
                    event.at,
                    status=ApplicationStatus(event.to_status),
                )
            )
    return tuple(found)


def section_conflicts(changes: Sequence[Change], section: SectionName, part: str = "") -> tuple[Change, ...]:
    """The changes that make a save of ``section`` (page ``part``; ``""``: all of it) stale."""
    return tuple(
        change
        for change in changes
        if change.kind is ChangeKind.SECTION
        and change.section is section
        and (not part or not change.part or change.part == part)
    )


def check_section_save(
    changes: Sequence[Change],
    section: SectionName,
    part: str,
    *,
    based_on: PointsApplication,
    current: PointsApplication,
) -> None:
    """Raise ``StaleVersionError`` if the section save is stale; its changes name the fields that
    now differ from what the save was based on."""
    conflicts = section_conflicts(changes, section, part)
    if conflicts:
        fields = differing_fields(based_on.section_record(section), current.section_record(section))
        raise StaleVersionError(
            tuple(_with_fields(change, fields) for change in conflicts), current_version=current.version
        )


def check_status_command(changes: Sequence[Change], *, current_version: int) -> None:
    """Raise ``StaleVersionError`` if anything a status command is based on changed."""
    if changes:
        raise StaleVersionError(tuple(changes), current_version=current_version)


def differing_fields(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> tuple[str, ...]:
    """The leaf paths whose values differ between two section records, in the order of ``after``."""
    old, new = flatten_record(before or {}), flatten_record(after or {})
    return tuple(path for path in {**new, **old} if old.get(path) != new.get(path))


def flatten_record(value: Any, prefix: str = "") -> dict[str, Any]:
    """A record's leaves by path (``employment.post``, ``entries[2].end_month``)."""
    if isinstance(value, Mapping):
        flat: dict[str, Any] = {}
        for key, item in value.items():
            flat.update(flatten_record(item, f"{prefix}.{key}" if prefix else str(key)))
        return flat
    if isinstance(value, list | tuple):
        flat = {}
        for index, item in enumerate(value):
            flat.update(flatten_record(item, f"{prefix}[{index}]"))
        return flat or {prefix: []}
    return {prefix: value}


def _with_fields(change: Change, fields: tuple[str, ...]) -> Change:
    return Change(change.kind, change.by_role, change.at, change.section, change.part, change.status, fields)

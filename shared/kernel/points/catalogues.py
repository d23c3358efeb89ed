"""Catalogues the points rules refer to (shortage majors, key areas), as injected data.

The Municipal HRSS Bureau publishes its catalogues separately from the rules (domain.md §1: "any item
that depends on a catalogue must use the catalogue version in force on the assessment date"). They are
therefore not part of the code: the service loads a catalogue document (JSON) and passes the parsed
``Catalogues`` to ``rules_in_force``; without one, no major or area is on a catalogue. Entries have an
effective period like rule rows, so one document can hold several versions.

``catalogues_from_data`` reads the document's plain structure (what ``json.load`` returns) and
refuses a malformed one with the path of the bad value; it does no I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from .claims import KeyAreaKind


@dataclass(frozen=True, slots=True)
class ShortageMajorEntry:
    """Shortage-major catalogue entry (紧缺急需专业). A claim's code and Chinese ``name`` must match
    character for character; ``name_en`` is for display only."""

    id: str
    code: str
    name: str
    name_en: str
    sample: bool
    source: str
    effective_from: date
    effective_to: date | None = None


@dataclass(frozen=True, slots=True)
class KeyAreaEntry:
    """Key-area catalogue entry (重点区域). ``kind`` decides the counting threshold under the newest rule."""

    id: str
    code: str
    name_zh: str
    name_en: str
    kind: KeyAreaKind
    sample: bool
    source: str
    effective_from: date
    effective_to: date | None = None


@dataclass(frozen=True, slots=True, eq=False)
class Catalogues:
    """Every catalogue entry known, all versions. Compared and hashed by identity (one object per loaded
    document), so a rule set per (date, catalogues) can be cached cheaply."""

    shortage_majors: tuple[ShortageMajorEntry, ...] = ()
    key_areas: tuple[KeyAreaEntry, ...] = ()


NO_CATALOGUES = Catalogues()
"""No catalogue loaded: no major or area scores."""


class CatalogueError(ValueError):
    """The catalogue document is malformed; the message names the bad value's path."""


_T = TypeVar("_T")


def _field(entry: Mapping[str, Any], key: str, kind: type[_T], path: str) -> _T:
    value = entry.get(key)
    if not isinstance(value, kind) or (kind is str and not value):
        raise CatalogueError(f"{path}.{key}: expected a non-empty {kind.__name__}, got {value!r}")
    return value


def _date(entry: Mapping[str, Any], key: str, path: str, *, optional: bool = False) -> date | None:
    value = entry.get(key)
    if value is None and optional:
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise CatalogueError(f"{path}.{key}: expected an ISO date, got {value!r}") from None


def _period(entry: Mapping[str, Any], path: str) -> tuple[date, date | None]:
    start = _date(entry, "effective_from", path)
    end = _date(entry, "effective_to", path, optional=True)
    assert start is not None
    if end is not None and end < start:
        raise CatalogueError(f"{path}: effective_to {end} is before effective_from {start}")
    return start, end


def _shortage_major(entry: Mapping[str, Any], path: str) -> ShortageMajorEntry:
    start, end = _period(entry, path)
    return ShortageMajorEntry(
        id=_field(entry, "id", str, path),
        code=_field(entry, "code", str, path),
        name=_field(entry, "name", str, path),
        name_en=_field(entry, "name_en", str, path),
        sample=_field(entry, "sample", bool, path),
        source=_field(entry, "source", str, path),
        effective_from=start,
        effective_to=end,
    )


def _key_area(entry: Mapping[str, Any], path: str) -> KeyAreaEntry:
    start, end = _period(entry, path)
    kind = _field(entry, "kind", str, path)
    if kind not in set(KeyAreaKind):
        raise CatalogueError(f"{path}.kind: expected one of {sorted(KeyAreaKind)}, got {kind!r}")
    return KeyAreaEntry(
        id=_field(entry, "id", str, path),
        code=_field(entry, "code", str, path),
        name_zh=_field(entry, "name_zh", str, path),
        name_en=_field(entry, "name_en", str, path),
        kind=KeyAreaKind(kind),
        sample=_field(entry, "sample", bool, path),
        source=_field(entry, "source", str, path),
        effective_from=start,
        effective_to=end,
    )


_E = TypeVar("_E", ShortageMajorEntry, KeyAreaEntry)


def _entries(
    data: Mapping[str, Any], key: str, read: Callable[[Mapping[str, Any], str], _E]
) -> tuple[_E, ...]:
    raw = data.get(key, [])
    if not isinstance(raw, list):
        raise CatalogueError(f"{key}: expected a list")
    out: list[_E] = []
    for index, entry in enumerate(raw):
        path = f"{key}[{index}]"
        if not isinstance(entry, Mapping):
            raise CatalogueError(f"{path}: expected an object")
        out.append(read(entry, path))
    ids = [e.id for e in out]
    if len(ids) != len(set(ids)):
        raise CatalogueError(f"{key}: entry ids must be unique")
    return tuple(out)


def catalogues_from_data(data: Mapping[str, Any]) -> Catalogues:
    """Parse a catalogue document: ``{"shortage_majors": [...], "key_areas": [...]}``."""
    return Catalogues(
        shortage_majors=_entries(data, "shortage_majors", _shortage_major),
        key_areas=_entries(data, "key_areas", _key_area),
    )

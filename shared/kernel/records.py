"""Converts the form's frozen dataclasses to and from plain records (JSON-compatible dicts).

Why: stored events must hold only values the eventsourcing transcoder understands, and ``date``,
``Enum`` and nested dataclasses are not among them. Every section event therefore carries a record
made of ``None``, ``bool``, ``int``, ``str``, lists and dicts; the aggregate keeps those records as
its state (so snapshots need no extra transcodings) and decodes them on read.

Encoding: enums by value, ``Decimal`` as a string, ``date``/``datetime`` in ISO format, ``UUID`` as a
string, tuples as lists. Decoding follows the dataclass field annotations. A key missing from a record
takes the field's default (so a field added later with a default reads old records); unknown keys are
ignored (so a removed field does not break old records).
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any, TypeVar
from uuid import UUID

Record = dict[str, Any]
"""A JSON-compatible mapping produced by ``to_record``."""

DataclassT = TypeVar("DataclassT")


class RecordDecodingError(ValueError):
    """A stored record does not match the dataclass it should decode to."""


def to_record(value: object) -> Record:
    """Encode a dataclass instance as a plain record."""
    if not dataclasses.is_dataclass(value) or isinstance(value, type):
        raise TypeError(f"expected a dataclass instance, got {type(value).__name__}")
    return {field.name: encode_value(getattr(value, field.name)) for field in dataclasses.fields(value)}


def encode_value(value: object) -> Any:
    """Encode one value (see the module docstring for the mapping)."""
    if value is None or (isinstance(value, bool | int | str) and not isinstance(value, Enum)):
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return to_record(value)
    if isinstance(value, tuple | list):
        return [encode_value(item) for item in value]
    raise TypeError(f"cannot encode a {type(value).__name__} in a record")


def from_record(cls: type[DataclassT], record: Mapping[str, Any]) -> DataclassT:
    """Decode a record produced by ``to_record`` back into an instance of ``cls``."""
    if not isinstance(record, Mapping):
        raise RecordDecodingError(f"{cls.__name__}: expected a mapping, got {type(record).__name__}")
    hints = _field_types(typing.cast(type, cls))
    kwargs: dict[str, Any] = {}
    for field in dataclasses.fields(cls):  # type: ignore[arg-type]
        if field.name not in record:
            continue  # the dataclass default applies
        kwargs[field.name] = decode_value(hints[field.name], record[field.name])
    try:
        return cls(**kwargs)
    except TypeError as error:
        raise RecordDecodingError(f"{cls.__name__}: {error}") from error


def decode_value(annotation: Any, data: Any) -> Any:
    """Decode one value according to a (resolved) type annotation."""
    origin = typing.get_origin(annotation)
    if annotation is Any:
        return data
    if origin in (typing.Union, types.UnionType):
        return _decode_union(typing.get_args(annotation), data)
    if origin is tuple:
        return _decode_tuple(typing.get_args(annotation), data)
    if origin is list:
        (item_type,) = typing.get_args(annotation)
        return [decode_value(item_type, item) for item in _as_list(data)]
    if isinstance(annotation, type):
        return _decode_plain(annotation, data)
    raise RecordDecodingError(f"unsupported annotation {annotation!r}")


def _decode_union(options: tuple[Any, ...], data: Any) -> Any:
    if data is None and type(None) in options:
        return None
    concrete = [option for option in options if option is not type(None)]
    if len(concrete) != 1:
        raise RecordDecodingError(f"ambiguous union {options!r}")
    return decode_value(concrete[0], data)


def _decode_tuple(item_types: tuple[Any, ...], data: Any) -> tuple[Any, ...]:
    items = _as_list(data)
    if len(item_types) == 2 and item_types[1] is Ellipsis:
        return tuple(decode_value(item_types[0], item) for item in items)
    if len(items) != len(item_types):
        raise RecordDecodingError(f"expected {len(item_types)} items, got {len(items)}")
    return tuple(decode_value(item_type, item) for item_type, item in zip(item_types, items, strict=True))


def _decode_plain(cls: type, data: Any) -> Any:
    if dataclasses.is_dataclass(cls):
        return from_record(cls, data)
    if issubclass(cls, Enum):
        return cls(data)
    if cls is datetime:
        return datetime.fromisoformat(_as_str(data))
    if cls is date:
        return date.fromisoformat(_as_str(data))
    if cls is Decimal:
        return Decimal(_as_str(data))
    if cls is UUID:
        return UUID(_as_str(data))
    if cls is bool:
        if not isinstance(data, bool):
            raise RecordDecodingError(f"expected a bool, got {data!r}")
        return data
    if cls is int:
        if isinstance(data, bool) or not isinstance(data, int):
            raise RecordDecodingError(f"expected an int, got {data!r}")
        return data
    if cls is str:
        return _as_str(data)
    raise RecordDecodingError(f"unsupported type {cls.__name__}")


def _as_str(data: Any) -> str:
    if not isinstance(data, str):
        raise RecordDecodingError(f"expected a string, got {data!r}")
    return data


def _as_list(data: Any) -> list[Any]:
    if not isinstance(data, list | tuple):
        raise RecordDecodingError(f"expected a list, got {data!r}")
    return list(data)


@functools.cache
def _field_types(cls: type) -> dict[str, Any]:
    """Resolved field annotations (modules use ``from __future__ import annotations``)."""
    return typing.get_type_hints(cls)

"""Registry of published event types: type name -> versioned pydantic payload model."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from pydantic import BaseModel


@dataclass(frozen=True)
class EventType:
    name: str
    """``jifen.<service>.<EventName>.v<N>``"""
    source: str
    topic: str
    model: type[BaseModel]
    description: str


M = TypeVar("M", bound=type[BaseModel])

_BY_NAME: dict[str, EventType] = {}
_BY_MODEL: dict[type[BaseModel], EventType] = {}


class UnknownEventType(KeyError):
    """The envelope names an event type no contract registers."""


def published(source: str, topic: str, version: int = 1) -> Callable[[M], M]:
    """Class decorator registering a payload model as event type ``jifen.<source>.<Class>.v<version>``."""

    def register(model: M) -> M:
        name = f"jifen.{source}.{model.__name__}.v{version}"
        if name in _BY_NAME and _BY_NAME[name].model is not model:
            raise ValueError(f"event type {name} registered twice")
        entry = EventType(name, source, topic, model, (model.__doc__ or "").strip())
        _BY_NAME[name] = entry
        _BY_MODEL[model] = entry
        return model

    return register


def payload_model(type_name: str) -> type[BaseModel]:
    try:
        return _BY_NAME[type_name].model
    except KeyError:
        raise UnknownEventType(type_name) from None


def type_of(model: type[BaseModel]) -> str:
    return event_type_of(model).name


def event_types() -> list[EventType]:
    return sorted(_BY_NAME.values(), key=lambda e: e.name)


def event_type_of(model: type[BaseModel]) -> EventType:
    """The registered event type (name, source, topic) of a payload model."""
    try:
        return _BY_MODEL[model]
    except KeyError:
        raise UnknownEventType(model.__name__) from None

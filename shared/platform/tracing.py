"""Correlation and causation ids, from the request (or the inbound message) into stored events.

A ``Trace`` is what caused the events being stored right now: the correlation id ties together
everything one user action sets off across services; the causation id names the one request or
message that directly caused them. It travels in a context variable:

* the web middleware sets it for each request (correlation: the request's correlation id;
  causation: the request id);
* the inbox sets it while an upstream message is applied (correlation: the message's; causation:
  the message's id);
* every service application's mapper stamps it on each event it stores (``TracingMapper``), so
  the outbox relay puts it on the published envelope without loading anything.

Events stored with no trace (a CLI command, a test) publish with their own event id for both.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

TRACE_KEY = "_trace"
"""Key of the trace in a stored event's state (and attribute of the decoded event)."""


@dataclass(frozen=True, slots=True)
class Trace:
    correlation_id: str
    causation_id: str

    def as_state(self) -> dict[str, str]:
        return {"correlation_id": self.correlation_id, "causation_id": self.causation_id}


current_trace: ContextVar[Trace | None] = ContextVar("jifen_trace", default=None)


@contextmanager
def traced(trace: Trace | None) -> Iterator[None]:
    """Store events under ``trace`` for the duration of the block (``None`` leaves the current one)."""
    if trace is None:
        yield
        return
    token = current_trace.set(trace)
    try:
        yield
    finally:
        current_trace.reset(token)


def trace_of(event: Any) -> Trace | None:
    """The trace a stored (and decoded) domain event was recorded under, if any."""
    state = getattr(event, "__dict__", {}).get(TRACE_KEY)
    if isinstance(state, dict):
        correlation, causation = state.get("correlation_id"), state.get("causation_id")
        if isinstance(correlation, str) and isinstance(causation, str):
            return Trace(correlation, causation)
    return None

"""The clerk directory (工作人员名录): who works at which district's centre, with which duties, and
whether the account is active. Accounts owns the clerk accounts; review keeps what its pages show
(names next to decisions, the district's staff list) from accounts' events."""

from __future__ import annotations

import uuid
from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

CLERK_NS = uuid.UUID("c3e1a9d2-4b6f-5a08-9d7e-1f2b3c4d5e6f")


class ClerkRecord(Aggregate):
    TOPIC = "review.ClerkRecord"

    class Event(Aggregate.Event):
        TOPIC = "review.ClerkRecord.Event"

    class Created(Aggregate.Created):
        TOPIC = "review.ClerkRecord.Created"

    class Listed(Aggregate.Created):
        TOPIC = "review.ClerkRecord.Listed"
        clerk_id: str
        username: str
        name: str
        district: str
        duties: list[str]
        at: datetime

    class Changed(Aggregate.Event):
        TOPIC = "review.ClerkRecord.Changed"
        username: str
        name: str
        district: str
        duties: list[str]
        at: datetime

    class Deactivated(Aggregate.Event):
        TOPIC = "review.ClerkRecord.Deactivated"
        at: datetime

    @staticmethod
    def create_id(clerk_id: str) -> UUID:
        return uuid.uuid5(CLERK_NS, clerk_id)

    @event(Listed)
    def __init__(
        self, clerk_id: str, username: str, name: str, district: str, duties: list[str], at: datetime
    ) -> None:
        self.clerk_id = clerk_id
        self._set(username, name, district, duties)
        self.active = True

    def _set(self, username: str, name: str, district: str, duties: list[str]) -> None:
        self.username = username
        self.name = name
        self.district = district
        self.duties = tuple(duties)

    def change(self, username: str, name: str, district: str, duties: list[str], at: datetime) -> None:
        if (username, name, district, tuple(duties)) != (
            self.username,
            self.name,
            self.district,
            self.duties,
        ):
            self._changed(username, name, district, duties, at)

    @event(Changed)
    def _changed(self, username: str, name: str, district: str, duties: list[str], at: datetime) -> None:
        self._set(username, name, district, duties)

    def deactivate(self, at: datetime) -> None:
        if self.active:
            self._deactivated(at)

    @event(Deactivated)
    def _deactivated(self, at: datetime) -> None:
        self.active = False

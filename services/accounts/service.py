"""The accounts service's eventsourcing application: units, persons, clerks, login and password resets.

Domain commands arrive with later issues.
"""

from __future__ import annotations

from uuid import UUID

from eventsourcing.application import Application


class AccountsService(Application[UUID]):
    name = "accounts"
    """Prefixes the tables (accounts_events, ...) and env lookups: never rename."""

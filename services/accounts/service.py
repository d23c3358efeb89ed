"""The accounts service's eventsourcing application: units, applicants, clerks, sign-in and password
resets.

Commands are its methods (load, decide, ``save``); queries by id read its repository. It applies
review's decisions (unit registrations, password-reset authorisations) through its INBOUND table.
"""

from __future__ import annotations

from shared.platform.application import ServiceApplication


class AccountsService(ServiceApplication):
    name = "accounts"
    """Prefixes the tables (accounts_events, accounts_tracking), env lookups and tracking names.

    Never rename it."""

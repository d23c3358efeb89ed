"""The applications service's eventsourcing application: the points application (积分申请), its form rules and
status machine.

Commands are its methods (load, decide, ``save``); queries by id read its repository. It applies
accounts' directory events and review's decisions through its INBOUND table; it is the single writer
of an application's status.
"""

from __future__ import annotations

from shared.platform.application import ServiceApplication


class ApplicationsService(ServiceApplication):
    name = "applications"
    """Prefixes the tables (applications_events, applications_tracking), env lookups and tracking names.

    Never rename it."""

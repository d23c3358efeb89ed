"""The documents service's eventsourcing application: the application form and points notice PDFs and their
verification.

Commands are its methods (load, decide, ``save``); queries by id read its repository. It applies the
applications' events it renders from through its INBOUND table.
"""

from __future__ import annotations

from shared.platform.application import ServiceApplication


class DocumentsService(ServiceApplication):
    name = "documents"
    """Prefixes the tables (documents_events, documents_tracking), env lookups and tracking names.

    Never rename it."""

"""The relay's position: a single-row eventsourcing ``Tracking`` in ``<app>_relay_tracking``."""

from __future__ import annotations

from collections.abc import Mapping

from eventsourcing.persistence import InfrastructureFactory, IntegrityError, Tracking, TrackingRecorder
from eventsourcing.utils import Environment

RELAY_TRACKING_NAME = "kafka-relay"

class RelayPosition:
    """The relay's position: a single-row ``Tracking`` in ``<app>_relay_tracking``.

    Owns its own infrastructure factory (and so its own small connection pool); close it.
    """

    def __init__(self, app_name: str, env: Mapping[str, str], name: str = RELAY_TRACKING_NAME) -> None:
        settings = dict(env)
        prefix = f"{app_name}_relay".upper()
        # A dedicated tiny pool (the relay writes one row per batch), unless configured otherwise
        # with <APP>_RELAY_POSTGRES_POOL_SIZE / _MAX_OVERFLOW.
        settings.setdefault(f"{prefix}_POSTGRES_POOL_SIZE", "1")
        settings.setdefault(f"{prefix}_POSTGRES_MAX_OVERFLOW", "1")
        self.factory = InfrastructureFactory.construct(Environment(f"{app_name}_relay", settings))
        self.recorder: TrackingRecorder = self.factory.tracking_recorder()
        self.name = name

    def read(self) -> int:
        return self.recorder.max_tracking_id(self.name) or 0

    def record(self, notification_id: int) -> None:
        """Raise the stored position to ``notification_id``; nothing to do if it is there already.

        Single-row tracking refuses an id at or below the stored one. After a lock loss the old
        relay (which has not noticed yet) may record acknowledged positions ahead of the new leader,
        which re-publishes from where it started: its lower positions are then already covered.
        """
        try:
            self.recorder.insert_tracking(Tracking(self.name, notification_id))
        except IntegrityError:
            if self.read() < notification_id:
                raise

    def reset(self) -> None:
        """Forget the position so that everything is published again (operators, fault tests).

        Single-row tracking only ever raises the stored id, so this deletes the row instead.
        Never run it while a relay is active.
        """
        from eventsourcing.postgres import PostgresTrackingRecorder
        from psycopg.sql import SQL, Identifier

        recorder = self.recorder
        if isinstance(recorder, PostgresTrackingRecorder):
            with recorder.datastore.transaction(commit=True) as curs:
                curs.execute(
                    SQL("DELETE FROM {0}.{1} WHERE application_name = %s").format(
                        Identifier(recorder.datastore.schema), Identifier(recorder.tracking_table_name)
                    ),
                    (self.name,),
                )
        else:  # POPO, for unit tests
            tracking = getattr(recorder, "_max_tracking_ids", None)
            if isinstance(tracking, dict):
                tracking.pop(self.name, None)
            else:  # pragma: no cover - depends on eventsourcing internals
                raise NotImplementedError(type(recorder).__name__)

    def close(self) -> None:
        self.factory.close()


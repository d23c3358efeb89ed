"""The applications service served for the browser tests: its worker and web app (``Running``) on a
throw-away schema and throw-away copies of the contract topics, behind a real HTTP server on a free
port, in a thread of its own (Playwright's sync API keeps the test thread's event loop).

Accounts' directory (the unit approved, its applicants registered) and review's decisions are published
on the bus as those services would; the clock stands on a weekday morning in Shanghai, when the
system is open and the form data of ``tests.unit.applications.builders`` are valid.
"""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Coroutine
from datetime import timedelta
from typing import Any
from uuid import UUID

import uvicorn
from pydantic import BaseModel

from shared.kernel.roles import Role
from shared.platform.integration import Sealing
from shared.platform.sealing import Keyring
from tests.support import applications as upstream
from tests.support.identities import id_number
from tests.support.world import Bus, Running, token_issuer
from tests.unit.applications.builders import (
    APPLICANT_BIRTH_DATE,
    APPLICANT_ID,
    AT,
    OTHER_PERSON_ID,
    OTHER_UNIT_ID,
    UNIT_ID,
)

APPLICANTS = {
    APPLICANT_ID: ("张伟", id_number(APPLICANT_BIRTH_DATE, 123)),
    OTHER_PERSON_ID: ("李强", id_number(APPLICANT_BIRTH_DATE, 125)),
}
"""The unit's two applicants (one journey each): name and ID number."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class ApplicationsSite:
    """``url``, the unit's token and each applicant's, ``publish`` (from the test thread), ``stop``."""

    def __init__(self, infra: Any) -> None:
        self.infra = infra
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        issuer = token_issuer(infra)
        self.unit_token = issuer.issue(
            account_id="unit-hr", role=Role.UNIT, unit_id=str(UNIT_ID), ttl=timedelta(hours=2)
        ).token
        self.applicant_tokens = {
            applicant: issuer.issue(
                account_id=str(applicant), role=Role.APPLICANT, unit_id=str(UNIT_ID), ttl=timedelta(hours=2)
            ).token
            for applicant in APPLICANTS
        }
        self._loop: asyncio.AbstractEventLoop | None = None
        self._ready = threading.Event()
        self._stop: asyncio.Event | None = None
        self._error: BaseException | None = None
        self._bus: Bus | None = None
        self._thread = threading.Thread(target=self._run, name="applications-site", daemon=True)

    def start(self) -> ApplicationsSite:
        self._thread.start()
        if not self._ready.wait(120) or self._error is not None:
            raise AssertionError(f"the applications site did not start: {self._error!r}")
        return self

    def _run(self) -> None:
        try:
            asyncio.run(self._serve())
        except BaseException as error:  # reported to the test thread
            self._error = error
            self._ready.set()

    async def _serve(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        async with Bus(self.infra) as bus, Running(self.infra, bus, "applications") as service:
            self._bus = bus
            sealing = Sealing(Keyring.from_file(self.infra.personal_data_key_file))
            await bus.publish(upstream.unit_approved(), subject=str(UNIT_ID))
            await bus.publish(upstream.other_unit_approved(), subject=str(OTHER_UNIT_ID))
            for applicant, (name, number) in APPLICANTS.items():
                registered = upstream.applicant_registered(
                    sealing, applicant_id=applicant, name=name, id_number=number
                )
                await bus.publish(registered, subject=str(applicant))
            async with service.application() as app:
                for applicant in APPLICANTS:
                    while await asyncio.to_thread(app.applicant, applicant) is None:
                        service.assert_running()
                        await asyncio.sleep(0.2)
            server = uvicorn.Server(
                uvicorn.Config(
                    service.web_app(clock=lambda: AT), host="127.0.0.1", port=self.port, log_level="warning"
                )
            )
            serving = asyncio.create_task(server.serve())
            while not server.started:
                await asyncio.sleep(0.05)
            self._ready.set()
            await self._stop.wait()
            server.should_exit = True
            await serving

    def publish(self, payload: BaseModel, subject: str) -> None:
        """Publish on the bus as the payload's source service would, and wait for it to be sent."""
        assert self._bus is not None
        self._call(self._bus.publish(payload, subject=subject))

    def _call(self, coroutine: Coroutine[Any, Any, Any]) -> Any:
        assert self._loop is not None
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(60)

    def stop(self) -> None:
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(60)


def application_id_of(url: str) -> UUID:
    """The application id in a page's URL (``/applications/<id>/...``)."""
    return UUID(url.split("/applications/", 1)[1].split("/", 1)[0])

"""Mail: a real SMTP sender, and the local mail sink's mailbox (what the sink stores, what the
development page and the tests read).

* ``SmtpSender`` sends through the configured server (``JIFEN_SMTP_HOST`` / ``_PORT`` / ``_SENDER``,
  ``JIFEN_SMTP_TLS`` = ``off`` | ``starttls`` | ``tls``, optional ``JIFEN_SMTP_USERNAME`` /
  ``_PASSWORD``) with the standard library's ``smtplib`` (blocking: ``send`` runs it in a thread).
  Each mail carries a ``Message-ID`` chosen by the caller (derived from the event that causes it), so
  a receiving system can recognise a repeat.
* ``MailboxHandler`` is the aiosmtpd handler of the local sink (``python -m deploy.mailsink``): every
  message it accepts becomes one ``.eml`` file in the sink's folder (written atomically).
* ``read_mailbox(folder)`` lists what the sink holds, oldest first.

Mail bodies may hold single-use codes: nothing here logs a body or a recipient.
"""

from __future__ import annotations

import logging
import os
import smtplib
import ssl
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import format_datetime, make_msgid, parsedate_to_datetime
from pathlib import Path
from typing import Any

import anyio

from shared.platform.settings import Settings

log = logging.getLogger("jifen.mail")


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str
    message_id: str
    """``<...@...>``; the same effect always gets the same id."""


class SmtpSender:
    def __init__(
        self,
        *,
        host: str,
        port: int,
        sender: str,
        tls: str = "off",
        username: str | None = None,
        password: str | None = None,
        timeout: float = 15.0,
    ) -> None:
        if tls not in ("off", "starttls", "tls"):
            raise ValueError(f"JIFEN_SMTP_TLS must be off, starttls or tls, not {tls!r}")
        self.host, self.port, self.sender, self.tls = host, port, sender, tls
        self.username, self._password, self.timeout = username, password, timeout

    @classmethod
    def from_settings(cls, settings: Settings) -> SmtpSender:
        return cls(
            host=settings.smtp_host,
            port=settings.smtp_port,
            sender=settings.smtp_sender,
            tls=settings.smtp_tls,
            username=settings.smtp_username,
            password=settings.smtp_password,
        )

    def message(self, mail: Mail) -> EmailMessage:
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = mail.to
        message["Subject"] = mail.subject
        message["Date"] = format_datetime(datetime.now(UTC))
        message["Message-ID"] = mail.message_id
        message.set_content(mail.body)
        return message

    def send_blocking(self, mail: Mail) -> None:
        message = self.message(mail)
        context = ssl.create_default_context()
        smtp: smtplib.SMTP
        if self.tls == "tls":
            smtp = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=context)
        else:
            smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        with smtp:
            if self.tls == "starttls":
                smtp.starttls(context=context)
            if self.username:
                smtp.login(self.username, self._password or "")
            smtp.send_message(message)
        log.info("mail sent", extra={"message_id": mail.message_id})

    async def send(self, mail: Mail) -> None:
        await anyio.to_thread.run_sync(self.send_blocking, mail)


def message_id(*parts: Any, domain: str = "jifen.accounts") -> str:
    """A deterministic ``Message-ID`` from what caused the mail (an event's id and version)."""
    return f"<{'.'.join(str(p) for p in parts)}@{domain}>" if parts else make_msgid(domain=domain)


# ------------------------------------------------------------------------------ the local sink


class MailboxHandler:
    """aiosmtpd handler: stores each accepted message as ``<folder>/<time>-<uuid>.eml``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        content = envelope.original_content or envelope.content
        data = content if isinstance(content, bytes) else str(content).encode()
        name = f"{time.time_ns():020d}-{uuid.uuid4().hex[:8]}.eml"
        tmp = self.folder / f".{name}.tmp"
        tmp.write_bytes(data)
        os.replace(tmp, self.folder / name)
        return "250 Message accepted for delivery"


@dataclass(frozen=True)
class StoredMail:
    name: str
    to: str
    sender: str
    subject: str
    body: str
    message_id: str
    date: datetime | None


def read_mailbox(folder: Path) -> list[StoredMail]:
    """What the sink stored in ``folder``, oldest first (empty when there is nothing yet)."""
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.glob("*.eml")):
        message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
        body = message.get_body(preferencelist=("plain",))
        date = message.get("Date")
        found.append(
            StoredMail(
                name=path.stem,
                to=str(message.get("To", "")),
                sender=str(message.get("From", "")),
                subject=str(message.get("Subject", "")),
                body=body.get_content() if body is not None else "",
                message_id=str(message.get("Message-ID", "")),
                date=parsedate_to_datetime(str(date)) if date else None,
            )
        )
    return found

"""An application's complete status history, from the public status topic, as a downstream system sees it.

    python -m tools.audit_trail <application number> [--follow] [--json] [--bootstrap HOST:PORT]

Reads ``jifen.applications.status.v1`` from the beginning with a consumer group of its own (a fresh one
each run, committing nothing, so every run sees everything) and prints each transition of the
application: time (Asia/Shanghai), previous and new status, who acted, why. ``--follow`` keeps printing
new transitions until Ctrl-C; ``--json`` prints one JSON object per line for machines.

It uses only the published contract (``shared.contracts``): what a school's or the social-insurance
system's consumer would do, never the services' databases. A message it cannot read is reported on
stderr and skipped.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any, TextIO

from pydantic import ValidationError

from shared.contracts.applications import ApplicationStatusChanged
from shared.contracts.envelope import Envelope
from shared.contracts.registry import type_of
from shared.contracts.topics import STATUS_TOPIC
from shared.kernel.moments import SHANGHAI
from shared.platform.settings import Environment

STATUS_TYPE = type_of(ApplicationStatusChanged)


@dataclass(frozen=True)
class Transition:
    """One step of the history: the envelope's ids and the contract payload."""

    envelope: Envelope
    change: ApplicationStatusChanged

    def as_json(self) -> dict[str, Any]:
        return {
            "event_id": str(self.envelope.id),
            "sequence": self.envelope.sequence,
            "correlation_id": self.envelope.correlationid,
            "causation_id": self.envelope.causationid,
            **self.change.model_dump(mode="json"),
        }

    def as_line(self, lang: str) -> str:
        change = self.change
        when = change.changed_at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S")
        before = change.previous_status.label.for_lang(lang) if change.previous_status else "—"
        after = change.new_status.label.for_lang(lang)
        actor = f"{change.actor.role.label.for_lang(lang)} {change.actor.id}"
        reason = f"  ({change.reason})" if change.reason else ""
        score = f"  [{change.verified_score}]" if change.verified_score is not None else ""
        return f"{when}  {before} → {after}  {actor}{score}{reason}"


async def transitions(
    application_number: str,
    *,
    bootstrap: str,
    topic: str = STATUS_TOPIC,
    follow: bool = False,
    on_unreadable: Callable[[str], None] = lambda _: None,
    idle_ms: int = 500,
) -> AsyncIterator[Transition]:
    """The application's transitions in topic order; without ``follow``, up to the topic's end as it
    was when reading started."""
    from aiokafka import AIOKafkaConsumer

    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap,
        group_id=f"audit-trail.{uuid.uuid4().hex}",  # a group of its own: from the beginning, every run
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        client_id="jifen-audit-trail",
    )
    await consumer.start()
    try:
        if topic not in await consumer.topics():
            raise SystemExit(f"topic {topic} does not exist on {bootstrap}")
        consumer.subscribe([topic])
        ends: dict[Any, int] | None = None
        while True:
            batch = await consumer.getmany(timeout_ms=idle_ms)
            for records in batch.values():
                for record in records:
                    found = _read(record.value, application_number, on_unreadable)
                    if found is not None:
                        yield found
            if follow:
                continue
            assigned = consumer.assignment()
            if not assigned:
                continue  # the group is still being formed
            if ends is None:
                ends = await consumer.end_offsets(list(assigned))
            positions = [await consumer.position(tp) for tp in assigned]
            if all(position >= ends[tp] for tp, position in zip(assigned, positions, strict=True)):
                return
    finally:
        await consumer.stop()


def _read(
    value: bytes | None, application_number: str, on_unreadable: Callable[[str], None]
) -> Transition | None:
    try:
        envelope = Envelope.model_validate_json(value or b"")
    except ValidationError as exc:
        on_unreadable(f"skipped a message that is not an envelope: {exc.errors()[0].get('msg', '')}")
        return None
    if envelope.type != STATUS_TYPE:
        return None
    try:
        change = ApplicationStatusChanged.model_validate(envelope.data)
    except ValidationError as exc:
        on_unreadable(f"skipped {envelope.id}: {exc.errors()[0].get('msg', '')}")
        return None
    if change.application_number != application_number:
        return None
    return Transition(envelope, change)


async def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    lang = "en" if args.lang == "en" else "zh-CN"
    seen = 0

    def unreadable(text: str) -> None:
        print(text, file=err)

    async for transition in transitions(
        args.application_number,
        bootstrap=args.bootstrap,
        topic=args.topic,
        follow=args.follow,
        on_unreadable=unreadable,
    ):
        seen += 1
        line = json.dumps(transition.as_json(), ensure_ascii=False) if args.json else transition.as_line(lang)
        print(line, file=out, flush=True)
    if not seen and not args.json:
        print(f"no transitions of {args.application_number} on {args.topic}", file=err)
    return 0 if seen else 1


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m tools.audit_trail",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("application_number", help="流水号 of the application")
    p.add_argument("--follow", action="store_true", help="keep printing new transitions until Ctrl-C")
    p.add_argument("--json", action="store_true", help="one JSON object per transition")
    p.add_argument("--lang", choices=["zh-CN", "en"], default="zh-CN", help="language of the labels")
    p.add_argument(
        "--bootstrap",
        default=Environment.read().kafka_bootstrap,
        help="Kafka bootstrap servers (default: JIFEN_KAFKA_BOOTSTRAP, else the local broker)",
    )
    p.add_argument("--topic", default=STATUS_TOPIC, help=f"the status topic (default {STATUS_TOPIC})")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return asyncio.run(run(args, sys.stdout, sys.stderr))
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())

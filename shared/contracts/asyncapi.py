"""Export the published language as JSON Schema and an AsyncAPI 3.0 document.

``python -m shared.contracts.asyncapi`` writes ``docs/asyncapi.json`` and ``docs/schemas/*.json``;
a contract test fails when the committed files drift from the code.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import shared.contracts  # noqa: F401  (registers every event type)
from shared.contracts.envelope import Envelope
from shared.contracts.registry import event_types
from shared.contracts.topics import TOPICS

DOCS = Path(__file__).resolve().parents[2] / "docs"


def _message_key(type_name: str) -> str:
    return type_name.replace(".", "_")


def payload_schemas() -> dict[str, dict[str, Any]]:
    """JSON Schema of each event type's ``data``, keyed by event type."""
    return {e.name: e.model.model_json_schema() for e in event_types()}


def build_asyncapi() -> dict[str, Any]:
    envelope_schema = Envelope.model_json_schema()
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    for spec in TOPICS:
        channel_key = spec.name.replace(".", "_")
        channel_messages: dict[str, Any] = {}
        for event in (e for e in event_types() if e.topic == spec.name):
            key = _message_key(event.name)
            messages[key] = {
                "name": event.name,
                "title": event.model.__name__,
                "summary": " ".join(event.description.split("\n\n")[0].split())
                if event.description
                else event.name,
                "description": event.description,
                "contentType": "application/json",
                "headers": {
                    "type": "object",
                    "properties": {
                        "ce_type": {"type": "string", "const": event.name},
                        "ce_source": {"type": "string", "const": event.source},
                        "ce_id": {"type": "string"},
                        "sequence": {"type": "string"},
                        "correlation_id": {"type": "string"},
                    },
                },
                "payload": {
                    "allOf": [
                        {"$ref": "#/components/schemas/Envelope"},
                        {
                            "type": "object",
                            "properties": {
                                "type": {"const": event.name},
                                "data": {"$ref": f"#/components/schemas/{key}"},
                            },
                        },
                    ]
                },
                "bindings": {"kafka": {"key": {"type": "string", "description": "aggregate id"}}},
            }
            channel_messages[key] = {"$ref": f"#/components/messages/{key}"}
        channels[channel_key] = {
            "address": spec.name,
            "description": f"{spec.partitions} partitions; key = aggregate id"
            + ("; retention unlimited" if spec.retention_ms == -1 else ""),
            "messages": channel_messages,
            "bindings": {"kafka": {"topic": spec.name, "partitions": spec.partitions}},
        }
        if channel_messages:
            operations[f"publish_{channel_key}"] = {
                "action": "send",
                "channel": {"$ref": f"#/channels/{channel_key}"},
                "messages": [{"$ref": f"#/channels/{channel_key}/messages/{k}"} for k in channel_messages],
            }
    schemas: dict[str, Any] = {"Envelope": envelope_schema}
    for name, schema in payload_schemas().items():
        schemas[_message_key(name)] = schema
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "Jifen events",
            "version": "1.0.0",
            "description": "Integration events of the Shanghai residence-permit points system. "
            "Every message is a CloudEvents 1.0 structured JSON envelope; `data` is the versioned payload.",
        },
        "defaultContentType": "application/json",
        "servers": {"local": {"host": "127.0.0.1:19092", "protocol": "kafka"}},
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages, "schemas": schemas},
    }


def render() -> dict[Path, str]:
    """Every generated document, by path, as committed text."""
    files = {DOCS / "asyncapi.json": json.dumps(build_asyncapi(), indent=2, ensure_ascii=False) + "\n"}
    for name, schema in payload_schemas().items():
        files[DOCS / "schemas" / f"{name}.json"] = json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
    return files


def main() -> int:
    for path, text in render().items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(path.relative_to(DOCS.parent), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

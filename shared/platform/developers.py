"""For developers, on every service: the AsyncAPI document of all topics and a page to browse it.

* ``GET /api/<service>/asyncapi.json``: the AsyncAPI 3.0 document of every topic and event type (the
  same document as ``docs/asyncapi.json``; the published language is shared by all services).
* ``GET /<service>/developers``: a server-rendered page linking every service's JSON API (its Swagger
  UI and OpenAPI document) and listing every topic with its event types and their fields, readable
  without JavaScript and without any CDN.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from litestar import get
from litestar.handlers import HTTPRouteHandler
from litestar.response import Template

from shared.contracts.asyncapi import build_asyncapi
from shared.contracts.topics import SERVICES


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    required: bool
    description: str


@dataclass(frozen=True)
class Message:
    type: str
    title: str
    summary: str
    description: str
    fields: tuple[Field, ...]


@dataclass(frozen=True)
class Channel:
    address: str
    description: str
    messages: tuple[Message, ...]


@cache
def asyncapi() -> dict[str, Any]:
    return build_asyncapi()


def _type(schema: dict[str, Any]) -> str:
    """A JSON Schema's type in a few words (``str``, ``list[ScoreLine]``, ``int | null``...)."""
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    if "enum" in schema:
        return " | ".join(str(v) for v in schema["enum"])
    if "const" in schema:
        return repr(schema["const"])
    for key in ("anyOf", "oneOf"):
        if key in schema:
            return " | ".join(_type(option) for option in schema[key])
    kind = schema.get("type", "object")
    if kind == "array":
        return f"list[{_type(schema.get('items', {}))}]"
    if kind == "string" and "format" in schema:
        return f"string ({schema['format']})"
    return str(kind)


def _fields(schema: dict[str, Any]) -> tuple[Field, ...]:
    required = set(schema.get("required", ()))
    return tuple(
        Field(name, _type(prop), name in required, str(prop.get("description", "")))
        for name, prop in schema.get("properties", {}).items()
    )


@cache
def channels() -> tuple[Channel, ...]:
    """Every topic with its event types and their payload fields, from the AsyncAPI document."""
    document = asyncapi()
    messages = document["components"]["messages"]
    schemas = document["components"]["schemas"]
    result = []
    for channel in document["channels"].values():
        found = []
        for ref in channel["messages"].values():
            message = messages[ref["$ref"].rsplit("/", 1)[-1]]
            data_ref = message["payload"]["allOf"][1]["properties"]["data"]["$ref"]
            schema = schemas[data_ref.rsplit("/", 1)[-1]]
            found.append(
                Message(
                    message["name"],
                    message["title"],
                    message["summary"],
                    message.get("description", ""),
                    _fields(schema),
                )
            )
        result.append(Channel(channel["address"], channel["description"], tuple(found)))
    return tuple(result)


def developer_handlers(service: str) -> list[HTTPRouteHandler]:
    @get(
        f"/api/{service}/asyncapi.json",
        operation_id="GetAsyncApiDocument",
        summary="AsyncAPI 3.0 document of every topic and event type",
        tags=["service"],
        exclude_from_auth=True,
        security=[{}],
        sync_to_thread=False,
    )
    def asyncapi_document() -> dict[str, Any]:
        return asyncapi()

    @get(f"/{service}/developers", exclude_from_auth=True, include_in_schema=False, sync_to_thread=False)
    def developers_page() -> Template:
        from shared.platform.web import page

        return page("developers.html", services=SERVICES, channels=channels(), this_service=service)

    return [asyncapi_document, developers_page]

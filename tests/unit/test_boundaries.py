"""Architecture boundaries (ARCHITECTURE.md §2), checked by walking every module's imports with ``ast``.

- A service never imports another service (they talk through Kafka and ``shared.contracts``).
- ``services/<name>/domain/`` imports only the standard library, ``eventsourcing.domain`` and its own
  domain package: no framework, no I/O, not even ``shared``.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SERVICES_DIR = REPO / "services"
SERVICES = sorted(p.name for p in SERVICES_DIR.iterdir() if (p / "__init__.py").is_file())
STDLIB = frozenset(sys.stdlib_module_names) | {"__future__"}


@dataclass(frozen=True)
class Import:
    module: str  # the importing module, dotted
    path: Path
    line: int
    target: str  # the imported module, dotted and absolute

    def __str__(self) -> str:
        return f"{self.path.relative_to(REPO)}:{self.line}: {self.module} imports {self.target}"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def resolve_relative(module: str, is_package: bool, level: int, name: str | None) -> str:
    base = module.split(".")
    if not is_package:
        base = base[:-1]
    base = base[: len(base) - (level - 1)] if level > 1 else base
    return ".".join([*base, name] if name else base)


def imports_of(path: Path, source: str | None = None) -> Iterator[Import]:
    """Every import in the module at ``path``, as absolute dotted names.

    ``from a.b import c`` is reported as ``a.b.c`` (c may be a module or a name in a.b; either way the
    prefix checks below see ``a.b``), so ``from services import review`` is caught too.
    """
    module = module_name(path)
    is_package = path.name == "__init__.py"
    text = path.read_text(encoding="utf-8") if source is None else source
    for node in ast.walk(ast.parse(text, filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(module, path, node.lineno, alias.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = resolve_relative(module, is_package, node.level, node.module)
            else:
                base = node.module or ""
            for alias in node.names:
                target = base if alias.name == "*" else f"{base}.{alias.name}"
                yield Import(module, path, node.lineno, target)


def service_modules() -> list[Path]:
    return sorted(p for p in SERVICES_DIR.rglob("*.py") if "templates" not in p.parts)


def owning_service(dotted: str) -> str | None:
    parts = dotted.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "services" and parts[1] in SERVICES else None


def test_the_walk_finds_every_service() -> None:
    assert set(SERVICES) >= {"accounts", "applications", "review", "documents"}
    assert any(p.name == "app.py" for p in service_modules())


def test_a_service_never_imports_another_service() -> None:
    violations = [
        str(imp)
        for path in service_modules()
        for imp in imports_of(path)
        if (target := owning_service(imp.target)) is not None and target != owning_service(imp.module)
    ]
    assert not violations, "cross-service imports:\n" + "\n".join(violations)


def allowed_in_domain(target: str, service: str) -> bool:
    top = target.split(".")[0]
    own_domain = f"services.{service}.domain"
    return (
        top in STDLIB
        or target == "eventsourcing.domain"
        or target.startswith("eventsourcing.domain.")
        or target == own_domain
        or target.startswith(own_domain + ".")
    )


def domain_imports() -> Iterator[tuple[str, Import]]:
    for service in SERVICES:
        for path in sorted((SERVICES_DIR / service / "domain").rglob("*.py")):
            for imp in imports_of(path):
                yield service, imp


def test_domain_code_imports_only_the_standard_library_and_eventsourcing_domain() -> None:
    violations = [str(imp) for service, imp in domain_imports() if not allowed_in_domain(imp.target, service)]
    assert not violations, "domain/ must stay free of frameworks and I/O:\n" + "\n".join(violations)


@pytest.mark.parametrize(
    ("source", "target", "allowed"),
    [
        ("import datetime", "datetime", True),
        ("from typing import Any", "typing.Any", True),
        ("from eventsourcing.domain import Aggregate", "eventsourcing.domain.Aggregate", True),
        ("from eventsourcing import domain", "eventsourcing.domain", True),
        ("from eventsourcing.application import Application", "eventsourcing.application.Application", False),
        ("from services.accounts.domain.errors import X", "services.accounts.domain.errors.X", True),
        ("from services.review.domain import Case", "services.review.domain.Case", False),
        ("from shared.contracts import topics", "shared.contracts.topics", False),
        ("import asyncpg", "asyncpg", False),
        ("from . import errors", "services.accounts.domain.errors", True),
        ("from ..http import pages", "services.accounts.http.pages", False),
    ],
)
def test_the_domain_rule_resolves_relative_imports_and_names_the_import(
    source: str, target: str, allowed: bool
) -> None:
    probe = REPO / "services" / "accounts" / "domain" / "probe.py"
    [imp] = list(imports_of(probe, source))
    assert imp.target == target
    assert str(imp) == f"services/accounts/domain/probe.py:1: services.accounts.domain.probe imports {target}"
    assert allowed_in_domain(imp.target, "accounts") is allowed


def test_a_cross_service_import_is_reported_with_module_and_target() -> None:
    probe = REPO / "services" / "accounts" / "http" / "probe.py"
    [imp] = list(imports_of(probe, "from services import review"))
    assert owning_service(imp.target) == "review"
    assert owning_service(imp.module) == "accounts"

"""review/domain may import only the standard library, eventsourcing.domain and itself."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import services.review.domain as package

ALLOWED_PREFIXES = ("eventsourcing.domain", "services.review.domain")


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_review_domain_imports_only_stdlib_and_eventsourcing_domain() -> None:
    root = Path(package.__file__).parent
    offenders = {
        f"{path.name}: {name}"
        for path in root.rglob("*.py")
        for name in imported_modules(path)
        if name.split(".")[0] not in sys.stdlib_module_names and not name.startswith(ALLOWED_PREFIXES)
    }
    assert offenders == set()

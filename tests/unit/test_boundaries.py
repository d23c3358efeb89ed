"""Architecture boundaries (ARCHITECTURE.md §2), checked by import-linter with the contracts in
pyproject.toml: no service imports another; ``shared`` never imports ``services``; a service's
``domain/`` imports only the standard library, ``eventsourcing.domain`` and ``shared.kernel``; the
kernel imports only the standard library.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import grimp
from importlinter.application.output import console

from tests.import_contracts import AllowlistContract

REPO = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def test_every_import_contract_in_pyproject_is_kept() -> None:
    run = subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "4 kept, 0 broken" in run.stdout


def domain_graph() -> grimp.ImportGraph:
    """A small graph: one domain package importing the standard library, its own module, the kernel,
    eventsourcing.domain, a framework and eventsourcing's persistence."""
    graph = grimp.ImportGraph()
    for module in ("svc", "svc.domain", "svc.domain.model", "svc.domain.rules", "svc.http", "kernel",
                   "kernel.text", "eventsourcing", "eventsourcing.domain", "eventsourcing.persistence",
                   "litestar", "datetime"):  # fmt: skip
        graph.add_module(module)
    for imported in ("datetime", "svc.domain.rules", "kernel.text", "eventsourcing.domain"):
        graph.add_import(importer="svc.domain.model", imported=imported, line_number=1, line_contents="")
    graph.add_import(importer="svc.domain.rules", imported="litestar", line_number=7, line_contents="")
    graph.add_import(
        importer="svc.domain.rules", imported="eventsourcing.persistence", line_number=8, line_contents=""
    )
    graph.add_import(importer="svc.http", imported="litestar", line_number=3, line_contents="")
    return graph


def allowlist(**options: object) -> AllowlistContract:
    return AllowlistContract("test allow-list", session_options={}, contract_options=dict(options))


def test_the_allowlist_refuses_every_import_outside_the_standard_library_the_package_and_the_allowed() -> (
    None
):
    contract = allowlist(source_modules=["svc.*"], allowed_modules=["kernel", "eventsourcing.domain"])
    check = contract.check(domain_graph(), verbose=False)
    assert not check.kept
    assert [(v["importer"], v["imported"], v["line_numbers"]) for v in check.metadata["violations"]] == [
        ("svc.domain.rules", "eventsourcing.persistence", [8]),
        ("svc.domain.rules", "litestar", [7]),
        ("svc.http", "litestar", [3]),
    ]


def test_the_allowlist_keeps_a_package_that_imports_only_what_it_may() -> None:
    graph = domain_graph()
    for imported in ("litestar", "eventsourcing.persistence"):
        graph.remove_import(importer="svc.domain.rules", imported=imported)
    contract = allowlist(source_modules=["svc.domain"], allowed_modules=["kernel", "eventsourcing.domain"])
    assert contract.check(graph, verbose=False).kept


def test_a_broken_allowlist_names_the_importer_the_import_and_the_line() -> None:
    contract = allowlist(source_modules=["svc.domain"], allowed_modules=["kernel"])
    check = contract.check(domain_graph(), verbose=False)
    with console.capture() as captured:
        contract.render_broken_contract(check)
    assert "svc.domain.rules -> litestar (l.7)" in captured.get()
    assert "svc.domain.model -> eventsourcing.domain (l.1)" in captured.get()

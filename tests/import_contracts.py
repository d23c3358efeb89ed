"""An import-linter contract type for allow-lists: "these packages import only the standard library
and the listed modules".

import-linter's own contract types forbid named modules; a pure layer (``services/<name>/domain``,
``shared.kernel``) is defined by what it *may* import, so that a new third-party dependency is refused
without anyone remembering to forbid it. This type checks every direct import of every module in each
source package (found by import-linter's expressions, e.g. ``services.*.domain``) against the standard
library, the package itself and ``allowed_modules`` (each with its descendants). The contracts
themselves are in ``pyproject.toml`` (``[tool.importlinter]``); ``lint-imports`` runs them.
"""

from __future__ import annotations

import sys
from typing import Any, cast

from grimp import ImportGraph
from importlinter import Contract, ContractCheck, fields, output
from importlinter.domain.helpers import module_expressions_to_modules
from importlinter.domain.imports import ModuleExpression

STANDARD_LIBRARY = frozenset(sys.stdlib_module_names) | {"__future__"}


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


class AllowlistContract(Contract):
    """Source packages import only the standard library, themselves and the allowed modules.

    Configuration options:
        - source_modules:  module expressions of the packages to check (wildcards allowed).
        - allowed_modules: the modules (with their descendants) they may import besides the standard
                           library and themselves. The graph must hold them as modules, so an allowed
                           part of a third-party package needs that package among the root packages.
    """

    type_name = "allowlist"

    source_modules = fields.SetField(subfield=fields.ModuleExpressionField())
    allowed_modules = fields.SetField(subfield=fields.ModuleExpressionField(), required=False)

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        sources = self._modules(graph, self.source_modules)
        allowed = self._modules(graph, self.allowed_modules or set())
        violations: list[dict[str, Any]] = []
        for package in sources:
            for importer in sorted({package} | graph.find_descendants(package)):
                for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                    if (
                        imported.split(".")[0] in STANDARD_LIBRARY
                        or _within(imported, package)
                        or any(_within(imported, name) for name in allowed)
                    ):
                        continue
                    details = graph.get_import_details(importer=importer, imported=imported)
                    violations.append(
                        {
                            "importer": importer,
                            "imported": imported,
                            "line_numbers": [detail["line_number"] for detail in details],
                        }
                    )
                    output.verbose_print(verbose, f"{importer} imports {imported}: not allowed")
        return ContractCheck(kept=not violations, metadata={"violations": violations})

    @staticmethod
    def _modules(graph: ImportGraph, expressions: object) -> list[str]:
        """The names of the modules the expressions match; an expression that matches none is an error
        in the contract (a misspelt package would otherwise allow nothing, or check nothing)."""
        matched = module_expressions_to_modules(
            graph, cast(set[ModuleExpression], expressions), raise_if_unmatched=True
        )
        return sorted(module.name for module in matched)

    def render_broken_contract(self, check: ContractCheck) -> None:
        for violation in check.metadata["violations"]:
            lines = ", ".join(f"l.{number}" for number in violation["line_numbers"])
            output.print_error(f"{violation['importer']} -> {violation['imported']} ({lines})", bold=False)
        output.new_line()

"""Accessibility checks for the browser tests: axe-core (installed from npm by deploy/setup.sh) run on a
page by Playwright; any serious or critical violation fails the test with what and where.

The pages' Content-Security-Policy forbids inline scripts, so axe is evaluated through the browser's
debugging protocol (``page.evaluate``), which the policy does not govern, and nothing is added to the
page itself.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")


@cache
def axe_source() -> str:
    if not AXE.is_file():
        raise AssertionError(f"{AXE} is missing: run deploy/setup.sh (it runs npm ci)")
    return AXE.read_text(encoding="utf-8")


def violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page as it is now (WCAG 2.x A and AA)."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    found: list[dict[str, Any]] = page.evaluate(
        """async () => {
            const result = await window.axe.run(document, {
                runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
            });
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.slice(0, 5).map(n => n.target.join(' ')),
            }));
        }"""
    )
    return [v for v in found if v.get("impact") in BLOCKING]


def assert_accessible(page: Page, what: str) -> None:
    """No serious or critical axe-core violation on ``page`` (``what`` names it in the failure)."""
    found = violations(page)
    assert not found, f"{what}: " + "; ".join(
        f"{v['id']} ({v['impact']}): {v['help']} at {v['targets']}" for v in found
    )

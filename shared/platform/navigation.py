"""The portal's one navigation, the same on every service's pages (``shared/ui`` base layout).

What it holds depends on who is signed in: an anonymous visitor gets the portal home, the public
simulator, verify-a-notice and sign-in; a unit its applications dashboard and its account; an
applicant their application and their account; a clerk the district dashboard and the queues and
desks their duties open (an administrator also the clerk accounts). The design-system showcase is for
developers (linked from the developers page), never here.

The current section is the item whose address matches the request best: the longest path that is
the request's path or a parent of it, whose query parameters (``/review/cases?queue=approval``) the
request also carries. A page that belongs to a section its address does not show (a case page in
the queue it waits in) names it: ``{% set nav_current = "/review/cases?queue=approval" %}``. The
current item is marked ``aria-current="page"`` by the layout.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from shared.kernel.roles import Duty, Role
from shared.platform.auth import Principal


@dataclass(frozen=True, slots=True)
class Section:
    """One navigation entry: its address and the message key of its text."""

    href: str
    text_key: str

    def match(self, path: str, query: Mapping[str, str]) -> tuple[int, int] | None:
        """How well the request (``path``, ``query``) falls in this section; None when it does not."""
        parts = urlsplit(self.href)
        base = parts.path.rstrip("/")
        if path.rstrip("/") != base and not path.startswith(base + "/"):
            return None
        wanted = dict(parse_qsl(parts.query))
        if any(query.get(name) != value for name, value in wanted.items()):
            return None
        return len(base), len(wanted)


@dataclass(frozen=True, slots=True)
class NavItem:
    href: str
    text_key: str
    current: bool


SIMULATOR = Section("/applications/simulator", "nav.simulator")
VERIFY = Section("/documents/verify", "nav.verify")

ANONYMOUS = (
    Section("/accounts/", "nav.home"),
    SIMULATOR,
    VERIFY,
    Section("/accounts/login", "nav.sign_in"),
)
UNIT = (
    Section("/applications/unit", "nav.unit_dashboard"),
    Section("/accounts/unit", "nav.unit_account"),
    SIMULATOR,
    VERIFY,
)
APPLICANT = (
    Section("/applications/mine", "nav.my_application"),
    Section("/accounts/me", "nav.my_account"),
    SIMULATOR,
)
CLERK_DESKS: tuple[tuple[Duty, Section], ...] = (
    (Duty.ACCEPTANCE, Section("/review/cases?queue=acceptance", "nav.acceptance")),
    (Duty.APPROVAL, Section("/review/cases?queue=approval", "nav.approval")),
    (Duty.ACCEPTANCE, Section("/review/cases?queue=withdrawal", "nav.withdrawal")),
    (Duty.UNIT_REGISTRATION, Section("/review/units", "nav.units")),
    (Duty.PASSWORD_RESET, Section("/review/password-resets", "nav.resets")),
    (Duty.ADMINISTRATOR, Section("/accounts/clerks", "nav.clerk_accounts")),
)


def sections_for(who: Principal | None) -> tuple[Section, ...]:
    """The navigation of ``who`` (None: an anonymous visitor)."""
    if who is None:
        return ANONYMOUS
    if who.role is Role.UNIT:
        return UNIT
    if who.role is Role.APPLICANT:
        return APPLICANT
    if who.role is Role.CLERK:
        desks = tuple(section for duty, section in CLERK_DESKS if duty in who.duties)
        return (
            Section("/review/", "nav.review_dashboard"),
            *desks,
            Section("/review/clerks", "nav.clerk_directory"),
            Section("/accounts/clerk", "nav.clerk_account"),
        )
    return ()


def navigation(
    who: Principal | None, path: str, query: Mapping[str, str], named: str | None = None
) -> list[NavItem]:
    """The entries of ``who``'s navigation, the one the request is in (or the ``named`` one, when
    it is there) marked current."""
    sections = sections_for(who)
    hrefs = [section.href for section in sections]
    if named in hrefs:
        current = hrefs.index(named)
    else:
        scores = [section.match(path, query) for section in sections]
        best = max((score for score in scores if score is not None), default=None)
        current = scores.index(best) if best is not None else -1
    return [
        NavItem(section.href, section.text_key, index == current) for index, section in enumerate(sections)
    ]

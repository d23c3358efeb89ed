"""The portal's one navigation: what each kind of user gets and which section is current."""

from __future__ import annotations

import pytest

from shared.kernel.roles import Duty, Role
from shared.platform.auth import Principal
from shared.platform.navigation import navigation

CLERK = Principal(
    "c1", Role.CLERK, district="310115", duties=frozenset({Duty.ACCEPTANCE, Duty.ADMINISTRATOR})
)


def hrefs(who: Principal | None) -> list[str]:
    return [item.href for item in navigation(who, "/", {})]


def current(
    who: Principal | None, path: str, query: dict[str, str] | None = None, named: str | None = None
) -> str:
    marked = [item.href for item in navigation(who, path, query or {}, named) if item.current]
    assert len(marked) <= 1
    return marked[0] if marked else ""


def test_a_visitor_gets_the_home_the_simulator_verify_and_sign_in_and_never_the_design_system() -> None:
    assert hrefs(None) == ["/accounts/", "/applications/simulator", "/documents/verify", "/accounts/login"]
    for who in (None, Principal("u1", Role.UNIT), Principal("p1", Role.APPLICANT), CLERK):
        assert "/accounts/design-system" not in hrefs(who)


def test_a_clerk_gets_the_desks_of_their_duties_only() -> None:
    assert hrefs(CLERK) == [
        "/review/",
        "/review/cases?queue=acceptance",
        "/review/cases?queue=withdrawal",
        "/accounts/clerks",
        "/review/clerks",
        "/accounts/clerk",
    ]
    approver = Principal("c2", Role.CLERK, district="310115", duties=frozenset({Duty.APPROVAL}))
    assert "/review/cases?queue=approval" in hrefs(approver)
    assert "/review/cases?queue=acceptance" not in hrefs(approver)


@pytest.mark.parametrize(
    ("path", "query", "expected"),
    [
        ("/review/", {}, "/review/"),
        ("/review/cases", {"queue": "acceptance"}, "/review/cases?queue=acceptance"),
        ("/review/cases", {"queue": "withdrawal", "page": "2"}, "/review/cases?queue=withdrawal"),
        ("/review/cases", {"queue": "decided"}, "/review/"),
        ("/accounts/clerks/abc", {}, "/accounts/clerks"),
        ("/applications/simulator", {}, ""),
    ],
)
def test_the_current_section_is_the_best_match_of_the_address(
    path: str, query: dict[str, str], expected: str
) -> None:
    assert current(CLERK, path, query) == expected


def test_a_page_may_name_its_section_when_its_address_does_not_show_it() -> None:
    case = "/review/cases/5f1c"
    assert current(CLERK, case) == "/review/"
    assert current(CLERK, case, named="/review/cases?queue=acceptance") == "/review/cases?queue=acceptance"
    assert current(CLERK, case, named="/not/in/the/nav") == "/review/"


def test_the_visitors_sign_in_section_wins_over_the_portal_home_below_it() -> None:
    assert current(None, "/accounts/login/unit") == "/accounts/login"
    assert current(None, "/accounts/register") == "/accounts/"

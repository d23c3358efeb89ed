"""Every list is paged the same way: twenty rows a page from page 1, links that keep the filters."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from litestar import Litestar, get
from litestar.params import FromQuery
from litestar.response import Template
from litestar.testing import AsyncTestClient

from shared.platform.auth import TokenVerifier
from shared.platform.paging import MAX_PAGE, PAGE_SIZE, Page, like_literal, limit_offset, page_count
from shared.platform.settings import Settings
from shared.platform.web import create_service_app

pytestmark = pytest.mark.anyio


def test_a_list_has_as_many_pages_as_twenty_rows_fill_and_an_empty_one_has_one() -> None:
    assert [page_count(n) for n in (0, 1, PAGE_SIZE, PAGE_SIZE + 1, 3 * PAGE_SIZE)] == [1, 1, 1, 2, 3]


def test_a_page_below_the_first_is_the_first() -> None:
    assert limit_offset(3) == f" LIMIT {PAGE_SIZE} OFFSET {2 * PAGE_SIZE}"
    assert limit_offset(0) == limit_offset(-4) == f" LIMIT {PAGE_SIZE} OFFSET 0"


def test_a_page_number_beyond_any_list_reads_as_the_last_possible_one_and_fits_postgresql() -> None:
    last = f" LIMIT {PAGE_SIZE} OFFSET {(MAX_PAGE - 1) * PAGE_SIZE}"
    assert limit_offset(10**30) == limit_offset(MAX_PAGE) == last
    assert (MAX_PAGE - 1) * PAGE_SIZE < 2**63


def test_a_search_text_matches_literally_even_with_wildcards_in_it() -> None:
    assert like_literal(r"50%_off\x") == r"50\%\_off\\x"


@get("/review/list", exclude_from_auth=True)
async def a_list(page: FromQuery[int] = 1, total: FromQuery[int] = 95) -> Template:
    found: Page[str] = Page(rows=[], total=total, page=page)
    return Template(
        template_str='{% import "components/display.html" as ui with context %}{{ ui.pagination(found) }}',
        context={"found": found},
    )


@pytest.fixture
async def client(tmp_path: Path) -> AsyncIterator[AsyncTestClient[Litestar]]:
    app = create_service_app(
        Settings(service="review", run_dir=tmp_path),
        route_handlers=[a_list],
        token_verifier=TokenVerifier(None),
        csrf_secret="c" * 32,
        open_db_pool=False,
        readiness_checks={},
    )
    async with AsyncTestClient(app=app) as client:
        yield client


async def test_page_links_keep_the_lists_filters_and_mark_the_current_page(
    client: AsyncTestClient[Litestar],
) -> None:
    html = (await client.get("/review/list?queue=approval&page=3&lang=en")).text
    links = [urlsplit(href) for href in re.findall(r'href="([^"]+)"', html.replace("&amp;", "&"))]
    assert {link.path for link in links} == {"/review/list"}
    assert {frozenset(parse_qsl(link.query)) - {("page", p) for p in "12345"} for link in links} == {
        frozenset({("queue", "approval"), ("lang", "en")})
    }
    pages = [dict(parse_qsl(link.query))["page"] for link in links]
    assert pages == ["2", "1", "2", "4", "5", "4"]  # previous, the others, next
    assert re.search(r'aria-current="page"[^>]*>3<', html)
    assert "95 in all, page 3 of 5" in html


async def test_a_list_of_one_page_shows_no_page_links(client: AsyncTestClient[Litestar]) -> None:
    html = (await client.get(f"/review/list?total={PAGE_SIZE}")).text
    assert "<nav" not in html and "href=" not in html

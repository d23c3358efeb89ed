"""The simulator API on the running stack: the domain brief's sourced scoring cases
(tests/unit/applications/points/simulator_cases.py, each citing domain.md) give the very lines and total
the approval calculator gives in process, and the brief's expected points.

Runs against the whole stack as ``deploy/run.sh`` starts it (see ``conftest.stack``). The gateway limits
the simulator to 60 requests a minute per client (burst 30), so the 60-odd cases go to the running
applications service on its own port, and a few through the gateway (waiting out a 429), which proves
the route; the page tests that follow still have the gateway's burst to use.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

import httpx
import msgspec
import pytest

from deploy.testing import Infra
from services.applications.http.simulator import result_view
from shared.kernel.points.simulation import read_answers, simulate
from shared.platform.catalogues import load_catalogues
from shared.platform.settings import Settings
from tests.unit.kernel.points.simulator_cases import CASES, SimulatorCase

API = "/api/applications/simulator"


@pytest.fixture(scope="module")
def client(stack: str) -> httpx.Client:
    """Through the gateway."""
    return httpx.Client(base_url=stack, timeout=10)


@pytest.fixture(scope="module")
def service(stack: str, infra: Infra) -> httpx.Client:
    """The running applications service behind the gateway, on its own port."""
    settings = Settings.from_env("applications", infra.env)
    return httpx.Client(base_url=f"http://{settings.http_host}:{settings.http_port}", timeout=10)


def patiently(send: Callable[[], httpx.Response]) -> httpx.Response:
    """Send; wait out the gateway's rate limit (429) instead of failing."""
    for _ in range(30):
        response = send()
        if response.status_code != 429:
            return response
        time.sleep(float(response.headers.get("retry-after", "1")))
    return response


def post(client: httpx.Client, answers: Mapping[str, object]) -> httpx.Response:
    return patiently(lambda: client.post(API, json=dict(answers)))


def calculator_view(answers: Mapping[str, object]) -> Any:
    """What the calculator gives in process for the same answers (all cases give their date)."""
    result = simulate(read_answers(answers, date.today()), load_catalogues())
    return msgspec.to_builtins(result_view(result))


def test_there_are_at_least_30_sourced_cases() -> None:
    assert len(CASES) >= 30
    assert all(c.brief.startswith("domain.md §1") and c.source.startswith("http") for c in CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_the_api_gives_the_calculators_lines_and_total_for_a_sourced_case(
    service: httpx.Client, case: SimulatorCase
) -> None:
    response = post(service, case.answers)
    assert response.status_code == 200, response.text
    assert response.headers["etag"] and response.headers["cache-control"].startswith("private, max-age=")
    body = response.json()
    expected = calculator_view(case.answers)
    assert body["total"] == expected["total"], case.id
    assert [(ln["indicator"], ln["points"], ln["counted"], ln["rule"]) for ln in body["lines"]] == [
        (ln["indicator"], ln["points"], ln["counted"], ln["rule"]) for ln in expected["lines"]
    ], case.id
    assert body == expected, case.id
    lines = {ln["indicator"]: ln["points"] for ln in body["lines"]}
    for indicator, points in case.lines.items():
        assert lines[indicator] == points, (case.brief, case.source)
    if case.total is not None:
        assert body["total"] == case.total, (case.brief, case.source)
    assert (body["outcome"] == "ineligible") is case.ineligible


@pytest.mark.parametrize("case", [CASES[9], CASES[-1]], ids=[CASES[9].id, CASES[-1].id])
def test_the_gateway_routes_the_api_to_the_same_answer(
    client: httpx.Client, service: httpx.Client, case: SimulatorCase
) -> None:
    through_gateway, direct = post(client, case.answers), post(service, case.answers)
    assert through_gateway.status_code == 200, through_gateway.text
    assert through_gateway.json() == direct.json() == calculator_view(case.answers)
    assert through_gateway.headers["etag"] == direct.headers["etag"]


def test_bad_answers_through_the_gateway_are_problem_details_not_a_500(client: httpx.Client) -> None:
    response = post(
        client, {"birth_date": "1990-13-01", "months_paid": 24, "base_band": "1", "base_months": 36}
    )
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert {e["field"] for e in response.json()["errors"]} == {"birth_date"}
    broken = patiently(lambda: client.post(API, content=b"{", headers={"content-type": "application/json"}))
    assert broken.status_code == 400


def test_the_questions_are_public_and_revalidate_with_their_etag(client: httpx.Client) -> None:
    first = patiently(lambda: client.get(f"{API}/questions", params={"on": "2025-06-16"}))
    assert first.status_code == 200
    etag = first.headers["etag"]
    again = patiently(
        lambda: client.get(f"{API}/questions", params={"on": "2025-06-16"}, headers={"If-None-Match": etag})
    )
    assert again.status_code == 304

"""The public points simulator (积分模拟打分器): a page and a JSON API on the approval calculator.

No sign-in. Both read the answers with ``domain.points.simulation.read_answers`` and score them with
``simulate`` (the same calculator, rule tables and catalogues as approval), for any assessment date
(blank: today in the service's time zone, Asia/Shanghai):

* ``POST /api/applications/simulator`` (``SimulatePoints``): a JSON object of answers -> the result,
  bilingual (``{"zh": ..., "en": ...}`` texts), so one answer serves every language. Same answers, same
  bytes: the response carries a strong ``ETag`` (a hash of the body) and ``Cache-Control: private``
  with a lifetime (until midnight when the date defaulted to today, else a day). It is a POST so that
  birth dates and criminal records stay out of URLs and gateway logs. Bad answers: 422 problem details
  with one error per field.
* ``GET /api/applications/simulator/questions`` (``ListSimulatorQuestions``): the questions, their
  kinds, limits and choices (the shortage majors on the catalogue in force included) for a date;
  public and cacheable (``ETag``, ``If-None-Match`` -> 304).
* ``GET|POST /applications/simulator``: the page. A plain form post without JavaScript (what was typed
  is kept, errors at the field and in an error summary); with HTMX the result panel is re-rendered on
  every change (``HX-Request``: only the panel is returned).
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache
from typing import Any, Literal, NamedTuple

import msgspec
from litestar import MediaType, Request, Response, Router, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import Example, OpenAPIMediaType, OpenAPIType, Operation, RequestBody, Schema
from litestar.params import FromQuery
from litestar.response import Template
from litestar.status_codes import HTTP_200_OK, HTTP_304_NOT_MODIFIED

from services.applications.http.simulator_chart import Chart, chart
from shared.kernel.errors import FieldError, ValidationFailed
from shared.kernel.moments import SHANGHAI, shanghai_date
from shared.kernel.points import narration
from shared.kernel.points.calculator import IndicatorLine, PointsResult
from shared.kernel.points.catalogues import Catalogues
from shared.kernel.points.claims import (
    AwardLevel,
    EducationLevel,
    KeyAreaKind,
    QualificationLevel,
)
from shared.kernel.points.model import Indicator, NoRulesInForceError
from shared.kernel.points.rules import rules_in_force
from shared.kernel.points.simulation import (
    BAND_NAMES,
    KEY_AREA_KIND_NAMES,
    QUESTIONS,
    AnswerKind,
    BaseBand,
    Question,
    SimulatorAnswers,
    SimulatorAnswersError,
    read_answers,
    simulate,
)
from shared.kernel.text import Text
from shared.platform import requestctx
from shared.platform.catalogues import load_catalogues
from shared.platform.i18n import catalogue, t
from shared.platform.problems import ProblemError, catalogue_text, problem_response
from shared.platform.web import page

API_PATH = "/api/applications/simulator"
PAGE_PATH = "/applications/simulator"

# --------------------------------------------------------------------------------------------------
# The published result (the API's body, and what the page renders)
# --------------------------------------------------------------------------------------------------


class WouldRaise(msgspec.Struct, frozen=True, gc=False):
    """One thing that would raise the line: ``gain`` on the line, ``total_gain`` on the total."""

    code: str
    gain: int
    total_gain: int
    text: Text
    total_effect: Text | None = None


class Line(msgspec.Struct, frozen=True, gc=False):
    """One indicator. ``claimed`` is false when nothing was stated for it (or no record deducts)."""

    indicator: str
    name: Text
    points: int
    cap: int | None
    counted: bool
    claimed: bool
    set_aside_by: str | None
    rule: str | None
    sources: list[str]
    explanation: Text
    would_raise: list[WouldRaise]


class ChoiceMade(msgspec.Struct, frozen=True, gc=False):
    kind: str
    counted: list[str]
    set_aside: list[str]
    counted_points: int
    set_aside_points: int
    text: Text


class Veto(msgspec.Struct, frozen=True, gc=False):
    code: str
    rule: str
    sources: list[str]
    text: Text


class SimulationResult(msgspec.Struct, frozen=True, gc=False):
    """A simulated score. ``outcome`` "ineligible": a veto item was answered yes, the person cannot
    apply, and there is no score (``total`` and ``lines`` are empty)."""

    assessed_on: date
    outcome: Literal["scored", "ineligible"]
    total: int | None
    pass_mark: int
    pass_mark_rule: str
    meets_pass_mark: bool | None
    lines: list[Line]
    choices: list[ChoiceMade]
    ineligibility_reasons: list[Veto]
    disclaimer: Text


_NOTHING_STATED = frozenset({"not_claimed", "no_rule"})


def _claimed(line: IndicatorLine) -> bool:
    if line.points:
        return True
    first = line.notes[0] if line.notes else None
    if first is None or first.code in _NOTHING_STATED:
        return False
    return not (first.code == "deduction.records" and first.params.get("records") == 0)


@lru_cache(maxsize=1024)
def _split_sources(source: str) -> tuple[str, ...]:
    return tuple(s.strip() for s in source.split(" ; ") if s.strip())


def _sources(source: str) -> list[str]:
    return list(_split_sources(source))


def result_view(result: PointsResult) -> SimulationResult:
    """The published form of a points result: every line with its rule, sources and wording."""
    vetoes = [
        Veto(code=r.code, rule=r.rule_id, sources=_sources(r.source), text=narration.veto_text(r))
        for r in result.ineligibility_reasons
    ]
    scored = not vetoes
    lines = [
        Line(
            indicator=line.indicator.value,
            name=narration.indicator_name(line.indicator),
            points=line.points,
            cap=line.cap,
            counted=line.counted,
            claimed=_claimed(line),
            set_aside_by=line.superseded_by.value if line.superseded_by else None,
            rule=line.rule_id,
            sources=_sources(line.source),
            explanation=narration.explanation(line),
            would_raise=[
                WouldRaise(
                    code=step.note.code,
                    gain=step.gain,
                    total_gain=step.total_gain,
                    text=narration.step_text(step),
                    total_effect=effect if (effect := narration.total_effect(step)) else None,
                )
                for step in line.next_steps
            ],
        )
        for line in result.lines
    ]
    choices = [
        ChoiceMade(
            kind=c.kind.value,
            counted=[i.value for i in c.counted],
            set_aside=[i.value for i in c.set_aside],
            counted_points=c.counted_points,
            set_aside_points=c.set_aside_points,
            text=narration.choice_text(c),
        )
        for c in result.choices
    ]
    return SimulationResult(
        assessed_on=result.assessed_on,
        outcome="scored" if scored else "ineligible",
        total=result.total if scored else None,
        pass_mark=result.pass_mark,
        pass_mark_rule=result.pass_mark_rule_id,
        meets_pass_mark=result.meets_pass_mark if scored else None,
        lines=lines if scored else [],
        choices=choices if scored else [],
        ineligibility_reasons=vetoes,
        disclaimer=narration.DISCLAIMER,
    )


# --------------------------------------------------------------------------------------------------
# Shared plumbing
# --------------------------------------------------------------------------------------------------


def provide_catalogues() -> Catalogues:
    return load_catalogues()


def today(state: State) -> date:
    """Today in the service's time zone (Asia/Shanghai), from the app's injectable clock."""
    now: datetime = state.clock()
    return shanghai_date(now)


def _seconds_to_midnight(state: State) -> int:
    now: datetime = state.clock().astimezone(SHANGHAI)
    midnight = datetime.combine(now.date() + timedelta(days=1), time(0), SHANGHAI)
    return max(1, int((midnight - now).total_seconds()))


class Answer(NamedTuple):
    """A simulated answer in the two forms it is served in."""

    view: SimulationResult
    body: bytes  # the API's JSON
    etag: str


@lru_cache(maxsize=1024)
def answer(answers: SimulatorAnswers, catalogues: Catalogues) -> Answer:
    """The answer to ``answers``: the same answers always give the same answer, so the last 1,024 are
    kept (per process; the page's live updates and repeated API calls are served from here). Answers
    with problems raise ``SimulatorAnswersError`` and are not kept."""
    view = result_view(simulate(answers, catalogues))
    body = msgspec.json.encode(view)
    return Answer(view, body, _etag(body))


def _etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


# --------------------------------------------------------------------------------------------------
# JSON API
# --------------------------------------------------------------------------------------------------

_KIND_SCHEMAS: Mapping[AnswerKind, Schema] = {
    AnswerKind.DATE: Schema(type=OpenAPIType.STRING, format="date"),  # type: ignore[arg-type]
    AnswerKind.COUNT: Schema(type=OpenAPIType.INTEGER, minimum=0),
    AnswerKind.YES_NO: Schema(type=OpenAPIType.BOOLEAN),
    AnswerKind.PERCENT: Schema(
        type=[OpenAPIType.NUMBER, OpenAPIType.STRING], exclusive_minimum=0, maximum=100
    ),
    AnswerKind.CHOICE: Schema(type=OpenAPIType.STRING),
    AnswerKind.CODE: Schema(type=OpenAPIType.STRING),
}


def _question_schema(question: Question) -> Schema:
    """A question's schema, described with the page's English label and hint (one wording for both)."""
    english = catalogue("en")
    label = english[f"simulator.q.{question.name}"]
    hint = english.get(f"simulator.q.{question.name}.hint")
    if question.kind is AnswerKind.DATE:
        hint = "An ISO date, such as 1990-05-17." + (
            " Blank: today." if question.name == "assessment_date" else ""
        )
    schema = replace(
        _KIND_SCHEMAS[question.kind],
        description=f"{label}. {hint}" if hint else label,
        maximum=question.maximum if question.maximum is not None else _KIND_SCHEMAS[question.kind].maximum,
        enum=list(question.choices) or None,
    )
    if question.default is not None:
        schema = replace(schema, default=question.default)
    return schema


EXAMPLE_ANSWERS: dict[str, Any] = {
    "assessment_date": "2025-06-16",
    "birth_date": "1990-05-17",
    "education": "bachelor",
    "title": "intermediate_title",
    "months_paid": 60,
    "base_band": "1",
    "base_months": 36,
    "spouse_shanghai_hukou": True,
    "married_on": "2019-10-01",
}
EXAMPLE_VETO: dict[str, Any] = {
    "birth_date": "1985-03-02",
    "education": "master",
    "serious_criminal_record": True,
}


@dataclass
class SimulatePointsOperation(Operation):
    """The request body is documented from ``QUESTIONS`` (the handler reads a plain JSON object so that
    every field's problem is reported at once, in the same words as on the page)."""

    def __post_init__(self) -> None:
        self.request_body = RequestBody(
            required=True,
            description="The answers, as a person knows them. Only birth_date is required.",
            content={
                MediaType.JSON: OpenAPIMediaType(
                    schema=Schema(
                        type=OpenAPIType.OBJECT,
                        properties={q.name: _question_schema(q) for q in QUESTIONS},
                        required=[q.name for q in QUESTIONS if q.required],
                        additional_properties=False,
                    ),
                    examples={
                        "bachelor-with-title": Example(
                            summary="Bachelor's degree, intermediate title, 1–2x base for 36 of 48 months",
                            value=EXAMPLE_ANSWERS,
                        ),
                        "veto": Example(summary="A veto item: no score", value=EXAMPLE_VETO),
                    },
                )
            },
        )


def _example_result(answers: dict[str, Any]) -> Any:
    result = simulate(read_answers(answers, date(2025, 6, 16)), load_catalogues())
    return msgspec.to_builtins(result_view(result))


@post(
    API_PATH,
    operation_id="SimulatePoints",
    operation_class=SimulatePointsOperation,
    summary="Simulate a points score",
    description=(
        "Scores the answers with the calculator and rule tables used for approval, on the assessment date "
        "(default: today, Asia/Shanghai). Every line gives its points, cap, rule, sources and what would "
        "raise it; either/or choices are explained; a veto item gives no score. Same answers, same body "
        "(strong ETag). Texts are bilingual (zh, en). The result is an estimate: the HRSS authorities' "
        "score prevails."
    ),
    tags=["simulator"],
    exclude_from_auth=True,
    security=[{}],
    status_code=HTTP_200_OK,
    responses={
        200: ResponseSpec(
            SimulationResult,
            generate_examples=False,  # the examples below are real answers, not random fillers
            description="The simulated score (or, for a veto item, why the person cannot apply)",
            examples=[
                Example(summary="Scored", value=_example_result(EXAMPLE_ANSWERS)),
                Example(summary="Veto", value=_example_result(EXAMPLE_VETO)),
            ],
        ),
        422: problem_response(
            "Problem details (RFC 9457): the answers have problems, one error per field",
            examples=[
                Example(
                    summary="Months paid fewer than the months in the base band",
                    value={
                        "type": "urn:jifen:problem:validation-error",
                        "title": "The data sent is not valid",
                        "status": 422,
                        "detail": "Correct the fields listed and try again.",
                        "instance": API_PATH,
                        "request_id": "0f6c1a2b3c4d5e6f",
                        "errors": [
                            {
                                "field": "months_paid",
                                "code": "points.months_paid_below_history",
                                "message": "The months paid (24) are fewer than the 36 months the "
                                "contribution-base record shows as paid: enter at least 36",
                            }
                        ],
                    },
                )
            ],
        ),
    },
)
async def simulate_points(
    request: Request[Any, Any, Any], catalogues: NamedDependency[Catalogues]
) -> Response[bytes]:
    state = request.app.state
    # Answers with problems raise SimulatorAnswersError: a 422 problem with every field's error.
    served, dated = _answer_to_body(await request.body(), today(state), catalogues)
    max_age = 86_400 if dated else _seconds_to_midnight(state)
    return Response(
        content=served.body,
        media_type=MediaType.JSON,
        headers={"ETag": served.etag, "Cache-Control": f"private, max-age={max_age}"},
    )


@lru_cache(maxsize=1024)
def _answer_to_body(body: bytes, day: date, catalogues: Catalogues) -> tuple[Answer, bool]:
    """The answer to a request body on ``day`` (the same bytes on the same day: the same answer, so
    repeated requests skip even the reading), and whether the body gave its assessment date."""
    data = _json_object(body)
    dated = data.get("assessment_date") not in (None, "")
    return answer(read_answers(data, day), catalogues), dated


def _json_object(body: bytes) -> dict[str, Any]:
    """The request body as a JSON object (read here rather than by a ``data`` parameter: a third of
    the handler's time went to Litestar's generic body conversion, which this object does not need)."""
    try:
        data = msgspec.json.decode(body)
    except msgspec.DecodeError:
        raise ProblemError(400, "malformed-body") from None
    if not isinstance(data, dict):
        raise ProblemError(
            400,
            "validation-error",
            errors=[FieldError("body", "invalid", catalogue_text("validation.invalid"))],
        )
    return data


class Choice(msgspec.Struct, frozen=True, gc=False):
    value: str
    label: Text


class QuestionOut(msgspec.Struct, frozen=True, gc=False):
    name: str
    kind: str
    required: bool
    default: Any
    maximum: int | None
    label: Text
    choices: list[Choice]


class Questions(msgspec.Struct, frozen=True, gc=False):
    assessed_on: date
    pass_mark: int
    questions: list[QuestionOut]


_CHOICE_NAMES: Mapping[str, tuple[type[StrEnum], Mapping[Any, Text]]] = {
    "education": (EducationLevel, narration.LEVEL_NAMES),
    "title": (QualificationLevel, narration.LEVEL_NAMES),
    "award": (AwardLevel, narration.LEVEL_NAMES),
    "base_band": (BaseBand, BAND_NAMES),
    "key_area": (KeyAreaKind, KEY_AREA_KIND_NAMES),
}


def choice_labels(question: Question, on: date, catalogues: Catalogues) -> list[Choice]:
    """The options of a choice question, in the order the page shows them (majors: those on the
    catalogue in force on ``on``)."""
    if question.name == "shortage_major":
        majors = rules_in_force(on, catalogues).shortage_majors.values()
        return [
            Choice(value=e.code, label=Text(e.name, e.name_en)) for e in sorted(majors, key=lambda e: e.code)
        ]
    if question.name not in _CHOICE_NAMES:
        return []
    enum, names = _CHOICE_NAMES[question.name]
    return [Choice(value=m.value, label=Text(names[m].zh, _capitalised(names[m].en))) for m in enum]


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


@get(
    f"{API_PATH}/questions",
    operation_id="ListSimulatorQuestions",
    summary="The simulator's questions",
    description=(
        "Every answer SimulatePoints reads: its kind, default, limit and choices (shortage majors: those on "
        "the catalogue in force on the date), with bilingual labels. Public and cacheable."
    ),
    tags=["simulator"],
    exclude_from_auth=True,
    security=[{}],
    sync_to_thread=False,
    responses={
        200: ResponseSpec(
            Questions, generate_examples=False, description="The questions for the assessment date"
        )
    },
)
def list_questions(
    request: Request[Any, Any, Any],
    state: State,
    catalogues: NamedDependency[Catalogues],
    on: FromQuery[date | None] = None,
) -> Response[bytes]:
    day = on or today(state)
    try:
        rules = rules_in_force(day, catalogues)
    except NoRulesInForceError:
        no_rules = FieldError("on", "simulator.no_rules_on_date", catalogue_text("simulator.error.no_rules"))
        raise ValidationFailed([no_rules]) from None
    body = msgspec.json.encode(
        Questions(
            assessed_on=day,
            pass_mark=rules.pass_mark.points,
            questions=[
                QuestionOut(
                    name=q.name,
                    kind=q.kind.value,
                    required=q.required,
                    default=q.default,
                    maximum=q.maximum,
                    label=catalogue_text(f"simulator.q.{q.name}"),
                    choices=choice_labels(q, day, catalogues),
                )
                for q in QUESTIONS
            ],
        )
    )
    etag = _etag(body)
    max_age = 86_400 if on else _seconds_to_midnight(state)
    headers = {"ETag": etag, "Cache-Control": f"public, max-age={max_age}"}
    if etag in request.headers.get("if-none-match", ""):
        return Response(content=b"", status_code=HTTP_304_NOT_MODIFIED, headers=headers)
    return Response(content=body, media_type=MediaType.JSON, headers=headers)


# --------------------------------------------------------------------------------------------------
# The page
# --------------------------------------------------------------------------------------------------

DATE_PARTS = ("year", "month", "day")

SECTIONS: tuple[tuple[str, tuple[str, ...], bool], ...] = (
    # (catalogue key suffix, questions, always open)
    ("about", ("assessment_date", "birth_date"), True),
    (
        "education",
        ("education", "education_recognised", "title", "title_obtained_in_shanghai", "title_matches_post"),
        True,
    ),
    ("insurance", ("months_paid", "base_band", "base_months"), True),
    ("family", ("spouse_shanghai_hukou", "married_on"), False),
    (
        "work",
        (
            "shortage_major",
            "major_matches_post",
            "key_area",
            "key_area_years",
            "lives_in_key_area",
            "public_service_years",
            "fresh_graduate",
        ),
        False,
    ),
    ("awards", ("award", "award_in_shanghai"), False),
    (
        "investment",
        (
            "investment_share",
            "investment_tax_yuan",
            "investment_hires",
            "founder_share",
            "founder_months",
            "founder_in_incubator",
            "founder_shares_before_incubation",
            "intermediary_months",
        ),
        False,
    ),
    (
        "deductions",
        (
            "false_materials",
            "false_materials_oldest_on",
            "detentions",
            "detentions_oldest_on",
            "criminal_records",
            "criminal_records_oldest_on",
            "family_planning_violation",
            "serious_criminal_record",
        ),
        False,
    ),
)
"""The form's sections, in order; every question is in exactly one (a test checks it)."""


def _clean(value: str) -> str:
    """Full-width digits and letters (typed with a Chinese input method) as ASCII."""
    return unicodedata.normalize("NFKC", value).strip()


def form_answers(form: Mapping[str, str]) -> dict[str, str]:
    """The raw answers of a form post: date questions from their year, month and day inputs."""
    raw: dict[str, str] = {}
    for question in QUESTIONS:
        if question.kind is AnswerKind.DATE:
            parts = [_clean(form.get(f"{question.name}-{p}", "")) for p in DATE_PARTS]
            if any(parts):
                year, month, day = parts
                raw[question.name] = f"{year}-{month.zfill(2)}-{day.zfill(2)}"
        elif question.name in form:
            raw[question.name] = _clean(form[question.name])
    return raw


def form_values(form: Mapping[str, str], on: date) -> dict[str, Any]:
    """What to show in the form: what was typed (dates as their three parts); defaults when blank."""
    values: dict[str, Any] = {}
    for question in QUESTIONS:
        if question.kind is AnswerKind.DATE:
            parts = {p: form.get(f"{question.name}-{p}", "") for p in DATE_PARTS}
            if question.name == "assessment_date" and not any(parts.values()):
                parts = {"year": str(on.year), "month": str(on.month), "day": str(on.day)}
            values[question.name] = parts
        elif question.kind is AnswerKind.YES_NO:
            typed = form.get(question.name)
            values[question.name] = typed if typed in ("yes", "no") else ("yes" if question.default else "no")
        else:
            values[question.name] = form.get(question.name, "")
    return values


@dataclass(frozen=True, slots=True)
class PageError:
    """A problem as the page shows it: ``message`` at the field, ``summary`` (naming the question) in
    the error summary, which links to ``href``."""

    field: str
    href: str
    message: str
    summary: str


def page_errors(errors: tuple[FieldError, ...], lang: str) -> list[PageError]:
    by_name = {q.name: q for q in QUESTIONS}
    out: list[PageError] = []
    for e in errors:
        question = by_name.get(e.field)
        href = f"#{e.field}-year" if question and question.kind is AnswerKind.DATE else f"#{e.field}"
        message = e.message.for_lang(lang)
        label = t(f"simulator.q.{e.field}", lang) if question else e.field
        summary = f"{label}: {message}" if lang == "en" else f"{label}：{message}"
        out.append(PageError(e.field, href, message, summary))
    return out


def _page_context(
    request: Request[Any, Any, Any],
    state: State,
    catalogues: Catalogues,
    form: Mapping[str, str],
    submitted: bool,
) -> dict[str, Any]:
    lang = requestctx.language(request.scope)
    day = today(state)
    context: dict[str, Any] = {
        "errors": [],
        "field_errors": {},
        "view": None,
        "chart": None,
        "submitted": submitted,
        "live": False,
    }
    on = day
    if submitted:
        try:
            answers = read_answers(form_answers(form), day)
            on = answers.assessment_date
            view = answer(answers, catalogues).view
        except SimulatorAnswersError as error:
            errors = page_errors(error.errors, lang)
            context["errors"] = [{"href": e.href, "message": e.summary} for e in errors]
            context["field_errors"] = {e.field: e.message for e in errors}
        else:
            context["view"] = view
            context["chart"] = chart(view, lang)
    try:
        rules = rules_in_force(on, catalogues)  # the majors listed are those in force on the assessment date
    except NoRulesInForceError:
        on, rules = day, rules_in_force(day, catalogues)
    context["pass_mark_on_date"] = rules.pass_mark.points
    questions = {q.name: q for q in QUESTIONS}
    values = form_values(form, day)
    defaults = form_values({}, day)
    context.update(
        sections=[
            {
                "key": key,
                "questions": [questions[name] for name in names],
                "open": always
                or any(values[n] != defaults[n] or n in context["field_errors"] for n in names),
            }
            for key, names, always in SECTIONS
        ],
        values=values,
        options={name: choice_labels(q, on, catalogues) for name, q in questions.items()},
        questions=questions,
        lang_code=lang,
        pick=lambda text: text.for_lang(lang),
        has_text=lambda key: key in catalogue(lang),
        indicator_names={i.value: narration.indicator_name(i).for_lang(lang) for i in Indicator},
    )
    return context


@get(
    PAGE_PATH,
    name="applications:simulator",
    exclude_from_auth=True,
    include_in_schema=False,
    sync_to_thread=False,
)
def simulator_page(
    request: Request[Any, Any, Any], state: State, catalogues: NamedDependency[Catalogues]
) -> Template:
    """积分模拟打分器: the questions, and the answer once there are answers."""
    return page(
        "applications/simulator.html", **_page_context(request, state, catalogues, {}, submitted=False)
    )


@post(
    PAGE_PATH,
    name="applications:simulate",
    exclude_from_auth=True,
    include_in_schema=False,
    status_code=HTTP_200_OK,
)
async def simulator_post(
    request: Request[Any, Any, Any], state: State, catalogues: NamedDependency[Catalogues]
) -> Template:
    """The form post: the whole page (no JavaScript), or only the result panel (HTMX)."""
    form = {key: str(value) for key, value in (await request.form()).items()}
    context = _page_context(request, state, catalogues, form, submitted=True)
    if request.headers.get("hx-request") == "true":
        return page("applications/_simulator_result.html", **{**context, "live": True})
    return page("applications/simulator.html", **context)


router = Router(
    path="/",
    route_handlers=[simulate_points, list_questions, simulator_page, simulator_post],
    dependencies={"catalogues": Provide(provide_catalogues, sync_to_thread=False)},
)

__all__ = ["Chart", "SimulationResult", "result_view", "router"]

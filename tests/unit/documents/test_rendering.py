"""The two PDFs as their readers get them: the Chinese text (pypdf), embedded CJK fonts, tables that
break across pages with their headers, page numbers, the QR code (decoded from the printed page),
PDF/A metadata, and the same bytes for the same input."""

from __future__ import annotations

from pathlib import Path

import pytest

from services.documents.rendering.content import form_content, notice_content
from services.documents.rendering.renderer import FontsMissing, Renderer, RenderFailed, qr_svg
from shared.contracts.applications import SubmittedForm
from shared.platform.integration import Sealing
from shared.platform.sealing import Keyring, new_key_line
from tests.support import documents as fixtures
from tests.support.pdf import compact, fonts, page_images, pages_text, qr_codes, reader

CODE = "7K2M-Q9XD-4TNB-H8VR"
URL = f"https://jifen.example.gov.cn/documents/verify/{CODE}"
SEALING = Sealing(Keyring.parse(new_key_line()))


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer()


def render_form(renderer: Renderer, form: SubmittedForm) -> bytes:
    submitted = fixtures.submitted(SEALING, form=form)
    return renderer.render("form", form_content(submitted, form), timestamp=submitted.submitted_at)


def render_notice(renderer: Renderer, form: SubmittedForm, *, total: int | None = None) -> bytes:
    approved = fixtures.approved(fixtures.submitted(SEALING, form=form), verified_total=total)
    content = notice_content(approved, form, version=1, verification_code=CODE, verify_url=URL)
    return renderer.render("notice", content, timestamp=approved.approved_at, qr=qr_svg(URL))


@pytest.fixture(scope="module")
def full_form() -> SubmittedForm:
    return fixtures.full_form(resume_entries=12, children=4)


@pytest.fixture(scope="module")
def form_pdf(renderer: Renderer, full_form: SubmittedForm) -> bytes:
    return render_form(renderer, full_form)


@pytest.fixture(scope="module")
def notice_pdf(renderer: Renderer, full_form: SubmittedForm) -> bytes:
    return render_notice(renderer, full_form)


def test_the_form_prints_its_cover_pledges_and_every_section_in_chinese(form_pdf: bytes) -> None:
    text = compact("".join(pages_text(form_pdf)))
    for expected in (
        "上海市居住证积分申请表",
        "流水号",
        fixtures.application_number(0),
        "张伟",
        fixtures.UNIT_NAME,
        fixtures.UNIT_CREDIT_CODE,
        "新办",
        "填表日期2026年03月16日",
        "用人单位承诺与授权",
        "申请人承诺与授权",
        "单位（盖章）",
        "申请人（签字）",
        "一、个人基本信息",
        fixtures.applicant_id_number(0),
        "硕士研究生",
        "已婚",
        "二、就业信息",
        "无固定期限",
        "三、个人简历",
        "四、家庭情况",
        "五、投资与创业",
        "六、积分指标申报",
        "七、减分项与一票否决项",
        "八、申报积分",
        "九、申请材料清单",
    ):
        assert compact(expected) in text, expected


def test_a_resume_of_more_than_eight_entries_is_printed_whole_and_notes_the_signed_sheet(
    form_pdf: bytes, full_form: SubmittedForm
) -> None:
    text = compact("".join(pages_text(form_pdf)))
    assert len(full_form.resume.entries) == 12
    for entry in full_form.resume.entries:
        if entry.organisation:
            assert compact(entry.organisation) in text
    assert text.count("待业") >= 3
    assert "另附A4纸列明全部经历" in text


def test_tables_that_run_over_a_page_repeat_their_header_and_pages_are_numbered(form_pdf: bytes) -> None:
    pages = [compact(page) for page in pages_text(form_pdf)]
    total = len(pages)
    assert total >= 4
    for number, page in enumerate(pages, 1):
        assert f"第{number}页共{total}页" in page
    resume_pages = [page for page in pages if "起始年月结束年月" in page]
    assert len(resume_pages) >= 2  # the resume table broke across pages, its header on each
    assert sum("积分指标申报分值" in page for page in pages) >= 1


def test_every_family_member_and_every_claimed_item_and_material_is_on_the_form(
    form_pdf: bytes, full_form: SubmittedForm
) -> None:
    text = compact("".join(pages_text(form_pdf)))
    assert full_form.family.spouse is not None
    members = [(full_form.family.spouse.name, full_form.family.spouse.id_number)]
    members += [(child.name, child.id_number) for child in full_form.family.children]
    for name, id_number in members:
        assert name in text and id_number in text
    for item in (
        "教育背景",
        "复旦大学",
        "工程师（计算机软件）",
        "累计缴费86个月",
        "紧缺急需专业",
        "人工智能",
        "投资纳税或投资带动本地就业",
        "特定的公共服务领域",
        "临港新片区",
        "配偶为本市户籍人员",
        "上海市劳动模范",
        "全日制应届高校毕业生",
        "创业人才",
        "创新创业中介服务人才",
        "行政拘留",
        "沪公（浦）行罚决字〔2023〕0211号",
        "严重刑事犯罪记录",
        "申报总分",
        "标准分值：120分",
    ):
        assert compact(item) in text, item
    for _, material in fixtures.MATERIALS:
        assert compact(material) in text, material
    for code, points, _, _ in fixtures.DECLARED_LINES:
        assert code not in text  # indicators are printed by name, never by code
        assert str(abs(points)) in text


def test_the_cjk_fonts_are_embedded_and_nothing_else_is_used(form_pdf: bytes, notice_pdf: bytes) -> None:
    for pdf in (form_pdf, notice_pdf):
        used = fonts(pdf)
        assert used and all(used.values()), used
        names = " ".join(used)
        assert "NotoSerifCJKsc-Regular" in names and "NotoSansCJKsc-Bold" in names


def test_the_files_declare_pdf_a_2b(form_pdf: bytes) -> None:
    assert reader(form_pdf).xmp_metadata is not None
    assert b"<pdfaid:part>2</pdfaid:part>" in form_pdf
    assert b"<pdfaid:conformance>B</pdfaid:conformance>" in form_pdf


def test_the_same_input_gives_the_same_bytes_even_from_another_renderer(
    renderer: Renderer, form_pdf: bytes, notice_pdf: bytes, full_form: SubmittedForm
) -> None:
    other = Renderer()
    assert render_form(other, full_form) == form_pdf
    assert render_notice(other, full_form) == notice_pdf
    assert render_form(renderer, fixtures.full_form(variant=1)) != form_pdf


def test_the_notice_prints_the_verified_score_date_district_and_code(notice_pdf: bytes) -> None:
    pages = pages_text(notice_pdf)
    assert len(pages) == 1
    text = compact(pages[0])
    lines = [line for line in fixtures.score_lines() if line.counted and line.points]
    for expected in (
        "上海市居住证积分通知书",
        "张伟",
        fixtures.application_number(0),
        "年龄",
        "教育背景",
        "行政拘留",
        f"积分总分{fixtures.total_of(fixtures.score_lines())}",
        "标准分值120",
        "已达到标准分值",
        "上海市浦东新区人力资源和社会保障局",
        "2026年04月20日",
        f"核验码：{CODE}",
        URL,
    ):
        assert compact(expected) in text, expected
    assert fixtures.applicant_id_number(0) not in text  # the notice shows the ID number masked
    assert len(lines) >= 10


def test_a_notice_below_the_pass_mark_says_so(renderer: Renderer, full_form: SubmittedForm) -> None:
    text = compact(pages_text(render_notice(renderer, full_form, total=95))[0])
    assert "未达到标准分值" in text and "积分总分95" in text


def test_the_qr_code_on_the_printed_notice_decodes_to_its_verify_url(notice_pdf: bytes) -> None:
    [page] = page_images(notice_pdf, dpi=150)
    assert qr_codes(page) == [URL]


def test_what_users_typed_is_printed_literally_never_run_as_markup(renderer: Renderer) -> None:
    hostile = '#panic("x") *粗* $x$ <b>&amp; ]) #{'
    form = fixtures.full_form()
    info = form.personal_info.model_copy(update={"name": hostile, "shanghai_address": "@x _y_ `z` \\ //"})
    pdf = render_form(renderer, form.model_copy(update={"personal_info": info}))
    text = compact("".join(pages_text(pdf)))
    assert compact(hostile) in text and compact("@x _y_ `z` \\ //") in text


def test_a_form_with_no_family_investment_or_claims_still_renders(renderer: Renderer) -> None:
    form = fixtures.full_form(resume_entries=1, children=0)
    bare = form.model_copy(
        update={
            "family": form.family.model_copy(update={"spouse": None, "children": []}),
            "investment": form.investment.model_copy(update={"has_investment": False, "years": []}),
            "scoring_claims": {"birth_date": "1988-03-15"},
            "deductions": {},
        }
    )
    text = compact("".join(pages_text(render_form(renderer, bare))))
    assert "无配偶、子女信息" in text and "未申报加分项目" in text


def test_missing_cjk_fonts_stop_the_renderer_from_starting(tmp_path: Path) -> None:
    with pytest.raises(FontsMissing, match="Noto Sans CJK SC"):
        Renderer(font_dir=tmp_path)


def test_a_typst_warning_fails_the_render_instead_of_printing_blank_boxes(tmp_path: Path) -> None:
    (tmp_path / "broken.typ").write_text('#set text(font: "No Such Font SC")\n积分', encoding="utf-8")
    with pytest.raises(RenderFailed, match="unknown font family"):
        Renderer(templates=tmp_path).render("broken", {}, timestamp=fixtures.SUBMITTED_AT)


def test_an_event_time_with_microseconds_renders_dated_to_its_second(
    renderer: Renderer, full_form: SubmittedForm, form_pdf: bytes
) -> None:
    submitted = fixtures.submitted(SEALING, form=full_form)
    content = form_content(submitted, full_form)
    late = submitted.submitted_at.replace(microsecond=654321)
    assert renderer.render("form", content, timestamp=late) == form_pdf

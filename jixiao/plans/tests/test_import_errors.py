"""A refused plan file says where to fix it: a TOML file by line (and column), in a Chinese
sentence on a Chinese page and tomllib's English on an English one; an Excel workbook by sheet,
row and column header. The refusal stays on the plan page, inside the import form."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jixiao.common.errors import JixiaoError
from jixiao.common.excel import read_xlsx, write_xlsx
from jixiao.plans import exchange
from jixiao.plans.import_errors import line_of, toml_syntax_error
from jixiao.plans.models import Plan

pytestmark = pytest.mark.django_db
BROKEN = '[plan]\nkey = "x"\nname_zh = "y"\n\n[[plan.indicators]]\nkey = "a"\nweight = 3 0\n'


def test_a_toml_syntax_error_is_a_chinese_sentence_with_its_line_and_column() -> None:
    with pytest.raises(JixiaoError) as refused:
        exchange.content_from_toml(BROKEN)
    error = refused.value
    assert error.zh.startswith("TOML 文件第 7 行第 12 列：") and "Expected" not in error.zh
    assert "line 7, column 12" in error.en and "Expected newline" in error.en
    assert error.problems[0].row == 7


@pytest.mark.parametrize(
    "text",
    ['a = "x', "a = [1, 2", "a = tru", "a = 1\na = 2", "[t]\n[t]", "中文 = 1", "a = 1 b = 2", "[t\n"],
)
def test_every_common_toml_mistake_has_a_chinese_sentence(text: str) -> None:
    with pytest.raises(tomllib.TOMLDecodeError) as caught:
        tomllib.loads(text)
    error = toml_syntax_error(caught.value, text)
    assert "TOML 写法不正确" not in error.zh, str(caught.value)
    assert all(ord(c) < 128 or c in "，：；。（）“”" or "\u4e00" <= c <= "\u9fff" for c in error.zh)


def test_a_value_the_format_refuses_names_the_line_of_its_key() -> None:
    text = '[plan]\nkey = "x"\nname_zh = "y"\n\n[[plan.indicators]]\nkey = "a"\n\n[[plan.indicators]]\nkey = "b"\nkind = "magic"\n'
    with pytest.raises(JixiaoError) as refused:
        exchange.content_from_toml(text)
    # the first indicator has no kind: its table's header line is named
    assert "第 5 行" in refused.value.zh and "indicators[0].kind" in refused.value.zh
    assert line_of(text, "plan.indicators[1].kind") == 10 and line_of(text, "plan.name_zh") == 3
    assert line_of(text, "plan.indicators[0]") == 5 and line_of(text, "plan.nothing") == 1


def test_an_excel_plan_refusal_names_sheet_row_and_column(personas: Any, tmp_path: Path) -> None:
    plan = personas.plans["published"]
    path = tmp_path / "plan.xlsx"
    path.write_bytes(exchange.to_xlsx(plan))
    sheets = read_xlsx(path)
    header = sheets["指标"][0]
    sheets["指标"][2][header.index("类型")] = "magic"  # the second indicator: row 3
    path.write_bytes(write_xlsx({name: (rows[0], rows[1:]) for name, rows in sheets.items()}).getvalue())
    with pytest.raises(JixiaoError) as refused:
        exchange.content_from_xlsx(path)
    assert refused.value.zh.startswith("“指标”工作表第 3 行“类型”列：")
    problem = refused.value.problems[0]
    assert (problem.where, problem.row, problem.column) == ("“指标”", 3, "类型")
    assert "sheet 指标, row 3, column 类型" in refused.value.en


def _post(client: Any, plan: Plan, name: str, body: bytes) -> Any:
    upload = SimpleUploadedFile(name, body)
    url = reverse("plans:plan_import", args=[plan.pk])
    return client.post(url, {"file": upload, "plan_version": plan.version})


def test_a_refused_toml_upload_stays_on_the_plan_page_in_the_import_form(
    personas: Any, client_for: Any
) -> None:
    draft = personas.plans["draft"]
    before = Plan.objects.get(pk=draft.pk).content
    response = _post(client_for("head"), draft, "plan.toml", BROKEN.encode())
    page = response.content.decode()
    assert response.status_code == 400
    assert "TOML 文件第 7 行第 12 列" in page and 'name="file"' in page and "Expected" not in page
    assert page.index("TOML 文件第 7 行") > page.index(reverse("plans:plan_import", args=[draft.pk]))
    assert Plan.objects.get(pk=draft.pk).content == before


def test_the_english_page_gives_the_parser_s_english(personas: Any, client_for: Any) -> None:
    draft = personas.plans["draft"]
    client = client_for("head")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = _post(client, draft, "plan.toml", BROKEN.encode()).content.decode()
    assert "TOML file, line 7, column 12: Expected newline" in page


def test_an_excel_export_of_the_draft_imports_back(personas: Any, client_for: Any) -> None:
    draft = personas.plans["draft"]
    response = _post(client_for("head"), draft, "plan.xlsx", exchange.to_xlsx(draft))
    assert response.status_code == 302
    assert Plan.objects.get(pk=draft.pk).content == draft.content


def test_a_new_plan_from_a_broken_toml_keeps_the_form_with_the_line(personas: Any, client_for: Any) -> None:
    before = Plan.objects.count()
    data = {
        "department": personas.department.pk,
        "name": "新方案",
        "framework": personas.plans["framework"].pk,
        "start": "file",
        "file": SimpleUploadedFile("plan.toml", BROKEN.encode()),
    }
    response = client_for("head").post(reverse("plans:plan_create"), data)
    page = response.content.decode()
    assert response.status_code == 400 and 'name="file"' in page
    assert "TOML 文件第 7 行第 12 列" in page and "Expected" not in page
    assert Plan.objects.count() == before

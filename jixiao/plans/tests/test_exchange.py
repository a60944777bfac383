"""Plans to files and back: TOML and Excel round trips leave the content unchanged."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jixiao.common.errors import JixiaoError
from jixiao.engine import toml_format
from jixiao.plans import exchange
from jixiao.plans.adapters import plan_table

pytestmark = pytest.mark.django_db
DEMO_DATA = Path(__file__).resolve().parents[2] / "demo" / "data"


def test_toml_export_reads_back_to_the_same_content(personas: Any) -> None:
    plan = personas.plans["published"]
    text = exchange.to_toml("plan", plan_table(plan))
    assert toml_format.plan_from_dict(toml_format.parse(text)).key == plan.code
    assert exchange.content_from_toml(text) == plan.content


def test_excel_export_reads_back_to_the_same_content(personas: Any, tmp_path: Path) -> None:
    plan = personas.plans["published"]
    path = tmp_path / "plan.xlsx"
    path.write_bytes(exchange.to_xlsx(plan))
    assert exchange.content_from_xlsx(path) == plan.content


def test_the_demo_pay_plan_round_trips_through_toml() -> None:
    table = {
        "key": "k",
        "name_zh": "n",
        **exchange.content_from_toml((DEMO_DATA / "pay_marketing.toml").read_text("utf-8"), "pay"),
    }
    again = exchange.content_from_toml(exchange.to_toml("pay", table), "pay")
    assert again == {k: v for k, v in table.items() if k not in {"key", "name_zh"}}


def test_a_broken_toml_upload_names_where_it_is_wrong() -> None:
    upload = SimpleUploadedFile(
        "plan.toml",
        b'[plan]\nkey = "x"\nname_zh = "y"\n[[plan.indicators]]\nkey = "a"\nname_zh = "b"\nkind = "magic"\n',
    )
    with pytest.raises(JixiaoError) as refused:
        exchange.content_from_upload(upload)
    assert "indicators[0].kind" in refused.value.zh


def test_an_unknown_file_type_is_refused() -> None:
    with pytest.raises(JixiaoError, match="toml"):
        exchange.content_from_upload(SimpleUploadedFile("plan.docx", b"x"))


@pytest.mark.parametrize("template", sorted(exchange.TEMPLATES))
def test_every_template_starts_a_plan_that_passes_lint(personas: Any, template: str) -> None:
    from jixiao.plans import services
    from jixiao.plans.adapters import document_findings, has_blocking

    content = exchange.starting_content(template, None)
    plan = services.plan_create(
        user=personas["head"],
        department=personas.department,
        name=template,
        framework=personas.plans["framework"],
        content=content,
    )
    assert content["indicators"] and not has_blocking(document_findings(plan))


def test_template_choices_name_the_templates_and_published_plans(personas: Any) -> None:
    labels = dict(exchange.template_choices())
    assert labels["tpl_marketing"] == "市场部考核细则" and labels["tpl_customer_service"] == "客服部考核细则"
    assert f"plan_{personas.plans['published'].pk}" in labels

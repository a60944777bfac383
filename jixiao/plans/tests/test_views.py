"""Plan pages: the editor saves rows as the user types, lint follows live, conflicts keep input."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from jixiao.plans.models import Framework, Plan, Status

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _row(plan: Plan, index: int, **changes: Any) -> dict[str, Any]:
    indicator = {**plan.content["indicators"][index], **changes}
    data = {k: v for k, v in indicator.items() if k not in {"bands", "levels", "raters"}}
    data["raters"] = indicator.get("raters", [])
    data["bands"] = "\n".join(
        f"{b.get('lower', '')},{b.get('upper', '')},{b['points']}" for b in indicator.get("bands", [])
    )
    data["levels"] = "\n".join(
        f"{lv['key']}|{lv['name_zh']}|{lv['points']}" for lv in indicator.get("levels", [])
    )
    return data


def test_a_row_saves_through_htmx_and_the_lint_panel_follows(personas: Any, client_for: Any) -> None:
    draft = personas.plans["draft"]
    url = reverse("plans:indicator_save", args=[draft.pk, 0])
    response = client_for("head").post(
        url, {**_row(draft, 0, weight="45"), "plan_version": draft.version}, **HTMX
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="lint-panel"' in page and "hx-swap-oob" in page and "5–40" in page
    draft.refresh_from_db()
    assert draft.content["indicators"][0]["weight"] == "45" and draft.version == 2


def test_a_conflicting_row_save_keeps_the_input_and_says_why(personas: Any, client_for: Any) -> None:
    draft = personas.plans["draft"]
    url = reverse("plans:indicator_save", args=[draft.pk, 0])
    client_for("head").post(url, {**_row(draft, 0, weight="25"), "plan_version": draft.version}, **HTMX)
    response = client_for("hr").post(
        url, {**_row(draft, 0, weight="33"), "plan_version": draft.version}, **HTMX
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert 'value="33"' in page and "他人修改" in page
    draft.refresh_from_db()
    assert draft.content["indicators"][0]["weight"] == "25"


def test_an_invalid_row_answers_400_with_the_field_message(personas: Any, client_for: Any) -> None:
    draft = personas.plans["draft"]
    response = client_for("head").post(
        reverse("plans:indicator_save", args=[draft.pk, 1]), {**_row(draft, 1), "bands": "80,90"}, **HTMX
    )
    assert response.status_code == 400 and "下限,上限,得分" in response.content.decode()


def test_adding_an_indicator_without_htmx_redirects_to_the_plan(personas: Any, client_for: Any) -> None:
    draft = personas.plans["draft"]
    data = {
        "key": "quality",
        "name_zh": "质检合格率",
        "kind": "ratio",
        "weight": "5",
        "target": "0.98",
        "source": "import",
    }
    response = client_for("head").post(reverse("plans:indicator_add", args=[draft.pk]), data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.content["indicators"][-1]["key"] == "quality"


def test_others_cannot_edit_a_plan(personas: Any, client_for: Any) -> None:
    draft = personas.plans["draft"]
    response = client_for("other_head").post(
        reverse("plans:indicator_save", args=[draft.pk, 0]), _row(draft, 0)
    )
    assert response.status_code == 404
    response = client_for("colleague").post(
        reverse("plans:indicator_save", args=[draft.pk, 0]), _row(draft, 0)
    )
    assert response.status_code == 404


def test_the_editor_page_shows_rows_for_the_head_and_a_table_for_readers(
    personas: Any, client_for: Any
) -> None:
    draft = personas.plans["draft"]
    assert (
        'class="ind-row'
        in client_for("head").get(reverse("plans:plan_detail", args=[draft.pk])).content.decode()
    )
    page = client_for("deputy").get(reverse("plans:plan_detail", args=[draft.pk])).content.decode()
    assert 'class="ind-row' not in page and "转化率" in page


def test_submitting_through_the_page_reports_blocking_problems(personas: Any, client_for: Any) -> None:
    draft = personas.plans["draft"]
    client = client_for("head")
    client.post(
        reverse("plans:indicator_save", args=[draft.pk, 0]),
        {**_row(draft, 0, weight="45"), "plan_version": draft.version},
        **HTMX,
    )
    response = client.post(
        reverse("plans:plan_transition", args=[draft.pk]), {"action": "submit"}, follow=True
    )
    assert "阻止提交" in response.content.decode()
    assert Plan.objects.get(pk=draft.pk).status == Status.DRAFT


def test_an_employee_reads_how_they_are_appraised(personas: Any, client_for: Any) -> None:
    page = client_for("employee").get(reverse("plans:my_plan")).content.decode()
    assert "销售部考核细则" in page and "转化率" in page and "等级与系数" in page
    assert "还没有已发布" in client_for("finance").get(reverse("plans:my_plan")).content.decode()


def test_hr_edits_the_framework_through_the_form(personas: Any, client_for: Any) -> None:
    client = client_for("hr")
    response = client.get(reverse("plans:framework_create"))
    form = response.context["form"]
    data = {name: form[name].value() for name in form.fields}
    data["name"] = "2027 框架"
    data["cycle_types"] = ["month"]
    data["quota_enforced"] = ""
    response = client.post(
        reverse("plans:framework_create"), {k: v for k, v in data.items() if v is not None}
    )
    assert response.status_code == 302
    framework = Framework.objects.get(name="2027 框架")
    assert framework.content["cycle_types"] == ["month"] and framework.content["grades"][0]["key"] == "A"


def test_a_bad_framework_line_is_refused_with_its_line_number(personas: Any, client_for: Any) -> None:
    client = client_for("hr")
    form = client.get(reverse("plans:framework_create")).context["form"]
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data["grades"] = "A|优秀"
    response = client.post(reverse("plans:framework_create"), data)
    assert response.status_code == 400 and "第 1 行" in response.content.decode()


def test_the_create_form_offers_a_head_only_their_department(personas: Any, client_for: Any) -> None:
    head_choices = (
        client_for("head").get(reverse("plans:plan_create")).context["form"].fields["department"].queryset
    )
    assert list(head_choices) == [personas.department]
    positions = (
        client_for("head").get(reverse("plans:plan_create")).context["form"].fields["positions"].queryset
    )
    assert {p.department_id for p in positions} == {personas.department.pk}
    hr_choices = (
        client_for("hr").get(reverse("plans:plan_create")).context["form"].fields["department"].queryset
    )
    assert personas.other_department in hr_choices and personas.department in hr_choices


@pytest.mark.django_db
def test_my_plan_is_never_the_departments_pay_plan(personas: Any) -> None:
    """A published pay plan of the department names no positions either; it is not how anyone
    is appraised, so "how I am appraised" must not pick it."""
    from jixiao.plans.models import Plan
    from jixiao.plans.selectors import my_plan_page

    appraisal = my_plan_page(user=personas["employee"]).plan
    Plan.objects.create(
        code="p-pay-published", name="销售部薪酬方案", department=personas.department,
        framework=personas.plans["framework"], kind=Plan.Kind.PAY, content={}, author=personas["head"],
        status="published",
    )  # fmt: skip
    shown = my_plan_page(user=personas["employee"]).plan
    assert shown is not None and shown.kind == Plan.Kind.APPRAISAL and shown == appraisal

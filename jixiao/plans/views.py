"""Plan and framework pages (§2): thin views over ``selectors`` and ``services``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jixiao.access.policy import can, require
from jixiao.common.errors import JixiaoError

from . import exchange, reviews, selectors, services
from .forms import AnswerForm, CommentForm, IndicatorForm, MeetingForm, PlanCreateForm, TransitionForm
from .framework_forms import FrameworkForm
from .models import Framework, Plan, ReviewComment


def plan_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "plan.list")
    context = {
        "plans": selectors.plan_list(user=request.user),
        "frameworks": selectors.framework_list(user=request.user),
        "can_create": can(request.user, "plan.create"),
    }
    return render(request, "plans/plan_list.html", context)


def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(user=request.user, pk=pk)
    return render(request, "plans/plan_detail.html", _plan_context(request, plan))


def my_plan(request: HttpRequest) -> HttpResponse:
    plan = selectors.my_plan(user=request.user)
    return render(
        request, "plans/my_plan.html", {"plan": plan, "framework": plan.framework if plan else None}
    )


@require_http_methods(["GET", "POST"])
def plan_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "plan.create")
    form = PlanCreateForm(
        request.POST or None,
        request.FILES or None,
        departments=selectors.plan_departments(user=request.user),
        frameworks=selectors.published_frameworks(),
        templates=exchange.template_choices(),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            content = exchange.starting_content(data["start"], data.get("file"))
            plan = services.plan_create(
                user=request.user,
                department=data["department"],
                name=data["name"],
                framework=data["framework"],
                content=content,
                positions=list(data["positions"]),
            )
        except JixiaoError as error:
            form.add_error(None, error.text())
            for problem in error.problems:
                form.add_error(None, problem.text())
        else:
            messages.success(request, _("方案已创建，请逐项编辑指标。"))
            return redirect("plans:plan_detail", pk=plan.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "plans/plan_create.html", {"form": form}, status=status)


@require_POST
def indicator_save(request: HttpRequest, pk: int, index: int | None = None) -> HttpResponse:
    """Save one indicator row (htmx, as the user types); answer with the row and the lint panel."""
    plan = selectors.plan_get(user=request.user, pk=pk)
    form = IndicatorForm(request.POST)
    version = _int(request.POST.get("plan_version") or request.POST.get("plan_version_fallback"))
    error = ""
    if form.is_valid():
        try:
            plan = services.plan_indicator_save(
                user=request.user, plan=plan, index=index, indicator=form.indicator(), version=version
            )
        except JixiaoError as refused:
            error, status = refused.text(), refused.status
        else:
            if not _htmx(request) or index is None:
                return redirect(
                    reverse("plans:plan_detail", args=[plan.pk])
                    + f"#ind-{index if index is not None else 'new'}"
                )
            status = 200
    else:
        error, status = _("请按提示修改本行。"), 400
    if not _htmx(request):
        context = _plan_context(request, plan)
        context.update({"row_error": error, "row_index": index, "row_form": form})
        return render(request, "plans/plan_detail.html", context, status=status)
    context = _plan_context(request, plan)
    row: dict[str, Any] = next(
        (r for r in context["rows"] if r["index"] == index), {"findings": [], "comments": []}
    )
    context.update(
        {
            "form": form,
            "index": index,
            "row_error": error,
            "oob": True,
            "row_findings": row["findings"],
            "row_comments": row["comments"],
        }
    )
    return render(request, "plans/_indicator_row_response.html", context, status=status)


@require_POST
def indicator_delete(request: HttpRequest, pk: int, index: int) -> HttpResponse:
    plan = selectors.plan_get(user=request.user, pk=pk)
    services.plan_indicator_delete(
        user=request.user, plan=plan, index=index, version=_int(request.POST.get("plan_version"))
    )
    messages.success(request, _("指标已删除。"))
    return redirect("plans:plan_detail", pk=pk)


@require_POST
def plan_transition(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(user=request.user, pk=pk)
    return _transition(request, plan, reverse("plans:plan_detail", args=[pk]))


@require_POST
def comment_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(user=request.user, pk=pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        reviews.comment_add(user=request.user, plan=plan, **form.cleaned_data)
        messages.success(request, _("意见已记录。"))
    else:
        messages.error(request, _("意见不能为空。"))
    return redirect(reverse("plans:plan_detail", args=[pk]) + "#comments")


@require_POST
def comment_answer(request: HttpRequest, pk: int, comment_pk: int) -> HttpResponse:
    plan = selectors.plan_get(user=request.user, pk=pk)
    comment = get_object_or_404(ReviewComment, pk=comment_pk, plan=plan)
    form = AnswerForm(request.POST)
    if form.is_valid():
        reviews.comment_answer(user=request.user, comment=comment, answer=form.cleaned_data["answer"])
        messages.success(request, _("答复已保存。"))
    else:
        messages.error(request, _("答复不能为空。"))
    return redirect(reverse("plans:plan_detail", args=[pk]) + "#comments")


@require_POST
def plan_new_version(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(user=request.user, pk=pk)
    draft = services.document_new_version(user=request.user, document=plan)
    messages.success(request, _("已创建新版本草稿。"))
    return redirect("plans:plan_detail", pk=draft.pk)


def revision_diff(request: HttpRequest, pk: int, round_: int) -> HttpResponse:
    plan = selectors.plan_get(user=request.user, pk=pk)
    revision, changes = selectors.revision_diff(plan, round_)
    return render(request, "plans/diff.html", {"document": plan, "revision": revision, "changes": changes})


def plan_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    plan = selectors.plan_get(user=request.user, pk=pk)
    return exchange.plan_download(plan, fmt)


@require_POST
def plan_import(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(user=request.user, pk=pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("请选择要上传的文件。"))
        return redirect("plans:plan_detail", pk=pk)
    content = exchange.content_from_upload(upload, "pay" if plan.kind == Plan.Kind.PAY else "plan")
    services.document_save_content(
        user=request.user, document=plan, content=content, version=_int(request.POST.get("plan_version"))
    )
    messages.success(request, _("已从文件导入指标。"))
    return redirect("plans:plan_detail", pk=pk)


@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "meeting.record")
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reviews.meeting_record(user=request.user, **form.cleaned_data)
        messages.success(request, _("会议已记录。"))
        return redirect(request.GET.get("next") or "plans:plans")
    return render(
        request, "plans/meeting_form.html", {"form": form}, status=400 if request.method == "POST" else 200
    )


def _transition(request: HttpRequest, document: Any, back: str) -> HttpResponse:
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请求不完整。"))
        return redirect(back)
    data = form.cleaned_data
    try:
        services.document_transition(
            user=request.user,
            document=document,
            action=data["action"],
            note=data.get("note") or "",
            meeting=data.get("meeting"),
            effective_from=data.get("effective_from") or "",
        )
    except JixiaoError as error:
        if error.status == 403:
            raise
        messages.error(request, " ".join([error.text(), *(p.text() for p in error.problems)]))
    else:
        messages.success(request, _("操作已完成。"))
    return redirect(back)


def _plan_context(request: HttpRequest, plan: Plan) -> dict[str, Any]:
    findings = selectors.lint(plan)
    indicators = plan.content.get("indicators", [])
    editable = plan.kind == Plan.Kind.APPRAISAL and plan.is_editable and can(request.user, "plan.edit", plan)
    by_row = selectors.findings_by_row(findings)
    actions = selectors.available_actions(user=request.user, document=plan)
    history = selectors.timeline(plan)
    rows = [
        {
            "index": i,
            "indicator": ind,
            "form": IndicatorForm(initial=IndicatorForm.initial_from(ind), prefix=None) if editable else None,
            "findings": by_row.get(i, []),
            "comments": [c for c in plan.comments.all() if c.indicator_key == ind.get("key")],
        }
        for i, ind in enumerate(indicators)
    ]
    return {
        "plan": plan,
        "rows": rows,
        "findings": findings,
        "lint_items": [(f, selectors.finding_row(f)) for f in findings],
        "blocking": [f for f in findings if f.severity == "blocking"],
        "editable": editable,
        "new_form": IndicatorForm() if editable else None,
        "actions": actions,
        "needs_meeting": any(a.needs_meeting for a in actions),
        "publishes": any(a.publishes for a in actions),
        "meetings": selectors.meetings_open()[:20],
        "comments": plan.comments.select_related("author", "answered_by"),
        "can_comment": plan.status == "submitted" and can(request.user, "plan.hr_review", plan),
        "can_answer": plan.is_editable and can(request.user, "plan.answer", plan),
        "can_new_version": plan.status == "published" and can(request.user, "plan.new_version", plan),
        "can_record_meeting": can(request.user, "meeting.record"),
        "revisions": selectors.revisions(plan),
        "timeline": history,
        "last_reason": next((e.reason for e in reversed(history) if e.reason), ""),
        "pay_toml": exchange.to_toml("pay", plan.content) if plan.kind == Plan.Kind.PAY else "",
        "can_replace": plan.is_editable and can(request.user, "plan.edit", plan),
    }


def _htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


# -- frameworks ----------------------------------------------------------------------------


def framework_detail(request: HttpRequest, pk: int) -> HttpResponse:
    framework = selectors.framework_get(user=request.user, pk=pk)
    actions = selectors.available_actions(user=request.user, document=framework)
    findings = selectors.lint(framework)
    context = {
        "framework": framework,
        "findings": findings,
        "lint_items": [(f, None) for f in findings],
        "blocking": [f for f in findings if f.severity == "blocking"],
        "actions": actions,
        "needs_meeting": any(a.needs_meeting for a in actions),
        "publishes": any(a.publishes for a in actions),
        "meetings": selectors.meetings_open()[:20],
        "can_edit": framework.is_editable and can(request.user, "framework.edit", framework),
        "can_new_version": framework.status == "published"
        and can(request.user, "framework.new_version", framework),
        "revisions": selectors.revisions(framework),
        "timeline": selectors.timeline(framework),
    }
    return render(request, "plans/framework_detail.html", context)


@require_http_methods(["GET", "POST"])
def framework_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    framework: Framework | None = selectors.framework_get(user=request.user, pk=pk) if pk else None
    require(request.user, "framework.edit" if framework else "framework.create", framework)
    existing = framework.content if framework else exchange.default_framework_content()
    initial = FrameworkForm.initial_from(framework.name if framework else _("公司绩效考核总框架"), existing)
    form = FrameworkForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if framework is None:
                framework = services.framework_create(
                    user=request.user,
                    code=exchange.new_framework_code(),
                    name=form.cleaned_data["name"],
                    content=form.content(existing),
                )
            else:
                framework = services.document_save_content(
                    user=request.user,
                    document=framework,
                    content=form.content(existing),
                    version=_int(request.POST.get("version")),
                )
        except JixiaoError as error:
            form.add_error(None, error.text())
        else:
            messages.success(request, _("考核总框架已保存。"))
            return redirect("plans:framework_detail", pk=framework.pk)
    context = {"form": form, "framework": framework}
    return render(
        request, "plans/framework_form.html", context, status=400 if request.method == "POST" else 200
    )


@require_POST
def framework_transition(request: HttpRequest, pk: int) -> HttpResponse:
    framework = selectors.framework_get(user=request.user, pk=pk)
    return _transition(request, framework, reverse("plans:framework_detail", args=[pk]))


@require_POST
def framework_new_version(request: HttpRequest, pk: int) -> HttpResponse:
    framework = selectors.framework_get(user=request.user, pk=pk)
    draft = services.document_new_version(user=request.user, document=framework)
    messages.success(request, _("已创建新版本草稿。"))
    return redirect("plans:framework_detail", pk=draft.pk)

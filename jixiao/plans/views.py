"""Plan and framework pages (§2): thin views over ``selectors`` and ``services``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jixiao.access.policy import require
from jixiao.common.errors import JixiaoError
from jixiao.common.validators import whole_number
from jixiao.common.views import next_url

from . import exchange, reviews, selectors, services
from .forms import AnswerForm, CommentForm, IndicatorForm, MeetingForm, PlanCreateForm, TransitionForm
from .framework_forms import FrameworkForm


def plan_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "plan.list")
    page = selectors.plan_list_page(user=request.user, todo=request.GET.get("todo") == "1")
    return render(request, "plans/plan_list.html", selectors.page_fields(page))


def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    page = selectors.plan_page(user=request.user, pk=pk)
    return render(request, "plans/plan_detail.html", _plan_context(page))


def my_plan(request: HttpRequest) -> HttpResponse:
    page = selectors.my_plan_page(user=request.user)
    return render(request, "plans/my_plan.html", selectors.page_fields(page))


@require_http_methods(["GET", "POST"])
def plan_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "plan.create")
    options = selectors.plan_create_options(user=request.user)
    form = PlanCreateForm(
        request.POST or None,
        request.FILES or None,
        departments=options.departments,
        frameworks=options.frameworks,
        templates=options.templates,
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
    error, status = _("请按提示修改本行。"), 400
    if form.is_valid():
        try:
            services.plan_indicator_save(
                user=request.user,
                plan=plan,
                index=index,
                indicator=form.indicator(),
                version=version,
                shown=form.fields,
            )
        except JixiaoError as refused:
            error, status = refused.text(), refused.status
        else:
            error, status = "", 200
            if not _htmx(request) or index is None:
                anchor = f"#ind-{index if index is not None else 'new'}"
                return redirect(reverse("plans:plan_detail", args=[pk]) + anchor)
    context = _plan_context(selectors.plan_page(user=request.user, pk=pk))
    context.update({"row_error": error, "row_index": index, "row_form": form})
    if not _htmx(request):
        return render(request, "plans/plan_detail.html", context, status=status)
    row = next((r for r in context["rows"] if r.index == index), None)
    context.update(
        {
            "form": form,
            "index": index,
            "oob": True,
            "row_findings": row.findings if row else [],
            "row_comments": row.comments if row else [],
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
    comment = selectors.comment_get(user=request.user, plan=plan, pk=comment_pk)
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
    page = selectors.revision_diff_page(user=request.user, pk=pk, round_=round_)
    return render(request, "plans/diff.html", selectors.page_fields(page))


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
    try:
        content = exchange.content_from_upload(upload, "pay" if plan.is_pay else "plan")
        services.document_save_content(
            user=request.user, document=plan, content=content, version=_int(request.POST.get("plan_version"))
        )
    except JixiaoError as error:
        # The refusal stays on the plan page, inside the import form, with its line or cell.
        context = _plan_context(selectors.plan_page(user=request.user, pk=pk))
        refused = {"import_error": error.text(), "import_problems": [p.text() for p in error.problems]}
        return render(request, "plans/plan_detail.html", context | refused, status=error.status)
    messages.success(request, _("已从文件导入指标。"))
    return redirect("plans:plan_detail", pk=pk)


@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "meeting.record")
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reviews.meeting_record(user=request.user, **form.cleaned_data)
        messages.success(request, _("会议已记录。"))
        return redirect(next_url(request, "plans:plans"))
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
        reviews.document_transition(
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


def _plan_context(page: selectors.PlanPage) -> dict[str, Any]:
    """The plan page's context: the page, with the editor's forms when the user may edit."""
    if page.editable:
        for row in page.rows:
            row.form = IndicatorForm(initial=IndicatorForm.initial_from(row.indicator), prefix=None)
    return {**page.context(), "new_form": IndicatorForm() if page.editable else None}


def _htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _int(value: str | None) -> int | None:
    return whole_number(value)


# -- frameworks ----------------------------------------------------------------------------


def framework_detail(request: HttpRequest, pk: int) -> HttpResponse:
    page = selectors.framework_page(user=request.user, pk=pk)
    return render(request, "plans/framework_detail.html", page.context())


@require_http_methods(["GET", "POST"])
def framework_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    framework = selectors.framework_get(user=request.user, pk=pk) if pk else None
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

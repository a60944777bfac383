"""Pages for department summaries, findings, rectification, release settings and feedback
interviews (§3, §6): thin views over the wing's page selectors and services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jixiao.common.errors import JixiaoError, PermissionRefused
from jixiao.common.validators import whole_number
from jixiao.common.views import form_through_service

from . import selectors, services
from .forms import FindingForm, InterviewForm, ReleaseForm, SummaryForm

SUMMARY_TEXT = ("work_done", "problems", "next_steps")


def summary_list(request: HttpRequest, pk: int) -> HttpResponse:
    page = selectors.summaries_page(user=request.user, pk=pk, todo=request.GET.get("todo") == "1")
    return render(
        request, "cycles/summaries.html", {"cycle": page.cycle, "rows": page.rows, "todo": page.todo}
    )


@require_http_methods(["GET", "POST"])
def summary_detail(request: HttpRequest, pk: int, department_pk: int) -> HttpResponse:
    page = selectors.summary_page(user=request.user, pk=pk, department_pk=department_pk)
    s = page.summary
    initial = {key: getattr(s, key) for key in SUMMARY_TEXT} if s else {}

    def save(form: Any) -> Any:
        text = {key: form.cleaned_data[key] for key in SUMMARY_TEXT}
        saved = services.summary_save(
            user=request.user,
            cycle=page.cycle,
            department=page.department,
            **text,
            expected_version=form.cleaned_data["version"],
        )
        if "submit" in request.POST:
            return services.summary_submit(user=request.user, summary=saved)
        return saved

    return form_through_service(
        request,
        form=SummaryForm(request.POST or None, initial={**initial, "version": s.version if s else 0}),
        save=save,
        template="cycles/summary_detail.html",
        context={"page": page, "finding_form": FindingForm()},
        success=lambda s: request.path,
        success_message=_("部门汇总已保存。"),
    )


def _attempt(request: HttpRequest, action: Callable[[], Any], done: str) -> None:
    """Run one service call for a small POST form; a refusal of the user's input becomes a message
    on the page they return to, a refused permission stays a 403."""
    try:
        action()
        messages.success(request, done)
    except PermissionRefused:
        raise
    except JixiaoError as error:
        messages.error(request, error.text())


@require_POST
def summary_check(request: HttpRequest, pk: int) -> HttpResponse:
    summary = selectors.summary_get(user=request.user, pk=pk)
    if request.POST.get("op") == "return":
        reason = request.POST.get("reason", "")
        _attempt(
            request,
            lambda: services.summary_return(user=request.user, summary=summary, reason=reason),
            _("已退回部门负责人。"),
        )
    else:
        _attempt(request, lambda: services.summary_check(user=request.user, summary=summary), _("已核对。"))
    return redirect("cycles:summary_detail", pk=summary.cycle_id, department_pk=summary.department_id)


@require_POST
def finding_add(request: HttpRequest, pk: int) -> HttpResponse:
    summary = selectors.summary_get(user=request.user, pk=pk)
    form = FindingForm(request.POST)
    if form.is_valid():
        _attempt(
            request,
            lambda: services.finding_record(user=request.user, summary=summary, **form.cleaned_data),
            _("检查发现已记录。"),
        )
    else:
        messages.error(request, _("请填写检查发现。"))
    return redirect("cycles:summary_detail", pk=summary.cycle_id, department_pk=summary.department_id)


def rectification_list(request: HttpRequest) -> HttpResponse:
    todo = request.GET.get("todo") == "1"  # only those waiting on the user (the home page's to-do)
    rows = selectors.rectifications_page(user=request.user, todo=todo)
    return render(request, "cycles/rectifications.html", {"rows": rows, "todo": todo})


@require_POST
def rectification_answer(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.rectification_get(user=request.user, pk=pk)
    response, version = request.POST.get("response", ""), _version(request)
    _attempt(
        request,
        lambda: services.rectification_answer(
            user=request.user, item=item, response=response, expected_version=version
        ),
        _("整改情况已提交。"),
    )
    return redirect("cycles:rectifications")


@require_POST
def rectification_verify(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.rectification_get(user=request.user, pk=pk)
    accepted, reason = request.POST.get("op") != "reopen", request.POST.get("reason", "")
    _attempt(
        request,
        lambda: services.rectification_verify(user=request.user, item=item, accepted=accepted, reason=reason),
        _("已处理。"),
    )
    return redirect("cycles:rectifications")


def _version(request: HttpRequest) -> int | None:
    """The optimistic version a small form carries (None when the form has none)."""
    value = request.POST.get("version", "")
    return whole_number(value)


@require_http_methods(["GET", "POST"])
def release_settings(request: HttpRequest, pk: int) -> HttpResponse:
    page = selectors.release_page(user=request.user, pk=pk)
    return form_through_service(
        request,
        form=ReleaseForm(request.POST or None, initial=page.initial),
        save=lambda form: services.cycle_release_set(
            user=request.user, cycle=page.cycle, **form.cleaned_data
        ),
        template="cycles/release.html",
        context={"cycle": page.cycle},
        success=lambda c: f"/cycles/{c.pk}/",
        success_message=_("结果开通设置已保存。"),
    )


def interview_progress(request: HttpRequest, pk: int) -> HttpResponse:
    page = selectors.interview_progress_page(user=request.user, pk=pk)
    template = "cycles/_interview_progress.html" if request.htmx else "cycles/interview_progress.html"  # type: ignore[attr-defined]
    return render(request, template, {"cycle": page.cycle, "rows": page.rows})


@require_http_methods(["GET", "POST"])
def interview_record(request: HttpRequest, pk: int) -> HttpResponse:
    page = selectors.interview_form_page(user=request.user, pk=pk)
    member, i, result = page.member, page.interview, page.result
    fields = ("held_on", "strengths", "improvements", "goals")
    initial = {key: getattr(i, key) for key in fields} if i else {}
    return form_through_service(
        request,
        form=InterviewForm(request.POST or None, initial={**initial, "version": i.version if i else 0}),
        save=lambda form: services.interview_record(user=request.user, member=member, **_versioned(form)),
        template="cycles/interview_form.html",
        context={"member": member, "interview": i, "result": result},
        success=lambda saved: f"/cycles/results/{result.pk}/" if result else f"/cycles/{member.cycle_id}/",
        success_message=_("面谈记录已保存。"),
    )


def _versioned(form: Any) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    data["expected_version"] = data.pop("version")
    return data


@require_POST
def interview_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    interview = selectors.interview_get(user=request.user, pk=pk)
    comment, version = request.POST.get("comment", ""), _version(request)
    _attempt(
        request,
        lambda: services.interview_acknowledge(
            user=request.user, interview=interview, comment=comment, expected_version=version
        ),
        _("已确认面谈记录。"),
    )
    result = getattr(interview.member, "result", None)
    return redirect("cycles:result_detail", pk=result.pk) if result else redirect("cycles:my_results")

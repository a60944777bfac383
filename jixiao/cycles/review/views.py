"""Pages for department summaries, findings, rectification, release settings and feedback
interviews (§3, §6): thin views over ``review_selectors`` and the services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jixiao.access.policy import require
from jixiao.common.errors import JixiaoError, PermissionRefused
from jixiao.common.views import form_through_service

from . import interviews, release, review_selectors, selectors, summaries
from .review_forms import FindingForm, InterviewForm, ReleaseForm, SummaryForm


def summary_list(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = selectors.cycle_get(user=request.user, pk=pk)
    rows = review_selectors.summaries_board(user=request.user, cycle=cycle)
    return render(request, "cycles/summaries.html", {"cycle": cycle, "rows": rows})


@require_http_methods(["GET", "POST"])
def summary_detail(request: HttpRequest, pk: int, department_pk: int) -> HttpResponse:
    cycle = selectors.cycle_get(user=request.user, pk=pk)
    page = review_selectors.summary_page(user=request.user, cycle=cycle, department_pk=department_pk)
    s = page.summary
    initial = {"work_done": s.work_done, "problems": s.problems, "next_steps": s.next_steps} if s else {}

    def save(form: Any) -> Any:
        saved = summaries.summary_save(user=request.user, cycle=cycle, department=page.department,
                                       **{k: form.cleaned_data[k] for k in ("work_done", "problems", "next_steps")},
                                       expected_version=form.cleaned_data["version"])  # fmt: skip
        return (
            summaries.summary_submit(user=request.user, summary=saved) if "submit" in request.POST else saved
        )

    return form_through_service(
        request, form=SummaryForm(request.POST or None, initial={**initial, "version": s.version if s else 0}),
        save=save, template="cycles/summary_detail.html", context={"page": page, "finding_form": FindingForm()},
        success=lambda s: request.path, success_message=_("部门汇总已保存。"),
    )  # fmt: skip


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
    summary = review_selectors.summary_get(user=request.user, pk=pk)
    if request.POST.get("op") == "return":
        reason = request.POST.get("reason", "")
        _attempt(request, lambda: summaries.summary_return(user=request.user, summary=summary, reason=reason),
                 _("已退回部门负责人。"))  # fmt: skip
    else:
        _attempt(request, lambda: summaries.summary_check(user=request.user, summary=summary), _("已核对。"))
    return redirect("cycles:summary_detail", pk=summary.cycle_id, department_pk=summary.department_id)


@require_POST
def finding_add(request: HttpRequest, pk: int) -> HttpResponse:
    summary = review_selectors.summary_get(user=request.user, pk=pk)
    form = FindingForm(request.POST)
    if form.is_valid():
        _attempt(request, lambda: summaries.finding_record(user=request.user, summary=summary, **form.cleaned_data),
                 _("检查发现已记录。"))  # fmt: skip
    else:
        messages.error(request, _("请填写检查发现。"))
    return redirect("cycles:summary_detail", pk=summary.cycle_id, department_pk=summary.department_id)


def rectification_list(request: HttpRequest) -> HttpResponse:
    rows = review_selectors.rectifications(user=request.user)
    return render(request, "cycles/rectifications.html", {"rows": rows})


@require_POST
def rectification_answer(request: HttpRequest, pk: int) -> HttpResponse:
    item = review_selectors.rectification_get(user=request.user, pk=pk)
    response, version = request.POST.get("response", ""), _version(request)
    _attempt(request, lambda: summaries.rectification_answer(user=request.user, item=item, response=response,
                                                             expected_version=version), _("整改情况已提交。"))  # fmt: skip
    return redirect("cycles:rectifications")


@require_POST
def rectification_verify(request: HttpRequest, pk: int) -> HttpResponse:
    item = review_selectors.rectification_get(user=request.user, pk=pk)
    accepted, reason = request.POST.get("op") != "reopen", request.POST.get("reason", "")
    _attempt(request, lambda: summaries.rectification_verify(user=request.user, item=item, accepted=accepted,
                                                             reason=reason), _("已处理。"))  # fmt: skip
    return redirect("cycles:rectifications")


def _version(request: HttpRequest) -> int | None:
    """The optimistic version a small form carries (None when the form has none)."""
    value = request.POST.get("version", "")
    return int(value) if value.isdigit() else None


@require_http_methods(["GET", "POST"])
def release_settings(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = selectors.cycle_get(user=request.user, pk=pk)
    require(request.user, "cycle.manage")
    initial = {"score": cycle.release_score, "grade": cycle.release_grade, "rank": cycle.release_rank}
    return form_through_service(
        request, form=ReleaseForm(request.POST or None, initial=initial),
        save=lambda form: release.cycle_release_set(user=request.user, cycle=cycle, **form.cleaned_data),
        template="cycles/release.html", context={"cycle": cycle},
        success=lambda c: f"/cycles/{c.pk}/", success_message=_("结果开通设置已保存。"),
    )  # fmt: skip


def interview_progress(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = selectors.cycle_get(user=request.user, pk=pk)
    rows = review_selectors.interview_progress(user=request.user, cycle=cycle)
    template = "cycles/_interview_progress.html" if request.htmx else "cycles/interview_progress.html"  # type: ignore[attr-defined]
    return render(request, template, {"cycle": cycle, "rows": rows})


@require_http_methods(["GET", "POST"])
def interview_record(request: HttpRequest, pk: int) -> HttpResponse:
    member, interview, result = review_selectors.interview_member(user=request.user, pk=pk)
    i = interview
    initial = (
        {"held_on": i.held_on, "strengths": i.strengths, "improvements": i.improvements, "goals": i.goals}
        if i
        else {}
    )
    return form_through_service(
        request, form=InterviewForm(request.POST or None, initial={**initial, "version": i.version if i else 0}),
        save=lambda form: interviews.interview_record(user=request.user, member=member, **_versioned(form)),
        template="cycles/interview_form.html", context={"member": member, "interview": i, "result": result},
        success=lambda saved: f"/cycles/results/{result.pk}/" if result else f"/cycles/{member.cycle_id}/",
        success_message=_("面谈记录已保存。"),
    )  # fmt: skip


def _versioned(form: Any) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    data["expected_version"] = data.pop("version")
    return data


@require_POST
def interview_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    interview = review_selectors.interview_get(user=request.user, pk=pk)
    comment, version = request.POST.get("comment", ""), _version(request)
    _attempt(request, lambda: interviews.interview_acknowledge(user=request.user, interview=interview,
                                                               comment=comment, expected_version=version),
             _("已确认面谈记录。"))  # fmt: skip
    result = getattr(interview.member, "result", None)
    return redirect("cycles:result_detail", pk=result.pk) if result else redirect("cycles:my_results")

"""Improvement plan pages (issue 13): the list, a new plan, the plan page with its small forms,
and the check-in form. Thin: parse → one service or selector → render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from jixiao.common.errors import JixiaoError
from jixiao.common.forms import add_refusal
from jixiao.common.views import choice_param, form_through_service, int_param

from . import selectors, services
from .forms import (
    CheckInForm,
    CommentForm,
    GoalForm,
    RemoveForm,
    ReviewForm,
    StartForm,
    StepForm,
    SupportForm,
)

DONE = {
    "acknowledge": gettext_lazy("已确认计划。"),
    "acknowledge_update": gettext_lazy("已确认新版本。"),
    "revise": gettext_lazy("计划可以继续修改了。"),
    "begin": gettext_lazy("已开始跟进。"),
    "outcome_improved": gettext_lazy("已记录结论：已达成改进。"),
    "outcome_extended": gettext_lazy("计划已延长。"),
    "outcome_closed": gettext_lazy("计划已结束。"),
}


def plan_list(request: HttpRequest) -> HttpResponse:
    page = selectors.plans_page(
        user=request.user,
        state=choice_param(request, "state", ("", *selectors.STATE_FILTERS), "open"),
        overdue=request.GET.get("overdue") == "1",
        todo=request.GET.get("todo") == "1",
    )
    return render(request, "improvement/list.html", {"page": page})


@require_http_methods(["GET", "POST"])
def plan_new(request: HttpRequest) -> HttpResponse:
    chosen = int_param(request, "employee") or int_param(request, "employee_id")
    page = selectors.new_page(user=request.user, employee_id=chosen)
    employees = [(e.pk, f"{e.name}（{e.department.name}）") for e in page.candidates]
    results = [(r.pk, r.cycle.label) for r in page.results]
    form = StartForm(request.POST or None, employees=employees, results=results,
                     initial={"employee": page.employee.pk if page.employee else None})  # fmt: skip

    def save(f: Any) -> Any:
        data = f.cleaned_data
        return services.improvement_plan_start(
            user=request.user, employee_id=data["employee"], result_ids=data["results"], reason=data["reason"]
        )

    return form_through_service(
        request, form=form, save=save, template="improvement/new.html", context={"page": page},
        success=lambda p: p.link, success_message=_("计划已建立，请与员工一起写下目标、支持和复盘日期。"),
    )  # fmt: skip


def _detail(request: HttpRequest, pk: int, *, status: int = 200, **forms: Any) -> HttpResponse:
    page = selectors.plan_page(user=request.user, pk=pk)
    version = {"version": page.plan.version}
    context = {
        "page": page,
        "goal_form": GoalForm(initial=version),
        "support_form": SupportForm(initial=version),
        "review_form": ReviewForm(initial=version),
        "step_form": StepForm(initial=version),
        "comment_form": CommentForm(),
        **forms,
    }
    return render(request, "improvement/detail.html", context, status=status)


def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, pk)


def _run(
    request: HttpRequest, pk: int, form: Any, key: str, call: Callable[[Any], Any], done: str
) -> HttpResponse:
    """Validate ``form``, run one service call; a refusal re-renders the plan page with the input."""
    if not form.is_valid():
        return _detail(request, pk, status=400, **{key: form})
    try:
        call(form.cleaned_data)
    except JixiaoError as error:
        add_refusal(form, error)
        return _detail(request, pk, status=error.status, **{key: form})
    messages.success(request, done)
    return redirect("improvement:detail", pk=pk)


@require_POST
def goal_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan, user = selectors.plan_get(user=request.user, pk=pk), request.user

    def call(d: dict[str, Any]) -> Any:
        return services.goal_add(
            user=user, plan=plan, text=d["text"], measure=d["measure"], target_date=d["target_date"],
            version=d["version"],
        )  # fmt: skip

    return _run(request, pk, GoalForm(request.POST), "goal_form", call, _("已添加目标。"))


@require_POST
def support_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan, user = selectors.plan_get(user=request.user, pk=pk), request.user

    def call(d: dict[str, Any]) -> Any:
        return services.support_add(
            user=user, plan=plan, kind=d["kind"], text=d["text"], version=d["version"]
        )

    return _run(request, pk, SupportForm(request.POST), "support_form", call, _("已添加支持措施。"))


@require_POST
def review_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan, user = selectors.plan_get(user=request.user, pk=pk), request.user

    def call(d: dict[str, Any]) -> Any:
        return services.review_add(user=user, plan=plan, due=d["due"], version=d["version"])

    return _run(request, pk, ReviewForm(request.POST), "review_form", call, _("已添加复盘日期。"))


@require_POST
def item_remove(request: HttpRequest, pk: int) -> HttpResponse:
    plan, user = selectors.plan_get(user=request.user, pk=pk), request.user

    def call(d: dict[str, Any]) -> Any:
        return services.item_remove(user=user, plan=plan, kind=d["kind"], pk=d["item"], version=d["version"])

    return _run(request, pk, RemoveForm(request.POST), "step_form", call, _("已删除。"))


def _step_call(request: HttpRequest, plan: Any, op: str) -> Callable[[dict[str, Any]], Any]:
    user = request.user
    if op == "acknowledge" or op == "acknowledge_update":
        return lambda d: services.plan_acknowledge(user=user, plan=plan, version=d["version"])
    if op == "revise":
        return lambda d: services.plan_revise(user=user, plan=plan, reason=d["reason"], version=d["version"])
    if op == "begin":
        return lambda d: services.plan_begin(user=user, plan=plan, version=d["version"])
    return lambda d: services.plan_outcome(
        user=user, plan=plan, outcome=op, reason=d["reason"], new_review=d["new_review"], version=d["version"]
    )


@require_POST
def plan_step(request: HttpRequest, pk: int) -> HttpResponse:
    """The buttons of the plan page (rows of the workflow table); the reason where one is asked."""
    plan = selectors.plan_get(user=request.user, pk=pk)
    op = request.POST.get("op", "")[:20]
    return _run(
        request, pk, StepForm(request.POST), "step_form", _step_call(request, plan, op), str(DONE.get(op, ""))
    )


@require_POST
def comment_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan, user = selectors.plan_get(user=request.user, pk=pk), request.user

    def call(d: dict[str, Any]) -> Any:
        return services.comment_add(user=user, plan=plan, text=d["text"])

    return _run(request, pk, CommentForm(request.POST), "comment_form", call, _("意见已发表。"))


@require_http_methods(["GET", "POST"])
def checkin(request: HttpRequest, pk: int) -> HttpResponse:
    page = selectors.checkin_page(user=request.user, pk=pk)
    plan = page.plan
    form = CheckInForm(request.POST or None, reviews=page.reviews)

    def save(f: Any) -> Any:
        d = f.cleaned_data
        return services.checkin_record(
            user=request.user,
            plan=plan,
            day=d["day"],
            note=d["note"],
            progress=d["progress"],
            review_id=d["review"],
        )

    return form_through_service(
        request, form=form, save=save, template="improvement/checkin.html",
        context={"page": page},
        success=lambda c: plan.link, success_message=_("跟进记录已保存。"),
    )  # fmt: skip

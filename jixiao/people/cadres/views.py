"""Cadre review pages (issue 13): nominations, eligibility with traces, the rules, nominating,
the nomination (scores, conflicts, steps), the leader's decision, a person's trace with potential,
the nine-box grid. Thin: parse → one service or selector → render."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from jixiao.common.errors import JixiaoError
from jixiao.common.forms import add_refusal
from jixiao.common.views import choice_param, form_through_service, int_param

from . import selectors, services
from .forms import ApproveForm, NominateForm, PotentialForm, ReasonForm, RuleForm, ScoreForm

DONE = {
    "end_evaluation": gettext_lazy("评议已结束，已提交组长审批。"),
    "reopen": gettext_lazy("已退回继续评议。"),
    "reject": gettext_lazy("已决定不予批准。"),
    "withdraw": gettext_lazy("提名已撤回。"),
}


def nominations(request: HttpRequest) -> HttpResponse:
    state = choice_param(request, "state", selectors.STATE_FILTERS, "")
    return render(
        request,
        "cadres/nominations.html",
        {
            "page": selectors.nominations_page(
                user=request.user, state=state, todo=request.GET.get("todo") == "1"
            )
        },
    )


def mine(request: HttpRequest) -> HttpResponse:
    return render(request, "cadres/mine.html", {"rows": selectors.my_nominations(user=request.user)})


def eligibility(request: HttpRequest) -> HttpResponse:
    page = selectors.eligibility_page(user=request.user, position_id=int_param(request, "position"))
    return render(request, "cadres/eligibility.html", {"page": page})


def rules(request: HttpRequest) -> HttpResponse:
    return render(request, "cadres/rules.html", {"page": selectors.rules_page(user=request.user)})


@require_http_methods(["GET", "POST"])
def rule_edit(request: HttpRequest, level: int) -> HttpResponse:
    existing = selectors.rule_for(user=request.user, level=level)
    initial = {
        k: getattr(existing, k) for k in RuleForm.base_fields if existing is not None and k != "version"
    }
    form = RuleForm(
        request.POST or None, initial={**initial, "version": existing.version if existing else None}
    )

    def save(f: Any) -> Any:
        data = f.cleaned_data
        return services.eligibility_rule_save(
            user=request.user, level=level, data=data, version=data["version"]
        )

    return form_through_service(
        request, form=form, save=save, template="cadres/rule_edit.html", context={"level": level, "rule": existing},
        success=lambda r: reverse("cadres:rules"), success_message=_("任职条件已保存。"),
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def nominate(request: HttpRequest, employee: int, position: int) -> HttpResponse:
    page = selectors.nominate_page(user=request.user, employee_id=employee, position_id=position)
    form = NominateForm(request.POST or None)

    def save(f: Any) -> Any:
        data = f.cleaned_data
        return services.nomination_create(
            user=request.user, employee=page.employee, target=page.target, reason=data["reason"],
            override_reason=data["override_reason"],
        )  # fmt: skip

    return form_through_service(
        request, form=form, save=save, template="cadres/nominate.html", context={"page": page},
        success=lambda n: n.link, success_message=_("提名已提交，考核小组将评议。"),
    )  # fmt: skip


def _detail(request: HttpRequest, pk: int, *, status: int = 200, **forms: Any) -> HttpResponse:
    page = selectors.nomination_or_outcome(user=request.user, pk=pk)
    if isinstance(page, selectors.OutcomePage):
        return render(request, "cadres/outcome.html", {"page": page}, status=status)
    context = {
        "page": page,
        "step_form": ReasonForm(initial={"version": page.nomination.version}),
        "score_form": ScoreForm(initial=page.mine.points if page.mine else None),
        "conflict_form": ReasonForm(),
        **forms,
    }
    return render(request, "cadres/nomination.html", context, status=status)


def nomination(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, pk)


def _run(
    request: HttpRequest, pk: int, form: Any, key: str, call: Callable[[], Any], done: str
) -> HttpResponse:
    """Run one step of the nomination page; a refusal re-renders it with the input and the reason."""
    try:
        call()
    except JixiaoError as error:
        add_refusal(form, error)
        return _detail(request, pk, status=error.status, **{key: form})
    messages.success(request, done)
    return redirect("cadres:nomination", pk=pk)


@require_POST
def step(request: HttpRequest, pk: int) -> HttpResponse:
    """close, reopen, reject, withdraw (a reason each where the step needs one)."""
    op = request.POST.get("op", "")[:20]
    n = selectors.nomination_for(
        user=request.user, pk=pk, action=services.STEP_RULES.get(op, "nomination.view")
    )
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return _detail(request, pk, status=400, step_form=form)
    reason, version = form.cleaned_data["reason"], form.cleaned_data["version"]
    call = partial(
        services.nomination_step, user=request.user, nomination=n, op=op, reason=reason, version=version
    )
    return _run(request, pk, form, "step_form", call, str(DONE.get(op, "")))


@require_POST
def score(request: HttpRequest, pk: int) -> HttpResponse:
    n = selectors.nomination_for(user=request.user, pk=pk, action="nomination.score")
    form = ScoreForm(request.POST)
    if not form.is_valid():
        return _detail(request, pk, status=400, score_form=form)
    data = form.cleaned_data
    call = partial(
        services.nomination_score, user=request.user, nomination=n, points=data, comment=data["comment"]
    )
    return _run(request, pk, form, "score_form", call, _("评分已提交。"))


@require_POST
def conflict(request: HttpRequest, pk: int) -> HttpResponse:
    n = selectors.nomination_for(user=request.user, pk=pk, action="nomination.declare")
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return _detail(request, pk, status=400, conflict_form=form)
    reason = form.cleaned_data["reason"]
    call = partial(services.nomination_conflict_declare, user=request.user, nomination=n, reason=reason)
    return _run(request, pk, form, "conflict_form", call, _("已声明回避。"))


@require_http_methods(["GET", "POST"])
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    page = selectors.decide_page(user=request.user, pk=pk)
    initial = {"version": page.nomination.version, "effective": page.default_effective}
    form = ApproveForm(request.POST or None, initial=initial)

    def save(f: Any) -> Any:
        data = f.cleaned_data
        return services.nomination_approve(
            user=request.user, nomination=page.nomination, effective=data["effective"], reason=data["reason"],
            quota_reason=data["quota_reason"], version=data["version"],
        )  # fmt: skip

    return form_through_service(
        request, form=form, save=save, template="cadres/decide.html", context={"page": page},
        success=lambda n: n.link, success_message=_("已批准晋升，任职记录已登记。"),
    )  # fmt: skip


def person(request: HttpRequest, pk: int, *, status: int = 200, form: Any = None) -> HttpResponse:
    page = selectors.person_page(user=request.user, employee_id=pk)
    form = form or PotentialForm(initial={"year": page.year})
    return render(request, "cadres/person.html", {"page": page, "form": form}, status=status)


@require_POST
def potential(request: HttpRequest, pk: int) -> HttpResponse:
    employee = selectors.person_for(user=request.user, employee_id=pk, action="cadre.potential")
    form = PotentialForm(request.POST)
    if not form.is_valid():
        return person(request, pk, status=400, form=form)
    data = form.cleaned_data
    try:
        services.potential_rate(
            user=request.user,
            employee=employee,
            year=data["year"],
            level=data["level"],
            reason=data["reason"],
        )
    except JixiaoError as error:
        add_refusal(form, error)
        return person(request, pk, status=error.status, form=form)
    messages.success(request, _("潜力评定已保存。"))
    return redirect("cadres:person", pk=pk)


def talent(request: HttpRequest) -> HttpResponse:
    page = selectors.talent_page(user=request.user, year=int_param(request, "year", maximum=2100))
    return render(request, "cadres/talent.html", {"page": page})

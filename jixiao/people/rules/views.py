"""Pages of rules that propose (issue 13): rule sets with their lint and preview, the rules'
forms, the proposals with their trace and decisions, and my own. Thin: parse → one service or
selector → render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jixiao.common.errors import JixiaoError
from jixiao.common.forms import add_refusal
from jixiao.common.views import choice_param, form_through_service, int_param
from jixiao.engine.money import format_yuan

from . import running, selectors, services
from .forms import RuleForm, RuleSetForm, RunForm, StepForm


def rule_sets(request: HttpRequest) -> HttpResponse:
    return render(
        request, "people_rules/rule_sets.html", {"page": selectors.rule_sets_page(user=request.user)}
    )


@require_http_methods(["GET", "POST"])
def rule_set_create(request: HttpRequest) -> HttpResponse:
    selectors.rule_set_create_check(user=request.user)
    form = RuleSetForm(request.POST or None)
    return form_through_service(
        request, form=form, template="people_rules/rule_set_form.html", context={"rule_set": None},
        save=lambda f: services.rule_set_create(user=request.user, name=f.cleaned_data["name"],
                                                note=f.cleaned_data["note"]),
        success=lambda r: r.link, success_message=_("规则集已新建。"),
    )  # fmt: skip


def _detail(request: HttpRequest, pk: int, *, status: int = 200, step_form: Any = None) -> HttpResponse:
    page = selectors.rule_set_page(user=request.user, pk=pk)
    form = step_form or StepForm(initial={"version": page.rule_set.version})
    return render(request, "people_rules/rule_set.html", {"page": page, "step_form": form}, status=status)


def rule_set_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, pk)


@require_http_methods(["GET", "POST"])
def rule_set_edit(request: HttpRequest, pk: int) -> HttpResponse:
    rule_set = selectors.rule_set_for_edit(user=request.user, pk=pk)
    initial = {"name": rule_set.name, "note": rule_set.note, "version": rule_set.version}
    form = RuleSetForm(request.POST or None, initial=initial)
    return form_through_service(
        request, form=form, template="people_rules/rule_set_form.html", context={"rule_set": rule_set},
        save=lambda f: services.rule_set_update(user=request.user, rule_set=rule_set, name=f.cleaned_data["name"],
                                                note=f.cleaned_data["note"], version=f.cleaned_data["version"]),
        success=lambda r: r.link, success_message=_("已保存。"),
    )  # fmt: skip


def _refused_or(request: HttpRequest, call: Callable[[], Any], on_refusal: Callable[[JixiaoError], HttpResponse],
                done: str, target: str) -> HttpResponse:  # fmt: skip
    try:
        call()
    except JixiaoError as error:
        return on_refusal(error)
    messages.success(request, done)
    return redirect(target)


@require_POST
def rule_set_step(request: HttpRequest, pk: int) -> HttpResponse:
    rule_set = selectors.rule_set_get(user=request.user, pk=pk)
    form, op = StepForm(request.POST), request.POST.get("op", "")[:20]
    if not form.is_valid():
        return _detail(request, pk, status=400, step_form=form)

    def refused(error: JixiaoError) -> HttpResponse:
        add_refusal(form, error)
        return _detail(request, pk, status=error.status, step_form=form)

    call = lambda: services.rule_set_step(  # noqa: E731
        user=request.user, rule_set=rule_set, action=op, reason=form.cleaned_data["reason"],
        version=form.cleaned_data["version"],
    )  # fmt: skip
    return _refused_or(request, call, refused, _("已完成。"), rule_set.link)


@require_POST
def rule_set_copy(request: HttpRequest, pk: int) -> HttpResponse:
    rule_set = selectors.rule_set_get(user=request.user, pk=pk)
    copy = services.rule_set_copy(user=request.user, rule_set=rule_set)
    messages.success(request, _("已复制为新的草稿。"))
    return redirect(copy.link)


def preview(request: HttpRequest, pk: int) -> HttpResponse:
    return render(
        request, "people_rules/preview.html", {"page": selectors.preview_page(user=request.user, pk=pk)}
    )


def _rule_input(form: Any) -> services.RuleInput:
    data = form.cleaned_data
    return services.RuleInput(
        condition=data["condition"], action=data["action"], amount_fen=data["amount"] or 0,
        cycle_kind=data["cycle_kind"], name=data["name"],
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def rule_create(request: HttpRequest, pk: int) -> HttpResponse:
    rule_set = selectors.rule_set_for_edit(user=request.user, pk=pk)
    form = RuleForm(request.POST or None)
    return form_through_service(
        request, form=form, template="people_rules/rule_form.html", context={"rule_set": rule_set, "rule": None},
        save=lambda f: services.rule_save(user=request.user, rule_set=rule_set, data=_rule_input(f)),
        success=lambda r: rule_set.link, success_message=_("规则已添加。"),
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def rule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    rule = selectors.rule_for_edit(user=request.user, pk=pk)
    initial = {
        "name": rule.name, "cycle_kind": rule.cycle_kind, "condition": rule.condition, "action": rule.action,
        "amount": format_yuan(rule.amount_fen) if rule.amount_fen else "", "version": rule.version,
    }  # fmt: skip
    form = RuleForm(request.POST or None, initial=initial)
    return form_through_service(
        request, form=form, template="people_rules/rule_form.html", context={"rule_set": rule.rule_set, "rule": rule},
        save=lambda f: services.rule_save(user=request.user, rule_set=rule.rule_set, data=_rule_input(f), rule=rule,
                                          version=f.cleaned_data["version"]),
        success=lambda r: rule.rule_set.link, success_message=_("规则已保存。"),
    )  # fmt: skip


@require_POST
def rule_delete(request: HttpRequest, pk: int) -> HttpResponse:
    rule = selectors.rule_for_edit(user=request.user, pk=pk)
    services.rule_delete(user=request.user, rule=rule)
    messages.success(request, _("规则已删除。"))
    return redirect(rule.rule_set.link)


def _proposals(request: HttpRequest, *, status: int = 200, run_form: Any = None) -> HttpResponse:
    page = selectors.proposals_page(
        user=request.user,
        cycle_id=int_param(request, "cycle"),
        state=choice_param(request, "state", selectors.PROPOSAL_STATES, ""),
        kind=choice_param(request, "kind", selectors.PROPOSAL_KINDS, ""),
        log_read=status == 200,
        todo=request.GET.get("todo") == "1",
    )
    form = run_form or RunForm(cycles=page.locked_cycles)
    return render(request, "people_rules/proposals.html", {"page": page, "run_form": form}, status=status)


def proposals(request: HttpRequest) -> HttpResponse:
    return _proposals(request)


@require_POST
def run(request: HttpRequest) -> HttpResponse:
    """HR's button: run the active rules on a locked cycle (a background job)."""
    form = RunForm(request.POST, cycles=selectors.run_cycles(user=request.user))
    if not form.is_valid():
        return _proposals(request, status=400, run_form=form)

    def refused(error: JixiaoError) -> HttpResponse:
        add_refusal(form, error)
        return _proposals(request, status=error.status, run_form=form)

    cycle = selectors.cycle_for_run(user=request.user, pk=form.cleaned_data["cycle"])
    call = lambda: running.proposals_start(user=request.user, cycle=cycle)  # noqa: E731
    done = _("已开始在该周期上运行规则；完成后新建议会出现在下方。")
    return _refused_or(request, call, refused, done, f"{reverse('people_rules:proposals')}?cycle={cycle.pk}")


def _proposal(request: HttpRequest, pk: int, *, status: int = 200, step_form: Any = None) -> HttpResponse:
    page = selectors.proposal_page(user=request.user, pk=pk, log_read=status == 200)
    form = step_form or StepForm(initial={"version": page.proposal.version})
    return render(request, "people_rules/proposal.html", {"page": page, "step_form": form}, status=status)


def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _proposal(request, pk)


@require_POST
def proposal_step(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = selectors.proposal_get(user=request.user, pk=pk)
    form, op = StepForm(request.POST), request.POST.get("op", "")[:20]
    if not form.is_valid():
        return _proposal(request, pk, status=400, step_form=form)

    def refused(error: JixiaoError) -> HttpResponse:
        add_refusal(form, error)
        return _proposal(request, pk, status=error.status, step_form=form)

    call = lambda: services.proposal_decide(  # noqa: E731
        user=request.user, proposal=proposal, action=op, reason=form.cleaned_data["reason"],
        version=form.cleaned_data["version"],
    )  # fmt: skip
    return _refused_or(request, call, refused, _("已完成。"), proposal.link)


def mine(request: HttpRequest) -> HttpResponse:
    return render(request, "people_rules/mine.html", {"page": selectors.mine_page(user=request.user)})

"""Pages of complaints and allegations: filing (logged in, or anonymous without a login), the
anonymous reporter's follow-up with the code, my cases, the deputy's and leader's list, the case
page with its timeline and steps, and evidence downloads (access-checked)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any, TypeVar

from axes.helpers import get_client_ip_address
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from jixiao.audit.exports import export_download, export_refused
from jixiao.common.errors import JixiaoError, PermissionRefused
from jixiao.common.files import evidence_response
from jixiao.common.forms import add_refusal
from jixiao.common.text import say
from jixiao.common.validators import whole_number
from jixiao.common.views import choice_param, form_through_service

from . import exports, selectors, services
from .forms import AnonymousForm, CloseForm, CodeForm, ConcernForm, DeclineForm, InfoForm, LinkForm, NoteForm

R = TypeVar("R", HttpResponse, FileResponse)
KINDS = ("complaint", "allegation")
STATES = ("filed", "investigating", "closed")


def _address(request: HttpRequest) -> str:
    """The network address, for the wrong-code and filing counters only (never stored with a case)."""
    return str(get_client_ip_address(request) or request.META.get("REMOTE_ADDR", "") or "unknown")


def _list_filters(request: HttpRequest) -> dict[str, Any]:
    return {
        "kind": choice_param(request, "kind", KINDS, ""),
        "state": choice_param(request, "state", STATES, ""),
        "overdue_only": request.GET.get("overdue") == "1",
        "q": request.GET.get("q", ""),
    }


def _list_context(request: HttpRequest) -> dict[str, Any]:
    page = selectors.concern_list_page(
        user=request.user, **_list_filters(request), page=request.GET.get("page")
    )
    query = "&".join(f"{k}={v}" for k, v in (("kind", page.kind), ("state", page.state)) if v)
    return {"list": page, "page": page.page, "query": query}


def concern_list(request: HttpRequest) -> HttpResponse:
    return render(request, "concerns/list.html", _list_context(request))


@require_POST
def concern_list_export(request: HttpRequest) -> HttpResponse:
    """The list (its filters from the query string, every page) in Excel, with a stated reason."""
    build = partial(exports.concerns_download, user=request.user, **_list_filters(request))
    return export_download(request, build=build, personal=True, refused=partial(_list_refused, request))


def _list_refused(request: HttpRequest, error: JixiaoError) -> HttpResponse:
    return export_refused(request, "concerns/list.html", _list_context(request), error)


def my_concerns(request: HttpRequest) -> HttpResponse:
    rows = selectors.my_concerns_page(user=request.user, q=request.GET.get("q", ""))
    return render(request, "concerns/mine.html", {"rows": rows, "q": request.GET.get("q", "")[:100]})


@require_http_methods(["GET", "POST"])
def concern_file(request: HttpRequest) -> HttpResponse:
    page = selectors.concern_file_page(user=request.user)
    initial = {"kind": choice_param(request, "kind", KINDS, "complaint")}
    return form_through_service(
        request,
        form=ConcernForm(request.POST or None, request.FILES or None, page=page, initial=initial),
        save=lambda form: services.concern_file(user=request.user, **form.cleaned_data),
        template="concerns/file.html",
        context={},
        success=lambda concern: reverse("concerns:detail", args=[concern.pk]),
        success_message=_("已提交。处理人受理后会在此答复您。"),
    )


def _case(request: HttpRequest, pk: int, status: int = 200, **bound: Any) -> HttpResponse:
    """The case page, with any bound form a refused step left (the user's input kept)."""
    page = selectors.concern_page(user=request.user, pk=pk)
    flag_kinds = [(key, say(text)) for key, text in page.flag_kinds]
    forms = {
        "note_form": NoteForm(),
        "info_form": InfoForm(),
        "close_form": CloseForm(initial={"version": page.concern.version}),
        "decline_form": DeclineForm(initial={"version": page.concern.version}),
        "link_form": LinkForm(cycles=page.cycles, flag_kinds=flag_kinds),
    }
    return render(request, "concerns/detail.html", {"page": page, **forms, **bound}, status=status)


def concern_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _case(request, pk)


def _tried(
    request: HttpRequest, pk: int, form_name: str, form: Any, action: Callable[[], Any], done: str
) -> HttpResponse:
    """Run one step of the case page: done → back to the case; refused → the page again with
    the input kept and the refusal's status (a refused permission stays a 403)."""
    try:
        action()
    except PermissionRefused:
        raise
    except JixiaoError as error:
        if not form.is_bound:  # a button without input: the refusal is said above the page
            messages.error(request, error.text())
            return _case(request, pk, status=error.status)
        if not form.errors:  # a field's own error is already under the field
            add_refusal(form, error)
        return _case(request, pk, status=error.status, **{form_name: form})
    messages.success(request, done)
    return redirect("concerns:detail", pk=pk)


@require_POST
def concern_step(request: HttpRequest, pk: int) -> HttpResponse:
    concern = selectors.concern_get(user=request.user, pk=pk)
    post, action = request.POST, request.POST.get("action", "")
    common: dict[str, Any] = {
        "user": request.user,
        "concern": concern,
        "expected_version": whole_number(post.get("version", "")),
    }
    note = post.get("closing_note", "")
    if action == "investigate":
        step = partial(services.concern_investigate, **common)
        return _tried(request, pk, "close_form", CloseForm(), step, _("已受理，开始调查。"))
    if action == "decline":
        step = partial(services.concern_decline, **common, closing_note=note)
        return _tried(request, pk, "decline_form", DeclineForm(post), step, _("已结案（不予受理）。"))
    step = partial(services.concern_conclude, **common, outcome=post.get("outcome", ""), closing_note=note)
    return _tried(request, pk, "close_form", CloseForm(post), step, _("已结案。"))


def _valid(form: Any) -> dict[str, Any]:
    """The form's clean data, or its first problem as a refusal (the page shows it on the form)."""
    if not form.is_valid():
        problems = [str(e) for errors in form.errors.values() for e in errors]
        raise JixiaoError(zh="；".join(problems), en="; ".join(problems))
    return dict(form.cleaned_data)


@require_POST
def concern_note(request: HttpRequest, pk: int) -> HttpResponse:
    concern = selectors.concern_get(user=request.user, pk=pk)
    form = NoteForm(request.POST, request.FILES)
    return _tried(
        request,
        pk,
        "note_form",
        form,
        lambda: services.concern_note(user=request.user, concern=concern, **_valid(form)),
        _("已保存。"),
    )


@require_POST
def concern_info(request: HttpRequest, pk: int) -> HttpResponse:
    concern = selectors.concern_get(user=request.user, pk=pk)
    form = InfoForm(request.POST, request.FILES)
    return _tried(
        request,
        pk,
        "info_form",
        form,
        lambda: services.concern_add_info(user=request.user, concern=concern, **_valid(form)),
        _("补充信息已提交。"),
    )


@require_POST
def concern_link(request: HttpRequest, pk: int) -> HttpResponse:
    page = selectors.concern_page(user=request.user, pk=pk)
    flag_kinds = [(key, say(text)) for key, text in page.flag_kinds]
    form = LinkForm(request.POST, cycles=page.cycles, flag_kinds=flag_kinds)
    return _tried(
        request,
        pk,
        "link_form",
        form,
        lambda: services.concern_link(user=request.user, concern=page.concern, **_valid(form)),
        _("已关联。"),
    )


def concern_download(request: HttpRequest, pk: int, file_pk: int) -> FileResponse:
    evidence = selectors.concern_file_get(user=request.user, pk=pk, file_pk=file_pk)
    return evidence_response(evidence.path, evidence.name, evidence.content_type)


# -- without a login: the anonymous allegation and its follow-up ---------------------------------


def _private(response: R) -> R:
    """A page showing a follow-up code or what it opens: never kept by a browser or proxy cache."""
    response["Cache-Control"] = "no-store, private"
    response["Referrer-Policy"] = "same-origin"
    return response


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def anonymous_file(request: HttpRequest) -> HttpResponse:
    form = AnonymousForm(request.POST or None, request.FILES or None, cycles=selectors.anonymous_file_page())
    if request.method != "POST":
        return render(request, "concerns/anonymous_file.html", {"form": form})
    try:
        concern, code = services.concern_file_anonymous(address=_address(request), **_valid(form))
    except JixiaoError as error:
        if form.is_bound and not form.errors:
            add_refusal(form, error)
        return render(request, "concerns/anonymous_file.html", {"form": form}, status=error.status)
    return _private(
        render(request, "concerns/anonymous_code.html", {"code": code, "reference": concern.reference})
    )


def _follow_up(
    request: HttpRequest, concern: Any, code: str, status: int = 200, **extra: Any
) -> HttpResponse:
    page = selectors.follow_up_page(concern=concern)
    context = {"page": page, "code": code, "info_form": InfoForm(), **extra}
    return _private(render(request, "concerns/follow_up.html", context, status=status))


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def follow_up(request: HttpRequest) -> HttpResponse:
    form = CodeForm(request.POST or None)
    if request.method != "POST":
        return render(request, "concerns/follow_up_code.html", {"form": form})
    try:
        code = _valid(form)["code"]
        concern = selectors.follow_up_get(code=code, address=_address(request))
    except JixiaoError as error:
        return _private(
            render(
                request,
                "concerns/follow_up_code.html",
                {"form": CodeForm(), "error": error},
                status=error.status,
            )
        )
    return _follow_up(request, concern, code)


@login_not_required
@never_cache
@require_POST
def follow_up_info(request: HttpRequest) -> HttpResponse:
    code = request.POST.get("code", "")[:100]
    concern = selectors.follow_up_get(code=code, address=_address(request))
    form = InfoForm(request.POST, request.FILES)
    try:
        services.concern_add_info_anonymous(concern=concern, **_valid(form))
    except JixiaoError as error:
        if not form.errors:
            add_refusal(form, error)
        return _follow_up(request, concern, code, status=error.status, info_form=form)
    return _follow_up(request, concern, code, notice=_("补充信息已提交，仍为匿名。"))


@login_not_required
@never_cache
@require_POST
def follow_up_download(request: HttpRequest) -> FileResponse:
    concern = selectors.follow_up_get(code=request.POST.get("code", "")[:100], address=_address(request))
    evidence = selectors.follow_up_file_get(
        concern=concern, file_pk=whole_number(request.POST.get("file", "")) or 0
    )
    return _private(evidence_response(evidence.path, evidence.name, evidence.content_type))

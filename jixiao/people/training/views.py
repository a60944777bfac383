"""Training pages (issue 13): the list, a session (details, steps, materials, invitations,
attendance), HR's form, who has not been trained, and the employee's 我的考核与薪酬规则.
Thin: parse → one service or selector → render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from jixiao.common.errors import JixiaoError
from jixiao.common.files import evidence_response
from jixiao.common.forms import add_refusal
from jixiao.common.spreadsheet import read_rows, uploaded_path
from jixiao.common.views import form_through_service, int_param

from . import imports, selectors, services
from .forms import (
    AttendanceForm,
    ImportForm,
    InviteForm,
    MaterialForm,
    ReasonForm,
    SessionForm,
    UntrainedForm,
)

DONE = {
    "mark_held": gettext_lazy("已标记为已举办，请记录出勤。"),
    "finish": gettext_lazy("出勤已确认，培训已结束。"),
    "cancel": gettext_lazy("培训已取消，受邀人已收到通知。"),
}


def session_list(request: HttpRequest) -> HttpResponse:
    todo = request.GET.get("todo") == "1"  # only the sessions to attend (the home page's to-do)
    page = selectors.session_list_page(user=request.user, page=request.GET.get("page", "1")[:10], todo=todo)
    return render(request, "training/list.html", {"page": page})


def _form_view(request: HttpRequest, pk: int | None, save: Callable[[Any], Any]) -> HttpResponse:
    page = selectors.form_page(user=request.user, pk=pk)
    s, current = page.session, page.framework_in_force
    initial = {"framework_id": current.pk if current else None}
    if s is not None:
        initial = {**{k: getattr(s, k) for k in services.FIELDS}, "version": s.version}
    form = SessionForm(request.POST or None, frameworks=page.frameworks, initial=initial)
    return form_through_service(
        request, form=form, save=save, template="training/form.html", context={"page": page},
        success=lambda saved: saved.link, success_message=_("培训已保存。"),
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def session_create(request: HttpRequest) -> HttpResponse:
    save = lambda f: services.training_session_create(user=request.user, **f.session_fields())  # noqa: E731
    return _form_view(request, None, save)


@require_http_methods(["GET", "POST"])
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    def save(f: Any) -> Any:
        session = selectors.session_managed(user=request.user, pk=pk)
        return services.training_session_update(
            user=request.user,
            session=session,
            expected_version=f.cleaned_data["version"],
            **f.session_fields(),
        )

    return _form_view(request, pk, save)


def _checked(form: Any) -> set[str] | None:
    """The boxes ticked on a refused attendance form (kept as typed), or None for a fresh page."""
    if form is None or not form.is_bound:
        return None
    return {v for v in form.data.getlist("present") if v.isascii() and v.isdigit() and len(v) <= 18}


def _detail(request: HttpRequest, pk: int, *, status: int = 200, **forms: Any) -> HttpResponse:
    page = selectors.session_page(user=request.user, pk=pk, page=request.GET.get("page", "1")[:10])
    context = {
        "checked": _checked(forms.get("attendance_form")),
        "page": page,
        "step_form": ReasonForm(initial={"version": page.session.version}),
        "invite_form": InviteForm(departments=page.departments, roles=page.roles),
        "material_form": MaterialForm(),
        "attendance_form": AttendanceForm(invitees=[r.invitation.employee_id for r in page.people]),
        "import_form": ImportForm(),
        **forms,
    }
    return render(request, "training/detail.html", context, status=status)


def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, pk)


def _run(
    request: HttpRequest, pk: int, form: Any, key: str, call: Callable[[], Any], done: str
) -> HttpResponse:
    """One action of the session page; a refusal re-renders the page with the input and the reason
    (an import's problems in a table of rows and columns, the others' on the form)."""
    if not form.is_valid():
        return _detail(request, pk, status=400, **{key: form})
    try:
        call()
    except JixiaoError as error:
        if key == "import_form":
            form.add_error(None, error.text())
            return _detail(request, pk, status=error.status, problems=error.problems, **{key: form})
        add_refusal(form, error)
        return _detail(request, pk, status=error.status, **{key: form})
    if done:
        messages.success(request, done)
    return redirect("training:detail", pk=pk)


@require_POST
def session_step(request: HttpRequest, pk: int) -> HttpResponse:
    session, form, op = (
        selectors.session_get(user=request.user, pk=pk),
        ReasonForm(request.POST),
        request.POST.get("op", "")[:20],
    )

    def call() -> Any:
        data, user = form.cleaned_data, request.user
        if op == "cancel":
            return services.training_cancel(
                user=user, session=session, reason=data["reason"], expected_version=data["version"]
            )
        if op in ("mark_held", "finish"):
            step = services.training_mark_held if op == "mark_held" else services.training_finish
            return step(user=user, session=session, expected_version=data["version"])
        raise JixiaoError(zh="没有这一步。", en="There is no such step.", code="action")

    return _run(request, pk, form, "step_form", call, str(DONE.get(op, "")))


@require_POST
def session_invite(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_get(user=request.user, pk=pk)
    departments, roles = selectors.invite_options(user=request.user)
    form, result = InviteForm(request.POST, departments=departments, roles=roles), {}

    def call() -> None:
        d = form.cleaned_data
        result["n"] = services.training_invite(
            user=request.user, session=session, department_ids=d["departments"], roles=d["roles"],
            include_below=d["include_below"],
        )  # fmt: skip

    response = _run(request, pk, form, "invite_form", call, "")
    if result:
        messages.info(request, _("新邀请了 %(n)d 人（已邀请的不重复邀请）。") % {"n": result["n"]})
    return response


@require_POST
def material_upload(request: HttpRequest, pk: int) -> HttpResponse:
    session, form = selectors.session_get(user=request.user, pk=pk), MaterialForm(request.POST, request.FILES)

    def call() -> Any:
        return services.training_material_add(
            user=request.user, session=session, files=form.cleaned_data["materials"]
        )

    return _run(request, pk, form, "material_form", call, _("资料已上传。"))


@require_POST
def attendance_record(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_get(user=request.user, pk=pk)
    form = AttendanceForm(request.POST, invitees=selectors.invitee_ids(user=request.user, session=session))

    def call() -> Any:
        shown, present = set(form.cleaned_data["shown"]), set(form.cleaned_data["present"])
        return services.training_attendance_record(
            user=request.user, session=session, present=present & shown, absent=shown - present
        )

    return _run(request, pk, form, "attendance_form", call, _("出勤已保存。"))


@require_POST
def attendance_import(request: HttpRequest, pk: int) -> HttpResponse:
    session, form = selectors.session_get(user=request.user, pk=pk), ImportForm(request.POST, request.FILES)
    report: list[Any] = []

    def call() -> None:
        with uploaded_path(form.cleaned_data["file"], ".csv") as path:
            rows = read_rows(path)
        report.append(imports.training_attendance_import(user=request.user, session=session, rows=rows))

    response = _run(request, pk, form, "import_form", call, "")
    if report:
        messages.success(
            request,
            _("已导入 %(n)d 人的出勤，其中未受邀到场 %(w)d 人。")
            % {"n": report[0].written, "w": report[0].walk_ins},
        )
    return response


def attendance_template(request: HttpRequest, pk: int) -> FileResponse:
    session = selectors.session_get(user=request.user, pk=pk)
    workbook = imports.attendance_template(user=request.user, session=session)
    return FileResponse(workbook, as_attachment=True, filename=f"training-attendance-{session.pk}.xlsx")


def material_download(request: HttpRequest, pk: int) -> FileResponse:
    item = selectors.material_get(user=request.user, pk=pk)
    return evidence_response(item.path, item.name, item.content_type)


@require_POST
def acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_get(user=request.user, pk=pk)
    try:
        services.training_acknowledge(user=request.user, session=session)
    except JixiaoError as error:
        messages.error(request, error.text())
        return _detail(request, pk, status=error.status)
    messages.success(request, _("已确认阅读培训资料。"))
    return redirect("training:detail", pk=pk)


def untrained(request: HttpRequest) -> HttpResponse:
    page = selectors.untrained_page(
        user=request.user,
        framework_id=int_param(request, "framework"),
        department_id=int_param(request, "department"),
    )
    form = UntrainedForm(
        initial={"framework": page.framework.pk if page.framework else ""}, frameworks=page.frameworks
    )
    return render(request, "training/untrained.html", {"page": page, "form": form})


def my_rules(request: HttpRequest) -> HttpResponse:
    return render(request, "training/my_rules.html", {"page": selectors.my_rules_page(user=request.user)})

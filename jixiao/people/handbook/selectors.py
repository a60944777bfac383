"""Reads of the policy handbook (制度 / 手册), each through ``jixiao.access.policy``: one page
selector per page, each with a fixed number of queries whatever the number of pages, versions or
employees (the acknowledgement page counts by department in one query and lists one page of
names)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.safestring import SafeString

from jixiao.access.actor import ActingUser, actor_for
from jixiao.access.policy import can, require, scope
from jixiao.common.errors import NotFound
from jixiao.engine.text import Text
from jixiao.org.history import HistoryEntry, record_history
from jixiao.org.models import Department, Employee
from jixiao.workflow.table import Transition

from . import markdown
from .diff import Diff, line_diff
from .models import IN_PROGRESS, STILL_EMPLOYED, PolicyAcknowledgement, PolicyPage, PolicyVersion
from .workflow import POLICY_VERSION

PER_PAGE = 100
DIFF_SECONDS = 24 * 3600
# Steps a page never offers as a button: superseding is part of publishing the next version.
HIDDEN_STEPS = frozenset({"supersede"})


def _state_label(version: PolicyVersion | None) -> Text:
    return POLICY_VERSION.state_label(version.state) if version else Text("")


def _versions() -> QuerySet[PolicyVersion]:
    return PolicyVersion.objects.select_related("page", "author", "approved_by", "published_by")


def _my_acknowledged(user: ActingUser, version_ids: list[int]) -> dict[int, Any]:
    """Of ``version_ids``, those the user acknowledged: version id → when (one query)."""
    employee_id = actor_for(user).employee_id
    if employee_id is None or not version_ids:
        return {}
    rows = PolicyAcknowledgement.objects.filter(employee_id=employee_id, version_id__in=version_ids)
    return dict(rows.values_list("version_id", "created_at"))


# -- the list ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PageRow:
    page: PolicyPage
    acknowledged_at: Any  # when the user acknowledged the current version (None: not yet)
    under_way: PolicyVersion | None  # the version being revised (for HR and the approvers)

    @property
    def under_way_label(self) -> Text:
        return _state_label(self.under_way)

    @property
    def to_acknowledge(self) -> bool:
        return self.page.current_id is not None and self.acknowledged_at is None


@dataclass
class ListPage:
    rows: list[PageRow]
    can_write: bool
    can_ack: bool
    todo: bool = False

    @property
    def waiting(self) -> int:
        return sum(1 for r in self.rows if r.to_acknowledge) if self.can_ack else 0


def handbook_page(*, user: ActingUser, todo: bool = False) -> ListPage:
    """Every policy the user may read, the ones they still have to acknowledge marked; for HR and
    the approvers also the pages not yet published and the versions under way."""
    require(user, "policy.list")
    pages = list(scope(user, "policy.view", PolicyPage.objects.select_related("current"))[:1000])
    acknowledged = _my_acknowledged(user, [p.current_id for p in pages if p.current_id])
    under_way: dict[int, PolicyVersion] = {}
    if can(user, "policy.drafts"):
        under_way = {
            v.page_id: v for v in PolicyVersion.objects.filter(page__in=pages, state__in=IN_PROGRESS)
        }
    rows = [PageRow(p, acknowledged.get(p.current_id or 0), under_way.get(p.pk)) for p in pages]
    can_ack = actor_for(user).employee_id is not None
    if todo:  # only the pages waiting for the user's acknowledgement (the home page's to-do)
        rows = [row for row in rows if can_ack and row.to_acknowledge]
    return ListPage(rows=rows, can_write=can(user, "policy.write"), can_ack=can_ack, todo=todo)


# -- a policy page (its current version) ---------------------------------------------------------


@dataclass
class PolicyPageView:
    page: PolicyPage
    shown: PolicyVersion | None  # the current version, or for HR before publication the latest
    html: SafeString | str
    versions: list[PolicyVersion]
    under_way: PolicyVersion | None
    acknowledged_at: Any
    can_ack: bool
    can_start: bool
    can_compliance: bool
    previous: PolicyVersion | None  # the version the shown one replaced (for the diff link)

    @property
    def shown_label(self) -> Text:
        return _state_label(self.shown)


def page_get(*, user: ActingUser, pk: int) -> PolicyPage:
    page = PolicyPage.objects.select_related("current").filter(pk=pk).first()
    if page is None or not can(user, "policy.view", page):
        raise NotFound()
    return page


def policy_page(*, user: ActingUser, pk: int) -> PolicyPageView:
    page = page_get(user=user, pk=pk)
    versions = list(scope(user, "policy_version.view", _versions().filter(page=page)).order_by("-number"))
    shown = page.current or (versions[0] if versions else None)
    under_way = next((v for v in versions if v.state in IN_PROGRESS), None)
    acknowledged = _my_acknowledged(user, [page.current_id] if page.current_id else [])
    previous = next((v for v in versions if shown and v.pk == shown.based_on_id), None)
    return PolicyPageView(
        page=page,
        shown=shown,
        html=markdown.render(shown.body) if shown else "",
        versions=versions,
        under_way=under_way,
        acknowledged_at=acknowledged.get(page.current_id or 0),
        can_ack=page.current is not None and can(user, "policy_version.acknowledge", page.current),
        can_start=under_way is None and can(user, "policy.write"),
        can_compliance=page.current is not None and can(user, "policy.compliance"),
        previous=previous,
    )


# -- one version ---------------------------------------------------------------------------------


def _timeline(object_type: str, pk: int) -> list[HistoryEntry]:
    """A record's history from the audit log (its events, people as the directory names them)."""
    return record_history((object_type, [pk]))


@dataclass
class VersionView:
    version: PolicyVersion
    html: SafeString
    actions: list[Transition]
    entries: list[HistoryEntry]
    can_edit: bool
    base: PolicyVersion | None  # what to compare it with: the version it started from
    acknowledgements: int | None = field(default=None)  # for those who may see compliance

    @property
    def state_label(self) -> Text:
        return _state_label(self.version)


def version_get(*, user: ActingUser, pk: int) -> PolicyVersion:
    version = _versions().filter(pk=pk).first()
    if version is None or not can(user, "policy_version.view", version):
        raise NotFound()
    return version


def version_page(*, user: ActingUser, pk: int) -> VersionView:
    """A version with its text, its steps for this user and its history."""
    version = version_get(user=user, pk=pk)
    base = (
        version.based_on
        if version.based_on_id and can(user, "policy_version.view", version.based_on)
        else None
    )
    counted = can(user, "policy.compliance") and version.is_public
    return VersionView(
        version=version,
        html=markdown.render(version.body),
        actions=[t for t in POLICY_VERSION.available(user, version) if t.action not in HIDDEN_STEPS],
        entries=_timeline("handbook.policyversion", pk),
        can_edit=version.is_draft and can(user, "policy.write"),
        base=base,
        acknowledgements=version.acknowledgements.count() if counted else None,
    )


def version_for_edit(*, user: ActingUser, pk: int) -> PolicyVersion:
    version = version_get(user=user, pk=pk)
    require(user, "policy.write")
    return version


def page_for_write(*, user: ActingUser, pk: int) -> PolicyPage:
    page = page_get(user=user, pk=pk)
    require(user, "policy.write")
    return page


def create_page(*, user: ActingUser) -> None:
    """The new policy form is HR's (403 for others)."""
    require(user, "policy.write")


# -- the difference between two versions ---------------------------------------------------------


@dataclass
class DiffView:
    page: PolicyPage
    older: PolicyVersion
    newer: PolicyVersion
    diff: Diff
    choices: list[PolicyVersion]
    title_changed: bool


def _cached_diff(older: str, newer: str) -> Diff:
    digest = hashlib.sha256(older.encode() + b"\x00" + newer.encode()).hexdigest()
    key = f"handbook:diff:{digest}"
    found = cache.get(key)
    if isinstance(found, Diff):
        return found
    diff = line_diff(older, newer)
    cache.set(key, diff, DIFF_SECONDS)
    return diff


def _pick(versions: list[PolicyVersion], number: int | None) -> PolicyVersion | None:
    return next((v for v in versions if v.number == number), None)


def diff_page(*, user: ActingUser, pk: int, older: int | None = None, newer: int | None = None) -> DiffView:
    """Two versions of a page the user may read, line by line (default: the current version, or the
    latest one, against the version it started from, or the one before it)."""
    page = page_get(user=user, pk=pk)
    versions = list(scope(user, "policy_version.view", _versions().filter(page=page)).order_by("-number"))
    if len(versions) < 2:
        raise NotFound()
    new = _pick(versions, newer) or page.current or versions[0]
    if new not in versions:
        new = versions[0]
    default_old = _pick(versions, getattr(new.based_on, "number", None)) or next(
        (v for v in versions if v.number < new.number), versions[-1]
    )
    old = _pick(versions, older) or default_old
    return DiffView(
        page=page, older=old, newer=new, diff=_cached_diff(old.body, new.body), choices=versions,
        title_changed=old.title != new.title,
    )  # fmt: skip


# -- who has not acknowledged ----------------------------------------------------------------------


@dataclass(frozen=True)
class DepartmentCount:
    department_id: int
    name: str
    expected: int
    acknowledged: int

    @property
    def missing(self) -> int:
        return self.expected - self.acknowledged


@dataclass
class CompliancePage:
    version: PolicyVersion
    departments: list[DepartmentCount]
    missing: Page[Any]
    department: Department | None
    without_login: int
    query: str

    @property
    def expected(self) -> int:
        return sum(d.expected for d in self.departments)

    @property
    def acknowledged(self) -> int:
        return sum(d.acknowledged for d in self.departments)

    @property
    def state_label(self) -> Text:
        return _state_label(self.version)


def compliance_page(
    *, user: ActingUser, pk: int, department_id: int | None = None, page: Any = 1
) -> CompliancePage:
    """Who has acknowledged a published version and who has not, by department (counts in one
    query), and one page of the names still missing (in one more). Everyone who has not left and
    has a login is expected to; those without a login are counted apart."""
    require(user, "policy.compliance")
    version = version_get(user=user, pk=pk)
    if not version.is_public:
        raise NotFound()
    done = PolicyAcknowledgement.objects.filter(version=version, employee_id=OuterRef("pk"))
    people = Employee.objects.filter(status__in=STILL_EMPLOYED).annotate(done=Exists(done))
    expected = people.filter(user__isnull=False)
    counts = (
        expected.values("department_id", "department__name", "department__sort_order")
        .annotate(total=Count("pk"), acked=Count("pk", filter=Q(done=True)))
        .order_by("department__sort_order", "department__name")
    )
    departments = [
        DepartmentCount(c["department_id"], c["department__name"], c["total"], c["acked"]) for c in counts
    ]
    chosen = Department.objects.filter(pk=department_id).first() if department_id else None
    missing = expected.filter(done=False).select_related("department", "position")
    if chosen is not None:
        missing = missing.filter(department=chosen)
    missing = missing.order_by("department__sort_order", "department__name", "number")
    return CompliancePage(
        version=version,
        departments=departments,
        missing=Paginator(missing, PER_PAGE).get_page(page),
        department=chosen,
        without_login=people.filter(user__isnull=True).count(),
        query=f"department={chosen.pk}" if chosen else "",
    )

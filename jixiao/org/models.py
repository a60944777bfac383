"""Organisation (§1): departments (部门), positions (岗位) and employees (员工)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jixiao.common.models import TimeStamped
from jixiao.common.validators import validate_id_number


class Department(TimeStamped):
    """A unit of the organisation (部门) with an optional parent and a head (负责人)."""

    code = models.CharField(_("部门编码"), max_length=32, unique=True)
    name = models.CharField(_("部门名称"), max_length=100)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    head = models.ForeignKey(
        "org.Employee",
        verbose_name=_("负责人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="headed_departments",
    )
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("部门")

    def __str__(self) -> str:
        return self.name


class Position(TimeStamped):
    """A post (岗位) in a department: how many people it may have and what it is for."""

    code = models.CharField(_("岗位编码"), max_length=32, unique=True)
    title = models.CharField(_("岗位名称"), max_length=100)
    department = models.ForeignKey(
        Department, verbose_name=_("部门"), on_delete=models.PROTECT, related_name="positions"
    )
    headcount_quota = models.PositiveIntegerField(_("编制"), default=1)
    purpose = models.TextField(_("目的"), blank=True)
    duties = models.JSONField(_("岗位职责"), default=list, blank=True)
    level = models.PositiveSmallIntegerField(_("职级"), default=1)
    is_cadre = models.BooleanField(_("干部岗位"), default=False)

    class Meta:
        ordering = ["department__sort_order", "-level", "code"]
        verbose_name = _("岗位")

    def __str__(self) -> str:
        return self.title


class Employee(TimeStamped):
    """A person on the payroll (员工); ``user`` links a login where the person uses the system.

    Fields split in two: the directory (name, department, position, work contact) which every
    logged-in user may read, and personal data, which only the person, HR and admin may read
    (see ``PERSONAL_FIELDS``; enforced by ``access``).
    """

    class Status(models.TextChoices):
        ACTIVE = "active", _("在职")
        PROBATION = "probation", _("试用")
        LEAVE = "leave", _("休假")
        LEFT = "left", _("离职")

    class Gender(models.TextChoices):
        FEMALE = "F", _("女")
        MALE = "M", _("男")

    number = models.CharField(_("工号"), max_length=32, unique=True)
    name = models.CharField(_("姓名"), max_length=50)
    department = models.ForeignKey(
        Department, verbose_name=_("部门"), on_delete=models.PROTECT, related_name="employees"
    )
    position = models.ForeignKey(
        Position,
        verbose_name=_("岗位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="employees",
    )
    manager = models.ForeignKey(
        "self",
        verbose_name=_("直接上级"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    work_phone = models.CharField(_("工作电话"), max_length=32, blank=True)
    work_email = models.EmailField(_("工作邮箱"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登录账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="employee",
    )
    # Personal data: the person, HR and admin only.
    hire_date = models.DateField(_("入职日期"), null=True, blank=True)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    id_number = models.CharField(_("身份证号"), max_length=18, blank=True, validators=[validate_id_number])
    personal_phone = models.CharField(_("个人手机"), max_length=32, blank=True)
    home_address = models.CharField(_("家庭住址"), max_length=200, blank=True)

    PERSONAL_FIELDS = ("hire_date", "gender", "birth_date", "id_number", "personal_phone", "home_address")

    class Meta:
        ordering = ["number"]
        verbose_name = _("员工")

    def __str__(self) -> str:
        return f"{self.name}（{self.number}）"

    @property
    def is_active(self) -> bool:
        return self.status != self.Status.LEFT


class PositionChange(models.Model):
    """One change of an employee's post (任职记录): from which position to which, in force from
    ``effective``. The history is append-only; the position in force on a day is the latest change
    effective on or before it (``selectors.positions_on``). ``source`` names what caused it
    ("nomination:12" for a promotion, "" by hand)."""

    employee = models.ForeignKey(
        Employee, verbose_name=_("员工"), on_delete=models.PROTECT, related_name="position_changes"
    )
    from_position = models.ForeignKey(
        Position,
        verbose_name=_("原岗位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_position = models.ForeignKey(
        Position, verbose_name=_("新岗位"), on_delete=models.PROTECT, related_name="+"
    )
    effective = models.DateField(_("生效日期"))
    reason = models.TextField(_("原因"), max_length=2000)
    source = models.CharField(_("来源"), max_length=64, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["employee", "effective", "pk"]
        verbose_name = _("任职记录")
        indexes = [models.Index(fields=["employee", "effective"])]

    def __str__(self) -> str:
        return f"{self.employee.name}：{self.to_position.title}（{self.effective}）"

    @property
    def is_pending(self) -> bool:
        """Recorded ahead of its date: not yet in force today."""
        return self.effective > timezone.localdate()

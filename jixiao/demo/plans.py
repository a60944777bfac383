"""The demo's plans (issue: plans), dated from the day the demo is loaded: the framework, and
the customer-service, marketing and production plans published before the first demo month
(customer service after a round of HR comments); production's second version waits for the
committee; the marketing department's pay plan — the source's own numbers — returned by HR,
corrected by the director, and approved through the whole chain.

Everything goes through the real services as the people who would do it, so the timeline and
the audit log read as they would in a real company. The one exception is the first round of
the marketing pay plan: the source's plan cannot be submitted (lint blocks it, as it should),
so its returned state is seeded directly and says so in its audit event; the corrected version
(``data/pay_marketing_corrected.toml``) goes through edit → submit → HR → deputy → committee →
leader like any other.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model

from jixiao.audit.services import audit_record
from jixiao.engine import toml_format
from jixiao.org.models import Department, Employee
from jixiao.plans import reviews, services
from jixiao.plans.exchange import DATA_DIR as TEMPLATE_DIR
from jixiao.plans.models import Plan, ReviewComment, Revision, Status

from .story import FIRST, Story

DATA = Path(__file__).resolve().parent / "data"


def _table(name: str, root: str) -> dict[str, Any]:
    """The ``root`` table of a TOML file: the demo's own (``data/``) or a product template."""
    path = DATA / name if (DATA / name).exists() else TEMPLATE_DIR / name
    data = toml_format.parse(path.read_text("utf-8"))[root]
    return {
        k: v
        for k, v in data.items()
        if k not in {"key", "name_zh", "framework", "department", "positions", "version"}
    }


def load_plans(day: Story) -> None:
    users = {u.username: u for u in get_user_model().objects.all()}
    committee = list(Employee.objects.filter(user__username__in=["leader", "deputy", "member", "hr"]))
    framework = services.framework_create(
        user=users["hr"],
        code="company-2024",
        name="公司绩效考核总框架",
        content=_table("framework.toml", "framework"),
    )
    framework = reviews.document_transition(user=users["hr"], document=framework, action="submit")
    framework = reviews.document_transition(user=users["deputy"], document=framework, action="deputy_pass")
    first = reviews.meeting_record(
        user=users["deputy"],
        held_on=day.day(FIRST - 4, 8),
        title="考核领导小组会议（总框架）",
        attendees=committee,
        decision=f"通过公司绩效考核总框架，自 {day.label(FIRST - 4)} 起执行。",
        minutes="人力资源部汇报框架草案；小组讨论强制分布比例，同意 A 等不超过 20%。",
    )
    framework = reviews.document_transition(
        user=users["deputy"], document=framework, action="committee_approve", meeting=first
    )
    framework = reviews.document_transition(
        user=users["leader"], document=framework, action="leader_approve", effective_from=day.label(FIRST - 4)
    )
    meeting = reviews.meeting_record(
        user=users["deputy"],
        held_on=day.day(FIRST - 1, 22),
        title="考核领导小组会议（部门考核细则）",
        attendees=committee,
        decision=f"通过客服部、市场部、生产部考核细则，自 {day.label(FIRST)} 起执行。",
        minutes="客服经理说明转化率目标依据；小组同意泄露客户信息、重大安全事故实行一票否决。",
    )
    approval = Approval(users, meeting, day.label(FIRST))
    _customer_service(users, framework, approval)
    _marketing(users, framework, approval)
    _production(users, framework, approval)
    _marketing_pay(users, framework, committee, day)


@dataclass(frozen=True)
class Approval:
    """The review chain: the author submits, HR passes, the deputy passes, the
    committee approves at ``meeting``, the leader publishes from ``effective_from``."""

    users: dict[str, Any]
    meeting: Any
    effective_from: str

    def through(self, plan: Any, author: Any, *, publish: bool = True) -> Any:
        users = self.users
        steps = [(author, "submit"), (users["hr"], "hr_pass"), (users["deputy"], "deputy_pass")]
        for user, action in steps:
            plan = reviews.document_transition(user=user, document=plan, action=action)
        if not publish:
            return plan
        plan = reviews.document_transition(
            user=users["deputy"], document=plan, action="committee_approve", meeting=self.meeting
        )
        return reviews.document_transition(
            user=users["leader"], document=plan, action="leader_approve", effective_from=self.effective_from
        )


def _customer_service(users: dict[str, Any], framework: Any, approval: Approval) -> None:
    cs = Department.objects.get(code="CS")
    content = _table("plan_customer_service.toml", "plan")
    agents = list(cs.positions.filter(code="CS-03"))
    plan = services.plan_create(
        user=users["cs_head"],
        department=cs,
        name="客服部考核细则",
        framework=framework,
        content=content,
        positions=agents,
    )
    plan = reviews.document_transition(user=users["cs_head"], document=plan, action="submit")
    key = content["indicators"][0]["key"]
    comment = reviews.comment_add(
        user=users["hr"],
        plan=plan,
        indicator_key=key,
        text="目标值请与上季度实际转化率对照后确定，并说明数据来源（客服系统导出）。",
    )
    plan = reviews.document_transition(
        user=users["hr"], document=plan, action="hr_return", note="请按意见补充目标值依据后重新提交。"
    )
    reviews.comment_answer(
        user=users["cs_head"],
        comment=comment,
        answer="已按上季度实际 18% 核定目标，数据来自客服系统月度导出。",
    )
    plan.refresh_from_db()
    indicator = {**plan.content["indicators"][0], "evidence": "客服系统月度导出（成交单数、咨询人数）"}
    plan = services.plan_indicator_save(
        user=users["cs_head"], plan=plan, index=0, indicator=indicator, version=plan.version
    )
    approval.through(plan, users["cs_head"])


def _marketing(users: dict[str, Any], framework: Any, approval: Approval) -> None:
    """The managers' plan (the director's own work is judged by the general manager)."""
    marketing = Department.objects.get(code="MKT")
    plan = services.plan_create(
        user=users["mkt_director"],
        department=marketing,
        name="市场部考核细则",
        framework=framework,
        content=_table("plan_marketing.toml", "plan"),
        positions=list(marketing.positions.filter(code__in=["MKT-02", "MKT-03"])),
    )
    approval.through(plan, users["mkt_director"])


def _production(users: dict[str, Any], framework: Any, approval: Approval) -> None:
    """Version 1 in force; version 2 (a higher output target) waits for the committee."""
    production = Department.objects.get(code="PRD")
    plan = services.plan_create(
        user=users["prd_head"],
        department=production,
        name="生产部考核细则",
        framework=framework,
        content=_table("plan_production.toml", "plan"),
        positions=list(production.positions.filter(code__in=["PRD-02", "PRD-03"])),
    )
    plan = approval.through(plan, users["prd_head"])
    draft = services.document_new_version(user=users["prd_head"], document=plan)
    indicator = {**draft.content["indicators"][0], "target": 2100}
    draft = services.plan_indicator_save(
        user=users["prd_head"], plan=draft, index=0, indicator=indicator, version=draft.version
    )
    approval.through(draft, users["prd_head"], publish=False)


HR_RETURN = (
    "年度奖金第二档：总监 4% + 2 名经理 × 0.05% = 4.1%，与“部门总计 5%”不符，经理比例应是 0.5%？"
    "另外 200 万、300 万、500 万恰好落在两档之间，请写明“以上/不满”；"
    "全额累进在 300 万处净利润多 1 元总监奖金多 6 万元，建议改为超额累进。"
)


def _marketing_pay(users: dict[str, Any], framework: Any, committee: list[Employee], day: Story) -> None:
    """Returned as the source wrote it; corrected by the director; approved by the chain."""
    plan = Plan.objects.create(
        code="MKT-PAY",
        name="市场部人员薪酬标准",
        department=Department.objects.get(code="MKT"),
        framework=framework,
        kind=Plan.Kind.PAY,
        content=_table("pay_marketing.toml", "pay"),
        author=users["mkt_director"],
        status=Status.RETURNED,
    )
    Revision.objects.create(plan=plan, round=1, content=plan.content, submitted_by=users["mkt_director"])
    comment = ReviewComment.objects.create(
        plan=plan, round=1, author=users["hr"], indicator_key="", text=HR_RETURN
    )
    audit_record(
        actor=users["hr"],
        action="plan.demo_seed",
        obj=plan,
        after={"status": Status.RETURNED},
        reason="演示数据：按源文件原样录入的市场部薪酬方案，自动检查发现阻止项，人力资源部退回修改。",
    )
    reviews.comment_answer(
        user=users["mkt_director"],
        comment=comment,
        answer="经理比例改为 0.5%；各档写明“超过/不满/以上”；改为超额累进，每段利润按本档比例提取。",
    )
    plan = services.document_save_content(
        user=users["mkt_director"],
        document=plan,
        content=_table("pay_marketing_corrected.toml", "pay"),
        version=plan.version,
    )
    meeting = reviews.meeting_record(
        user=users["deputy"],
        held_on=day.day(-1, 10),
        title="考核领导小组会议（市场部薪酬标准）",
        attendees=committee,
        decision="通过修订后的市场部人员薪酬标准（超额累进提取年度奖金）。",
        minutes="人力资源部说明退回理由；市场部总监说明修订内容；小组同意按修订版执行。",
    )
    Approval(users, meeting, f"{day.profit_year}-01").through(plan, users["mkt_director"])

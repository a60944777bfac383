"""The demo's people decisions (issue 13), staged through the people services as those who act:

* the handbook (制度手册): HR writes 绩效考核管理制度, the HR supervisor approves, HR publishes;
  a second version (the chapter on rules and improvement plans, a longer appeal window) supersedes
  it. The marketing director acknowledged the first version only; the agent, the marketing manager
  and the customer-service head acknowledged the second; everyone else is still to;
* training (培训): the HR supervisor's session on the framework last month — the three appraised
  departments and every head invited, the handout uploaded, attendance taken (two absent), closed;
  the agent and the marketing manager confirmed reading the handout. A second session, for team
  leads, is planned next month;
* rules that propose (奖惩规则): HR drafts three rules, the HR supervisor activates them, and they
  run on every locked month as they do when a month locks. The HR supervisor approves two rewards
  (paid in the first month whose pay is not released, with their trace) and an improvement plan; the
  committee leader approves a talk that the production head then records; one talk is rejected with
  its reason; the rest wait for a decision;
* the improvement plan (绩效改进计划) that approval started: the employee's department head writes its
  goals, support and review dates and comments on it; it waits for the employee's acknowledgement
  (the employee has no demo login, and only they may acknowledge it);
* cadre review (干部考核): the HR supervisor sets the conditions for levels 2 and 3; the production head
  nominates the first eligible operator for 班组长 — the deputy and the committee member evaluate
  (the leader, at the top of every reporting line, may not), HR ends the evaluation, and the leader
  approves from the first of this month, over the post's quota with the reason — and nominates an
  ineligible operator with the reason to nominate anyway (still evaluated); the member rates three
  heads' potential for the year;
* the year's work plan (年度工作计划) by the HR supervisor, approved by the committee leader, its items
  owned by HR people, some done, some under way, linked to the cycles and to the training.

Every date is relative to the load day (``story``); the month whose pay HR releases in the browser
journey (two months back) is where the approved rewards are paid.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jixiao.cycles.lifecycle.models import Cycle, State
from jixiao.cycles.results.models import Result
from jixiao.engine.eligibility import window
from jixiao.engine.money import parse_yuan
from jixiao.org.models import Department, Employee, Position
from jixiao.people.cadres import services as cadres
from jixiao.people.cadres.history import candidates_for, eligibility_of
from jixiao.people.cadres.models import EligibilityRule, Nomination
from jixiao.people.handbook import services as handbook
from jixiao.people.handbook.models import PolicyVersion
from jixiao.people.improvement import services as improvement
from jixiao.people.improvement.models import ImprovementPlan
from jixiao.people.rules import services as rules
from jixiao.people.rules.models import ActionKind, Proposal
from jixiao.people.rules.services import RuleInput
from jixiao.people.training import services as training
from jixiao.people.training.models import TrainingSession
from jixiao.people.workplans import services as workplans
from jixiao.plans.models import Framework, Status

from .story import CLOSED, PUBLISHED, Story

NAMES = [
    "hr",
    "hrsup",
    "member",
    "deputy",
    "leader",
    "cs_head",
    "cs_agent",
    "mkt_director",
    "mkt_manager",
    "prd_head",
]
APPRAISED = ("CS", "MKT", "PRD")  # the departments with monthly cycles
LATEST_LOCKED = CLOSED[-2]  # the month the rules ran on last (its pay waits for HR)


def load_people(day: Story) -> None:
    users = {u.username: u for u in get_user_model().objects.filter(username__in=NAMES)}
    _handbook(users)
    sessions = _training(users, day)
    _rules(users, day)
    _improvement_in_review(users, day)
    _cadres(users, day)
    _workplan(users, day, sessions)


def _employee(user: Any) -> Employee:
    return Employee.objects.get(user=user)


# -- the handbook -------------------------------------------------------------------------------

POLICY_V1 = """# 绩效考核管理制度

## 第一章 总则
第一条 为客观评价员工的工作业绩，促进员工成长，结合公司实际，制定本制度。

第二条 本制度适用于公司全体员工。考核工作由绩效考核领导小组（以下简称“考核小组”）领导，人力资源部组织实施。

## 第二章 考核周期与内容
第三条 考核分为月度、季度和年度考核。月度考核于次月 5 日前完成评分。

第四条 考核内容依据考核总框架和各部门考核细则，包括工作业绩、工作能力和工作态度。

| 等级 | 含义 |
| --- | --- |
| A | 优秀 |
| B | 良好 |
| C | 合格 |
| D | 待改进 |

## 第三章 结果公布与申诉
第五条 考核结果经考核小组审核后公布。员工对结果有异议的，可在结果公布后 5 个工作日内提出申诉。

第六条 人力资源部受理申诉后指派复核人，由考核小组组长决定维持或调整。

## 第四章 结果运用
第七条 考核结果作为绩效工资、年度奖金、评优和职务晋升的依据。"""

POLICY_V2 = (
    POLICY_V1.replace("5 个工作日内提出申诉", "7 个工作日内提出申诉")
    + """

第八条 人力资源部依据考核小组批准的奖惩规则，在每期考核结果锁定后提出奖惩和改进建议；建议须经绩效考核主管或考核小组组长批准，
本人和提出人不得审批。

第九条 连续考核结果偏低的员工，由部门负责人与员工共同制定绩效改进计划，明确目标、支持措施和复盘日期。

## 第五章 干部考核与职务晋升
第十条 晋升人选须符合人力资源部公布的任职条件，由部门负责人提名，考核小组评议，组长批准后自生效日期起执行新岗位及其薪酬标准。"""
)


def _publish(users: dict[str, Any], version: PolicyVersion) -> PolicyVersion:
    for who, action in (("hr", "submit"), ("hrsup", "approve"), ("hr", "publish")):
        version = handbook.version_step(user=users[who], version=version, action=action)
    return version


def _handbook(users: dict[str, Any]) -> None:
    first = handbook.policy_create(
        user=users["hr"], data={"title": "绩效考核管理制度", "body": POLICY_V1, "change_note": "首次发布"}
    )
    first = _publish(users, first)
    handbook.policy_acknowledge(user=users["mkt_director"], version=first)
    draft = handbook.version_start(user=users["hr"], page=first.page)
    draft = handbook.version_update(
        user=users["hr"],
        version=draft,
        data={
            "title": draft.title,
            "body": POLICY_V2,
            "change_note": "申诉期限改为 7 个工作日；增加奖惩规则、绩效改进计划和干部晋升的规定",
        },
        expected_version=draft.version,
    )
    second = _publish(users, draft)
    for name in ("cs_agent", "mkt_manager", "cs_head"):
        handbook.policy_acknowledge(user=users[name], version=second)


# -- training -----------------------------------------------------------------------------------

HANDOUT = """考核总框架与评分细则培训讲义

一、考核等级：A 优秀、B 良好、C 合格、D 待改进；等级由总分和配额决定，考核小组可在校准时调整并写明理由。
二、评分：上级评分、互评和数据指标按各部门考核细则的权重合计；一票否决项当期不发月度绩效奖金。
三、结果公布后 7 个工作日内可以申诉；复核人不得是本人的评分人或上级。
四、月度绩效工资 = 绩效奖金基数 × 部门工作完成率 × 个人等级系数。
五、奖惩规则在结果锁定后提出建议，须经批准后才计入薪酬。
"""


def _training(users: dict[str, Any], day: Story) -> list[TrainingSession]:
    """The framework session last month (held, attendance taken, closed) and next month's (planned)."""
    hrsup = users["hrsup"]
    framework = Framework.objects.filter(status=Status.PUBLISHED).order_by("-pk").first()
    assert framework is not None  # the demo's plans publish one
    trainer = f"绩效考核主管 {_employee(hrsup).name}"
    held = training.training_session_create(
        user=hrsup, topic="考核总框架与评分细则培训", held_on=day.day(PUBLISHED, 18), trainer=trainer,
        framework_id=framework.pk, location="三楼大会议室", ask_acknowledgement=True,
        description="讲解考核等级、评分方法、申诉流程和月度绩效工资的计算，并结合上月结果答疑。",
    )  # fmt: skip
    departments = list(Department.objects.filter(code__in=APPRAISED).values_list("pk", flat=True))
    training.training_invite(user=hrsup, session=held, department_ids=departments, roles=["head"])
    handout = SimpleUploadedFile("考核总框架培训讲义.txt", HANDOUT.encode(), content_type="text/plain")
    training.training_material_add(user=hrsup, session=held, files=[handout])
    held = training.training_mark_held(user=hrsup, session=held)
    invited = list(held.invitations.order_by("employee__number").values_list("employee_id", flat=True))
    absent = invited[-2:]  # two operators were on the night shift
    training.training_attendance_record(
        user=hrsup, session=held, present=[pk for pk in invited if pk not in absent], absent=absent
    )
    held = training.training_finish(user=users["hr"], session=held)
    for name in ("cs_agent", "mkt_manager"):
        training.training_acknowledge(user=users[name], session=held)
    planned = training.training_session_create(
        user=hrsup, topic="班组长考核实务：评分与绩效面谈", held_on=day.day(1, 15), trainer=trainer,
        framework_id=framework.pk, location="生产部会议室",
        description="新任和在任班组长：如何按细则评分、如何进行绩效面谈和制定改进计划。",
    )  # fmt: skip
    leads = Department.objects.filter(code="PRD").values_list("pk", flat=True)
    training.training_invite(user=hrsup, session=planned, department_ids=list(leads))
    return [held, planned]


# -- rules that propose ---------------------------------------------------------------------------

RULES = (
    RuleInput("grade in {A} for 5 in a row", ActionKind.REWARD, parse_yuan("300"), name="连续优秀奖"),
    RuleInput("grade in {C, D} for 3 in a row", ActionKind.TALK, name="连续偏低：上级谈话"),
    RuleInput("grade in {C, D} for 5 in a row", ActionKind.IMPROVEMENT, name="持续偏低：绩效改进计划"),
)


def _rules(users: dict[str, Any], day: Story) -> None:
    """HR's rule set, activated by the HR supervisor, run on every locked month (oldest first) as
    it is when a month locks; then the decisions (see the module's docstring)."""
    locked = list(Cycle.objects.filter(kind=Cycle.Kind.MONTH, state=State.LOCKED).order_by("start"))
    rules.rule_set_put_in_force(
        author=users["hr"], approver=users["hrsup"], name="奖惩与改进规则（试行）", rules=RULES, run_on=locked
    )
    production = Department.objects.get(code="PRD").pk
    proposals = list(
        Proposal.objects.select_related("employee", "cycle", "rule", "head").order_by(
            "-cycle__start", "employee__number"
        )
    )
    # Two rewards in production: its bonus pool has room for them (customer service's has not, and
    # the agent's own pay is what the pay journey reads).
    for reward in [
        p for p in proposals if p.kind == ActionKind.REWARD and p.employee.department_id == production
    ][:2]:
        rules.proposal_decide(
            user=users["hrsup"], proposal=reward, action="approve", reason="同意，计入薪酬。"
        )
    plan = next(p for p in proposals if p.kind == ActionKind.IMPROVEMENT)
    plan = rules.proposal_decide(
        user=users["hrsup"],
        proposal=plan,
        action="approve",
        reason="同意，请部门负责人与本人共同制定改进计划。",
    )
    _improvement_plan(users, day, plan)
    talks = [p for p in proposals if p.kind == ActionKind.TALK]
    talk = next(p for p in talks if p.cycle.label == day.label(LATEST_LOCKED) and p.head and p.head.user_id)
    talk = rules.proposal_decide(user=users["leader"], proposal=talk, action="approve")
    head = get_user_model().objects.get(employee=talk.head_id)
    rules.proposal_decide(
        user=head, proposal=talk, action="record_talk",
        reason="已与本人面谈：近几个月产量和合格率受设备检修影响，本人将重点抓工序衔接，下月起每周向我汇报一次。",
    )  # fmt: skip
    # The oldest talk of someone the rules proposed a talk for again later: merged into the latest.
    later = {(p.employee_id, p.cycle.start) for p in talks}
    older = next(
        p for p in reversed(talks)
        if p.employee_id != talk.employee_id and any(e == p.employee_id and s > p.cycle.start for e, s in later)
    )  # fmt: skip
    rules.proposal_decide(
        user=users["hrsup"], proposal=older, action="reject",
        reason="之后的月份对同一员工再次提出了谈话建议，合并到最近一期办理。",
    )  # fmt: skip


def _improvement_plan(users: dict[str, Any], day: Story, proposal: Proposal) -> None:
    """The employee's department head writes the plan the approval started, and comments on it."""
    plan = ImprovementPlan.objects.get(source=proposal.source)
    head = get_user_model().objects.filter(employee__headed_departments=plan.employee.department_id).first()
    head = head or users["hr"]
    plan = improvement.goal_add(
        user=head, plan=plan, text="所负责工序的一次合格率稳定在 98% 以上", measure="质检记录的月度一次合格率",
        target_date=day.last(2),
    )  # fmt: skip
    plan = improvement.goal_add(
        user=head, plan=plan, text="月度考核等级达到 B", measure="月度考核结果", target_date=day.last(2)
    )
    plan = improvement.support_add(
        user=head, plan=plan, kind="coaching", text="部门负责人每周一次现场辅导，重点是工序衔接和首件检验。"
    )
    plan = improvement.support_add(
        user=head, plan=plan, kind="training", text="参加下月的班组工艺规范与安全培训。"
    )
    for offset in (1, 2):
        plan = improvement.review_add(user=head, plan=plan, due=day.day(offset, 10))
    improvement.comment_add(
        user=head, plan=plan, text="计划初稿已写好，本周面谈时和你一起确认目标；有需要的支持随时提出。"
    )


def _improvement_in_review(users: dict[str, Any], day: Story) -> None:
    """A plan under way, as a login can see it: the marketing director and the marketing manager
    agree on collections; he acknowledges it and they hold the first review today (the services
    date a plan from the day it starts)."""
    manager = _employee(users["mkt_manager"])
    results = list(
        Result.objects.filter(member__employee=manager, cycle__label=day.label(CLOSED[-3])).values_list(
            "pk", flat=True
        )
    )
    director = users["mkt_director"]
    plan = improvement.improvement_plan_start(
        user=director, employee_id=manager.pk, result_ids=results,
        reason="应收账款回收率连续低于目标，一起把回款流程理顺。",
    )  # fmt: skip
    plan = improvement.goal_add(
        user=director, plan=plan, text="月度应收账款回收率达到 95%", measure="财务部月度回款报表",
        target_date=day.last(1),
    )  # fmt: skip
    plan = improvement.support_add(
        user=director, plan=plan, kind="coaching", text="每两周一次回款复盘，由我陪同拜访两家逾期客户。"
    )
    first = timezone.localdate()
    plan = improvement.review_add(user=director, plan=plan, due=first)
    plan = improvement.review_add(user=director, plan=plan, due=day.day(1, 10))
    plan = improvement.plan_acknowledge(user=users["mkt_manager"], plan=plan)
    review = plan.reviews.order_by("due").first()
    improvement.checkin_record(
        user=director, plan=plan, day=first, progress="some", review_id=review.pk if review else None,
        note="回收率从 88% 升到 92%；两家逾期客户已签还款计划，下月继续跟进。",
    )  # fmt: skip


# -- cadre review and promotion ---------------------------------------------------------------------

LEVELS = {
    2: {"cycle_kind": "month", "cycle_count": "4", "min_grade": "B", "min_months_in_post": "24",
        "no_veto": True, "no_open_plan": True, "note": "班组长、主管等基层管理岗位。"},
    3: {"cycle_kind": "month", "cycle_count": "6", "min_grade": "A", "min_months_in_post": "36",
        "no_veto": True, "no_open_plan": True, "note": "部门负责人岗位；另须考核小组评议。"},
}  # fmt: skip
POINTS = {"integrity": "18", "ability": "17", "diligence": "19", "performance": "19", "probity": "19"}
POTENTIAL = {
    "prd_head": ("high", "带领生产部连续完成计划，培养了两名班组长，可承担更大范围的管理工作。"),
    "cs_head": ("medium", "客服团队管理稳定，跨部门协作还需加强。"),
    "mkt_director": ("medium", "渠道拓展经验丰富，团队建设方面有提升空间。"),
}


def _operators() -> tuple[Employee, Employee]:
    """The first operator eligible for 班组长 (level 2), and the first one missing only the grades."""
    target = Position.objects.get(code="PRD-02")
    rule = EligibilityRule.objects.get(level=target.level)
    people = list(Employee.objects.filter(position__code="PRD-03", status="active").order_by("number"))
    today = timezone.localdate()
    found = {
        e.pk: eligibility_of(rule, target.level, c, today)
        for e, c in zip(people, _candidates(people, today), strict=True)
    }
    eligible = next(e for e in people if found[e.pk].eligible)
    short = next(
        e
        for e in people
        if {c.key for c in found[e.pk].unmet} == {"grades"} and _below_b(rule, e, today) == 1
    )
    return eligible, short


def _candidates(people: list[Employee], today: dt.date) -> list[Any]:
    by_id = candidates_for(people, today)
    return [by_id[e.pk] for e in people]


def _below_b(rule: EligibilityRule, employee: Employee, today: dt.date) -> int:
    """How many results in the rule's window are below B."""
    records = candidates_for([employee], today)[employee.pk].records
    return sum(r.grade not in ("A", "B") for r in window(records, rule.cycle_kind, rule.cycle_count, today))


def _cadres(users: dict[str, Any], day: Story) -> None:
    for level, data in LEVELS.items():
        cadres.eligibility_rule_save(user=users["hrsup"], level=level, data=data)
    eligible, short = _operators()
    target = Position.objects.get(code="PRD-02")
    promoted = cadres.nomination_create(
        user=users["prd_head"], employee=eligible, target=target,
        reason="连续多月考核优秀，熟悉全部工序，经常带教新员工，可担任班组长。",
    )  # fmt: skip
    _evaluated(users, promoted, ("deputy", "member"))
    promoted.refresh_from_db()
    promoted = cadres.nomination_close(user=users["hr"], nomination=promoted, version=promoted.version)
    cadres.nomination_approve(
        user=users["leader"], nomination=promoted, effective=day.first(0), reason="同意晋升为班组长。",
        quota_reason="生产线本月增设第四班组，班组长编制调整已报总经理办公室，先行任命。",
    )  # fmt: skip
    pending = cadres.nomination_create(
        user=users["prd_head"], employee=short, target=target,
        reason="工作积极，协助班组长排班和质量检查，有带班潜力。",
        override_reason="近几个月有一个月等级未达到 B，但一直承担带班工作，组织能力突出，请考核小组评议。",
    )  # fmt: skip
    _evaluated(users, pending, ("member",))
    for name, (potential, reason) in POTENTIAL.items():
        cadres.potential_rate(
            user=users["member"],
            employee=_employee(users[name]),
            year=day.today.year,
            level=potential,
            reason=reason,
        )


def _evaluated(users: dict[str, Any], nomination: Nomination, who: tuple[str, ...]) -> None:
    comments = {
        "deputy": "业绩稳定，责任心强；管理经验尚浅，建议任职后参加班组长培训。",
        "member": "群众基础好，带教新人认真，同意提名。",
    }
    for name in who:
        cadres.nomination_score(
            user=users[name], nomination=nomination, points=POINTS, comment=comments[name]
        )


# -- the year's work plan -------------------------------------------------------------------------


def _due(day: Story, offset: int, date: int) -> dt.date:
    """A due date in the story, never before the plan's year (early in January the story's months
    reach back into last year)."""
    return max(day.day(offset, date), dt.date(day.today.year, 1, 31))


def _items(users: dict[str, Any], day: Story, sessions: list[TrainingSession]) -> list[dict[str, Any]]:
    hr, hrsup, member = (_employee(users[n]).pk for n in ("hr", "hrsup", "member"))
    months = list(
        Cycle.objects.filter(kind=Cycle.Kind.MONTH, start__year=day.today.year).values_list("pk", flat=True)
    )
    held, planned = (s.pk for s in sessions)
    year_end = dt.date(day.today.year, 12, 31)
    return [
        {"task": "发布本年度考核总框架与各部门考核细则", "owner": hrsup, "due": _due(day, CLOSED[0], 10),
         "detail": "含客服部、市场部、生产部的考核细则。"},
        {"task": "每月考核结果汇总、检查与月报", "owner": hr, "due": _due(day, 0, 28), "cycle_ids": months,
         "detail": "月底收集各部门汇总，指出不合理项并跟踪整改。"},
        {"task": "考核总框架与评分细则培训", "owner": hrsup, "due": _due(day, PUBLISHED, 20),
         "training_ids": [held]},
        {"task": "修订政策指南和员工手册中的考核章节", "owner": hrsup, "due": _due(day, 0, 5)},
        {"task": "建立干部任职条件与晋升评议流程", "owner": member, "due": _due(day, 1, 30)},
        {"task": "班组长考核实务培训", "owner": hrsup, "due": _due(day, 1, 20), "training_ids": [planned]},
        {"task": "年度考核与年度奖金核定", "owner": hr, "due": year_end,
         "detail": "年度净利润经财务核定、组长批准后计算各岗位年度奖金。"},
    ]  # fmt: skip


# Each item's steps after approval, by its position in ``_items``, and who takes them.
ITEM_STEPS = {0: ("hrsup", ["mark_done"]), 1: ("hr", ["set_under_way"]), 2: ("hrsup", ["mark_done"]),
              3: ("hrsup", ["mark_done"]), 4: ("member", ["set_under_way"])}  # fmt: skip


def _workplan(users: dict[str, Any], day: Story, sessions: list[TrainingSession]) -> None:
    year = day.today.year
    plan = workplans.workplan_create(
        user=users["hrsup"],
        data={
            "kind": "year",
            "period": str(year),
            "title": f"{year} 年度绩效考核工作计划",
            "goals": "按月完成考核与结果公布；全员完成考核总框架培训；建立干部晋升评议流程；修订员工手册的考核章节。",
        },
    )
    items = [
        workplans.workitem_create(user=users["hrsup"], plan=plan, data=d)
        for d in _items(users, day, sessions)
    ]
    plan.refresh_from_db()
    workplans.workplan_approve(user=users["leader"], plan=plan, expected_version=plan.version)
    for index, (who, actions) in ITEM_STEPS.items():
        for action in actions:
            workplans.workitem_step(user=users[who], item=items[index], action=action)

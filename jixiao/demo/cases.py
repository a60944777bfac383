"""The demo's cases (issue 12), staged through the case services as the people who would act:

* three appeals (申诉): the agent's on last month's published result, upheld after the
  rechecker asked the head for a statement; the marketing manager's late appeal on the oldest
  locked month, allowed by the leader, rechecked with a corrected input and adjusted — a new
  version of the result and a pay adjustment (薪酬调整) paid in the first month whose pay is
  not released; and the marketing manager's appeal on last month, still being rechecked and
  overdue (so the deputy sees it escalated, and last month cannot lock);
* two complaints (投诉), one under investigation and one closed with its outcome;
* an anonymous allegation (匿名举报) the deputy has replied to. Its follow-up code is thrown
  away: nobody, the demo included, can read the replies as the reporter;
* suggestions (意见反馈): one received, one answered, one answered and published, one noted.

The committee leader (the general manager) decides the appeals and allows the late one: being at
the top of every reporting line keeps a person from rechecking a result, not from deciding its
appeal (only the appellant, their raters and declared conflicts may not decide; decision 42).

The services date every step today; like the story's other dates, the cases are then moved
back (``_aged``) so that they read as filed over the last weeks, and the open appeal's step
began long enough ago to be overdue.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Model
from django.utils import timezone

from jixiao.cases.appeals import services as appeals
from jixiao.cases.appeals.models import Appeal
from jixiao.cases.concerns import services as concerns
from jixiao.cases.concerns.models import Concern, Kind, Outcome
from jixiao.cases.suggestions import services as suggestions
from jixiao.cases.suggestions.models import Suggestion, Topic
from jixiao.cycles.lifecycle.models import Cycle
from jixiao.cycles.results.models import Result
from jixiao.org.models import Employee

from .story import CLOSED, PUBLISHED, Story

NAMES = ["hr", "hrsup", "member", "deputy", "leader", "cs_agent", "cs_head", "mkt_manager"]
ADJUSTED = CLOSED[0]  # the oldest locked month: its pay is released, so the recheck re-pays
OVERDUE_DAYS = 10  # the open appeal has been with the rechecker this long (the step allows 7)


def load_cases(day: Story) -> None:
    users = {u.username: u for u in get_user_model().objects.filter(username__in=NAMES)}
    _appeal_upheld(users, day)
    _appeal_adjusted(users, day)
    _appeal_overdue(users, day)
    _complaints(users, day)
    _anonymous_allegation(users, day)
    _suggestions(users)


def _aged(model: type[Model], pk: int, filed: int, step: int | None = None) -> None:
    """Date a case ``filed`` days back, its current step ``step`` days back (see the module's
    docstring: the services date everything today)."""
    now = timezone.now()
    changes: dict[str, Any] = {"created_at": now - dt.timedelta(days=filed, hours=3)}
    if step is not None:
        changes["step_began"] = timezone.localdate() - dt.timedelta(days=step)
    model._default_manager.filter(pk=pk).update(**changes)


def _result(day: Story, offset: int, username: str) -> Result:
    return Result.objects.select_related("cycle", "member__snapshot", "member__employee").get(
        cycle__label=day.label(offset), member__employee__user__username=username
    )


# -- appeals --------------------------------------------------------------------------------


def _appeal_upheld(users: dict[str, Any], day: Story) -> None:
    """The agent appeals the teamwork rating of last month; the head explains it; upheld."""
    appeal = appeals.appeal_file(
        user=users["cs_agent"],
        result=_result(day, PUBLISHED, "cs_agent"),
        indicators=["teamwork"],
        reason="团队协作只评了“良”。本月我带了两名新同事熟悉业务，还替同事顶了三个晚班，请复核。",
    )
    appeal = appeals.appeal_accept(user=users["hr"], appeal=appeal, reason="属于申诉范围，予以受理。")
    appeal = appeals.appeal_assign(user=users["hr"], appeal=appeal, rechecker_id=users["member"].pk)
    head = Employee.objects.get(user=users["cs_head"])
    statement = appeals.statement_request(
        user=users["member"],
        appeal=appeal,
        rater_id=head.pk,
        question="请说明团队协作评为“良”的依据。",
    )
    appeals.statement_answer(
        user=users["cs_head"],
        statement=statement,
        answer="带教新同事是组长安排的本职工作；顶班已计入考勤。团队协作按评分细则：主动协助他人、"
        "跨组配合均达标为“良”，“优”要求有跨部门协作成果，本月没有。",
    )
    appeal.refresh_from_db()
    appeal = appeals.appeal_recommend(
        user=users["member"],
        appeal=appeal,
        recommendation="uphold",
        data={},
        reason="评分依据与评分细则一致，带教和顶班已另有记录，维持原评分。",
    )
    appeals.appeal_decide(
        user=users["leader"], appeal=appeal, adjust=False, reason="同意复核意见，维持原结果。"
    )
    _aged(Appeal, appeal.pk, filed=6)


def _appeal_adjusted(users: dict[str, Any], day: Story) -> None:
    """The marketing manager's late appeal on the oldest locked month: a franchisee signed on
    its last day was counted in the next month. The leader allows it, the member rechecks with
    the corrected count, the leader adjusts: B → A, and the released pay is put right."""
    appeal = appeals.appeal_file(
        user=users["mkt_manager"],
        result=_result(day, ADJUSTED, "mkt_manager"),
        indicators=["franchisees"],
        reason=f"{day.last(ADJUSTED):%m 月 %d 日}签约的加盟商因合同登记延误，被计入了下个月。"
        "附合同签署页和登记单，请更正新签加盟商数量。",
    )
    appeal = appeals.appeal_leave(
        user=users["leader"],
        appeal=appeal,
        grant=True,
        reason="登记延误是公司流程原因，准予逾期申诉。",
    )
    appeal = appeals.appeal_accept(user=users["hr"], appeal=appeal, reason="已核对合同登记单，予以受理。")
    appeal = appeals.appeal_assign(user=users["hr"], appeal=appeal, rechecker_id=users["member"].pk)
    appeal = appeals.appeal_recommend(
        user=users["member"],
        appeal=appeal,
        recommendation="adjust",
        data={"measure:new_franchisees": "2"},
        reason="合同签署日期在当月，新签加盟商应为 2 家。",
    )
    appeals.appeal_decide(
        user=users["leader"],
        appeal=appeal,
        adjust=True,
        reason="同意复核意见：按 2 家重新计算，结果与绩效工资随之调整。",
    )
    _aged(Appeal, appeal.pk, filed=20)


def _appeal_overdue(users: dict[str, Any], day: Story) -> None:
    """The marketing manager's appeal on last month, with the rechecker past the step's deadline."""
    appeal = appeals.appeal_file(
        user=users["mkt_manager"],
        result=_result(day, PUBLISHED, "mkt_manager"),
        indicators=["collection"],
        reason="一笔应收账款客户已于月底前汇出，因银行到账延迟未计入回收率，请复核。",
    )
    appeal = appeals.appeal_accept(user=users["hrsup"], appeal=appeal, reason="予以受理。")
    appeal = appeals.appeal_assign(user=users["hrsup"], appeal=appeal, rechecker_id=users["member"].pk)
    _aged(Appeal, appeal.pk, filed=OVERDUE_DAYS + 2, step=OVERDUE_DAYS)


# -- complaints and the anonymous allegation ------------------------------------------------------


def _complaints(users: dict[str, Any], day: Story) -> None:
    """The agent's complaint is being investigated; the marketing manager's is closed."""
    month = day.first(PUBLISHED)
    open_one = concerns.concern_file(
        user=users["cs_agent"],
        kind=Kind.COMPLAINT,
        title=f"{month.month} 月考核结果公布后一直没有安排绩效面谈",
        text="结果已公布一周多，部门还没有通知面谈时间。按制度结果公布后应进行绩效面谈，"
        "我想知道扣分的原因和下月的改进方向。",
        cycle=Cycle.objects.get(label=day.label(PUBLISHED)),
    )
    open_one = concerns.concern_investigate(user=users["deputy"], concern=open_one)
    concerns.concern_note(
        user=users["deputy"],
        concern=open_one,
        text="已向人力资源部核实：客服部本月面谈尚未登记。已提醒部门负责人在本周内安排。",
    )
    concerns.concern_note(
        user=users["deputy"],
        concern=open_one,
        text="已受理，正在核实。已要求部门在本周内安排面谈，面谈后请在此告诉我们是否已解决。",
        to_reporter=True,
    )
    _aged(Concern, open_one.pk, filed=5, step=4)

    closed = concerns.concern_file(
        user=users["mkt_manager"],
        kind=Kind.COMPLAINT,
        title="互评表在截止前一天才发出",
        text="市场部的互评表在评分截止前一天才发到大家手里，来不及认真填写，希望以后提前发出。",
        cycle=Cycle.objects.get(label=day.label(CLOSED[-2])),
    )
    closed = concerns.concern_investigate(user=users["deputy"], concern=closed)
    concerns.concern_conclude(
        user=users["deputy"],
        concern=closed,
        outcome=Outcome.PARTLY,
        closing_note="评分开放时间符合制度，但部门转发通知晚了三天。已要求各部门在评分开放当天转发，"
        "并由系统直接通知每位评分人。",
    )
    _aged(Concern, closed.pk, filed=35, step=25)


def _anonymous_allegation(users: dict[str, Any], day: Story) -> None:
    """An allegation filed without a login against a production team lead, and the deputy's
    reply. The follow-up code is dropped here: the demo keeps no way in as the reporter."""
    lead = Employee.objects.filter(position__code="PRD-02").order_by("number").first()
    if lead is None:
        return
    allegation, _code = concerns.concern_file_anonymous(
        # The address only counts filings against the hourly limit (never stored): a fresh one
        # per load, so that loading the demo again and again in one process (tests) is not limited.
        address=f"demo-{secrets.token_hex(8)}",
        title="班组长给关系好的组员打高分",
        text=f"{day.first(CLOSED[-2]).month} 月和 {day.first(PUBLISHED).month} 月的上级评分，"
        "班组长给和他关系好的两名组员都打了“优”，他们的产量和合格率并不比别人高。",
        subject_name=lead.name,
        subject_number=lead.number,
        cycle=Cycle.objects.get(label=day.label(PUBLISHED)),
    )
    allegation = concerns.concern_investigate(user=users["deputy"], concern=allegation)
    concerns.concern_note(
        user=users["deputy"],
        concern=allegation,
        text="已调取该班组两个月的评分和产量记录，正在比对。",
    )
    concerns.concern_note(
        user=users["deputy"],
        concern=allegation,
        text="举报已受理，我们正在调取评分和产量记录核实。如您还知道具体是哪两名组员或其他情况，"
        "请凭跟进码补充，仍然匿名。",
        to_reporter=True,
    )
    _aged(Concern, allegation.pk, filed=3, step=2)


# -- suggestions ------------------------------------------------------------------------------


def _suggestions(users: dict[str, Any]) -> None:
    suggestions.suggestion_file(
        user=users["cs_agent"],
        topic=Topic.SOFTWARE,
        title="希望手机上也能查看考核结果",
        text="客服经常轮班，不在电脑前。希望手机浏览器也能方便地查看考核结果和薪酬。",
    )
    answered = suggestions.suggestion_file(
        user=users["mkt_manager"],
        topic=Topic.PLAN_RULES,
        title="回款指标建议按季度考核",
        text="加盟商回款有季节性，按月考核回收率波动很大，建议改为按季度考核。",
    )
    suggestions.suggestion_answer(
        user=users["hr"],
        suggestion=answered,
        answer="已转考核小组在下一次方案修订时讨论；在此之前仍按月考核，季末可申请复核。",
    )
    published = suggestions.suggestion_file(
        user=users["cs_head"],
        topic=Topic.RESULTS,
        title="建议公开各等级的评分标准说明",
        text="员工常问“优”和“良”差在哪里，建议把各指标的评分细则公开给所有人。",
    )
    suggestions.suggestion_answer(
        user=users["hrsup"],
        suggestion=published,
        answer="采纳。各部门考核方案的评分细则已在方案页面公开，员工可在“我的考核结果”中查看每项指标的评分依据。",
        publish=True,
    )
    noted = suggestions.suggestion_file(
        user=users["cs_agent"],
        topic=Topic.OTHER,
        title="食堂菜品建议",
        text="希望食堂增加素食窗口。",
    )
    suggestions.suggestion_close_noted(user=users["hr"], suggestion=noted)
    for pk, days in ((answered.pk, 12), (published.pk, 30), (noted.pk, 8)):
        _aged(Suggestion, pk, filed=days)

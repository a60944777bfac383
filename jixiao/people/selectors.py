"""The people decisions' hub (成长与发展): each page a person may open, by what it is for.

The doors come from the access rules (``can``), so the hub offers nothing a page would refuse."""

from __future__ import annotations

from dataclasses import dataclass

from jixiao.access.actor import ActingUser
from jixiao.access.policy import can, require
from jixiao.engine.text import Text


@dataclass(frozen=True)
class Door:
    label: Text
    url_name: str
    hint: Text


T = Text
# (rule, door): for everyone first, then the pages of those who decide.
MINE = (
    ("training.my_rules", Door(T("我的考核与薪酬规则", "How I am appraised and paid"), "training:my_rules",
                               T("我的考核细则、等级与系数、薪酬结构和奖金规则，用我上个月的工资举例。",
                                 "My plan, grades and coefficients, pay structure and bonus rules, worked on my last month's pay."))),
    ("improvement.list", Door(T("改进计划", "Improvement plans"), "improvement:list",
                              T("与上级一起制定的目标、支持和复盘，帮助成长。",
                                "Goals, support and reviews agreed with your head, to help you grow."))),
    ("training.list", Door(T("培训", "Training"), "training:list", T("邀请我参加的培训和培训资料。", "Sessions I am invited to and their materials."))),
    ("policy.list", Door(T("制度手册", "Policy handbook"), "handbook:list", T("考核与薪酬制度；新版本发布后请阅读并确认。",
                                                                        "Appraisal and pay policies; read and acknowledge each new version."))),
    ("proposal.mine", Door(T("我的表彰与建议", "My commendations and proposals"), "people_rules:mine",
                           T("按考核结果规则批准的表彰、奖励和改进建议。", "Commendations, rewards and plans approved from the rules on results."))),
    ("nomination.mine", Door(T("我的晋升", "My promotion"), "cadres:mine", T("对我的晋升提名的结果。", "The outcome of nominations of me."))),
    ("workitem.mine", Door(T("我的工作事项", "My work items"), "workplans:mine", T("考核工作计划中由我负责的事项。", "Items of the appraisal work plans I own."))),
)  # fmt: skip
DECIDE = (
    ("proposal.list", Door(T("规则建议", "Proposals"), "people_rules:proposals", T("周期锁定后按规则产生的建议，逐条批准或驳回。",
                                                                             "Proposals the rules made when a cycle locked: approve or reject each."))),
    ("rule_set.view", Door(T("奖惩规则", "Rules on results"), "people_rules:rule_sets", T("由考核结果提出奖惩和改进计划的规则，及其检查和历史预览。",
                                                                                    "Rules that propose rewards, penalties and plans from results, with lint and a preview on past cycles."))),
    ("nomination.list", Door(T("干部晋升", "Cadre promotion"), "cadres:nominations", T("提名、小组评议、组长审批。",
                                                                                   "Nominations, committee evaluation, the leader's approval."))),
    ("cadre.eligibility", Door(T("任职资格", "Eligibility"), "cadres:eligibility", T("按任职条件逐人说明是否符合。",
                                                                                  "Who meets the conditions for each post, with the reasons."))),
    ("talent.view", Door(T("人才九宫格", "Nine-box grid"), "cadres:talent", T("干部的业绩与潜力。", "Cadres by performance and potential."))),
    ("training.untrained", Door(T("未参加培训的人员", "Not yet trained"), "training:untrained",
                                T("还没有参加现行考核框架培训的员工。", "Employees not yet trained on the framework in force."))),
    ("workplan.list", Door(T("考核工作计划", "Appraisal work plans"), "workplans:list", T("年度、季度和月度的考核工作计划。",
                                                                                   "Annual, quarterly and monthly plans of the appraisal work."))),
    ("policy.compliance", Door(T("制度确认情况", "Policy acknowledgements"), "handbook:list",
                               T("各版本制度谁还没有确认。", "Who has not yet acknowledged each version."))),
)  # fmt: skip


@dataclass
class HubPage:
    mine: list[Door]
    decide: list[Door]


def hub_page(*, user: ActingUser) -> HubPage:
    """The doors ``user`` may open (every person has at least their rules page)."""
    require(user, "training.my_rules")
    return HubPage(
        mine=[door for rule, door in MINE if can(user, rule)],
        decide=[door for rule, door in DECIDE if can(user, rule)],
    )

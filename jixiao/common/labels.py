"""Every code the interface shows, by its label in the page's language (SPEC §9, issue 11).

Codes are what the data stores (``inverse_ratio``, ``peer``, ``bracket``, ``plan.hr_return``,
``cycles.cycle``, ``tiers[1].lower``); people read labels. This module is the ONE table from
code to bilingual :class:`~jixiao.engine.text.Text`, rendered through :func:`jixiao.common.text.say`.
Codes that are Django choices are shown with ``get_FOO_display`` instead; their values are listed
here only where a page shows them outside their model (a plan's indicator table, a diff).

Templates: ``{% load labels %}`` then ``{{ ind.kind|label:"kind" }}``, ``{{ f.where|lint_path }}``,
``{{ value|quantity:unit }}``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from jixiao.engine.money import plain, round_half_up
from jixiao.engine.text import Text

from .text import language, say

__all__ = [
    "LABELS", "action_label", "label", "label_text", "labels", "lint_path", "object_noun", "quantity", "source_label",
]  # fmt: skip

T = Text

# fmt: off
LABELS: dict[str, dict[str, Text]] = {
    "kind": {  # indicator kinds (engine.types.Kind)
        "ratio": T("比率（越高越好）", "Ratio (higher is better)"),
        "inverse_ratio": T("反比（越低越好）", "Inverse ratio (lower is better)"),
        "bands": T("分档", "Bands"),
        "rubric": T("等级描述", "Rubric"),
        "deduction": T("扣分项", "Deduction"),
        "bonus": T("加分项", "Bonus points"),
        "veto": T("一票否决", "Veto"),
        "derived": T("公式计算", "Derived (formula)"),
    },
    "category": {  # the framework's categories; a plan page prefers the framework's own names
        "performance": T("业绩", "Performance"),
        "ability": T("能力", "Ability"),
        "attitude": T("态度", "Attitude"),
        "team": T("团队", "Teamwork"),
    },
    "source": {  # where an indicator's data comes from (engine.types.Source)
        "manual": T("人工评分", "Rated by people"),
        "import": T("导入", "Imported"),
        "api": T("接口", "API"),
        "derived": T("公式计算", "Computed"),
    },
    "rater": {  # rater kinds (engine.types.Rater)
        "self": T("自评", "Self"),
        "manager": T("上级评分", "Manager"),
        "peer": T("互评", "Peers"),
        "committee": T("小组评分", "Committee"),
    },
    "bonus_mode": {
        "bracket": T("全额累进", "Whole profit at its tier's rate"),
        "progressive": T("超额累进", "Each slice at its tier's rate"),
    },
    "plan_status": {  # plans.models.Status, for a record that keeps a copy of a plan's status
        "draft": T("草稿", "Draft"), "submitted": T("待人力资源部评审", "Awaiting HR review"),
        "returned": T("已退回修改", "Returned for changes"), "hr_passed": T("待副组长审核", "Awaiting the deputy"),
        "scheduled": T("待考核小组会议", "Awaiting the committee meeting"),
        "committee_approved": T("待组长审批", "Awaiting the leader"), "published": T("已发布", "Published"),
        "superseded": T("已被新版本取代", "Superseded"),
    },
    "bonus_role": {  # annual bonus roles of the pay plans, where a page has only the key
        "director": T("总监", "Director"), "manager": T("经理", "Manager"), "department": T("部门合计", "Department total"),
    },
    "cycle_type": {
        "month": T("月度", "Monthly"),
        "quarter": T("季度", "Quarterly"),
        "year": T("年度", "Yearly"),
    },
    "measure_kind": {  # what a measure counts (engine.types.MeasureKind)
        "count": T("计数", "Count"), "percent": T("百分比", "Percent"), "ratio": T("比率", "Ratio"),
        "amount": T("金额", "Amount"), "duration": T("时长", "Duration"), "number": T("数值", "Number"),
    },
    "missing_data": {  # the framework's policy for missing measured data (engine.types.MissingData)
        "block": T("缺数据不得截止", "Block closing"), "exclude": T("剔除该指标并按比例调整权重", "Exclude and re-weight"),
        "zero": T("按 0 分计", "Score 0"),
    },
    "severity": {
        "blocking": T("阻止提交", "Blocking"),
        "warning": T("提醒", "Warning"),
    },
    "role": {  # access.models.Role (shown with get_role_display where a grant is at hand)
        "admin": T("系统管理员", "System administrator"),
        "committee_leader": T("考核小组组长", "Committee leader"),
        "committee_deputy": T("考核小组副组长", "Committee deputy"),
        "committee_member": T("考核小组成员", "Committee member"),
        "hr_officer": T("绩效考核员", "HR officer"),
        "hr_supervisor": T("绩效考核主管", "HR supervisor"),
        "finance": T("财务", "Finance"),
        "auditor": T("审计员（只读）", "Auditor (read-only)"),
    },
    "field": {  # fields of an indicator, a band, a tier, a role: diff columns and lint paths
        "key": T("编码", "Key"), "name_zh": T("名称", "Name"), "name_en": T("英文名称", "English name"),
        "kind": T("类型", "Kind"), "category": T("类别", "Category"), "weight": T("权重", "Weight"),
        "target": T("目标值", "Target"), "unit": T("单位", "Unit"), "source": T("数据来源", "Data source"),
        "raters": T("评分人", "Raters"), "evidence": T("证据", "Evidence"), "measure": T("数据项", "Measure"),
        "cap": T("封顶", "Cap"), "floor": T("保底", "Floor"), "bands": T("分档", "Bands"),
        "levels": T("等级描述", "Rubric levels"), "points": T("分值", "Points"),
        "points_per_event": T("每次分值", "Points per event"), "max_points": T("最多分值", "Maximum points"),
        "formula": T("公式", "Formula"), "score_as": T("计分方式", "Scored as"),
        "veto_grade": T("否决后最高等级", "Grade cap on veto"), "veto_voids_bonus": T("否决取消奖金", "Veto voids bonus"),
        "description_zh": T("说明", "Description"), "description_en": T("英文说明", "English description"),
        "lower": T("下限", "lower bound"), "upper": T("上限", "upper bound"),
        "department_rate": T("部门总比例", "department rate"), "rates": T("提取比例", "rates"),
        "headcount": T("人数", "headcount"), "min_score": T("最低分", "minimum score"),
        "coefficient": T("系数", "coefficient"), "mode": T("计算方式", "mode"), "name": T("名称", "Name"),
        "min_weight": T("最低权重", "minimum weight"), "max_weight": T("最高权重", "maximum weight"),
        "position": T("岗位", "Position"), "yes": T("是", "yes"), "no": T("否", "no"),
        "measures": T("数据项", "Measures"), "annual_bonus": T("年度奖金", "Annual bonus"),
        "structures": T("薪酬标准", "Pay structures"), "roles": T("岗位", "Roles"), "tiers": T("档位", "Tiers"),
        "basis": T("提取基数", "basis"), "source_text": T("原文", "source text"), "range": T("区间", "range"),
        "annual_bonus_role": T("年度奖金岗位", "annual bonus role"), "monthly_bonus_formula": T("月度奖金公式", "monthly bonus formula"),
        "framework": T("总框架", "framework"), "department": T("部门", "department"), "positions": T("适用岗位", "positions"),
        "version": T("版本", "version"), "effective_from": T("生效周期", "effective from"), "base_salary": T("基本工资", "Base salary"),
        "monthly_bonus_base": T("月度奖金基数", "Monthly bonus base"), "travel_per_day": T("出差补贴（每天）", "Travel allowance per day"),
    },
    "result": {  # the result page's table (a payslip's columns); the catalogue need not know them
        "heading": T("各项得分", "Points by indicator"), "indicator": T("指标", "Indicator"),
        "target": T("目标", "Target"), "actual": T("实际", "Actual"), "achievement": T("完成度", "Achievement"),
        "weight": T("权重", "Weight"), "points": T("得分", "Points"), "total": T("总分", "Total"),
        "capped": T("封顶", "capped"), "capped_hint": T("完成度按本指标的封顶计算", "achievement held at the indicator's cap"),
        "rounded": T("表中数字保留两位小数；计算使用精确值。", "Figures are shown to two decimals; the calculation uses exact values."),
        "derivation": T("查看计算过程", "Show the calculation"),
    },
    "unit": {  # units the plans use; any other unit is shown as the plan writes it
        "元": T("元", "yuan"), "件": T("件", "pcs"), "人": T("人", "people"), "分": T("分", "pts"),
        "秒": T("秒", "s"), "次": T("次", "times"), "家": T("家", "outlets"), "单": T("单", "orders"),
        "天": T("天", "days"), "个": T("个", "items"), "小时": T("小时", "h"), "台": T("台", "units"),
    },
    "flag": {  # rating values that are codes (a rubric level's key when its name is unknown)
        "excellent": T("优", "Excellent"), "good": T("良", "Good"), "fair": T("中", "Fair"), "poor": T("差", "Poor"),
    },
    "noun": {  # what an audit action or event is about: its prefix, and the model of its object
        "actual": T("实际数据", "Actuals"), "auth": T("登录", "Sign-in"), "bonus_run": T("年度奖金核算", "Annual bonus run"),
        "completion": T("部门工作完成情况", "Department completion"), "cycle": T("考核周期", "Appraisal cycle"),
        "department": T("部门", "Department"), "employee": T("员工", "Employee"), "finding": T("检查发现", "Finding"),
        "framework": T("考核总框架", "Framework"), "interview": T("反馈面谈", "Feedback interview"),
        "meeting": T("审议会议", "Committee meeting"), "monthly_run": T("月度薪酬核算", "Monthly pay run"),
        "pay": T("薪酬", "Pay"), "pay_structure": T("薪酬标准", "Pay structure"), "plan": T("考核方案", "Plan"),
        "position": T("岗位", "Position"), "profit": T("净利润", "Net profit"), "rectification": T("整改", "Rectification"),
        "result": T("考核结果", "Result"), "role": T("角色", "Role"), "sanction": T("奖惩", "Reward or sanction"),
        "score": T("评分", "Scores"), "summary": T("部门汇总", "Department summary"), "travel": T("出差天数", "Travel days"),
        "user": T("登录账号", "Login account"), "conflict": T("回避声明", "Conflict declaration"),
        "member": T("考核对象", "Appraisee"), "calibration": T("校准", "Calibration"),
        "departmentsummary": T("部门汇总", "Department summary"), "feedbackinterview": T("反馈面谈", "Feedback interview"),
        "annualbonusrun": T("年度奖金核算", "Annual bonus run"), "departmentcompletion": T("部门工作完成情况", "Department completion"),
        "monthlypayrun": T("月度薪酬核算", "Monthly pay run"), "netprofit": T("净利润", "Net profit"),
        "payadjustment": T("薪酬调整", "Pay adjustment"), "paystructure": T("薪酬标准", "Pay structure"),
        "traveldays": T("出差天数", "Travel days"), "committeemeeting": T("审议会议", "Committee meeting"),
        "reviewcomment": T("审核意见", "Review comment"), "rolegrant": T("角色", "Role"),
        "calibrationmove": T("校准", "Calibration"), "conflictdeclaration": T("回避声明", "Conflict declaration"),
        "cyclemember": T("考核对象", "Appraisee"), "cycleplan": T("周期方案", "Cycle plan"),
        "revision": T("提交版本", "Revision"), "jobrun": T("后台任务", "Background job"),
    },
    "case_kind": {  # the kinds of case (issue 12)
        "appeal": T("申诉", "Appeal"), "complaint": T("投诉", "Complaint"), "allegation": T("举报", "Allegation"),
        "suggestion": T("意见反馈", "Suggestion"),
    },
    "case_role": {  # the hat a person wears for a case in their inbox
        "appellant": T("申诉人", "Appellant"), "hr": T("人力资源部", "HR"), "rechecker": T("复核人", "Rechecker"),
        "rater": T("评分人", "Rater"), "deputy": T("副组长", "Deputy leader"), "leader": T("组长", "Leader"),
        "reporter": T("提出人", "Reporter"),
    },
    "notification": {  # notification kinds (notifications.Notification.kind); add yours here
        "plan.returned": T("方案被退回", "Plan returned"), "framework.returned": T("总框架被退回", "Framework returned"),
        "cycle.scoring_open": T("评分开始", "Scoring open"), "interview.recorded": T("面谈待确认", "Interview to acknowledge"),
        "pay.released": T("薪酬已发放", "Pay released"), "case.escalated": T("案件逾期上报", "Overdue case escalated"),
        "appeal.filed": T("申诉已提交", "Appeal filed"),
        # appeals (appeals helper)
        "appeal.late": T("逾期申诉待准予", "Late appeal to allow or refuse"),
        "appeal.leave_granted": T("准予逾期申诉", "Late appeal allowed"),
        "appeal.leave_refused": T("不准逾期申诉", "Late appeal refused"),
        "appeal.accepted": T("申诉已受理", "Appeal accepted"), "appeal.declined": T("申诉不予受理", "Appeal declined"),
        "appeal.assigned": T("申诉待复核", "Appeal to recheck"),
        "appeal.statement_requested": T("请就评分作出说明", "Statement requested"),
        "appeal.statement_answered": T("评分人已说明", "Rater's statement received"),
        "appeal.recommended": T("申诉待决定", "Appeal to decide"), "appeal.returned": T("申诉退回复核", "Appeal returned"),
        "appeal.decided": T("申诉已有决定", "Appeal decided"), "appeal.withdrawn": T("申诉已撤回", "Appeal withdrawn"),
        # complaints, allegations and suggestions (concerns helper)
        "concern.filed": T("新的投诉或举报", "New complaint or allegation"),
        "concern.info_added": T("提出人补充了信息", "Reporter added information"),
        "concern.replied": T("投诉或举报有新答复", "Reply on your case"), "concern.closed": T("投诉或举报已结案", "Case closed"),
        "suggestion.filed": T("新的意见反馈", "New suggestion"), "suggestion.answered": T("意见反馈已答复", "Suggestion answered"),
        # rules that propose (rules helper)
        "proposal.created": T("规则提出了新建议", "New rule proposals"), "proposal.talk": T("请与员工谈话", "Talk to hold"),
        "proposal.commended": T("获得表彰", "Commendation"), "proposal.decided": T("与你有关的决定", "A decision about you"),
        # improvement plans (improvement helper)
        "improvement.started": T("绩效改进计划已建立", "Improvement plan started"),
        "improvement.acknowledged": T("员工已确认改进计划", "Improvement plan acknowledged"),
        "improvement.checkin": T("改进计划有新的跟进", "Improvement plan check-in"),
        "improvement.comment": T("改进计划有新的意见", "Improvement plan comment"),
        "improvement.outcome": T("改进计划有了结论", "Improvement plan outcome"),
        "improvement.review_overdue": T("改进计划复盘已逾期", "Improvement plan review overdue"),
        # training (training helper)
        "training.invited": T("培训邀请", "Training invitation"), "training.cancelled": T("培训已取消", "Training cancelled"),
        # work plans and the handbook (handbook helper)
        "workplan.approved": T("工作计划已批准", "Work plan approved"),
        "policy.submitted": T("制度待审批", "Policy to approve"), "policy.returned": T("制度被退回修改", "Policy returned"),
        "policy.approved": T("制度已批准待发布", "Policy approved, to publish"),
        "policy.published": T("制度新版本待确认", "New policy version to acknowledge"),
        # cadre review and promotion (cadres helper)
        "nomination.filed": T("新的晋升提名待评议", "Nomination to evaluate"),
        "nomination.evaluated": T("晋升提名待审批", "Nomination to decide"),
        "nomination.decided": T("晋升提名已有结果", "Nomination decided"),
    },
    "case_noun": {  # audit nouns of the cases (kept apart so helpers can add without touching "noun")
        "appeal": T("申诉", "Appeal"), "complaint": T("投诉", "Complaint"), "allegation": T("举报", "Allegation"),
        "concern": T("投诉与举报", "Complaint or allegation"), "suggestion": T("意见反馈", "Suggestion"),
        "recheck": T("复核", "Recheck"), "statement": T("评分人说明", "Rater's statement"),
        "resultversion": T("结果版本", "Result version"), "cyclehold": T("周期暂缓锁定", "Hold on locking"),
        "notification": T("通知", "Notification"), "stepdeadline": T("办理期限", "Step deadline"),
        "concernnote": T("投诉与举报的记录", "Case note"), "concernfile": T("证据文件", "Evidence file"),
        "concernlink": T("投诉与举报的关联", "Case link"),
    },
    "case_verb": {  # audit verbs of the cases
        "file": T("提交", "filed"), "accept": T("受理", "accepted"), "decline": T("不予受理", "declined"),
        "assign": T("指派复核人", "rechecker assigned"), "request_statement": T("请评分人说明", "statement requested"),
        "recommend": T("提出复核意见", "recommendation made"), "decide_uphold": T("决定维持", "decided: upheld"),
        "decide_adjust": T("决定调整", "decided: adjusted"), "recheck": T("复核调整", "rechecked"),
        "investigate": T("开始调查", "investigation started"), "note": T("记录", "note added"),
        "reply": T("答复", "replied"), "grant_leave": T("准予逾期申诉", "late appeal allowed"),
        "refuse_leave": T("不准逾期申诉", "late appeal refused"), "publish_answer": T("公开答复", "answer published"),
        "escalate": T("上报副组长", "escalated to the deputy"), "withdraw": T("撤回", "withdrawn"),
        "conclude": T("结案", "closed with an outcome"), "add_info": T("补充信息", "information added"),
        "attach": T("附加证据文件", "evidence attached"), "link": T("关联", "linked"),
        "close_noted": T("已阅备查", "closed as noted"), "unpublish": T("撤下公开答复", "answer withdrawn from publication"),
    },
    "integrity_flag": {  # the kinds of integrity flag (integrity.selectors.KINDS), as a case links them
        "uniform": T("评分完全相同", "Identical scores"), "all_maximum": T("全部满分", "All top marks"),
        "evidence": T("评分与KPI数据不符", "Scores contradict KPI data"), "late": T("截止后录入或修改", "Entered or changed after the deadline"),
        "team": T("团队评分明显高于KPI结果", "Team rated far above its KPI results"),
    },
    "people_noun": {  # audit nouns of the people decisions (issue 13); each wing adds its own
        # rules that propose (rules helper)
        "rule_set": T("奖惩规则集", "Rule set"), "ruleset": T("奖惩规则集", "Rule set"), "rule": T("奖惩规则", "Rule"),
        "proposal": T("规则建议", "Rule proposal"),
        # the monthly report (issue 14)
        "monthly_report": T("绩效考核月报", "Monthly report"), "monthlyreport": T("绩效考核月报", "Monthly report"),
        "reportcorrection": T("月报更正说明", "Report correction"),
        "cadre": T("干部", "Cadre"),
        # improvement plans (improvement helper)
        "improvement": T("绩效改进计划", "Improvement plan"), "improvementplan": T("绩效改进计划", "Improvement plan"),
        # training (training helper)
        "training": T("培训", "Training"), "trainingsession": T("培训", "Training"),
        "traininginvitation": T("培训邀请", "Training invitation"), "trainingattendance": T("培训出勤", "Training attendance"),
        "trainingmaterial": T("培训资料", "Training material"),
        # work plans and the handbook (handbook helper)
        "workplan": T("工作计划", "Work plan"), "workitem": T("工作事项", "Work item"),
        "policy": T("制度", "Policy"), "policypage": T("制度", "Policy"),
        "policy_version": T("制度版本", "Policy version"), "policyversion": T("制度版本", "Policy version"),
        "policyacknowledgement": T("制度阅读确认", "Policy acknowledgement"),
        # cadre review and promotion (cadres helper)
        "position_change": T("任职记录", "Position change"), "positionchange": T("任职记录", "Position change"),
        "eligibility_rule": T("任职条件", "Eligibility rule"), "eligibilityrule": T("任职条件", "Eligibility rule"),
        "nomination": T("晋升提名", "Nomination"), "nomination_conflict": T("提名回避声明", "Conflict on a nomination"),
        "nominationconflict": T("提名回避声明", "Conflict on a nomination"), "evaluation": T("提名评议", "Nomination evaluation"),
        "potential": T("潜力评定", "Potential rating"), "potentialrating": T("潜力评定", "Potential rating"),
    },
    "people_verb": {  # audit verbs of the people decisions
        # rules that propose (rules helper)
        "activate": T("批准并生效", "activated"), "retire": T("停用", "retired"), "record_talk": T("记录谈话", "talk recorded"),
        # improvement plans (improvement helper)
        "start": T("建立", "started"), "goal_add": T("添加目标", "goal added"), "goal_remove": T("删除目标", "goal removed"),
        "support_add": T("添加支持措施", "support added"), "support_remove": T("删除支持措施", "support removed"),
        "review_add": T("添加复盘日期", "review date added"), "review_remove": T("删除复盘日期", "review date removed"),
        "acknowledge_update": T("员工确认新版本", "new version acknowledged"), "revise": T("继续修改", "reopened for revision"),
        "begin": T("开始跟进", "reviews begun"), "checkin": T("记录跟进", "check-in recorded"),
        "outcome_improved": T("结论：已达成改进", "outcome: improved"), "outcome_extended": T("结论：延长计划", "outcome: extended"),
        "outcome_closed": T("结论：结束计划", "outcome: closed"), "remind": T("提醒上级复盘已逾期", "head reminded of an overdue review"),
        # training (training helper)
        "mark_held": T("标记为已举办", "marked as held"), "finish": T("确认出勤并结束", "attendance confirmed, closed"),
        "invite": T("邀请", "invited"), "material_add": T("上传资料", "materials uploaded"),
        "attendance": T("记录出勤", "attendance recorded"), "attendance_import": T("导入出勤", "attendance imported"),
        # work plans and the handbook (handbook helper)
        "close_plan": T("关闭", "closed"), "set_under_way": T("开始办理", "under way"),
        "mark_done": T("完成", "done"), "drop": T("放弃", "dropped"), "resume": T("重新开始", "taken up again"),
        "discard": T("作废", "discarded"),
        # cadre review and promotion (cadres helper)
        "nominate": T("提名", "nominated"), "score": T("评分", "scored"), "end_evaluation": T("结束评议", "evaluation ended"),
        "void": T("作废", "voided"), "rate": T("评定", "rated"), "position": T("岗位变动", "position changed"),
        "potential": T("评定潜力", "potential rated"), "decide": T("作出决定", "decided"),
        # the monthly report (issue 14)
        "regenerate": T("重新生成", "generated again"), "conclusion": T("编写结论", "conclusion written"),
        "correct": T("添加更正说明", "correction noted"),
    },
    "action": {  # audit actions read as a whole rather than noun + verb
        "auth.login": T("登录", "Signed in"), "auth.login_failed": T("登录失败", "Sign-in failed"),
        "auth.logout": T("退出登录", "Signed out"),
        # issue 14, exports: a bulk export of personal data, with its stated reason (SPEC §8)
        "export.personal": T("导出个人数据", "Personal data exported"),
    },
    "verb": {  # what was done: an audit action's suffix
        "import": T("导入", "import"), "import_start": T("开始导入", "import started"), "login": T("登录", "signed in"),
        "login_failed": T("登录失败", "sign-in failed"), "logout": T("退出", "signed out"), "compute": T("计算", "computed"),
        "release": T("发放", "released"), "release_over_budget": T("超出预算发放", "released over budget"),
        "record": T("记录", "recorded"), "close_scoring": T("截止评分", "scoring closed"), "create": T("新建", "created"),
        "hr_check": T("人力资源部核对", "checked by HR"), "lock": T("锁定", "locked"), "open": T("开启", "opened"),
        "publish": T("公布", "published"), "submit_summaries": T("部门汇总提交", "summaries submitted"),
        "verify": T("核实", "verified"), "update": T("修改", "changed"), "link_user": T("关联登录账号", "login linked"),
        "committee_approve": T("考核小组批准", "approved by the committee"), "deputy_pass": T("副组长审核通过", "passed by the deputy"),
        "leader_approve": T("组长批准", "approved by the leader"), "submit": T("提交", "submitted"),
        "committee_return": T("考核小组退回", "returned by the committee"),
        "deputy_return": T("副组长退回", "returned by the deputy"),
        "leader_return": T("组长退回", "returned by the leader"),
        "close_scoring_early": T("提前截止评分", "scoring closed early"),
        "acknowledge": T("确认", "acknowledged"), "adjust": T("调整", "adjusted"), "close": T("停用", "closed"),
        "set": T("设置", "set"), "comment": T("提出意见", "commented"), "comment_answer": T("答复意见", "comment answered"),
        "demo_seed": T("载入演示数据", "demo data loaded"), "hr_pass": T("人力资源部审核通过", "passed by HR"),
        "hr_return": T("人力资源部退回", "returned by HR"), "indicator_save": T("保存指标", "indicator saved"),
        "indicator_delete": T("删除指标", "indicator deleted"), "approve": T("批准", "approved"), "enter": T("录入", "entered"),
        "answer": T("答复", "answered"), "calibrate": T("校准", "calibrated"), "grant": T("授予", "granted"),
        "revoke": T("撤销", "revoked"), "propose": T("提出", "proposed"), "check": T("检查", "checked"),
        "save": T("保存", "saved"), "read": T("查看", "read"), "export": T("导出", "exported"), "edit": T("编辑", "edited"),
        "return": T("退回", "returned"), "reopen": T("重新开启", "reopened"), "supersede": T("被替代", "superseded"),
        "self_submit": T("提交自评", "self-assessment submitted"), "declare": T("声明", "declared"),
        "reject": T("驳回", "rejected"), "delete": T("删除", "deleted"), "cancel": T("取消", "cancelled"),
    },
}
# fmt: on

# The collections a lint path walks: ``tiers[1].lower`` → “第 2 档下限” / “tier 2, lower bound”.
_COLLECTIONS: dict[str, tuple[str, str]] = {
    "indicators": ("第 {n} 个指标", "indicator {n}"),
    "tiers": ("第 {n} 档", "tier {n}"),
    "roles": ("第 {n} 个岗位", "role {n}"),
    "grades": ("第 {n} 个等级", "grade {n}"),
    "bands": ("第 {n} 个分档", "band {n}"),
    "levels": ("第 {n} 个等级描述", "rubric level {n}"),
    "categories": ("第 {n} 个类别", "category {n}"),
    "measures": ("第 {n} 个数据项", "measure {n}"),
    "structures": ("第 {n} 个薪酬标准", "pay structure {n}"),
}
_WHOLE: dict[str, Text] = {
    "plan": T("方案", "the plan"),
    "framework": T("总框架", "the framework"),
    "pay": T("薪酬方案", "the pay plan"),
    "bonus": T("年度奖金", "the annual bonus"),
    "annual_bonus": T("年度奖金", "the annual bonus"),
    "rater_weights": T("评分人权重", "rater weights"),
}
_STEP = re.compile(r"([a-z_]+)(?:\[(\d+)\])?")


def label_text(code: Any, domain: str) -> Text:
    """The label of ``code`` in ``domain`` as :class:`Text`; an unknown code stays as it is."""
    found = LABELS.get(domain, {}).get(str(code))
    return found if found is not None else T(str(code))


def label(code: Any, domain: str) -> str:
    """The label of ``code`` in ``domain``, in the page's language ("" for no code)."""
    if code is None or code == "":
        return ""
    return say(label_text(code, domain))


def labels(codes: Iterable[Any], domain: str) -> str:
    """Several codes of one domain, labelled and joined (“互评、上级评分” / “Peers, Manager”)."""
    names = [label(code, domain) for code in codes if code]
    return ("、" if language() == "zh" else ", ").join(names)


def action_label(action: str) -> Text:
    """An audit action (``plan.hr_return``) as “考核方案：人力资源部退回” / “Plan: returned by HR”."""
    whole = LABELS["action"].get(str(action))
    if whole is not None:
        return whole
    noun, _, verb = str(action).rpartition(".")
    thing = LABELS["noun"].get(noun) or LABELS["case_noun"].get(noun) or LABELS["people_noun"].get(noun)
    done = LABELS["verb"].get(verb) or LABELS["case_verb"].get(verb) or LABELS["people_verb"].get(verb)
    if thing is None or done is None:
        return T(str(action))
    return T(f"{thing.zh}：{done.zh}", f"{thing.render('en')}: {done.render('en')}")


CASE_PREFIXES = {
    "appeal": "AP",
    "proposal": "PR",
}  # how people name a case: 申诉 AP-12; a rule's proposal PR-3
SOURCE_KINDS = {"proposal": T("规则建议", "Rule proposal")}  # sources that are not cases


def source_label(source: Any) -> Text:
    """Where a correction comes from (``appeal:12``, stored on result versions and pay
    adjustments) as people name it: “申诉 AP-12” / “Appeal AP-12”; empty for none."""
    kind, _, number = str(source or "").partition(":")
    if not kind:
        return T("")
    name = LABELS["case_kind"].get(kind) or SOURCE_KINDS.get(kind)
    if name is None or not number:
        return T(str(source))
    reference = f"{CASE_PREFIXES[kind]}-{number}" if kind in CASE_PREFIXES else f"#{number}"
    return T(f"{name.zh} {reference}", f"{name.render('en')} {reference}")


def object_noun(object_type: str) -> Text:
    """An object type (``cycles.cycle``) as its noun (“考核周期” / “Appraisal cycle”)."""
    model = str(object_type).rpartition(".")[2]
    return (
        LABELS["noun"].get(model)
        or LABELS["case_noun"].get(model)
        or LABELS["people_noun"].get(model, T(str(object_type)))
    )


def _path_step(name: str, index: str | None) -> Text:
    if index is not None and name in _COLLECTIONS:
        zh, en = _COLLECTIONS[name]
        return T(zh.format(n=int(index) + 1), en.format(n=int(index) + 1))
    for table in (_WHOLE, LABELS["field"], LABELS["bonus_role"], LABELS["rater"]):
        if name in table:
            return table[name]
    return T(name)


def lint_path(path: str) -> Text:
    """Where a lint finding points (``tiers[1].lower``) in words: “第 2 档下限” / “tier 2, lower bound”."""
    steps = [_path_step(m.group(1), m.group(2)) for m in _STEP.finditer(str(path or ""))]
    if not steps:
        return T(str(path or ""))
    return T("".join(s.zh for s in steps), ", ".join(s.render("en") for s in steps))


def quantity(value: Any, unit: str = "") -> str:
    """A target or actual with its unit, as people read it (two decimals at most): a ``%``
    quantity is stored as a fraction (``0.30``) and shown as a percent (``30 %``); others keep
    their unit (``30 秒``)."""
    if value is None or value == "":
        return ""
    raw = str(value).strip()
    if raw.endswith(("%", "％")):
        return f"{raw[:-1].strip()} %"
    try:
        number = Decimal(raw)
    except (InvalidOperation, ValueError):
        return f"{value} {unit}".strip()
    if not number.is_finite() or abs(number) >= 10**15:  # refused input shown back as typed
        return f"{value} {unit}".strip()
    if unit in ("%", "％"):
        return f"{_shown(number * 100)} %"
    return f"{_shown(number)} {label(unit, 'unit')}".strip()


def _shown(number: Decimal) -> str:
    """A figure for the eye: at most two decimals (the exact value stays where it is kept)."""
    return plain(round_half_up(number, Decimal("0.01")) if number.is_finite() else number)

"""The demo company, as data: built from the source document (seed) wherever it speaks.

人力资源部's two posts and 市场部's three posts carry the source's duties and purposes word for
word; the rest of the company (客服部, 生产部, 财务部, 技术部, 总经理办公室) is filled in the
way such a company usually looks, so that the demo has about 60 people.
"""

from __future__ import annotations

from dataclasses import dataclass, field

DEMO_PASSWORD = "jixiao-demo"

HR_OFFICER_DUTIES = [
    "根据公司关于绩效考核的原则，制定全厂绩效考核总框架，为各部门制定具体考核细则提供技术支持。",
    "督促各部门根据绩效考核总体框架制定出适合本部门的绩效考核细则。",
    "收集各部门绩效方案进行评审，找出不合理项并与相关部门沟通解决，直至相关部门对考核细则做出合理修改。",
    "指导部门负责人开展考核工作，为绩效管理实施过程提供帮助，向员工解释相关绩效考核制度问题。",
    "监督绩效考核实施过程，检查各部门在实际工作中对考核细则的执行情况，杜绝徇私舞弊等不正当现象发生。",
    "月底收集各部门绩效考核汇总，并对各部门绩效考核汇总进行检查分析，指出其中不合理的考核项目令其及时改正，监督绩效工资的制度与执行。",
    "将当月考核中出现的问题反馈到各部门，使其绩效考核汇总不断完善。",
    "以月报的形式总结当月全厂绩效考核工作情况。",
    "完成上级领导安排的其它工作任务。",
]
HR_SUPERVISOR_DUTIES = [
    "编制绩效考核工作规划、相应的绩效考核发展目标和年度的绩效考核工作计划，并制定细化的季度、月度计划。",
    "建立并维持公正有效的绩效考核体系，并负责考核的实施、管理。",
    "根据公司业务需要，配合领导具体组织实施各类员工绩效考核工作。",
    "根据绩效考核情况和相关规定，实施对相关员工的奖惩。",
    "建立公司职位管理系统，协助和指导各部门绩效考核工作。",
    "建立公司干部考核评估体系及职务晋升体系。",
    "指导部门负责人开展考核工作，向雇员解释各种相关制度问题。",
    "协助修订政策指南和雇员手册、提供政策支持，协助政策解释。",
    "建立绩效考核的信息系统、为公司人力资源决策提供参考依据。",
    "负责绩效考核工作的汇总及整理工作，及时编制绩效统计报告和分析报告。",
    "对员工进行绩效考核相关内容的培训。",
    "对当前的绩效考核制度进行评估，推荐改进措施。",
    "协助人事经理完成其他相关人事工作。",
    "完成上级交办的其它工作任务。",
]
MARKETING_DIRECTOR_DUTIES = [
    "编制与销售直接相关的广告宣传计划，提交总经理办公室；",
    "制定本部门相关的管理制度并监督检查下属人员的执行情况；",
    "组织对公司客户的售后服务，与技术部门联络以取得必要的技术支持；",
    "对下属人员进行业务指导和工作考核；",
    "组织建立销售情况统计台账，定期报送总经理办公室。",
]
FRANCHISE_MANAGER_DUTIES = [
    "做好与加盟商的协议签订，履行，做好应收账款的催收工作；",
    "对于新老加盟商的培训辅导工作。",
]
SPECIAL_CHANNEL_MANAGER_DUTIES = [
    "定期对于竞争对手在市场上的销售情况进行调查，并以书面形式报告给经理。",
]


@dataclass(frozen=True)
class PositionSpec:
    code: str
    title: str
    quota: int
    level: int = 1
    cadre: bool = False
    purpose: str = ""
    duties: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class DepartmentSpec:
    code: str
    name: str
    positions: list[PositionSpec]
    parent: str = ""


DEPARTMENTS = [
    DepartmentSpec(
        "GM",
        "总经理办公室",
        [
            PositionSpec("GM-01", "总经理", 1, 5, True, "全面负责公司经营管理，担任绩效考核领导小组组长。"),
            PositionSpec("GM-02", "副总经理", 1, 4, True, "协助总经理，担任绩效考核领导小组副组长。"),
            PositionSpec("GM-03", "内审专员", 1, 2, False, "独立检查公司制度与流程的执行，审阅审计日志。"),
            PositionSpec("GM-04", "行政专员", 1, 1),
        ],
    ),
    DepartmentSpec(
        "HR",
        "人力资源部",
        [
            PositionSpec("HR-01", "人力资源部经理", 1, 3, True, "负责人力资源管理，担任绩效考核小组成员。"),
            PositionSpec(
                "HR-02",
                "绩效考核主管",
                1,
                2,
                True,
                "建立并维持公正有效的绩效考核体系。",
                HR_SUPERVISOR_DUTIES,
            ),
            PositionSpec(
                "HR-03",
                "绩效考核员",
                1,
                1,
                False,
                "制定考核总框架，评审各部门考核细则，监督考核实施。",
                HR_OFFICER_DUTIES,
            ),
            PositionSpec("HR-04", "人事专员", 1, 1),
        ],
    ),
    DepartmentSpec(
        "MKT",
        "市场部",
        [
            PositionSpec(
                "MKT-01",
                "市场部总监",
                1,
                3,
                True,
                "组织完成公司制定的销售计划，管理市场部。",
                MARKETING_DIRECTOR_DUTIES,
            ),
            PositionSpec(
                "MKT-02",
                "市场经理（加盟商渠道）",
                1,
                2,
                False,
                "完成公司制定的加盟商的开拓与维护销售计划",
                FRANCHISE_MANAGER_DUTIES,
            ),
            PositionSpec(
                "MKT-03",
                "市场经理（特色渠道）",
                1,
                2,
                False,
                "完成公司制定的其他渠道的开拓与维护销售计划",
                SPECIAL_CHANNEL_MANAGER_DUTIES,
            ),
        ],
    ),
    DepartmentSpec(
        "CS",
        "客服部",
        [
            PositionSpec(
                "CS-01",
                "客服经理",
                1,
                3,
                True,
                "带领客服团队提升转化率与满意度，避免工作失误给公司带来损失。",
            ),
            PositionSpec("CS-02", "客服主管", 2, 2, False, "带班、质检、辅导新人。"),
            PositionSpec("CS-03", "客服专员", 12, 1, False, "接待咨询、促成订单、处理售后。"),
        ],
    ),
    DepartmentSpec(
        "PRD",
        "生产部",
        [
            PositionSpec("PRD-01", "生产部经理", 1, 3, True, "按计划、按质量完成生产任务，确保安全生产。"),
            PositionSpec("PRD-02", "班组长", 3, 2, False, "组织本班组生产、质量与安全。"),
            PositionSpec("PRD-03", "操作工", 18, 1, False, "按工艺完成生产作业。"),
            PositionSpec("PRD-04", "质检员", 2, 1, False, "检验产品质量。"),
        ],
    ),
    DepartmentSpec(
        "FIN",
        "财务部",
        [
            PositionSpec("FIN-01", "财务经理", 1, 3, True, "负责会计核算、资金与年度净利润核定。"),
            PositionSpec("FIN-02", "会计", 1, 1),
            PositionSpec("FIN-03", "出纳", 1, 1),
        ],
    ),
    DepartmentSpec(
        "TECH",
        "技术部",
        [
            PositionSpec("TECH-01", "技术部经理", 1, 3, True, "为市场与售后提供技术支持。"),
            PositionSpec("TECH-02", "工程师", 4, 2),
        ],
    ),
]

# How many people sit in each position (the production line is deliberately one over its
# quota so the demo shows the over-quota flag).
STAFFING = {
    "GM-01": 1, "GM-02": 1, "GM-03": 1, "GM-04": 1,
    "HR-01": 1, "HR-02": 1, "HR-03": 1, "HR-04": 1,
    "MKT-01": 1, "MKT-02": 1, "MKT-03": 1,
    "CS-01": 1, "CS-02": 2, "CS-03": 12,
    "PRD-01": 1, "PRD-02": 3, "PRD-03": 19, "PRD-04": 2,
    "FIN-01": 1, "FIN-02": 1, "FIN-03": 1,
    "TECH-01": 1, "TECH-02": 4,
}  # fmt: skip

# Demo logins: username → (position code, which holder of it, roles granted).
LOGINS: dict[str, tuple[str | None, list[str]]] = {
    "admin": (None, ["admin"]),
    "leader": ("GM-01", ["committee_leader"]),
    "deputy": ("GM-02", ["committee_deputy"]),
    "member": ("HR-01", ["committee_member"]),
    "hr": ("HR-03", ["hr_officer"]),
    "hrsup": ("HR-02", ["hr_supervisor"]),
    "cs_head": ("CS-01", []),
    "cs_agent": ("CS-03", []),
    "mkt_director": ("MKT-01", []),
    "mkt_manager": ("MKT-02", []),
    "prd_head": ("PRD-01", []),
    "finance": ("FIN-01", ["finance"]),
    "auditor": ("GM-03", ["auditor"]),
}

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
)
GIVEN = [
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英",
    "霞", "平", "刚", "桂英", "建华", "文博", "子涵", "欣怡", "浩然", "雨桐", "俊杰", "思远", "晓燕", "海涛",
    "佳怡", "志强", "婷婷", "宇航", "梦琪", "国庆", "春梅", "雪梅", "建国", "丹丹", "鹏", "亮", "晨", "颖",
]  # fmt: skip
DISTRICTS = ["浦东新区", "闵行区", "徐汇区", "杨浦区", "宝山区", "松江区", "嘉定区", "普陀区"]

"""People development (to come): rewards rules (奖惩制度), performance improvement plans (绩效改进
计划), promotion (晋升), training (培训), work plans (工作计划) and the employee handbook (员工手册),
built on the appraisal results of ``cycles`` and the recipe in ``docs/architecture.md``.
"""

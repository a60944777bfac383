from django.apps import AppConfig


class PeopleRulesConfig(AppConfig):
    """Rules on results that propose rewards, penalties, improvement plans and talks (奖惩规则与建议). A Django app of its own inside ``people`` so that each keeps its own migrations
    (as the cases do, decision 39)."""

    name = "jixiao.people.rules"
    label = "people_rules"
    verbose_name = "规则与建议"

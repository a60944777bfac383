from django.apps import AppConfig


class PeopleRulesConfig(AppConfig):
    """Rules on results that propose rewards, penalties, improvement plans and talks (奖惩规则与建议). A Django app of its own inside ``people`` so that each keeps its own migrations
    (as the cases do, decision 39)."""

    name = "jixiao.people.rules"
    label = "people_rules"
    verbose_name = "规则与建议"

    def ready(self) -> None:
        """Run the active rules on each cycle once its lock commits (a background job)."""
        from jixiao.cycles.lifecycle.signals import cycle_locked

        from .running import on_cycle_locked

        cycle_locked.connect(on_cycle_locked, dispatch_uid="people_rules.on_cycle_locked")

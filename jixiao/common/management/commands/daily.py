"""``jixiao daily``: the day's housekeeping in one cron line, each step a command of its own app
(called by name, so this ground-floor module depends on none of them):

- ``org apply-position-changes``: promotions whose effective date has come;
- ``cases escalate``: case steps past their deadline, told to the deputy once;
- ``improvement remind``: improvement plan reviews past their date, told to the head once.

Cron, at 07:00::

    0 7 * * *  cd /srv/jixiao && JIXIAO_DATA_DIR=/srv/jixiao/var .venv/bin/jixiao daily

A step that fails is reported and the others still run; the exit status says whether all ran.
"""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

STEPS = (("org", "apply-position-changes"), ("cases", "escalate"), ("improvement", "remind"))


class Command(BaseCommand):
    help = "Run the daily housekeeping (position changes, case escalation, plan reminders). 每日例行任务。"

    def handle(self, *args: Any, **options: Any) -> None:
        failed = []
        for command, action in STEPS:
            self.stdout.write(f"== jixiao {command} {action}")
            try:
                call_command(command, action, stdout=self.stdout, stderr=self.stderr)
            except Exception as error:  # one step's failure must not stop the others
                failed.append(f"{command} {action}")
                self.stderr.write(f"失败 / failed: {error}")
        if failed:
            raise CommandError(f"未完成 / did not finish: {', '.join(failed)}")

"""The ``jixiao`` command: Django's management commands under one name.

``jixiao demo``, ``jixiao audit verify``, ``jixiao lint FILE``, ``jixiao migrate`` … are all
management commands of Jixiao's apps or of Django itself.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixiao.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    args[0] = "jixiao"
    execute_from_command_line(args)


if __name__ == "__main__":
    main()

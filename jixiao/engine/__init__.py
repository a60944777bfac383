"""The calculation engine (计算引擎): pure, exact and explained.

Standard library and ``Decimal`` only: this package never imports Django or any other
Jixiao package (an import-linter contract holds it to that), never reads a clock and never
touches a database. The shell loads models into the frozen dataclasses of
:mod:`jixiao.engine.types` (or into columns for :mod:`jixiao.engine.batch`), calls the
engine, and stores what comes back.

Entry points the apps call:

- :func:`jixiao.engine.batch.score_batch` / :func:`jixiao.engine.scoring.score_person`
- :func:`jixiao.engine.grading.grade_batch`, :func:`~jixiao.engine.grading.rank_competition`,
  :func:`~jixiao.engine.grading.check_distribution`
- :func:`jixiao.engine.bonus.annual_bonus`, :func:`~jixiao.engine.bonus.what_if`,
  :func:`~jixiao.engine.bonus.cliffs`
- :func:`jixiao.engine.pay.monthly_line`, :func:`~jixiao.engine.pay.bonus_pool`,
  :func:`jixiao.engine.pay_annual.annual_lines`, :func:`~jixiao.engine.pay_annual.annual_line`
- :func:`jixiao.engine.lint.lint_plan`, :func:`~jixiao.engine.lint.lint_framework`,
  :func:`jixiao.engine.lint_bonus.lint_bonus_plan`
- :mod:`jixiao.engine.toml_format` to read the TOML formats of ``docs/formats.md``.
"""

ENGINE_VERSION = "1"

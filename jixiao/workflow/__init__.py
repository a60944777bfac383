"""How a record changes: transition tables and the audited write (the two write primitives).

Every stateful model declares a :class:`~jixiao.workflow.table.Workflow` (its transition table);
:func:`~jixiao.workflow.services.transition_apply` is the only code that moves a record from one
state to another. :func:`~jixiao.workflow.services.audited_write` is the only skeleton for
"lock, check the version, change, audit" on a record that is edited in place.

It sits above ``access`` and ``audit`` (it checks rules and appends events) and below every
domain app; ``common`` stays the ground floor under all of them (decision 32).
"""

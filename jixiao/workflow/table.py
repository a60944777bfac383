"""Transition tables: a state machine as data.

A row says: from any of these states, this action moves the record to that state, for whoever
the access rule allows, once every guard in the row agrees. Guards are listed in the row itself
(never registered by importing a module), so reading the table tells the whole story.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model

from jixiao.access.policy import OBJECT_RULES, can
from jixiao.engine.text import Text

# A guard refuses a transition by raising JixiaoError (saying why, in both languages);
# it receives the locked record and the acting user.
Guard = Callable[[Any, Any], None]


@dataclass(frozen=True)
class Transition:
    """One row of a transition table."""

    action: str
    sources: frozenset[str]
    target: str
    rule: str  # the access rule (jixiao.access.policy) the acting user must pass on the record
    label: Text
    guards: tuple[Guard, ...] = ()
    needs_reason: bool = False  # a return, a rejection or an override must say why

    def __init__(
        self,
        action: str,
        sources: Iterable[str],
        target: str,
        rule: str,
        label: Text,
        guards: tuple[Guard, ...] = (),
        needs_reason: bool = False,
    ) -> None:
        object.__setattr__(self, "action", action)
        object.__setattr__(self, "sources", frozenset(str(s) for s in sources))
        object.__setattr__(self, "target", str(target))
        object.__setattr__(self, "rule", rule)
        object.__setattr__(self, "label", label)
        object.__setattr__(self, "guards", tuple(guards))
        object.__setattr__(self, "needs_reason", needs_reason)


@dataclass(frozen=True)
class Workflow:
    """The transition table of one model.

    ``name`` prefixes the audit action (``cycle.publish``); ``field`` is the model's state
    column; ``labels`` names every state in both languages (for messages and pages).
    """

    name: str
    model: type[Model]
    transitions: tuple[Transition, ...]
    labels: dict[str, Text]
    field: str = "state"
    by_action: dict[str, Transition] = dataclasses.field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        actions = [t.action for t in self.transitions]
        if len(actions) != len(set(actions)):
            raise ValueError(f"{self.name}: an action appears twice in its transition table")
        states = {t.target for t in self.transitions} | {s for t in self.transitions for s in t.sources}
        missing = states - set(self.labels)
        if missing:
            raise ValueError(f"{self.name}: states without a label: {sorted(missing)}")
        object.__setattr__(self, "by_action", {t.action: t for t in self.transitions})

    @property
    def states(self) -> frozenset[str]:
        return frozenset(self.labels)

    def find(self, action: str) -> Transition | None:
        return self.by_action.get(action)

    def state_of(self, obj: Any) -> str:
        return str(getattr(obj, self.field))

    def state_label(self, state: str) -> Text:
        return self.labels.get(state, Text(state, state))

    def possible(self, obj: Any) -> list[Transition]:
        """The transitions the record's state allows, whoever asks."""
        state = self.state_of(obj)
        return [t for t in self.transitions if state in t.sources]

    def available(self, user: Any, obj: Any) -> list[Transition]:
        """The transitions ``user`` may take on ``obj`` now (state and access rule; guards are
        checked when applied and say why they refuse). Pages build their buttons from this."""
        return [t for t in self.possible(obj) if allowed(user, t.rule, obj)]


def allowed(user: Any, rule: str, obj: Any) -> bool:
    """Whether ``user`` passes a transition's rule: an object rule on the record, or a global
    rule (one that does not depend on the record, such as "cycle.manage")."""
    return can(user, rule, obj) if rule in OBJECT_RULES else can(user, rule)

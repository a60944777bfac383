"""A readable difference between two versions of a plan's or framework's content."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Change:
    """One difference: ``item`` (an indicator key, or ``*`` for the document), the field, old, new."""

    item: str
    field: str
    old: Any
    new: Any
    kind: str  # added | removed | changed


def content_diff(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """Compare two contents: indicators matched by key, every other field by name."""
    changes: list[Change] = []
    for field in sorted(set(old) | set(new)):
        if field == "indicators":
            continue
        if old.get(field) != new.get(field):
            changes.append(Change("*", field, old.get(field), new.get(field), "changed"))
    before = {str(i.get("key")): i for i in old.get("indicators", [])}
    after = {str(i.get("key")): i for i in new.get("indicators", [])}
    for key in after.keys() - before.keys():
        changes.append(Change(key, "", None, after[key].get("name_zh", key), "added"))
    for key in before.keys() - after.keys():
        changes.append(Change(key, "", before[key].get("name_zh", key), None, "removed"))
    for key in sorted(before.keys() & after.keys()):
        for field in sorted(set(before[key]) | set(after[key])):
            if before[key].get(field) != after[key].get(field):
                changes.append(Change(key, field, before[key].get(field), after[key].get(field), "changed"))
    order = {"added": 0, "changed": 1, "removed": 2}
    return sorted(changes, key=lambda c: (c.item != "*", order[c.kind], c.item))

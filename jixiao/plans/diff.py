"""A readable difference between two versions of a plan's or framework's content."""

from __future__ import annotations

import dataclasses
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
    names: dict[str, str] = dataclasses.field(default_factory=dict)  # the indicator's name_zh / name_en


def content_diff(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """Compare two contents: indicators matched by key, every other field by name."""
    changes: list[Change] = []
    flat_old = _flat({k: v for k, v in old.items() if k != "indicators"})
    flat_new = _flat({k: v for k, v in new.items() if k != "indicators"})
    for path in sorted(set(flat_old) | set(flat_new)):
        if flat_old.get(path) != flat_new.get(path):
            changes.append(Change("*", path, flat_old.get(path), flat_new.get(path), "changed"))
    before = {str(i.get("key")): i for i in old.get("indicators", [])}
    after = {str(i.get("key")): i for i in new.get("indicators", [])}
    for key in after.keys() - before.keys():
        changes.append(Change(key, "", None, after[key].get("name_zh", key), "added", _names(after[key])))
    for key in before.keys() - after.keys():
        changes.append(Change(key, "", before[key].get("name_zh", key), None, "removed", _names(before[key])))
    for key in sorted(before.keys() & after.keys()):
        for name in sorted(set(before[key]) | set(after[key])):
            if before[key].get(name) != after[key].get(name):
                was, now = before[key].get(name), after[key].get(name)
                changes.append(Change(key, name, was, now, "changed", _names(after[key])))
    order = {"added": 0, "changed": 1, "removed": 2}
    return sorted(changes, key=lambda c: (c.item != "*", order[c.kind], c.item))


def _names(indicator: dict[str, Any]) -> dict[str, str]:
    """The indicator's names, for ``named`` (its key when it has no name)."""
    key = str(indicator.get("key", ""))
    return {"name": str(indicator.get("name_zh") or key), "name_en": str(indicator.get("name_en", ""))}


def _flat(value: Any, path: str = "") -> dict[str, Any]:
    """A nested document as {path: plain value} (``measures[1].unit``), so a change reads as the
    one field that changed, with a path the page names in words (``labels.lint_path``)."""
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            out.update(_flat(item, f"{path}.{key}" if path else str(key)))
        return out
    if isinstance(value, list) and any(isinstance(item, dict | list) for item in value):
        out = {}
        for i, item in enumerate(value):
            out.update(_flat(item, f"{path}[{i}]"))
        return out
    return {path: value}

"""What changed between two revisions of a tenant's settings, as the audit log shows it.

Lists of objects with an id (queues, templates by ``id``; senders by ``address``) are compared
item by item, so renaming one template reads ``templates[greeting].text``, not "the list of
templates changed".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

#: The key that names an item in a list of settings objects.
_ITEM_KEYS = ("id", "address")


@dataclass(frozen=True)
class Change:
    path: str
    #: Absent (None) when the setting was added.
    before: Any
    #: Absent (None) when the setting was removed.
    after: Any

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "before": self.before, "after": self.after}


def diff(before: Mapping[str, Any], after: Mapping[str, Any], path: str = "") -> list[Change]:
    changes: list[Change] = []
    for key in sorted(set(before) | set(after)):
        here = f"{path}.{key}" if path else key
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        if isinstance(old, Mapping) and isinstance(new, Mapping):
            changes += diff(old, new, here)
        elif isinstance(old, list) and isinstance(new, list) and _keyed(old) and _keyed(new):
            changes += _diff_items(old, new, here)
        else:
            changes.append(Change(here, old, new))
    return changes


def _keyed(value: object) -> bool:
    return (
        isinstance(value, list)
        and all(isinstance(item, Mapping) for item in value)
        and _item_key(value) is not None
    )


def _item_key(items: list[Mapping[str, Any]]) -> str | None:
    for key in _ITEM_KEYS:
        names = [item.get(key) for item in items]
        if all(isinstance(n, str) for n in names) and len(set(names)) == len(names):
            return key
    return None


def _diff_items(
    old: list[Mapping[str, Any]], new: list[Mapping[str, Any]], path: str
) -> list[Change]:
    old_key, new_key = _item_key(old), _item_key(new)
    # An empty list is keyed by anything: the other list's key decides.
    key = old_key if old_key == new_key or not new else new_key if not old else None
    if key is None:
        return [Change(path, old, new)]
    before = {item[key]: item for item in old}
    after = {item[key]: item for item in new}
    changes: list[Change] = []
    for name in [*before, *(n for n in after if n not in before)]:
        here = f"{path}[{name}]"
        if name not in after:
            changes.append(Change(here, before[name], None))
        elif name not in before:
            changes.append(Change(here, None, after[name]))
        else:
            changes += diff(before[name], after[name], here)
    if [n for n in before if n in after] != [n for n in after if n in before]:
        changes.append(Change(f"{path} (order)", list(before), list(after)))
    return changes

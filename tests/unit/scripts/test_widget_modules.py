"""The panel's module graph (widget/static): sms-panel.js names every module it reaches.

A browser discovers a module's imports only once it has fetched that module, and the page's
compose worker starts only when sms-panel.js runs, after its whole graph has arrived. So
sms-panel.js imports every module of the graph itself: one round trip after it, not one per
level, before Python starts booting.
"""

from __future__ import annotations

import re
from pathlib import Path

STATIC = Path(__file__).resolve().parents[3] / "widget" / "static"
STATIC_IMPORT = re.compile(
    r'^\s*(?:import|export)\s[^;]*?["\']\./([\w.-]+)["\'];?\s*$', re.M | re.S
)


def imports(name: str) -> set[str]:
    return set(STATIC_IMPORT.findall((STATIC / name).read_text("utf-8")))


def test_the_element_imports_every_module_it_reaches() -> None:
    direct = imports("sms-panel.js")
    reached: set[str] = set()
    todo = list(direct)
    while todo:
        name = todo.pop()
        if name not in reached:
            reached.add(name)
            todo.extend(imports(name))
    assert reached - direct == set(), "import these in sms-panel.js too"


def test_the_import_pattern_sees_both_forms() -> None:
    direct = imports("sms-panel.js")
    assert {"compose-session.js", "panel-view.js", "dialpad.js"} <= direct

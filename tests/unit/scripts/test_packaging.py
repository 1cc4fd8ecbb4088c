"""The three Python distributions ship every folder of their packages and agree on the version.

pyproject.toml (sms-panel: the relay), widget/py/pyproject.toml (smscompose: the core) and
widget/testing/py/pyproject.toml (sms-panel-testing: the QA kit) list their packages by hand, so
a new folder that is not listed would be missing from an installed relay while the editable
install of the work tree still works. scripts/build-dist.sh builds and checks the wheels."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]
# distribution's pyproject → {package: its folder}
DISTRIBUTIONS = {
    ROOT / "pyproject.toml": {"smsrelay": ROOT / "server/smsrelay"},
    ROOT / "widget/py/pyproject.toml": {"smscompose": ROOT / "widget/py/smscompose"},
    ROOT / "widget/testing/py/pyproject.toml": {
        "smspanel_testing": ROOT / "widget/testing/py/smspanel_testing"
    },
}


def folders(roots: dict[str, Path]) -> set[str]:
    found = set()
    for name, root in roots.items():
        found.add(name)
        for folder in root.rglob("*"):
            if folder.is_dir() and "__pycache__" not in folder.parts:
                found.add(".".join((name, *folder.relative_to(root).parts)))
    return found


def project(path: Path) -> dict[str, Any]:
    return tomllib.loads(path.read_text("utf-8"))


def test_every_package_folder_is_listed_for_its_wheel() -> None:
    for pyproject, roots in DISTRIBUTIONS.items():
        listed = set(project(pyproject)["tool"]["setuptools"]["packages"])
        assert folders(roots) - listed == set(), f"add these to {pyproject}'s packages"
        assert listed - folders(roots) == set(), f"listed in {pyproject} but gone"


def test_the_relay_depends_on_the_core_of_its_own_version_and_not_the_other_way() -> None:
    relay = project(ROOT / "pyproject.toml")["project"]
    core_version = (ROOT / "widget/py/smscompose/__init__.py").read_text("utf-8")
    assert f'__version__ = "{relay["version"]}"' in core_version
    assert f"smscompose=={relay['version']}" in relay["dependencies"]
    core = project(ROOT / "widget/py/pyproject.toml")["project"]
    assert core["dependencies"] == ["phonenumbers>=8.13"]


def test_the_qa_kit_depends_on_the_relay_of_its_version_and_registers_its_plugin() -> None:
    relay = project(ROOT / "pyproject.toml")["project"]
    kit = project(ROOT / "widget/testing/py/pyproject.toml")["project"]
    kit_version = (ROOT / "widget/testing/py/smspanel_testing/__init__.py").read_text("utf-8")
    assert f'__version__ = "{relay["version"]}"' in kit_version
    assert f"sms-panel=={relay['version']}" in kit["dependencies"]
    assert kit["entry-points"]["pytest11"] == {"sms_panel": "smspanel_testing.plugin"}

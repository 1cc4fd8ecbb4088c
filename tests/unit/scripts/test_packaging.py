"""The wheel ships every folder of the two packages: pyproject.toml lists them by hand (two
source roots), so a new folder that is not listed would be missing from an installed relay
while the editable install of the work tree still works."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
ROOTS = {"smscompose": ROOT / "widget/py/smscompose", "smsrelay": ROOT / "server/smsrelay"}


def folders() -> set[str]:
    found = set()
    for name, root in ROOTS.items():
        found.add(name)
        for folder in root.rglob("*"):
            if folder.is_dir() and "__pycache__" not in folder.parts:
                found.add(".".join((name, *folder.relative_to(root).parts)))
    return found


def test_every_package_folder_is_listed_for_the_wheel() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    assert folders() - listed == set(), "add these to [tool.setuptools] packages"
    assert listed - folders() == set(), "listed but gone"

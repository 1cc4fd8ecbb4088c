"""The panel shell's size budget (scripts/check-widget-budget.mjs) as the build runs it."""

from __future__ import annotations

import subprocess
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "check-widget-budget.mjs"


def check(folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["node", str(SCRIPT), "--dir", str(folder)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def write_lines(path: Path, count: int, width: int = 10) -> None:
    path.write_text("".join(f"{'x' * (width - 1)}\n" for _ in range(count)))


def test_the_shell_in_the_repository_is_within_budget() -> None:
    result = check(SCRIPT.parents[1] / "widget" / "static")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("[widget-budget] ok: sms-panel.js ")


def test_files_at_their_limits_pass(tmp_path: Path) -> None:
    write_lines(tmp_path / "sms-panel.js", 250)
    write_lines(tmp_path / "session.js", 400)
    write_lines(tmp_path / "worker.mjs", 400)
    result = check(tmp_path)
    assert result.returncode == 0, result.stderr


def test_each_overrun_is_named_with_its_numbers(tmp_path: Path) -> None:
    write_lines(tmp_path / "sms-panel.js", 251)
    write_lines(tmp_path / "session.js", 401)
    write_lines(tmp_path / "worker.mjs", 300, width=390)
    (tmp_path / "types.d.ts").write_text("x\n" * 1000)  # not JavaScript: not counted
    result = check(tmp_path)
    assert result.returncode == 1
    assert "sms-panel.js has 251 lines, over its budget of 250" in result.stderr
    assert "session.js has 401 lines, over the budget of 400 per module" in result.stderr
    assert "worker.mjs has" not in result.stderr
    assert "the shell's JavaScript is 123,520 bytes, over its budget of 115,000" in result.stderr
    assert "types.d.ts" not in result.stderr


def test_a_shell_without_the_element_fails(tmp_path: Path) -> None:
    write_lines(tmp_path / "panel.js", 10)
    result = check(tmp_path)
    assert result.returncode == 1
    assert "sms-panel.js is missing" in result.stderr

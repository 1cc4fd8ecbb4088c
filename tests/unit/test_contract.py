"""The JavaScript around the core reads the core's contract, never a copy that can drift."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from smscompose.contract import contract, contract_module
from smscompose.interaction import InteractionType
from smscompose.languages import LANGUAGES, pick_language
from smscompose.status import MessageStatus, Reason

ROOT = Path(__file__).resolve().parents[2]
MODULE = ROOT / "widget/static/contract.js"
TYPES = ROOT / "widget/static/sms-panel.d.ts"


def test_the_generated_module_is_what_the_core_says_now() -> None:
    assert MODULE.read_text(encoding="utf-8") == contract_module(), (
        "widget/static/contract.js is outdated: run python -m smscompose.contract --write"
    )


def test_the_check_command_fails_on_a_stale_module(tmp_path: Path) -> None:
    stale = tmp_path / "contract.js"
    stale.write_text(contract_module().replace('"unknown"', '"sent"'), encoding="utf-8")
    run = [sys.executable, "-m", "smscompose.contract", "--check", str(stale)]
    result = subprocess.run(run, capture_output=True, text=True, check=False)
    assert result.returncode == 1 and "--write" in result.stderr
    stale.write_text(contract_module(), encoding="utf-8")
    assert subprocess.run(run, check=False).returncode == 0


def test_javascript_reads_the_same_contract_as_python() -> None:
    script = f"import c from {json.dumps(MODULE.as_uri())}; console.log(JSON.stringify(c));"
    result = subprocess.run(
        ["node", "--input-type=module", "-e", script], capture_output=True, text=True, check=True
    )
    assert json.loads(result.stdout) == contract()


def _union(name: str) -> set[str]:
    match = re.search(rf"export type {name} = ([^;]+);", TYPES.read_text(encoding="utf-8"))
    assert match, f"sms-panel.d.ts has no type {name}"
    return set(re.findall(r'"([^"]+)"', match.group(1)))


def test_the_typescript_declarations_name_the_core_s_values() -> None:
    assert _union("SmsStatus") == {s.value for s in MessageStatus}
    assert _union("InteractionType") == {t.value for t in InteractionType}
    assert _union("PanelLanguage") == set(LANGUAGES)


def test_the_reasons_in_the_declarations_are_the_core_s() -> None:
    text = TYPES.read_text(encoding="utf-8")
    match = re.search(r"export type SmsReason =([^;]+);", text)
    assert match
    assert set(re.findall(r'"([^"]+)"', match.group(1))) == {r.value for r in Reason}


LANGUAGE_CASES: list[list[object]] = [
    ["de-AT"],
    ["EN_gb"],
    ["fr", "de"],
    ["fr", None, ""],
    [None, "en-US"],
    [42, "de"],
    [" de "],
    [],
]


def test_the_element_picks_a_language_before_the_core_runs_as_the_core_does() -> None:
    i18n = (ROOT / "widget/static/i18n.js").as_uri()
    script = (
        f"import {{ pickLanguage }} from {json.dumps(i18n)};"
        f"const cases = {json.dumps(LANGUAGE_CASES)};"
        "console.log(JSON.stringify(cases.map((c) => pickLanguage(...c))));"
    )
    result = subprocess.run(
        ["node", "--input-type=module", "-e", script], capture_output=True, text=True, check=True
    )
    assert json.loads(result.stdout) == [pick_language(*c) for c in LANGUAGE_CASES]

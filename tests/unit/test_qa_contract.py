"""The QA kit's selector contract is one table: the JavaScript page object reads the module
generated from it, the Python page objects read it directly, and the panel renders every test
id it names. The two page objects have the same locators and the same methods."""

from __future__ import annotations

import inspect
import json
import re
import subprocess
import sys
from pathlib import Path

from smspanel_testing.async_page import AsyncSmsPanel
from smspanel_testing.contract import (
    LOCATORS,
    SELECTORS,
    TEST_IDS,
    contract,
    contract_module,
    snake_case,
)
from smspanel_testing.locators import PanelLocators
from smspanel_testing.page import SmsPanel

ROOT = Path(__file__).resolve().parents[2]
MODULE = ROOT / "widget/testing/contract.js"
PAGE_JS = ROOT / "widget/testing/sms-panel-page.js"
PAGE_TYPES = ROOT / "widget/testing/sms-panel-page.d.ts"
KIT = ROOT / "widget/testing/py"


def test_the_generated_module_is_what_the_contract_says_now() -> None:
    assert MODULE.read_text(encoding="utf-8") == contract_module(), (
        "widget/testing/contract.js is outdated: "
        "run PYTHONPATH=widget/testing/py python -m smspanel_testing --write"
    )


def test_the_check_command_fails_on_a_stale_module(tmp_path: Path) -> None:
    stale = tmp_path / "contract.js"
    stale.write_text(contract_module().replace('"send-button"', '"send"'), encoding="utf-8")
    run = [sys.executable, "-m", "smspanel_testing", "--check", str(stale)]
    env = {"PYTHONPATH": str(KIT)}
    result = subprocess.run(run, capture_output=True, text=True, check=False, env=env)
    assert result.returncode == 1 and "--write" in result.stderr
    stale.write_text(contract_module(), encoding="utf-8")
    assert subprocess.run(run, check=False, env=env).returncode == 0


def test_the_javascript_page_object_exports_the_same_contract() -> None:
    names = ", ".join(contract())
    script = (
        f"import {{ {names} }} from {json.dumps(PAGE_JS.as_uri())};"
        f"console.log(JSON.stringify({{ {names} }}));"
    )
    result = subprocess.run(
        ["node", "--input-type=module", "-e", script], capture_output=True, text=True, check=True
    )
    assert json.loads(result.stdout) == contract()


def test_the_panel_renders_every_test_id_of_the_contract() -> None:
    shell = "\n".join(p.read_text("utf-8") for p in (ROOT / "widget/static").glob("*.js"))
    missing = [t for t in TEST_IDS.values() if f'"{t}"' not in shell]
    assert missing == [], "the panel no longer renders these test ids"
    assert f"`{SELECTORS['dialpadKeyPrefix']}${{" in shell
    assert f"dataset.{SELECTORS['statusAttribute'].removeprefix('data-')} =" in shell


def test_every_locator_names_a_test_id() -> None:
    assert set(LOCATORS.values()) <= set(TEST_IDS)


def test_the_python_page_objects_build_exactly_the_contracts_locators() -> None:
    locators = PanelLocators("root", lambda test_id: f"id:{test_id}")
    built = {k: v for k, v in vars(locators).items() if not k.startswith("_") and k != "root"}
    wanted = {snake_case(name): f"id:{TEST_IDS[key]}" for name, key in LOCATORS.items()}
    assert built == wanted


def test_the_typescript_declarations_list_exactly_the_contracts_locators() -> None:
    declared = re.findall(r"^  readonly (\w+): Locator;$", PAGE_TYPES.read_text("utf-8"), re.M)
    assert sorted(declared) == sorted(["root", *LOCATORS])


def javascript_methods() -> set[str]:
    source = PAGE_JS.read_text("utf-8")
    found = set(re.findall(r"^  (?:static |async )?(\w+)\(", source, re.M)) - {"constructor"}
    return {snake_case(name) for name in found}


def python_methods(cls: type) -> dict[str, inspect.Signature]:
    return {
        name: inspect.signature(member)
        for name, member in inspect.getmembers(cls)
        if not name.startswith("_") and callable(member)
    }


def test_python_and_javascript_page_objects_have_the_same_methods() -> None:
    assert set(python_methods(SmsPanel)) == javascript_methods()


def test_the_async_page_object_is_the_twin_of_the_sync_one() -> None:
    sync, awaited = python_methods(SmsPanel), python_methods(AsyncSmsPanel)
    assert set(sync) == set(awaited)
    for name, signature in sync.items():
        if name == "in_frame":
            continue  # returns its own class
        assert awaited[name].parameters == signature.parameters, name
        member = getattr(AsyncSmsPanel, name)
        assert inspect.iscoroutinefunction(member) == (name != "by_test_id"), name


def test_loading_the_pytest_plugin_imports_neither_the_relay_nor_the_core() -> None:
    script = (
        "import sys, smspanel_testing.plugin;"
        "print(sorted(m for m in ('smsrelay', 'smscompose') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(KIT)},
    )
    assert result.stdout.strip() == "[]"

"""The selector contract of ``<sms-panel>``: what a QA team's tests may rely on.

One table, two page objects. Python's ``SmsPanel`` reads it directly; the JavaScript page object
(``widget/testing/sms-panel-page.js``) imports ``widget/testing/contract.js``, which this module
writes (``python -m smspanel_testing --write``). ``tests/unit/test_qa_contract.py`` fails
when the file is outdated, when the panel (``widget/static``) no longer renders a test id named
here, or when the two page objects' locators or methods differ.

A test id is a ``data-testid`` attribute inside the element's open shadow root, which
Playwright's locators pierce; markup and styles may change, these names do not.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

#: Every data-testid the panel guarantees, by the page objects' name for it (JavaScript's
#: camelCase; Python uses the snake_case of the same name).
TEST_IDS: dict[str, str] = {
    "smsButton": "sms-button",
    "smsHint": "sms-hint",
    "queueSelect": "queue-select",
    "templateSelect": "template-select",
    "templateConfirmReplace": "template-confirm-replace",
    "templateConfirmKeep": "template-confirm-keep",
    "toInput": "to-input",
    "toHint": "to-hint",
    "dialpadButton": "dialpad-button",
    "dialpad": "dialpad",
    "dialpadBackspace": "dialpad-backspace",
    "fromSelect": "from-select",
    "textInput": "text-input",
    "emojiButton": "emoji-button",
    "emojiPicker": "emoji-picker",
    "emojiPickerElement": "emoji-picker-element",
    "counter": "counter",
    "cost": "cost",
    "forcing": "forcing",
    "suggestionApply": "suggestion-apply",
    "previewButton": "preview-button",
    "segmentPreview": "segment-preview",
    "segment": "segment",
    "problems": "problems",
    "sendButton": "send-button",
    "parkButton": "park-button",
    "closeButton": "close-button",
    "drafts": "drafts",
    "draftItem": "draft-item",
    "draftResume": "draft-resume",
    "draftDelete": "draft-delete",
    "status": "status",
    "statusReason": "status-reason",
    "error": "error",
    # The iframe mode: <sms-panel-frame>'s own shadow root holds the iframe of /embed.
    "frame": "sms-panel-frame",
}

#: The page objects' locators: the attribute name (JavaScript's camelCase) and the TEST_IDS key
#: it finds. Both page objects build exactly these; a plural name finds several elements.
#: Extension point: when the panel gains a part (the conversation thread is on its way), its
#: test ids join TEST_IDS and its locators join this table — never spelled in a page object.
LOCATORS: dict[str, str] = {
    "smsButton": "smsButton",
    "smsHint": "smsHint",
    "queueSelect": "queueSelect",
    "templateSelect": "templateSelect",
    "templateConfirmReplace": "templateConfirmReplace",
    "templateConfirmKeep": "templateConfirmKeep",
    "toInput": "toInput",
    "toHint": "toHint",
    "dialpadButton": "dialpadButton",
    "dialpad": "dialpad",
    "dialpadBackspace": "dialpadBackspace",
    "fromSelect": "fromSelect",
    "textInput": "textInput",
    "emojiButton": "emojiButton",
    "emojiPicker": "emojiPicker",
    "counter": "counter",
    "cost": "cost",
    "forcing": "forcing",
    "suggestionApply": "suggestionApply",
    "previewButton": "previewButton",
    "segmentPreview": "segmentPreview",
    "segments": "segment",
    "problems": "problems",
    "sendButton": "sendButton",
    "parkButton": "parkButton",
    "closeButton": "closeButton",
    "drafts": "drafts",
    "draftItems": "draftItem",
    "draftDelete": "draftDelete",
    "status": "status",
    "statusReason": "statusReason",
    "error": "error",
}

#: What else the page objects rely on besides test ids.
SELECTORS: dict[str, str] = {
    # The elements, as a host page writes them.
    "panel": "sms-panel",
    "frameElement": "sms-panel-frame",
    # One key of the dial pad: the prefix and the key ("0"-"9", "*", "#", "+").
    "dialpadKeyPrefix": "dialpad-key-",
    # Inside emoji-picker-element (its own, documented markup): the search field's role and
    # one search result.
    "emojiSearchRole": "combobox",
    "emojiResult": "#search-results [role=option]",
    # On the status line: the status of the SMS sent last, as the wire names it.
    "statusAttribute": "data-status",
    # On the error and on a status reason: the reason code.
    "codeAttribute": "data-code",
    # The element's property and event once the core runs and the configuration is loaded.
    "readyProperty": "ready",
    "readyEvent": "sms-ready",
}

#: Debian's Chromium, never a downloaded browser, and the flags every test here launches it
#: with (playwright.config.mjs and the pytest plugin's defaults read these).
CHROMIUM_EXECUTABLE = "/usr/bin/chromium"
CHROMIUM_ARGS: tuple[str, ...] = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)

HEADER = (
    "// Generated by `python -m smspanel_testing --write` (widget/testing/py/\n"
    "// smspanel_testing/contract.py): the panel's selector contract, shared by the JavaScript\n"
    "// and the Python page object. Do not edit; a test fails when this and the table differ.\n"
)


def snake_case(name: str) -> str:
    """``smsButton`` → ``sms_button``: Python's spelling of a page-object name."""
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name)


def contract() -> dict[str, Any]:
    return {
        "TEST_IDS": TEST_IDS,
        "LOCATORS": {name: TEST_IDS[key] for name, key in LOCATORS.items()},
        "SELECTORS": SELECTORS,
        "CHROMIUM_EXECUTABLE": CHROMIUM_EXECUTABLE,
        "CHROMIUM_ARGS": list(CHROMIUM_ARGS),
    }


def contract_module() -> str:
    parts = [HEADER]
    for name, value in contract().items():
        body = json.dumps(value, ensure_ascii=False, indent=2)
        frozen = body if isinstance(value, str) else f"Object.freeze({body})"
        parts.append(f"export const {name} = {frozen};\n")
    return "\n".join(parts)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m smspanel_testing")
    parser.add_argument("path", nargs="?", default="widget/testing/contract.js")
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--write", action="store_true", help="write the contract module")
    mode.add_argument("--check", action="store_true", help="fail if the module is outdated")
    args = parser.parse_args(argv)
    path = Path(args.path)
    wanted = contract_module()
    if args.write:
        path.write_text(wanted, encoding="utf-8")
        return 0
    if not path.exists() or path.read_text(encoding="utf-8") != wanted:
        print(
            f"{path} differs from the selector contract: run python -m smspanel_testing --write",
            file=sys.stderr,
        )
        return 1
    return 0

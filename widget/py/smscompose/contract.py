"""The wire contract between the core and the JavaScript around it, as data.

The element cannot import Python before Pyodide has started, yet it must show "loading", build
the dial pad and know which statuses end a message's story. Rather than keep its own copies,
it imports ``widget/static/contract.js``, which this module writes; a test fails when that file
and the core disagree (``python -m smscompose.contract --check widget/static/contract.js``).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .interaction import InteractionType
from .languages import DEFAULT_LANGUAGE, LANGUAGES
from .phone import DIALPAD_LAYOUT
from .shell_texts import SHELL_TEXTS
from .status import FINAL, MessageStatus, Reason, may_follow

HEADER = (
    "// Generated from the compose core by `python -m smscompose.contract --write` (widget/py/\n"
    "// smscompose/contract.py): the statuses, languages, dial-pad keys and shell words the\n"
    "// element needs before Python runs. Do not edit; a test fails when it and the core differ.\n"
)


def contract() -> dict[str, Any]:
    statuses = [s.value for s in MessageStatus]
    return {
        "statuses": statuses,
        "final_statuses": [s for s in statuses if s in FINAL],
        "next_statuses": {s: [n for n in statuses if may_follow(s, n)] for s in statuses},
        "reasons": [r.value for r in Reason],
        "interaction_types": [t.value for t in InteractionType],
        "languages": list(LANGUAGES),
        "default_language": DEFAULT_LANGUAGE,
        "dialpad_keys": list(DIALPAD_LAYOUT),
        "texts": {lang: {k: v[lang] for k, v in SHELL_TEXTS.items()} for lang in LANGUAGES},
    }


def contract_module() -> str:
    body = json.dumps(contract(), ensure_ascii=False, indent=2)
    return f"{HEADER}export default Object.freeze({body});\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m smscompose.contract")
    parser.add_argument("path", nargs="?", default="widget/static/contract.js")
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
            f"{path} differs from the compose core: run python -m smscompose.contract --write",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

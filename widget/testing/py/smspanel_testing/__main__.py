"""``python -m smspanel_testing --write|--check [PATH]``: writes (or checks) the JavaScript
module of the selector contract, ``widget/testing/contract.js`` by default."""

from .contract import main

raise SystemExit(main())

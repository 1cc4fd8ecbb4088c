"""The security tests drive the same relay as tests/integration/relay: a temporary SQLite
database with a fast sandbox gateway, over HTTP (bad input, tokens, isolation, opt-outs, headers
and logs)."""

from tests.integration.relay.conftest import client, settings, token

__all__ = ["client", "settings", "token"]

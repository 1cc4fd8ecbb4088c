"""schemathesis against the relay's own OpenAPI spec, in process, with a valid agent token:
whatever it generates — data the spec allows and data it forbids — the relay never answers
5xx and every answer matches the spec (status, content type, headers, body schema), which
includes the one error shape of every 4xx."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import negative_data_rejection, positive_data_acceptance
from schemathesis.python import asgi

from smsrelay.admin.access import new_platform_key
from smsrelay.app import create_app
from smsrelay.auth import mint_token
from smsrelay.settings import parse_settings
from tests.support.relaykit import relay_config

EXAMPLES_PER_OPERATION = 100
#: The admin routes are fuzzed as the platform (which may call all of them), the others as an
#: agent: an agent's token would only ever reach the admin routes' 403.
PLATFORM_KEY, PLATFORM_HASH = new_platform_key()
#: The event stream never ends by itself; tests/integration/security/test_isolation.py reads it.
ENDLESS = {("GET", "/v1/events")}
#: "Every request the schema allows is accepted" cannot hold for the relay: a JSON schema cannot
#: say which numbers are valid mobile numbers or which sender a queue has; the relay re-checks
#: those rules and answers 422/403 with the reasons, which the other checks still hold to the
#: spec (status documented, error shape).
NOT_APPLICABLE = [positive_data_acceptance]
#: Without a body, what is left to break is the query string, where a repeated or odd key is
#: ordinary HTTP (the last value counts); unknown JSON fields and wrong types in a body are
#: refused, and that is held to.
NOT_APPLICABLE_WITHOUT_BODY = [*NOT_APPLICABLE, negative_data_rejection]


@pytest.fixture
def relay(tmp_path: Path) -> Iterator[tuple[Any, str]]:
    # One relay per test: schemathesis's plugin ends an app's lifespan with each test.
    data = tmp_path
    config = relay_config(agent_rate_per_minute=100_000, tenant_rate_per_minute=100_000)
    config["relay"]["platform_key_sha256"] = [PLATFORM_HASH]
    relay_settings = parse_settings(config, data_dir=data)
    app = create_app(relay_settings)
    token = mint_token(relay_settings, tenant="acme", agent="fuzzer", ttl_seconds=3600)
    yield app, token
    asgi.shutdown_lifespans()  # stops the relay's dispatcher and closes its database


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_the_relay_answers_every_generated_request_as_its_spec_says(
    relay: tuple[Any, str], mode: GenerationMode
) -> None:
    app, token = relay
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    # Unknown query parameters are ignored, as HTTP APIs do (cache busters, ?lang= on any
    # route); unknown fields in a JSON body are refused, and that is generated and checked.
    # The agent's token is ours to give (tests/integration/security/test_tokens.py forges the
    # others).
    schema.config.generation.update(allow_extra_parameters=False, with_security_parameters=False)
    # A body over the relay's limit is refused before it is read: 413 is a rejection too.
    rejections = schema.config.checks.negative_data_rejection
    rejections.expected_statuses = [*rejections.expected_statuses, "413"]
    statuses: Counter[int] = Counter()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15
    for operation in operations:
        if (operation.method.upper(), operation.path) in ENDLESS:
            continue

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            suppress_health_check=list(HealthCheck),
            deadline=None,
            derandomize=True,
            database=None,
        )
        def answers_as_specified(case: schemathesis.Case) -> None:
            admin = case.operation.path.startswith("/v1/admin/")
            response = case.call_and_validate(
                headers={"Authorization": f"Bearer {PLATFORM_KEY if admin else token}"},
                excluded_checks=NOT_APPLICABLE
                if case.operation.body
                else NOT_APPLICABLE_WITHOUT_BODY,
            )
            statuses[response.status_code] += 1

        try:
            answers_as_specified()
        except Unsatisfiable:
            # Nothing to get wrong (e.g. GET /healthz has no parameters): no negative cases.
            assert mode is GenerationMode.NEGATIVE
    print(f"{mode.value}: {sum(statuses.values())} requests, statuses {dict(statuses)}")
    assert sum(statuses.values()) >= 200
    assert not [status for status in statuses if status >= 500]

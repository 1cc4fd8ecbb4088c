"""Tenants to and from TOML files, for GitOps: ``smsrelay tenants export`` writes the tenants
in force as ``[tenants.ID]`` tables, ``smsrelay tenants import`` saves a file's tables as each
tenant's next revision. Token secrets are never exported (they stay in the database); a file
that lists them replaces the tenant's secrets on import, one without keeps them. Webhooks'
signing secrets likewise: a webhook's ``secret`` replaces its secrets, a webhook without one
keeps its own, and a new webhook without one gets a new secret, printed once by the import.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from smscompose import InvalidConfig
from smscompose.config import ConfigReader

from ..storage.ports import TenantStore
from ..storage.tenants import (
    REVISION_CONFLICT,
    NewRevision,
    TenantRevision,
    TenantState,
)
from .directory import TenantDirectory
from .sync import canonical, split_secrets
from .webhooks import plan_secrets, webhook_secrets_of

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def export_toml(revisions: Sequence[TenantRevision], *, header: str = "") -> str:
    """``[tenants.ID]`` tables for these revisions (deleted tenants left out)."""
    lines = [f"# {line}" for line in header.splitlines()]
    for revision in revisions:
        if revision.state is TenantState.DELETED:
            continue
        lines.append("")
        lines.append(
            f"# revision {revision.revision} by {revision.author}"
            + (" (disabled)" if revision.state is TenantState.DISABLED else "")
        )
        lines.extend(_table(f"tenants.{_key(revision.tenant)}", revision.document))
    return "\n".join(lines).lstrip("\n") + "\n"


@dataclass(frozen=True)
class Imported:
    tenant: str
    #: The revision saved, or None when the file's table equals the one in force.
    revision: int | None
    #: Signing secrets made for new webhooks (endpoint id → secret), to be shown this once.
    new_webhook_secrets: Mapping[str, str] = field(default_factory=dict)


def import_toml(
    text: str,
    store: TenantStore,
    directory: TenantDirectory,
    *,
    author: str,
    comment: str | None,
    now: int,
    only: str | None = None,
) -> list[Imported]:
    """Save each ``[tenants.ID]`` table of ``text`` (or only ``only``) as that tenant's next
    revision. Every table is checked first, against the relay's gateways and with the
    secrets it will have; one error (naming its key) and nothing is saved."""
    try:
        tables = ConfigReader(tomllib.loads(text), "").mapping_of("tenants")
    except tomllib.TOMLDecodeError as error:
        raise InvalidConfig("file", f"not valid TOML: {error}") from None
    if only is not None:
        tables = [(tenant, table) for tenant, table in tables if tenant == only]
        if not tables:
            raise InvalidConfig("tenants", f"the file has no tenant {only!r}")
    current = {r.tenant: r for r in store.current_tenants()}
    secrets = store.tenant_secrets()
    signing = store.webhook_secrets()
    changes: list[NewRevision] = []
    unchanged: list[str] = []
    created: dict[str, Mapping[str, str]] = {}
    for tenant, table in tables:
        document, keys = split_secrets(table.data)
        directory.read(tenant, document, keys or secrets.get(tenant, {}))  # raises if wrong
        plan = plan_secrets(document, webhook_secrets_of(table.data), signing.get(tenant, {}))
        before = current.get(tenant)
        in_force = (
            before is not None
            and before.state is TenantState.ACTIVE
            and canonical(before.document) == canonical(document)
            and (not keys or keys == secrets.get(tenant, {}))
            and plan.secrets is None
        )
        if in_force:
            unchanged.append(tenant)
            continue
        changes.append(
            NewRevision(
                tenant=tenant,
                base=before.revision if before is not None else 0,
                state=TenantState.ACTIVE,
                document=document,
                author=author,
                comment=comment,
                now=now,
                secrets=keys or None,
                webhook_secrets=plan.secrets,
            )
        )
        created[tenant] = plan.created
    done = [Imported(tenant, None) for tenant in unchanged]
    for change in changes:
        saved = store.save_revision(change)
        if saved is REVISION_CONFLICT or not isinstance(saved, TenantRevision):
            raise InvalidConfig(
                f"tenants.{change.tenant}",
                "changed by someone else while importing; import again",
            )
        done.append(Imported(change.tenant, saved.revision, created.get(change.tenant, {})))
    return done


def _table(name: str, data: Mapping[str, Any]) -> list[str]:
    scalars = [(k, v) for k, v in data.items() if not _is_table(v) and not _is_table_array(v)]
    tables = [(k, v) for k, v in data.items() if _is_table(v)]
    arrays = [(k, v) for k, v in data.items() if _is_table_array(v)]
    lines = [f"[{name}]"]
    lines += [f"{_key(k)} = {_value(v)}" for k, v in scalars]
    for key, table in tables:
        lines.append("")
        lines += _table(f"{name}.{_key(key)}", table)
    for key, items in arrays:
        for item in items:
            lines.append("")
            lines.append(f"[[{name}.{_key(key)}]]")
            lines += [f"{_key(k)} = {_value(v)}" for k, v in item.items()]
    return lines


def _is_table(value: object) -> bool:
    return isinstance(value, Mapping)


def _is_table_array(value: object) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, Mapping) for v in value)


def _key(key: str) -> str:
    return key if _BARE_KEY.match(key) else json.dumps(key, ensure_ascii=False)


def _value(value: object) -> str:
    # JSON's strings, numbers, booleans and arrays are TOML's too.
    if isinstance(value, Mapping):
        inner = ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items())
        return "{ " + inner + " }" if inner else "{}"
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)

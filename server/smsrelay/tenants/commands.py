"""``smsrelay tenants import|export|list``: the database's tenants from the command line."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime

from smscompose import InvalidConfig

from ..bootstrap import open_store
from ..service import now_ms
from ..settings import RelaySettings
from ..storage import SqlStore
from .directory import TenantDirectory
from .files import export_toml, import_toml
from .sync import TenantSync


def database_tenants(settings: RelaySettings, store: SqlStore) -> TenantDirectory:
    """The tenants in force, as a running relay loads them (a new database is seeded)."""
    directory = TenantDirectory(settings.gateways)
    TenantSync(
        store, directory, documents=settings.tenant_documents, source=settings.source, clock=now_ms
    ).start()
    return directory


def tenants_command(settings: RelaySettings, args: argparse.Namespace) -> int:
    store = open_store(settings)
    try:
        directory = database_tenants(settings, store)
        if args.action == "list":
            for revision in store.current_tenants():
                when = datetime.fromtimestamp(revision.created_at / 1000, UTC)
                print(
                    f"{revision.tenant}\t{revision.state}\trevision {revision.revision}\t"
                    f"{revision.author}\t{when:%Y-%m-%d %H:%M:%S}Z"
                )
            return 0
        if args.action == "export":
            chosen = [
                r for r in store.current_tenants() if args.tenant is None or r.tenant == args.tenant
            ]
            if args.tenant is not None and not chosen:
                print(f"smsrelay: unknown tenant {args.tenant!r}", file=sys.stderr)
                return 2
            header = (
                f"Tenants exported from {store.dialect} at "
                f"{datetime.now(UTC):%Y-%m-%d %H:%M:%S}Z.\n"
                "Token secrets are not exported: they stay in the database."
            )
            sys.stdout.write(export_toml(chosen, header=header))
            return 0
        if args.file is None:
            print("smsrelay: tenants import needs the TOML file to import", file=sys.stderr)
            return 2
        try:
            text = args.file.read_text("utf-8")
            done = import_toml(
                text,
                store,
                directory,
                author=args.author,
                comment=args.comment,
                now=now_ms(),
                only=args.tenant,
            )
        except InvalidConfig as error:
            print(f"smsrelay: nothing imported: {error}", file=sys.stderr)
            return 2
        except OSError as error:
            print(f"smsrelay: cannot read {args.file}: {error}", file=sys.stderr)
            return 2
        for item in done:
            if item.revision is None:
                print(f"{item.tenant}: unchanged")
            else:
                print(f"{item.tenant}: revision {item.revision}")
            for endpoint, secret in item.new_webhook_secrets.items():
                print(f"{item.tenant}: webhook {endpoint} signs with {secret} (shown only now)")
        return 0
    finally:
        store.close()

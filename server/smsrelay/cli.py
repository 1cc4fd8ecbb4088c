"""``smsrelay serve`` runs the relay; ``smsrelay token`` mints an agent token (``--admin``: the
tenant administrator's, for the admin API and /admin);
``smsrelay optout add|remove|list`` keeps a tenant's opt-out list; ``smsrelay tenants
import|export|list`` moves tenants between TOML files and the database; ``smsrelay
inbound-url`` prints the URL a Kannel sms-service posts customers' replies to.

Tenants come from the database (a new one is seeded from the configuration file's
``[tenants.*]``), as they do for a running relay."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from smscompose import InvalidConfig

from .settings import RelaySettings, load_settings


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="smsrelay", description="The sms-panel relay")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the relay")
    serve.add_argument("--config", type=Path, help="TOML file (default: the embedded demo)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--data-dir", type=Path, help="where SQLite keeps its file")
    serve.add_argument(
        "--workers",
        type=_positive_int,
        default=None,
        help="relay processes on the port (default: one per core; 1: no supervisor)",
    )
    serve.add_argument(
        "--dispatch-process",
        action="store_true",
        help="send from one process of its own beside the workers, which then only accept",
    )
    # What a supervisor hands each worker (smsrelay.workers); not for operators.
    serve.add_argument("--role", choices=["accept", "dispatch"], help=argparse.SUPPRESS)
    serve.add_argument("--wake-fd", type=int, help=argparse.SUPPRESS)
    serve.add_argument("--worker-index", type=int, help=argparse.SUPPRESS)
    serve.add_argument("--listen-fd", type=int, help=argparse.SUPPRESS)
    serve.add_argument("--ready-fd", type=int, help=argparse.SUPPRESS)
    token = commands.add_parser("token", help="mint an agent token (demos and tests)")
    token.add_argument("--config", type=Path)
    token.add_argument("--tenant", required=True)
    token.add_argument("--agent", required=True)
    token.add_argument("--queue", action="append", dest="queues", help="repeat for several")
    token.add_argument("--ttl", type=int, default=3600, help="seconds (default 3600)")
    token.add_argument("--kid", help="key id (default: the tenant's first)")
    token.add_argument(
        "--admin", action="store_true", help="the tenant administrator's token (role: admin)"
    )
    token.add_argument("--data-dir", type=Path, help="where SQLite keeps its file")
    optout = commands.add_parser("optout", help="add, remove or list opted-out numbers")
    optout.add_argument("action", choices=["add", "remove", "list"])
    optout.add_argument("number", nargs="?", help="the number (add, remove)")
    optout.add_argument("--tenant", required=True)
    optout.add_argument("--config", type=Path)
    optout.add_argument("--data-dir", type=Path, help="where SQLite keeps its file")
    tenants = commands.add_parser("tenants", help="import, export or list tenants")
    tenants.add_argument("action", choices=["import", "export", "list"])
    tenants.add_argument("file", nargs="?", type=Path, help="the TOML file to import")
    tenants.add_argument("--tenant", help="only this tenant")
    tenants.add_argument("--comment", help="why (kept with the revision)")
    tenants.add_argument("--author", default="cli", help="who (default: cli)")
    tenants.add_argument("--config", type=Path)
    tenants.add_argument("--data-dir", type=Path, help="where SQLite keeps its file")
    commands.add_parser("platform-key", help="a new platform key for the admin API")
    inbound = commands.add_parser("inbound-url", help="the URL for Kannel's sms-service")
    inbound.add_argument("--gateway", required=True, help="a kannel gateway's name")
    inbound.add_argument("--config", type=Path)
    args = parser.parse_args(argv)
    if args.command == "platform-key":
        return _platform_key()
    try:
        settings = load_settings(args.config, data_dir=getattr(args, "data_dir", None))
    except InvalidConfig as error:
        print(f"smsrelay: configuration error: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"smsrelay: cannot read the configuration: {error}", file=sys.stderr)
        return 2
    if args.command in ("token", "optout"):
        settings = _with_database_tenants(settings)
    if args.command == "token":
        return _token(settings, args)
    if args.command == "optout":
        return _optout(settings, args)
    if args.command == "inbound-url":
        return _inbound_url(settings, args)
    if args.command == "tenants":
        from .tenants.commands import tenants_command

        return tenants_command(settings, args)
    return _serve(settings, args)


def _positive_int(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def _platform_key() -> int:
    from .admin.access import new_platform_key

    key, digest = new_platform_key()
    print(f"platform key (give it to the platform's admin client; shown only now):\n  {key}")
    print(f'configuration (relay.toml):\n  [relay]\n  platform_key_sha256 = ["{digest}"]')
    return 0


def _with_database_tenants(settings: RelaySettings) -> RelaySettings:
    """The settings with the tenants in force: the database's, as the relay serves them."""
    from dataclasses import replace

    from .bootstrap import open_store
    from .tenants.commands import database_tenants

    store = open_store(settings)
    try:
        return replace(settings, tenants=database_tenants(settings, store))
    finally:
        store.close()


def _optout(settings: RelaySettings, args: argparse.Namespace) -> int:
    from smscompose import check_number
    from smscompose.phone import NUMBER_TYPES

    from .bootstrap import open_store
    from .service import now_ms

    tenant = settings.tenants.get(args.tenant)
    if tenant is None:
        print(f"smsrelay: unknown tenant {args.tenant!r}", file=sys.stderr)
        return 2
    number = None
    if args.action != "list":
        check = check_number(
            args.number or "",
            default_region=tenant.default_region,
            allowed_types=frozenset(NUMBER_TYPES),
        )
        if check.e164 is None:
            reason = check.problem.message("en") if check.problem else "not a number"
            print(f"smsrelay: {args.number!r}: {reason}", file=sys.stderr)
            return 2
        number = check.e164
    store = open_store(settings)
    try:
        optouts = store.optouts
        if args.action == "list":
            for entry in optouts.all(tenant.id):
                print(f"{entry.number}\t{entry.source}\t{entry.created_at}")
        elif args.action == "add" and number is not None:
            added = optouts.add(tenant.id, number, "cli", now_ms())
            print(f"{number} {'opted out' if added else 'was already opted out'}")
        elif number is not None:
            removed = optouts.remove(tenant.id, number, "cli", now_ms())
            print(f"{number} {'opted in again' if removed else 'was not opted out'}")
    finally:
        store.close()
    return 0


def _inbound_url(settings: RelaySettings, args: argparse.Namespace) -> int:
    from .gateways.kannel.urls import sms_service_url

    gateway = settings.gateways.get(args.gateway)
    if gateway is None or gateway.type != "kannel":
        print(f"smsrelay: no kannel gateway {args.gateway!r}", file=sys.stderr)
        return 2
    if not settings.callback_secret:
        print("smsrelay: relay.callback_secret is needed to sign the URL", file=sys.stderr)
        return 2
    print(sms_service_url(settings.public_url, settings.callback_secret, args.gateway))
    return 0


def _token(settings: RelaySettings, args: argparse.Namespace) -> int:
    from .auth import mint_token

    tenant = settings.tenants.get(args.tenant)
    if tenant is None:
        print(f"smsrelay: unknown tenant {args.tenant!r}", file=sys.stderr)
        return 2
    if args.kid and args.kid not in tenant.token_secrets:
        print(f"smsrelay: tenant {args.tenant!r} has no key id {args.kid!r}", file=sys.stderr)
        return 2
    unknown = [q for q in args.queues or () if q not in {q.id for q in tenant.queues}]
    if unknown:
        print(f"smsrelay: unknown queue(s): {', '.join(unknown)}", file=sys.stderr)
        return 2
    print(
        mint_token(
            settings,
            tenant=args.tenant,
            agent=args.agent,
            queues=args.queues,
            ttl_seconds=args.ttl,
            kid=args.kid,
            role="admin" if args.admin else None,
        )
    )
    return 0


def _serve(settings: RelaySettings, args: argparse.Namespace) -> int:
    from .workers import default_workers

    workers = args.workers or default_workers()
    worker = f" [worker {args.worker_index}]" if args.worker_index else ""
    if args.role == "dispatch":
        worker = " [dispatcher]"
    logging.basicConfig(
        level=logging.INFO, format=f"%(asctime)s %(levelname)s %(name)s{worker} %(message)s"
    )
    # The format names no thread or process: not looking them up for every record (a line
    # per accepted message) is the logging HOWTO's own advice for busy code.
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False
    # httpx logs every request URL at INFO, and Kannel's sendsms URL carries its password.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    # Alembic lists every plugin it sets up at INFO; the migrations it runs stay visible.
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
    if (workers > 1 or args.dispatch_process) and args.role is None and args.listen_fd is None:
        return _supervise(settings, args, workers)
    if args.role == "dispatch":
        return _dispatch_only(settings, args)
    return _serve_one(settings, args)


def _banner(settings: RelaySettings, args: argparse.Namespace, workers: int) -> None:
    base = f"http://{args.host}:{args.port}"
    print(f"sms-panel relay ({settings.source})", flush=True)
    print(f"  demo agent desktop: {base}/demo", flush=True)
    print(f"  admin console:      {base}/admin", flush=True)
    print(f"  API docs:           {base}/docs", flush=True)
    print(f"  database:           {settings.database_url}", flush=True)
    also = " and a dispatcher process" if args.dispatch_process else ""
    print(f"  workers:            {workers}{also}", flush=True)


def _supervise(settings: RelaySettings, args: argparse.Namespace, workers: int) -> int:
    from .bootstrap import build_gateways, prepare_database
    from .workers import Supervisor, listening_sockets, worker_command

    try:
        build_gateways(settings)  # a configuration error stops here, not in every worker
        prepare_database(settings)
    except InvalidConfig as error:
        print(f"smsrelay: configuration error: {error}", file=sys.stderr)
        return 2
    try:
        sockets = listening_sockets(args.host, args.port, workers)
    except OSError as error:
        print(f"smsrelay: cannot listen on {args.host}:{args.port}: {error}", file=sys.stderr)
        return 1
    args.port = sockets[0].getsockname()[1]
    _banner(settings, args, workers)
    command = worker_command(args.config, args.host, args.port, args.data_dir)
    return Supervisor(command, sockets, dispatch_process=args.dispatch_process).run()


def _serve_one(settings: RelaySettings, args: argparse.Namespace) -> int:
    import socket

    import uvicorn

    from .app import app_for
    from .bootstrap import bootstrap
    from .dispatch_wake import DispatchBell

    accepting_only = args.role == "accept" and args.wake_fd is not None
    bell = DispatchBell(args.wake_fd) if accepting_only else None
    try:
        relay = bootstrap(
            settings, demo=args.config is None, wake_dispatcher=bell.ring if bell else None
        )
    except InvalidConfig as error:
        print(f"smsrelay: configuration error: {error}", file=sys.stderr)
        return 2
    app = app_for(relay, dispatch=not accepting_only)
    if args.listen_fd is None:
        _banner(settings, args, 1)
    # No access log: its URLs would carry the event stream's ?access_token=.
    config = uvicorn.Config(
        app,
        host=args.host,
        port=args.port,
        log_level="info",
        access_log=False,
        proxy_headers=False,
        # A backstop: whatever still runs this long after SIGTERM is cancelled.
        timeout_graceful_shutdown=10,
        # An idle connection is kept longer than a load balancer keeps its own (60 s is
        # common) and than an agent waits between sends: closing it after uvicorn's default
        # 5 s raced clients reusing it (a POST sent as the close came was lost to a read error
        # under load: 20 of 4,181 in the 2,000-agent benchmark).
        timeout_keep_alive=75,
    )
    server = uvicorn.Server(config)
    relay.shutting_down = lambda: server.should_exit
    _fewer_collections()
    sockets = None if args.listen_fd is None else [socket.socket(fileno=args.listen_fd)]
    with asyncio.Runner(loop_factory=config.get_loop_factory()) as runner:
        runner.run(_serve_reporting(server, sockets, args.ready_fd))
    return 0 if server.started else 3  # 3: uvicorn's "startup failed"


def _dispatch_only(settings: RelaySettings, args: argparse.Namespace) -> int:
    """A supervisor's dispatcher process (``--dispatch-process``): the relay without HTTP."""
    from .bootstrap import bootstrap
    from .dispatch_process import dispatch_until_stopped

    try:
        relay = bootstrap(settings, demo=args.config is None)
    except InvalidConfig as error:
        print(f"smsrelay: configuration error: {error}", file=sys.stderr)
        return 2
    _fewer_collections()
    with asyncio.Runner(loop_factory=_loop_factory()) as runner:
        ok = runner.run(dispatch_until_stopped(relay, args.wake_fd, args.ready_fd))
    return 0 if ok else 3


def _loop_factory() -> Callable[[], asyncio.AbstractEventLoop] | None:
    """uvloop where installed, as uvicorn picks it for the serving workers."""
    try:
        import uvloop
    except ImportError:
        return None
    return uvloop.new_event_loop


def _fewer_collections() -> None:
    """Tune the garbage collector for a server that holds many connections.

    2,000 agents with their event streams open are about half a million objects; Python's
    default thresholds then ran a full collection every few seconds under load, each pausing
    every request for 0.3–1.4 s (measured with gc.callbacks). What the relay loaded at start is
    moved out of the collector's sight (it lives as long as the process), and the young
    generation is collected after 50,000 new objects instead of 700, so short-lived request
    objects die young instead of being promoted — and full collections become rare."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 50, 100)


async def _serve_reporting(server: Any, sockets: list[Any] | None, ready_fd: int | None) -> None:
    """Serve; once the relay has started, say so on ``ready_fd`` (to the supervisor)."""
    serving = asyncio.create_task(server.serve(sockets=sockets))
    if ready_fd is not None:
        while not (server.started or serving.done()):
            await asyncio.sleep(0.02)
        with contextlib.suppress(OSError):
            if server.started:
                os.write(ready_fd, b"ready\n")
            os.close(ready_fd)
    await serving

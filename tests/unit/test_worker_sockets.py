"""The supervisor's sockets (``serve --workers``): one port shared by every worker's socket,
and a port something else listens on refused rather than joined."""

from __future__ import annotations

import socket

import pytest

from smsrelay.workers import default_workers, listening_sockets


def test_the_workers_sockets_share_one_port_picked_once() -> None:
    sockets = listening_sockets("127.0.0.1", 0, 3)
    try:
        ports = {sock.getsockname()[1] for sock in sockets}
        assert len(ports) == 1 and ports.pop() != 0
        assert all(sock.get_inheritable() for sock in sockets)
    finally:
        for sock in sockets:
            sock.close()


def test_a_port_another_server_listens_on_is_refused_not_shared() -> None:
    with socket.socket() as other:
        other.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        other.bind(("127.0.0.1", 0))
        other.listen()
        # Even a server of ours with SO_REUSEPORT: joining it would take a share of its traffic.
        with pytest.raises(OSError):
            listening_sockets("127.0.0.1", other.getsockname()[1], 2)


def test_by_default_one_worker_per_core() -> None:
    assert default_workers() >= 1

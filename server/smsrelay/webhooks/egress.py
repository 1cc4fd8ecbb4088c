"""Where webhooks may go: a company administrator sets the address, but the relay posts from
inside the operator's network. Left open, an endpoint on ``127.0.0.1:5432``, ``10.0.0.8`` or
the cloud's metadata address ``169.254.169.254`` would let a tenant probe what the relay can
reach (the delivery log shows each answer's status). So, unless the operator allows private
networks (``[relay] webhook_private_networks = true``: a CRM in the company's own network,
the tests), a webhook connects only to public addresses.

The check is made on the addresses the name resolves to, at the moment of connecting, and the
connection goes to the address that was checked — a name that resolves to a public address for
the check and to a private one for the connection (DNS rebinding) gets nowhere. TLS still
checks the certificate against the name.
"""

from __future__ import annotations

import ipaddress
import socket
import typing

import anyio
import httpcore
import httpx
from httpcore._backends.auto import AutoBackend


class PublicAddressesOnly(httpcore.AsyncNetworkBackend):
    def __init__(self) -> None:
        self._backend = AutoBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[typing.Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        found = await anyio.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        addresses = [str(info[4][0]) for info in found]
        private = [a for a in addresses if not ipaddress.ip_address(a.split("%")[0]).is_global]
        if not addresses or private:
            raise httpcore.ConnectError(
                f"{host} is not a public address ({', '.join(private) or 'unresolved'}); "
                "a CRM in a private network needs [relay] webhook_private_networks = true"
            )
        return await self._backend.connect_tcp(
            addresses[0],
            port,
            timeout=timeout,
            local_address=local_address,
            socket_options=socket_options,
        )

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: typing.Iterable[typing.Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("webhooks do not go to Unix sockets")

    async def sleep(self, seconds: float) -> None:
        await self._backend.sleep(seconds)


def public_transport(max_connections: int) -> httpx.AsyncBaseTransport:
    """httpx's own transport, connecting through :class:`PublicAddressesOnly`."""
    transport = httpx.AsyncHTTPTransport(limits=httpx.Limits(max_connections=max_connections))
    # httpx takes no network backend of its own; the pool it builds is replaced by the same
    # pool with one (the transport maps the pool's errors to httpx's either way).
    transport._pool = httpcore.AsyncConnectionPool(
        ssl_context=httpx.create_ssl_context(),
        max_connections=max_connections,
        network_backend=PublicAddressesOnly(),
    )
    return transport

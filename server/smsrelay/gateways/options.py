"""What a gateway type brings to the relay: its options, read from its ``[gateways.NAME]``
section and checked there — every error names its key (``gateways.kannel1.sendsms_url: is
required``) — and the adapter they build. Each gateway keeps its own (``KannelOptions`` in
``gateways/kannel/options.py``, …); :mod:`.registry` lists them by ``type``.

An options module imports its adapter only in ``build``: reading a configuration must not
import the client libraries (smpplib) of gateways it does not use.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol, Self

from smscompose import InvalidConfig
from smscompose.config import ConfigReader

from .base import Gateway

__all__ = [
    "GatewayOptions",
    "GatewaySettings",
    "RelayEndpoint",
    "check_keys",
    "integers",
    "non_empty",
    "number",
    "positive",
    "positive_int",
]


@dataclass(frozen=True)
class RelayEndpoint:
    """What a gateway is told about the relay: where its peer reaches the relay's callback
    routes, and the secret the relay signs those URLs with."""

    public_url: str
    callback_secret: str


class GatewayOptions(Protocol):
    """The checked options of one gateway type."""

    #: The ``type`` of the ``[gateways.NAME]`` sections these options are read from.
    TYPE: ClassVar[str]
    #: Whether the gateway is handed the relay's own septets, so a sender's national language
    #: tables (3GPP TS 23.038) reach the handset; one that takes text encodes it itself.
    SHIFT_TABLES: ClassVar[bool]

    @classmethod
    def parse(cls, reader: ConfigReader) -> Self:
        """The options in one ``[gateways.NAME]`` section; ``InvalidConfig`` names the key."""
        ...

    def build(self, name: str, relay: RelayEndpoint) -> Gateway:
        """The adapter, not started; ``InvalidConfig`` when the relay's own settings do not
        suit this gateway (such as a missing ``relay.callback_secret``)."""
        ...


def check_keys(reader: ConfigReader, options: type[Any]) -> None:
    """A misspelt key is an error, not an option silently left at its default."""
    reader.reject_unknown({"type", *(f.name for f in dataclasses.fields(options))})


def non_empty(reader: ConfigReader, name: str) -> str:
    value: str = reader.required(name, str)
    if not value:
        raise InvalidConfig(reader.key(name), "is required")
    return value


def number(reader: ConfigReader, name: str, default: float) -> float:
    value = reader.number(name, default)
    return default if value is None else float(value)


def positive(reader: ConfigReader, name: str, default: float) -> float:
    value = number(reader, name, default)
    # Written so that NaN is refused too.
    if not value > 0:
        raise InvalidConfig(reader.key(name), "must be positive")
    return value


def positive_int(reader: ConfigReader, name: str, default: int) -> int:
    value: int = reader.optional(name, int, default)
    if value < 1:
        raise InvalidConfig(reader.key(name), "must be positive")
    return value


def integers(reader: ConfigReader, name: str, default: tuple[int, ...] = ()) -> tuple[int, ...]:
    values = reader.optional(name, list)
    if values is None:
        return default
    for i, value in enumerate(values):
        if not isinstance(value, int) or isinstance(value, bool):
            raise InvalidConfig(f"{reader.key(name)}[{i}]", "must be of type int")
    return tuple(values)


@dataclass(frozen=True)
class GatewaySettings:
    name: str
    type: str
    #: The gateway's own keys (URLs, credentials), read and checked by its type
    #: (``KannelOptions``, …; see :mod:`smsrelay.gateways.registry`).
    options: GatewayOptions

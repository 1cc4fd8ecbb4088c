"""The gateway types a configuration may name, by their ``type``, and the two steps every
configured gateway goes through: its section read into that type's options (with the
settings), and the options built into an adapter (by the bootstrap)."""

from __future__ import annotations

from collections.abc import Mapping

from smscompose import InvalidConfig
from smscompose.config import ConfigReader

from .base import Gateway
from .kannel.options import KannelOptions
from .options import GatewayOptions, RelayEndpoint
from .sandbox import SandboxOptions
from .smpp.options import SmppOptions
from .twilio.options import TwilioOptions

__all__ = ["GATEWAY_TYPES", "build_gateway", "read_gateway"]

GATEWAY_TYPES: Mapping[str, type[GatewayOptions]] = {
    options.TYPE: options for options in (SandboxOptions, KannelOptions, SmppOptions, TwilioOptions)
}


def read_gateway(reader: ConfigReader) -> tuple[str, GatewayOptions]:
    """The type and options of one ``[gateways.NAME]`` section."""
    kind: str = reader.required("type", str)
    options = GATEWAY_TYPES.get(kind)
    if options is None:
        raise InvalidConfig(reader.key("type"), _unknown(kind))
    return kind, options.parse(reader)


def build_gateway(name: str, kind: str, options: GatewayOptions, relay: RelayEndpoint) -> Gateway:
    """The adapter of the gateway configured as ``name``."""
    known = GATEWAY_TYPES.get(kind)
    # Settings read from a file cannot get here with an unknown type, settings made in code
    # can: such a gateway must not quietly become some other one.
    if known is None or not isinstance(options, known):
        raise InvalidConfig(f"gateways.{name}.type", _unknown(kind))
    try:
        return options.build(name, relay)
    except InvalidConfig:
        raise
    except ValueError as error:  # what an adapter refuses that reading the options let by
        raise InvalidConfig(f"gateways.{name}", str(error)) from None


def _unknown(kind: str) -> str:
    return f"unknown gateway type {kind!r}; must be one of {', '.join(GATEWAY_TYPES)}"

"""Builds the configured gateway adapters (imported lazily: a relay without SMPP gateways
never imports the SMPP client)."""

from __future__ import annotations

from typing import Any

from smscompose import InvalidConfig

from ..settings import GatewaySettings, RelaySettings
from .base import Gateway


def build_gateways(settings: RelaySettings) -> dict[str, Gateway]:
    return {name: build_gateway(g, settings) for name, g in settings.gateways.items()}


def build_gateway(gateway: GatewaySettings, settings: RelaySettings) -> Gateway:
    options: dict[str, Any] = dict(gateway.options)
    name = gateway.name
    try:
        if gateway.type == "sandbox":
            from .sandbox import SandboxGateway

            return SandboxGateway(name, **options)
        if gateway.type == "kannel":
            from .kannel import KannelGateway

            return KannelGateway(
                name,
                dlr_url=f"{settings.public_url}/v1/receipts/kannel/{name}",
                dlr_secret=_callback_secret(settings, name),
                **options,
            )
        if gateway.type == "twilio":
            from .twilio import TwilioGateway

            return TwilioGateway(
                name,
                status_callback_url=f"{settings.public_url}/v1/receipts/twilio/{name}",
                **options,
            )
        from .smpp import SmppGateway

        return SmppGateway(name, **options)
    except TypeError as error:  # an unknown or missing key for this gateway type
        raise InvalidConfig(f"gateways.{name}", str(error)) from None
    except ValueError as error:
        raise InvalidConfig(f"gateways.{name}", str(error)) from None


def _callback_secret(settings: RelaySettings, name: str) -> str:
    if len(settings.callback_secret.encode()) < 32:
        raise InvalidConfig(
            "relay.callback_secret", f"needed (at least 32 bytes) for the {name} gateway's receipts"
        )
    return settings.callback_secret

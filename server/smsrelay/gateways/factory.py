"""Builds the configured gateway adapters (imported lazily: a relay without SMPP gateways
never imports the SMPP client)."""

from __future__ import annotations

import inspect
import types
import typing
from collections.abc import Callable
from typing import Any

from smscompose import InvalidConfig

from ..settings import GatewaySettings, RelaySettings, unknown_gateway_type
from .base import Gateway


def build_gateways(settings: RelaySettings) -> dict[str, Gateway]:
    return {name: build_gateway(g, settings) for name, g in settings.gateways.items()}


def build_gateway(gateway: GatewaySettings, settings: RelaySettings) -> Gateway:
    options: dict[str, Any] = dict(gateway.options)
    name = gateway.name
    try:
        if gateway.type == "sandbox":
            from .sandbox import SandboxGateway

            _check_types(SandboxGateway, name, options)
            return SandboxGateway(name, **options)
        if gateway.type == "kannel":
            from .kannel.gateway import KannelGateway
            from .kannel.urls import dlr_url

            _check_types(KannelGateway, name, options)
            return KannelGateway(
                name,
                dlr_url=dlr_url(settings.public_url, name),
                dlr_secret=_callback_secret(settings, name),
                **options,
            )
        if gateway.type == "twilio":
            from .twilio.gateway import TwilioGateway
            from .twilio.urls import status_callback_url

            _check_types(TwilioGateway, name, options)
            return TwilioGateway(
                name,
                status_callback_url=status_callback_url(settings.public_url, name),
                **options,
            )
        if gateway.type == "smpp":
            from .smpp.gateway import SmppGateway

            _check_types(SmppGateway, name, options)
            return SmppGateway(name, **options)
    except TypeError as error:  # an unknown or missing key for this gateway type
        raise InvalidConfig(f"gateways.{name}", str(error)) from None
    except ValueError as error:
        raise InvalidConfig(f"gateways.{name}", str(error)) from None
    # Settings read from a file cannot get here, but settings built in code can: an unknown
    # type must not quietly become some other gateway.
    raise InvalidConfig(f"gateways.{name}.type", unknown_gateway_type(gateway.type))


_SIMPLE = (str, int, float, bool)


def _check_types(adapter: Callable[..., Any], name: str, options: dict[str, Any]) -> None:
    """Each option against the adapter's annotation, so ``system_id = []`` is reported as
    ``gateways.NAME.system_id: must be of type str`` instead of failing inside the adapter."""
    hints = typing.get_type_hints(adapter.__init__)  # type: ignore[misc]
    known = inspect.signature(adapter).parameters
    for key, value in options.items():
        if key not in known:
            continue  # the adapter refuses unknown keys itself (TypeError below)
        allowed = _simple_types(hints.get(key))
        if not allowed:
            continue
        wrong_bool = isinstance(value, bool) and bool not in allowed
        if wrong_bool or not isinstance(value, allowed):
            kinds = " or ".join(t.__name__ for t in allowed)
            raise InvalidConfig(f"gateways.{name}.{key}", f"must be of type {kinds}")


def _simple_types(hint: Any) -> tuple[type, ...]:
    """The plain types an annotation allows (``float`` also takes ``int``), or () when it is
    something else (a tuple, a client object) that the adapter checks itself."""
    members = typing.get_args(hint) if isinstance(hint, types.UnionType) else (hint,)
    members = tuple(m for m in members if m is not type(None))
    if not members or not all(m in _SIMPLE for m in members):
        return ()
    return tuple({*members, int} if float in members else members)


def _callback_secret(settings: RelaySettings, name: str) -> str:
    if len(settings.callback_secret.encode()) < 32:
        raise InvalidConfig(
            "relay.callback_secret", f"needed (at least 32 bytes) for the {name} gateway's receipts"
        )
    return settings.callback_secret

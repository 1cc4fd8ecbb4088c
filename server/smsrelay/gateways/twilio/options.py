"""``type = "twilio"``: the keys of a Twilio gateway's section and the adapter they build."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar
from urllib.parse import urlsplit

from smscompose import InvalidConfig
from smscompose.config import ConfigReader

from ..base import Gateway
from ..options import RelayEndpoint, check_keys, non_empty, positive
from .urls import status_callback_url

__all__ = ["TwilioOptions"]


@dataclass(frozen=True)
class TwilioOptions:
    """A Twilio account (its Account SID and Auth Token) and where its API is."""

    TYPE: ClassVar[str] = "twilio"
    #: Twilio takes text and chooses its own encoding.
    SHIFT_TABLES: ClassVar[bool] = False

    account_sid: str
    #: Authenticates the relay to Twilio, and Twilio's webhooks to the relay.
    auth_token: str = field(repr=False)
    base_url: str = "https://api.twilio.com"
    #: Seconds to wait for Twilio's answer.
    timeout: float = 10.0

    @classmethod
    def parse(cls, reader: ConfigReader) -> TwilioOptions:
        check_keys(reader, cls)
        base_url = reader.optional("base_url", str, "https://api.twilio.com")
        try:
            scheme = urlsplit(base_url).scheme
        except ValueError:
            scheme = ""
        if scheme not in ("http", "https"):
            raise InvalidConfig(reader.key("base_url"), "must be an http(s) URL")
        return cls(
            account_sid=non_empty(reader, "account_sid"),
            auth_token=non_empty(reader, "auth_token"),
            base_url=base_url,
            timeout=positive(reader, "timeout", 10.0),
        )

    def build(self, name: str, relay: RelayEndpoint) -> Gateway:
        from .gateway import TwilioGateway

        try:
            return TwilioGateway(
                name,
                account_sid=self.account_sid,
                auth_token=self.auth_token,
                status_callback_url=status_callback_url(relay.public_url, name),
                base_url=self.base_url,
                timeout=self.timeout,
            )
        except ValueError as error:
            # The options were checked when they were read: what is left is the StatusCallback
            # URL, made of the relay's public URL.
            raise InvalidConfig("relay.public_url", str(error)) from None

"""``type = "kannel"``: the keys of a Kannel gateway's section and the adapter they build."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from smscompose import InvalidConfig
from smscompose.config import ConfigReader

from ..base import Gateway
from ..options import RelayEndpoint, check_keys, number
from .urls import dlr_url

__all__ = ["KannelOptions"]


@dataclass(frozen=True)
class KannelOptions:
    """A Kannel smsbox's ``sendsms`` interface, and the user it takes."""

    TYPE: ClassVar[str] = "kannel"
    #: sendsms takes text and encodes it itself: a national language table cannot be named.
    SHIFT_TABLES: ClassVar[bool] = False

    sendsms_url: str
    username: str
    password: str = field(repr=False)
    #: Kannel's smsc-id, to route through one of its SMS centres.
    smsc: str | None = None
    #: Seconds to wait for sendsms's answer.
    timeout: float = 10.0

    @classmethod
    def parse(cls, reader: ConfigReader) -> KannelOptions:
        check_keys(reader, cls)
        return cls(
            sendsms_url=reader.required("sendsms_url", str),
            username=reader.required("username", str),
            password=reader.required("password", str),
            smsc=reader.optional("smsc", str),
            timeout=number(reader, "timeout", 10.0),
        )

    def build(self, name: str, relay: RelayEndpoint) -> Gateway:
        from .gateway import KannelGateway

        if len(relay.callback_secret.encode()) < 32:
            raise InvalidConfig(
                "relay.callback_secret",
                f"needed (at least 32 bytes) for the {name} gateway's receipts",
            )
        return KannelGateway(
            name,
            self.sendsms_url,
            self.username,
            self.password,
            dlr_url(relay.public_url, name),
            relay.callback_secret,
            smsc=self.smsc,
            timeout=self.timeout,
        )

"""``type = "smpp"``: the keys of an SMPP gateway's section and the adapter they build."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from smscompose import InvalidConfig
from smscompose.config import ConfigReader

from ..base import Gateway
from ..options import RelayEndpoint, check_keys, integers, positive, positive_int

__all__ = ["SmppOptions"]


@dataclass(frozen=True)
class SmppOptions:
    """An SMSC, the ESM account the relay binds with, and how the bind is kept (see
    :class:`~.gateway.SmppGateway` for what each setting does)."""

    TYPE: ClassVar[str] = "smpp"
    #: submit_sm carries the relay's septets and the shift tables' header elements.
    SHIFT_TABLES: ClassVar[bool] = True

    host: str
    port: int
    system_id: str
    password: str = field(repr=False)
    system_type: str = ""
    enquire_link_interval: float = 30.0
    reconnect_initial: float = 1.0
    reconnect_max: float = 60.0
    submit_timeout: float = 10.0
    connect_timeout: float = 10.0
    max_in_flight: int = 10
    short_code_ton_npi: tuple[int, int] = (3, 0)
    transient_statuses: tuple[int, ...] = ()

    @classmethod
    def parse(cls, reader: ConfigReader) -> SmppOptions:
        check_keys(reader, cls)
        ton_npi = integers(reader, "short_code_ton_npi", (3, 0))
        if len(ton_npi) != 2:
            raise InvalidConfig(reader.key("short_code_ton_npi"), "must be [ton, npi]")
        return cls(
            host=reader.required("host", str),
            port=reader.required("port", int),
            # SMPP 3.4 §4.1.1: C-Octet Strings of at most 16, 9 and 13 octets with the NUL.
            system_id=_c_octets(reader, "system_id", 15, required=True),
            password=_c_octets(reader, "password", 8, required=True),
            system_type=_c_octets(reader, "system_type", 12),
            enquire_link_interval=positive(reader, "enquire_link_interval", 30.0),
            reconnect_initial=positive(reader, "reconnect_initial", 1.0),
            reconnect_max=positive(reader, "reconnect_max", 60.0),
            submit_timeout=positive(reader, "submit_timeout", 10.0),
            connect_timeout=positive(reader, "connect_timeout", 10.0),
            max_in_flight=positive_int(reader, "max_in_flight", 10),
            short_code_ton_npi=(ton_npi[0], ton_npi[1]),
            transient_statuses=integers(reader, "transient_statuses"),
        )

    def build(self, name: str, relay: RelayEndpoint) -> Gateway:
        from .gateway import SmppGateway

        return SmppGateway(
            name,
            self.host,
            self.port,
            self.system_id,
            self.password,
            self.system_type,
            enquire_link_interval=self.enquire_link_interval,
            reconnect_initial=self.reconnect_initial,
            reconnect_max=self.reconnect_max,
            submit_timeout=self.submit_timeout,
            connect_timeout=self.connect_timeout,
            max_in_flight=self.max_in_flight,
            short_code_ton_npi=self.short_code_ton_npi,
            transient_statuses=self.transient_statuses,
        )


def _c_octets(reader: ConfigReader, name: str, limit: int, *, required: bool = False) -> str:
    value: str = reader.required(name, str) if required else reader.optional(name, str, "")
    if not value.isascii() or len(value) > limit:
        raise InvalidConfig(reader.key(name), f"must be at most {limit} ASCII characters")
    return value

"""What the administrator set up for one agent: queues, senders, templates and limits.

The relay sends this as JSON (``GET /v1/compose-config``); :meth:`ComposeConfig.from_dict`
checks it, so a broken configuration is reported with the key that is wrong instead of
surfacing as a confusing state in the panel.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .alphabets import locking_languages, single_languages
from .phone import DEFAULT_ALLOWED_TYPES, NUMBER_TYPES
from .sender import InvalidSenderAddress, SenderAddress
from .template import Template

if TYPE_CHECKING:
    from .quiet_hours import QuietHours


class InvalidConfig(ValueError):
    """The configuration is not usable; ``key`` names the offending entry."""

    def __init__(self, key: str, detail: str) -> None:
        super().__init__(f"{key}: {detail}")
        self.key = key
        self.detail = detail


@dataclass(frozen=True)
class ShiftTables:
    """National language tables (3GPP TS 23.038) a sender's gateway may use."""

    locking: tuple[str, ...] = ()
    single: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"locking": list(self.locking), "single": list(self.single)}


NO_SHIFT_TABLES = ShiftTables()


@dataclass(frozen=True)
class Queue:
    """An SMS queue and the sender addresses its messages may come from."""

    id: str
    name: str
    senders: tuple[SenderAddress, ...] = ()

    def sender(self, value: str | None) -> SenderAddress | None:
        return next((s for s in self.senders if s.value == value), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "senders": [{"address": s.value, **s.to_dict()} for s in self.senders],
        }


@dataclass(frozen=True)
class ComposeConfig:
    """Everything the compose rules need to know about the agent and the tenant."""

    sms_enabled: bool = True
    queues: tuple[Queue, ...] = ()
    templates: tuple[Template, ...] = ()
    max_segments: int = 10
    default_region: str = "DE"
    allowed_number_types: frozenset[str] = DEFAULT_ALLOWED_TYPES
    #: ISO region codes SMS may go to; ``None`` allows every country.
    allowed_countries: frozenset[str] | None = None
    #: Shift tables by sender address value; senders not listed use none.
    shift_tables: Mapping[str, ShiftTables] = field(default_factory=dict)
    language: str = "de"
    #: When the tenant's customers are not texted (their local time); None: never quiet.
    quiet_hours: QuietHours | None = None

    def queue(self, queue_id: str | None) -> Queue | None:
        return next((q for q in self.queues if q.id == queue_id), None)

    def template(self, template_id: str | None) -> Template | None:
        return next((t for t in self.templates if t.id == template_id), None)

    def tables_for(self, sender: str | None) -> ShiftTables:
        return self.shift_tables.get(sender or "", NO_SHIFT_TABLES)

    def to_dict(self) -> dict[str, Any]:
        return {
            "sms_enabled": self.sms_enabled,
            "queues": [q.to_dict() for q in self.queues],
            "templates": [t.to_dict() for t in self.templates],
            "max_segments": self.max_segments,
            "default_region": self.default_region,
            "allowed_number_types": sorted(self.allowed_number_types),
            "allowed_countries": (
                None if self.allowed_countries is None else sorted(self.allowed_countries)
            ),
            "shift_tables": {k: v.to_dict() for k, v in self.shift_tables.items()},
            "language": self.language,
            "quiet_hours": None if self.quiet_hours is None else self.quiet_hours.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ComposeConfig:
        """Build and check a configuration from plain JSON data."""
        # Here, not at the top: quiet_hours reads its settings with this module's reader.
        from .quiet_hours import QuietHours

        reader = ConfigReader(data, "")
        quiet = data.get("quiet_hours")
        queues = tuple(_queue(q) for q in reader.items("queues"))
        require_unique("queues", [q.id for q in queues])
        templates = tuple(_template(t) for t in reader.items("templates"))
        require_unique("templates", [t.id for t in templates])
        shift_tables = {
            _sender_value(address, tables.path): _shift_tables(tables)
            for address, tables in reader.mapping_of("shift_tables")
        }
        countries = reader.optional("allowed_countries", list)
        types = reader.strings("allowed_number_types")
        for i, number_type in enumerate(types):
            if number_type not in NUMBER_TYPES:
                raise InvalidConfig(
                    f"allowed_number_types[{i}]",
                    f"unknown number type {number_type!r}; known: {', '.join(NUMBER_TYPES)}",
                )
        max_segments = reader.optional("max_segments", int)
        if max_segments is not None and max_segments < 1:
            raise InvalidConfig("max_segments", "must be at least 1")
        return cls(
            sms_enabled=reader.optional("sms_enabled", bool, True),
            queues=queues,
            templates=templates,
            max_segments=10 if max_segments is None else max_segments,
            default_region=reader.optional("default_region", str, "DE"),
            allowed_number_types=frozenset(types or DEFAULT_ALLOWED_TYPES),
            allowed_countries=(
                None if countries is None else frozenset(reader.strings("allowed_countries"))
            ),
            shift_tables=shift_tables,
            language=reader.optional("language", str, "de"),
            quiet_hours=None if quiet is None else QuietHours.from_settings(quiet, "quiet_hours"),
        )


_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def key_name(name: object) -> str:
    """A key as TOML writes it: bare when it can be, else quoted, so an empty key or one with
    a dot in it is still visible (and unambiguous) in the path an error names."""
    text = str(name)
    return text if _BARE_KEY.fullmatch(text) else json.dumps(text, ensure_ascii=False)


class ConfigReader:
    """Typed access to one JSON/TOML object that names the key path in every error (the relay
    reads its TOML configuration with it too)."""

    def __init__(self, data: object, path: str) -> None:
        if not isinstance(data, Mapping):
            raise InvalidConfig(path or "config", "must be an object")
        self.data = data
        self.path = path

    def key(self, name: str) -> str:
        name = key_name(name)
        return f"{self.path}.{name}" if self.path else name

    def optional(self, name: str, kind: type, default: Any = None) -> Any:
        value = self.data.get(name, default)
        if value is None:
            return default
        # bool is an int in Python, but "max_segments": true is still a mistake.
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise InvalidConfig(self.key(name), f"must be of type {kind.__name__}")
        return value

    def required(self, name: str, kind: type) -> Any:
        if self.data.get(name) is None:
            raise InvalidConfig(self.key(name), "is required")
        return self.optional(name, kind)

    def number(self, name: str, default: float | None = None) -> float | None:
        value = self.data.get(name, default)
        if value is None or (isinstance(value, int | float) and not isinstance(value, bool)):
            return value
        raise InvalidConfig(self.key(name), "must be a number")

    def reject_unknown(self, known: set[str]) -> None:
        """A misspelt key is an error, not a setting silently left at its default."""
        for name in self.data:
            if name not in known:
                raise InvalidConfig(
                    self.key(name), f"unknown key; known: {', '.join(sorted(known))}"
                )

    def strings(self, name: str) -> list[str]:
        values: list[object] = self.optional(name, list, [])
        strings: list[str] = []
        for i, value in enumerate(values):
            if not isinstance(value, str):
                raise InvalidConfig(f"{self.key(name)}[{i}]", "must be a string")
            strings.append(value)
        return strings

    def items(self, name: str) -> list[ConfigReader]:
        return [
            ConfigReader(v, f"{self.key(name)}[{i}]")
            for i, v in enumerate(self.optional(name, list, []))
        ]

    def mapping_of(self, name: str) -> list[tuple[str, ConfigReader]]:
        values = self.optional(name, dict, {})
        return [(k, ConfigReader(v, f"{self.key(name)}.{key_name(k)}")) for k, v in values.items()]


def _queue(reader: ConfigReader) -> Queue:
    senders = []
    for item in reader.items("senders"):
        try:
            senders.append(
                SenderAddress.parse(
                    item.required("address", str), label=item.optional("label", str)
                )
            )
        except InvalidSenderAddress as error:
            raise InvalidConfig(item.key("address"), error.problem.message("en")) from None
    require_unique(reader.key("senders"), [s.value for s in senders], field="address")
    return Queue(
        id=reader.required("id", str),
        name=reader.optional("name", str) or reader.required("id", str),
        senders=tuple(senders),
    )


def _sender_value(address: str, key: str) -> str:
    try:
        return SenderAddress.parse(address).value
    except InvalidSenderAddress as error:
        raise InvalidConfig(key, error.problem.message("en")) from None


def _shift_tables(reader: ConfigReader) -> ShiftTables:
    for name, known in (("locking", locking_languages()), ("single", single_languages())):
        for i, language in enumerate(reader.strings(name)):
            if language not in known:
                raise InvalidConfig(
                    f"{reader.key(name)}[{i}]",
                    f"no {name} shift table for {language!r}; known: {', '.join(known)}",
                )
    return ShiftTables(
        locking=tuple(reader.strings("locking")), single=tuple(reader.strings("single"))
    )


def _template(reader: ConfigReader) -> Template:
    return Template(
        id=reader.required("id", str),
        name=reader.optional("name", str) or reader.required("id", str),
        text=reader.required("text", str),
        language=reader.optional("language", str),
    )


def require_unique(key: str, ids: Sequence[str], field: str = "id") -> None:
    seen: set[str] = set()
    for i, item_id in enumerate(ids):
        if item_id in seen:
            raise InvalidConfig(f"{key}[{i}].{field}", f"duplicate {field} {item_id!r}")
        seen.add(item_id)

"""What a template costs before any agent sends it: the admin console's live preview.

An administrator writes a template once; agents send it thousands of times with the customer's
values filled in. The preview counts three versions of the text with the same segmenter the
panel, the relay and the gateways use:

- ``written`` — the template as written, every placeholder empty. The placeholder markers
  themselves (``{{customer.first_name}}``) never go out, so they are not counted; this is the
  least the message can be, and what the relay checks when the template is saved (a template
  over ``max_segments`` even so is refused).
- ``samples`` — with the administrator's sample values; a placeholder without a sample takes its
  default (``{{name|Kunde}}``), one without either counts empty.
- ``longest`` — with the longest values the administrator declares ("the longest last name we
  have"); a placeholder without one takes its sample, then its default, then empty.

Values are filled exactly as :func:`smscompose.template.expand` fills them for an agent (line
breaks become a space, surrounding space is trimmed, a value is never expanded again). Each
version reports its encoding, segments, characters and units, and the characters that force
UCS-2; the worst of them is compared with the tenant's ``max_segments``. Every word comes from
the catalog (:mod:`smscompose.messages`), so the console shows it as it arrives.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .messages import Problem, translate
from .segmenter import Encoding, SegmentedMessage, segment
from .template import expand, unfilled_placeholders

__all__ = ["VIEWS", "PreviewView", "TemplatePreview", "preview_template"]

#: The three versions, in the order the console shows them.
VIEWS = ("written", "samples", "longest")
FIELD = "text"

_ENCODING_LABELS = {
    Encoding.GSM_7BIT: "preview.encoding_gsm",
    Encoding.UCS2: "preview.encoding_ucs2",
}
# Characters with no glyph of their own are named by code point, so the admin can find them.
_INVISIBLE_CATEGORIES = frozenset({"Cf", "Mn", "Me", "Zs", "Zl", "Zp", "Cc"})


@dataclass(frozen=True)
class PreviewView:
    """One version of the template: its text as it would go out, and how it is sent."""

    kind: str
    text: str
    message: SegmentedMessage
    #: Placeholders counted empty here: no value for this version and no default.
    empty: tuple[str, ...] = ()

    @property
    def segments(self) -> int:
        return self.message.segments

    def to_dict(self, lang: str, max_segments: int | None) -> dict[str, Any]:
        message = self.message
        chars = [_visible(c) for c in message.forcing_chars]
        summary = translate(
            "preview.summary",
            lang,
            segments_text=segments_text(message.segments, lang),
            encoding=translate(_ENCODING_LABELS[message.encoding], lang),
            characters_text=translate("count.characters", lang, characters=len(self.text)),
        )
        return {
            "kind": self.kind,
            "label": translate(f"preview.{self.kind}", lang),
            "text": self.text,
            "encoding": str(message.encoding),
            "segments": message.segments,
            "characters": len(self.text),
            "units": message.units,
            "counter": message.counter,
            "forcing_chars": list(message.forcing_chars),
            "forcing_labels": chars,
            "forcing": translate("preview.forcing", lang, chars=" ".join(chars)) if chars else None,
            "empty": list(self.empty),
            "empty_note": (
                translate("preview.counted_empty", lang, names=", ".join(self.empty))
                if self.empty and self.kind != "written"
                else None
            ),
            "summary": summary,
            "over_limit": max_segments is not None and message.segments > max_segments,
        }


@dataclass(frozen=True)
class TemplatePreview:
    """The three versions of one template and what they mean against the tenant's limit."""

    #: The template's placeholders, each name once, in order: ``(name, default)``.
    placeholders: tuple[tuple[str, str | None], ...]
    views: tuple[PreviewView, ...]
    max_segments: int | None = None

    def view(self, kind: str) -> PreviewView:
        return next(v for v in self.views if v.kind == kind)

    @property
    def worst(self) -> PreviewView:
        """The version with the most segments (then the most units; the earlier on a tie)."""
        return max(self.views, key=lambda v: (v.segments, v.message.units))

    @property
    def problems(self) -> tuple[Problem, ...]:
        """Over the limit as written: the relay refuses to save it. Over with the values: it
        can be saved, but an agent with such values cannot send it."""
        limit = self.max_segments
        if limit is None:
            return ()
        written = self.view("written")
        if written.segments > limit:
            return (
                Problem(
                    "preview.too_long_written",
                    FIELD,
                    {"segments": written.segments, "max": limit},
                ),
            )
        worst = self.worst
        if worst.segments > limit:
            return (
                Problem(
                    "preview.too_long_values",
                    FIELD,
                    {"view": worst.kind, "segments": worst.segments, "max": limit},
                ),
            )
        return ()

    def to_dict(self, lang: str) -> dict[str, Any]:
        worst = self.worst
        limit = self.max_segments
        verdict = None
        if limit is not None and not self.problems:
            verdict = translate(
                "preview.within_limit",
                lang,
                segments_text=segments_text(worst.segments, lang),
                max=limit,
            )
        return {
            "placeholders": [{"name": n, "default": d} for n, d in self.placeholders],
            "views": [v.to_dict(lang, limit) for v in self.views],
            "worst": {"kind": worst.kind, "segments": worst.segments},
            "max_segments": limit,
            "over_limit": bool(self.problems),
            "problems": [_worded(p, lang) for p in self.problems],
            "verdict": verdict,
        }


def preview_template(
    text: str,
    *,
    samples: Mapping[str, object] | None = None,
    longest: Mapping[str, object] | None = None,
    locking: Iterable[str] = (),
    single: Iterable[str] = (),
    max_segments: int | None = None,
) -> TemplatePreview:
    """The preview of ``text``. ``samples`` and ``longest`` map a placeholder's name
    (``customer.first_name``) to a value; ``locking`` and ``single`` are the national language
    tables of the sender it is counted for (none: as the relay checks a template).
    Raises :class:`~smscompose.segmenter.UnknownLanguageTable` for a table that does not exist."""
    locking, single = tuple(locking), tuple(single)
    found = unfilled_placeholders(text)
    names: dict[str, str | None] = {}
    for placeholder in found:
        names.setdefault(placeholder.name, placeholder.default)
    sample_values = dict(samples or {})
    longest_values = {**sample_values, **{k: v for k, v in (longest or {}).items() if _given(v)}}
    versions = (("written", None), ("samples", sample_values), ("longest", longest_values))
    views = []
    for kind, values in versions:
        filled, empty = _fill(text, values)
        message = segment(filled, locking=locking, single=single)
        views.append(PreviewView(kind, filled, message, empty))
    return TemplatePreview(tuple(names.items()), tuple(views), max_segments)


def segments_text(segments: int, lang: str) -> str:
    """``1 segment`` / ``2 segments`` in ``lang``."""
    return translate("count.segments", lang, segments=segments)


def _fill(text: str, values: Mapping[str, object] | None) -> tuple[str, tuple[str, ...]]:
    """``text`` with each placeholder replaced as an agent's panel would fill it from
    ``values`` (None: every placeholder empty, defaults too), and those left empty."""
    parts: list[str] = []
    empty: dict[str, None] = {}
    at = 0
    for placeholder in unfilled_placeholders(text):
        parts.append(text[at : placeholder.start])
        at = placeholder.end
        if values is None:
            continue
        expansion = expand(text[placeholder.start : placeholder.end], {**values})
        if expansion.complete:
            parts.append(expansion.text)
        else:
            empty[placeholder.name] = None
    parts.append(text[at:])
    return "".join(parts), tuple(empty)


def _given(value: object) -> bool:
    return not (value is None or (isinstance(value, str) and not value.strip()))


def _visible(char: str) -> str:
    """A forcing character as the admin can see it: itself, or its code point (U+200B)."""
    if unicodedata.category(char) in _INVISIBLE_CATEGORIES:
        return f"U+{ord(char):04X}"
    return char


def _worded(problem: Problem, lang: str) -> dict[str, Any]:
    params = dict(problem.params)
    params["segments_text"] = segments_text(int(params["segments"]), lang)
    if "view" in params:
        params["view_label"] = translate(f"preview.{params['view']}", lang)
    return Problem(problem.code, problem.field, params).to_dict(lang)

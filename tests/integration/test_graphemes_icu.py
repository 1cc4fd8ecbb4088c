"""Cross-check of smscompose.graphemes against ICU, through Node's ``Intl.Segmenter``.

CPython only: it starts ``node`` as a subprocess (node is always installed here) and segments a
few thousand generated strings with ``Intl.Segmenter(undefined, {granularity: "grapheme"})``.

Version caveat: the module implements Unicode 16.0.0, but the Node on this machine is built with
ICU 78, whose ``process.versions.unicode`` is "17.0". Unicode 17.0 changed the properties behind
some clusters -- notably it gave Indic_Conjunct_Break Linker/Consonant values to more scripts
(e.g. Khmer, Myanmar, Balinese), so ICU joins U+1780 U+17D2 U+1780 while Unicode 16.0 does not.
The strings are therefore built only from code points whose Grapheme_Cluster_Break,
Extended_Pictographic and Indic_Conjunct_Break values are the same in 16.0 and 17.0: ASCII,
CR/LF, common combining marks, joiners and variation selectors, long-standing emoji, emoji
modifiers, regional indicators, tag characters, Hangul jamo and syllables, an Arabic Prepend
mark, and Devanagari, Bengali and Gurmukhi letters and signs. The test checks Node's Unicode
version is at least 16.0, so it does not silently compare against an older rule set.
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess

from smscompose.graphemes import clusters

SEED = 20240502
COUNT = 4000

SINGLES = [
    # ASCII, controls and line breaks
    *"az Z09!?.,\t",
    "\r",
    "\n",
    "é",
    "ß",
    # combining marks, joiners, variation selectors
    "\u0300",
    "\u0301",
    "\u0308",
    "\u0323",
    "\u0327",
    "\u20e3",
    "\u200d",
    "\u200c",
    "\ufe0f",
    "\ufe0e",
    # Extended_Pictographic
    "👨",
    "👩",
    "👧",
    "👦",
    "❤",
    "🔥",
    "👍",
    "🏳",
    "🌈",
    "😀",
    "💻",
    "⚕",
    "🏴",
    "☺",
    "©",
    # emoji modifiers (Extend)
    *"\U0001f3fb\U0001f3fc\U0001f3fd\U0001f3fe\U0001f3ff",
    # regional indicators
    *"\U0001f1e9\U0001f1ea\U0001f1eb\U0001f1f7\U0001f1fa\U0001f1f8\U0001f1ef\U0001f1f5",
    # tag characters (Extend)
    *"\U000e0067\U000e0062\U000e0065\U000e006e\U000e007f",
    # Hangul: L, V, T jamo and LV, LVT syllables
    *"\u1100\u1101\u1161\u1162\u11a8\u11ab\uac00\uac01\ud55c\uae00",
    # Prepend and what follows it
    "\u0600",
    "\u0661",
    # Devanagari: consonants, virama, nukta, vowel signs, anusvara, visarga, vowel letter
    *"\u0915\u0937\u0924\u0930\u092f\u0928",
    *"\u094d\u093c\u093f\u0940\u0941\u0947\u0902\u0903\u0905",
    # Bengali: consonants, virama, nukta, vowel signs
    *"\u0995\u09b7\u09b0\u09cd\u09bc\u09be\u09bf\u09c1",
    # Gurmukhi: a consonant and its virama (not an InCB linker)
    "\u0a15",
    "\u0a4d",
]

SEQUENCES = [
    "\r\n",
    "👨\u200d👩\u200d👧\u200d👦",
    "👩\U0001f3ff\u200d💻",
    "🏳\ufe0f\u200d🌈",
    "❤\ufe0f\u200d🔥",
    "👍\U0001f3fd",
    "\U0001f1e9\U0001f1ea",
    "\U0001f1fa\U0001f1f8",
    "🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f",
    "1\ufe0f\u20e3",
    "\u1100\u1161\u11a8",
    "\u1100\u1100\u1161",
    "한국어",
    "क्ष",
    "क्\u200dष",
    "क्\u200cष",
    "त्र्य",
    "क़्ष",
    "क्षत्रिय",
    "नमस्ते",
    "ক্ষ",
    "ক্ষা",
    "e\u0301\u0323",
    "\u0600\u0661",
]


def _random_strings(count: int) -> list[str]:
    rng = random.Random(SEED)
    pool = SINGLES * 2 + SEQUENCES
    strings = []
    for _ in range(count):
        parts = [rng.choice(pool) for _ in range(rng.randint(1, 12))]
        strings.append("".join(parts))
    return strings


NODE_SCRIPT = r"""
const chunks = [];
process.stdin.on("data", (c) => chunks.push(c));
process.stdin.on("end", () => {
  const strings = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  const seg = new Intl.Segmenter(undefined, { granularity: "grapheme" });
  const out = strings.map((s) => Array.from(seg.segment(s), (x) => x.segment));
  const { unicode, icu } = process.versions;
  process.stdout.write(JSON.stringify({ unicode, icu, out }));
});
"""


def _icu_clusters(strings: list[str]) -> tuple[str, list[list[str]]]:
    node = shutil.which("node")
    assert node is not None, "node is required for the ICU cross-check"
    result = subprocess.run(
        [node, "-e", NODE_SCRIPT],
        input=json.dumps(strings).encode("utf-8"),
        capture_output=True,
        check=True,
        timeout=120,
    )
    payload = json.loads(result.stdout.decode("utf-8"))
    return payload["unicode"], payload["out"]


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


def test_clusters_match_icu() -> None:
    strings = _random_strings(COUNT) + SEQUENCES + SINGLES
    unicode_version, expected = _icu_clusters(strings)
    assert _version(unicode_version) >= (16, 0), f"Node's ICU has Unicode {unicode_version}"
    assert len(expected) == len(strings)
    mismatches = [
        (text, want, got)
        for text, want in zip(strings, expected, strict=True)
        if (got := clusters(text)) != want
    ]
    shown = "\n".join(
        f"{[f'{ord(c):04X}' for c in text]}: ICU {want!r} != {got!r}"
        for text, want, got in mismatches[:10]
    )
    assert not mismatches, f"{len(mismatches)} of {len(strings)} differ from ICU:\n{shown}"

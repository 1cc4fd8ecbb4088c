"""Write the benchmark corpus: seeded, mixed SMS texts as JSON lines ``{"text": ...}``.

The mix is what an agent desktop sees and what makes counters disagree: plain ASCII, GSM
extension characters (two septets each), Latin-1 letters outside GSM (UCS-2), Turkish letters
(UCS-2 unless the Turkish shift tables are enabled), emoji with skin tones, ZWJ sequences and
flags (several code points per grapheme), and CJK. Lengths spread over 0-1,000 code points, with
extra weight just around the single/concatenated limits (70/67, 160/153 units) where off-by-one
errors live. The same seed always gives the same file.

Usage: python bench/make_corpus.py [--lines N] [--seed S] [--out PATH]
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path


def words(text: str) -> list[str]:
    return text.split()


ASCII_WORDS = words(
    "hello thanks order delivery today tomorrow please call back your code is ready for pickup "
    "appointment confirmed reply STOP to opt out invoice 2024-05 ref #A17 ok? yes! (see link) "
    "https://ex.am/p?q=1 @home 50% 3:15pm"
)
GSM_EXTENSION = "{}[]~|^€\\"
LATIN1_WORDS = words("façade naïve crème brûlée Ångström señor Åre Œuvre garçon résumé déjà-vu Ça")
LATIN1_OUTSIDE_GSM = "âêîôûëïÿçáíóúãõÁÍÓÚÂÊÎÔÛ"
TURKISH_WORDS = words(
    "ğüşıöç İstanbul ışık şimdi değil güzel teşekkürler sipariş Ağustos İzmir çığ "
    "doğum ılık Şubat Ğ"
)
CJK = "你好谢谢订单已发货请查收こんにちはありがとう注文確認안녕하세요감사합니다"
ZWJ = "\u200d"  # zero width joiner
VS16 = "\ufe0f"  # emoji presentation selector
SKIN_TONES = [chr(c) for c in range(0x1F3FB, 0x1F400)]
BASE_EMOJI = ["😀", "👍", "🎉", "❤" + VS16, "🙏", "😂", "🔥", "✅", "📦", "👋", "🚚"]
ZWJ_SEQUENCES = [
    ZWJ.join("👨👩👧👦"),  # family
    ZWJ.join("👩💻"),
    "🏳" + VS16 + ZWJ + "🌈",
    "👨🏽" + ZWJ + "🚀",  # with a skin tone
    ZWJ.join("🧑🤝🧑"),
    "❤" + VS16 + ZWJ + "🔥",
    "🐻" + ZWJ + "❄" + VS16,
]
FLAGS = ["🇩🇪", "🇹🇷", "🇺🇸", "🇯🇵", "🇪🇺", "🇺🇦", "🇧🇷"]
BOUNDARIES = (67, 70, 134, 153, 160, 201, 306, 459, 612)


def emoji(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.35:
        return rng.choice(BASE_EMOJI)
    if kind < 0.6:
        return rng.choice(["👍", "👋", "🙏", "👩", "🧑"]) + rng.choice(SKIN_TONES)
    if kind < 0.8:
        return rng.choice(ZWJ_SEQUENCES)
    return rng.choice(FLAGS)


def token(rng: random.Random, flavour: str) -> str:
    """One word-like piece of text in the given flavour (mostly ASCII around it)."""
    roll = rng.random()
    if flavour == "gsm_ext" and roll < 0.3:
        return "".join(rng.choice(GSM_EXTENSION) for _ in range(rng.randint(1, 3)))
    if flavour == "latin1" and roll < 0.3:
        return rng.choice(LATIN1_WORDS) if roll < 0.2 else rng.choice(LATIN1_OUTSIDE_GSM)
    if flavour == "turkish" and roll < 0.5:
        return rng.choice(TURKISH_WORDS)
    if flavour == "emoji" and roll < 0.3:
        return emoji(rng)
    if flavour == "cjk" and roll < 0.6:
        start = rng.randrange(len(CJK) - 6)
        return CJK[start : start + rng.randint(1, 6)]
    if roll > 0.97:
        return "\n"
    return rng.choice(ASCII_WORDS)


def text(rng: random.Random) -> str:
    flavour = rng.choices(
        ["ascii", "gsm_ext", "latin1", "turkish", "emoji", "cjk"], weights=[30, 15, 15, 15, 15, 10]
    )[0]
    if rng.random() < 0.25:
        length = max(0, rng.choice(BOUNDARIES) + rng.randint(-3, 3))
    else:
        length = rng.randint(0, 1000)
    pieces: list[str] = []
    size = 0
    while size < length:
        piece = token(rng, flavour)
        piece = piece if not pieces or piece == "\n" else " " + piece
        if size + len(piece) > length:
            pieces.append("x" * (length - size))  # pad to the exact length, never cut a cluster
            break
        pieces.append(piece)
        size += len(piece)
    return "".join(pieces)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results/corpus.jsonl")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8", newline="\n") as out:
        for _ in range(args.lines):
            out.write(json.dumps({"text": text(rng)}, ensure_ascii=False) + "\n")
    print(f"wrote {args.lines} lines to {args.out}")


if __name__ == "__main__":
    main()

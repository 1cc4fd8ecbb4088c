// The message under the text field: the counter and the cost hint, the characters that force
// UCS-2 marked in place (a backdrop behind the transparent-text textarea) and listed, the
// smart-encoding suggestion, the segment preview when open, and the counter as screen readers
// hear it once typing pauses.

import { fill, h, show } from "./dom.js";
import { t } from "./i18n.js";
import { renderPreview } from "./segment-preview.js";

const ANNOUNCE_DELAY_MS = 1200;

// Characters with no glyph of their own (variation selectors, joiners, odd spaces) are named
// by code point, so the agent can see what to delete.
const INVISIBLE = /^[\p{Cf}\p{Mn}\p{Me}\p{Zs}\p{Zl}\p{Zp}\uFE00-\uFE0F]+$/u;
const codePoints = (c) => [...c].map((ch) => `U+${ch.codePointAt(0).toString(16).toUpperCase().padStart(4, "0")}`).join(" ");
const visible = (c) => (INVISIBLE.test(c) ? codePoints(c) : c);

// A formatter loads locale data when it is made: one per language and currency.
const moneyFormats = new Map();

function money(lang, cost) {
  const key = `${lang} ${cost.currency}`;
  if (!moneyFormats.has(key)) {
    try {
      moneyFormats.set(key, new Intl.NumberFormat(lang, { style: "currency", currency: cost.currency || "EUR" }));
    } catch {
      moneyFormats.set(key, null);
    }
  }
  const format = moneyFormats.get(key);
  return format ? format.format(cost.amount) : `${cost.amount} ${cost.currency}`;
}

/** The cost hint beside the counter ("approx. €0.14"), empty for an empty text. */
export function costHint(lang, view) {
  return view.cost && view.message.segments > 0 ? t(lang, "costHint", { amount: money(lang, view.cost) }) : "";
}

/** Renders the view's message; `announcer` speaks the count once typing pauses. */
export function renderMessage(els, lang, view, announcer) {
  const message = view.message;
  fill(els.counter, view.counter);
  els.counter.classList.toggle("over", view.counter_over);
  fill(els.cost, costHint(lang, view));

  // Highlight what forces UCS2, behind the textarea (same metrics, transparent text).
  if (els.text.value === view.text) {
    const parts = [];
    let at = 0;
    for (const span of message.forcing_spans) {
      parts.push(view.text.slice(at, span.utf16_start));
      parts.push(h("mark", {}, view.text.slice(span.utf16_start, span.utf16_end)));
      at = span.utf16_end;
    }
    parts.push(view.text.slice(at), "\n");
    fill(els.backdrop, parts);
    els.backdrop.scrollTop = els.text.scrollTop;
  }
  const forcing = message.forcing_chars;
  show(els.forcing, forcing.length > 0);
  if (forcing.length) {
    const [before, after] = t(lang, "forcing", { capacity: message.capacity, chars: "\u0000" }).split("\u0000");
    fill(els.forcingText, before, ...forcing.map((c) => [h("mark", { title: codePoints(c) }, visible(c)), " "]), after);
  }
  // Worded by the core, counted words included ("1 statt 3 Segmente").
  show(els.suggest, Boolean(view.suggestion_label));
  if (view.suggestion_label) fill(els.suggest, view.suggestion_label);
  if (!els.preview.hidden) renderPreview(els, lang, message);
  announcer.schedule(view.counter_announce);
}

/** The polite live region that says the count once the agent pauses, not at every keystroke. */
export class Announcer {
  constructor(node) {
    this.node = node;
    this.timer = null;
  }

  /** `text`: the core's words for the counter ("21 characters, 1 segment, GSM 7-bit"). */
  schedule(text) {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => fill(this.node, text), ANNOUNCE_DELAY_MS);
  }
}

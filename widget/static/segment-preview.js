// The segment preview: the message part by part, as the gateway will send it, on demand.

import { fill, h } from "./dom.js";
import { t } from "./i18n.js";

/** Opens or closes the preview (the core's `message` fills it when opened). */
export function togglePreview(els, lang, message) {
  const open = els.preview.hidden;
  els.preview.hidden = !open;
  els.previewButton.setAttribute("aria-expanded", String(open));
  els.previewButton.textContent = t(lang, open ? "previewHide" : "preview");
  if (open && message) renderPreview(els, lang, message);
}

/** One list item per part: "Part 1 of 2: 153 of 153" and the part's exact text. */
export function renderPreview(els, lang, message) {
  const total = message.parts.length;
  fill(
    els.previewList,
    message.parts.map((text, i) =>
      h(
        "li",
        { "data-testid": "segment" },
        t(lang, "part", { n: i + 1, total, units: message.part_units[i], capacity: message.capacity }),
        h("pre", {}, text),
      ),
    ),
  );
}

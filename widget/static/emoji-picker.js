// The emoji picker beside the text: emoji-picker-element with its data in the panel's language,
// both served by the relay (build/widget/manifest.json names them) and loaded on first open.

import { pickerStyles } from "./panel-styles.js";

const ASSETS = new URL("./", import.meta.url);
let manifest = null;

function assetManifest() {
  manifest ??= fetch(new URL("manifest.json", ASSETS), { credentials: "omit" }).then((r) => {
    if (!r.ok) throw new Error(`manifest.json: HTTP ${r.status}`);
    return r.json();
  });
  return manifest;
}

async function createPicker(lang, onPick) {
  const m = await assetManifest();
  await import(new URL(m.emoji.module, ASSETS).href);
  const i18n = (await import(new URL(m.emoji.i18n[lang], ASSETS).href)).default;
  const picker = document.createElement("emoji-picker");
  picker.setAttribute("data-testid", "emoji-picker-element");
  picker.locale = lang;
  picker.i18n = i18n;
  picker.dataSource = new URL(m.emoji.data[lang], ASSETS).href;
  picker.shadowRoot.adoptedStyleSheets = [...picker.shadowRoot.adoptedStyleSheets, pickerStyles()];
  picker.addEventListener("emoji-click", (ev) => onPick(ev.detail.unicode));
  return picker;
}

/**
 * Opens or closes the picker (toggles without `open`). Opening focuses its search field;
 * closing gives focus back to the emoji button. `onPick(chars)` gets every emoji clicked.
 */
export async function toggleEmoji(els, lang, onPick, open = els.picker.hidden) {
  if (!open) {
    els.picker.hidden = true;
    els.emojiButton.setAttribute("aria-expanded", "false");
    els.emojiButton.focus();
    return;
  }
  if (!els.picker.firstChild) els.picker.append(await createPicker(lang, onPick));
  els.picker.hidden = false;
  els.emojiButton.setAttribute("aria-expanded", "true");
  const picker = els.picker.firstChild;
  requestAnimationFrame(() => picker.shadowRoot?.querySelector("input")?.focus());
}

/** Puts `chars` at the text field's caret (over its selection); returns the new text. */
export function insertAtCaret(textarea, chars) {
  const start = textarea.selectionStart ?? textarea.value.length;
  const end = textarea.selectionEnd ?? start;
  textarea.setRangeText(chars, start, end, "end");
  return textarea.value;
}


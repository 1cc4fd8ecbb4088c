// The dial pad under To: a key per digit and sign, backspace, typing on the focused pad dials,
// Escape closes it and gives focus back to its button. The core applies each key to the number
// (smscompose's dialpad_append / dialpad_backspace); the pad only says which key was pressed.

import contract from "./contract.js";
import { h } from "./dom.js";
import { t } from "./i18n.js";

/** The pad's keys, in the order they are laid out (three a row): the core's DIALPAD_LAYOUT. */
export function dialpadKeys() {
  return contract.dialpad_keys;
}

/** The pad key a keyboard key dials on the focused pad ("backspace" for Backspace), or null. */
export function dialpadKeyFor(key) {
  if (contract.dialpad_keys.includes(key)) return key;
  if (key === "Backspace") return "backspace";
  return null;
}

/** The pad (hidden): `on.press(key)` for every key pressed, `on.close()` for Escape. */
export function buildDialpad(id, label, on) {
  const pad = h(
    "div",
    {
      id,
      class: "dialpad",
      role: "group",
      "data-testid": "dialpad",
      hidden: true,
      onkeydown: (ev) => {
        if (ev.key === "Escape") {
          ev.preventDefault();
          on.close();
          return;
        }
        const key = dialpadKeyFor(ev.key);
        if (key) {
          ev.preventDefault();
          on.press(key);
        }
      },
    },
    dialpadKeys().map((key) =>
      h("button", { type: "button", "data-key": key, "data-testid": `dialpad-key-${key}`, onclick: () => on.press(key) }, key),
    ),
    label(
      "backspace",
      h("button", { type: "button", "data-key": "backspace", "data-testid": "dialpad-backspace", onclick: () => on.press("backspace") }, "⌫"),
      "aria-label",
    ),
  );
  label("dialpad", pad, "aria-label");
  return pad;
}

/** Opens or closes the pad (toggles without `open`); focus goes to its first key or back to its button. */
export function toggleDialpad(els, lang, open = els.dialpad.hidden) {
  els.dialpad.hidden = !open;
  els.dialpadButton.setAttribute("aria-expanded", String(open));
  const key = open ? "dialpadClose" : "dialpadOpen";
  els.dialpadButton.setAttribute("aria-label", t(lang, key));
  els.dialpadButton.title = t(lang, key);
  if (open) els.dialpad.querySelector("button")?.focus();
  else els.dialpadButton.focus();
}

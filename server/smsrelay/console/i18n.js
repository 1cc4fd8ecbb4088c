// The console's words (texts.js, which the relay writes from smsrelay/admin/console_texts.py)
// and the language it shows them in. What the relay says (errors) arrives worded already, and
// so does the template preview, from the compose core's catalog.

import texts from "./texts.js";
import { pickLanguage } from "/widget/i18n.js";

export const LANGUAGES = texts.languages;
let current = texts.default_language;

/** The language from `?lang=`, else the browser's, else the default. */
export function initialLanguage() {
  return pickLanguage(new URLSearchParams(location.search).get("lang"), ...navigator.languages);
}

export function lang() {
  return current;
}

export function setLanguage(value) {
  current = pickLanguage(value);
  document.documentElement.lang = current;
}

/** The text for `key` with `{name}` filled from `params`. */
export function t(key, params = {}) {
  const text = texts.texts[current]?.[key] ?? texts.texts[texts.default_language][key] ?? key;
  return text.replace(/\{(\w+)\}/g, (match, name) => (name in params ? String(params[name]) : match));
}

/** Every element with `data-text` gets its text in the current language. */
export function applyTexts(root = document) {
  for (const node of root.querySelectorAll("[data-text]")) node.textContent = t(node.dataset.text);
  document.title = `${t("title")} – sms-panel`;
}

// The shell's words, from the compose core's contract (contract.js, generated from
// smscompose/shell_texts.py): labels, buttons and what the panel says before Python runs.
// Everything the rules say (problems, statuses, reasons, the inbox) arrives worded in the core's
// view; the element never words a rule itself.

import contract from "./contract.js";

export const LANGUAGES = contract.languages;

/**
 * The language to show before the core has picked one: the first supported of `candidates`
 * (the element's lang, then the page's), else the contract's default. The same rule as
 * smscompose.languages.pick_language, which decides once the core runs (a test holds them
 * to the same answers).
 */
export function pickLanguage(...candidates) {
  for (const candidate of candidates) {
    if (typeof candidate !== "string") continue;
    const primary = candidate.trim().replaceAll("_", "-").split("-")[0].toLowerCase();
    if (LANGUAGES.includes(primary)) return primary;
  }
  return contract.default_language;
}

/** The text for `key` in `lang` with `{name}` placeholders filled from `params`. */
export function t(lang, key, params = {}) {
  const text = contract.texts[lang]?.[key] ?? contract.texts[contract.default_language][key] ?? key;
  return text.replace(/\{(\w+)\}/g, (match, name) => (name in params ? String(params[name]) : match));
}

// The panel's styles, adopted into its shadow root as a constructed stylesheet: no inline
// <style> the host's Content-Security-Policy would have to allow. Hosts theme the panel with
// the --sms-panel-* custom properties (they cross the shadow boundary) and ::part().
//
// Light and dark defaults follow the agent's prefers-color-scheme; a host's --sms-panel-*
// value wins in both. Every default pair of text and background meets WCAG 2.1 AA (axe-core
// checks both schemes in tests/e2e/browser/appearance.spec.mjs). Under prefers-reduced-motion:
// reduce nothing moves: no transition or animation, in the panel or in the emoji picker.

const CSS = `
:host {
  color-scheme: light;
  --_accent: var(--sms-panel-accent, #1d4ed8); /* Send and SMS buttons, status line */
  --_accent-fg: var(--sms-panel-accent-contrast, #ffffff); /* text on the accent */
  --_bg: var(--sms-panel-background, #ffffff);
  --_fg: var(--sms-panel-foreground, #1f2937);
  --_muted: var(--sms-panel-muted, #4b5563); /* hints, cost */
  --_border: var(--sms-panel-border, #6b7280); /* fields and buttons */
  --_danger: var(--sms-panel-danger, #b91c1c); /* problems, errors, failed */
  --_ok: var(--sms-panel-success, #166534); /* a valid number, notices, delivered */
  --_mark: var(--sms-panel-highlight, #fde68a); /* behind characters that force UCS-2 */
  --_radius: var(--sms-panel-radius, 6px);
  --_focus: var(--sms-panel-focus, #2563eb); /* the focus ring */
  /* not themable: disabled buttons, the segment preview, separators, the marks' edge */
  --_off-fg: #6b7280; --_off-bg: #e5e7eb; --_off-border: #9ca3af;
  --_primary-off-fg: #4b5563; --_primary-off-bg: #d1d5db;
  --_subtle: #f3f4f6; --_rule: #e5e7eb; --_mark-edge: #b45309;
  display: block;
  font: var(--sms-panel-font, 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif);
  color: var(--_fg);
  background: var(--_bg);
  contain: content;
}
:host([hidden]) { display: none; }
@media (prefers-color-scheme: dark) {
  :host {
    color-scheme: dark;
    --_accent: var(--sms-panel-accent, #93c5fd);
    --_accent-fg: var(--sms-panel-accent-contrast, #111827);
    --_bg: var(--sms-panel-background, #111827);
    --_fg: var(--sms-panel-foreground, #f3f4f6);
    --_muted: var(--sms-panel-muted, #9ca3af);
    --_border: var(--sms-panel-border, #9ca3af);
    --_danger: var(--sms-panel-danger, #fca5a5);
    --_ok: var(--sms-panel-success, #86efac);
    --_mark: var(--sms-panel-highlight, #92400e);
    --_focus: var(--sms-panel-focus, #93c5fd);
    --_off-fg: #9ca3af; --_off-bg: #1f2937; --_off-border: #4b5563;
    --_primary-off-fg: #d1d5db; --_primary-off-bg: #374151;
    --_subtle: #1f2937; --_rule: #374151; --_mark-edge: #f59e0b;
  }
}
@media (prefers-reduced-motion: reduce) {
  :host, *, *::before, *::after { transition: none !important; animation: none !important; scroll-behavior: auto !important; }
}
* { box-sizing: border-box; }
[hidden] { display: none !important; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
section, form { margin: 0 0 .75rem; }
h2, h3 { font-size: 1em; margin: 0 0 .4rem; }
label, .label { display: block; font-weight: 600; margin: .55rem 0 .2rem; }
select, input, textarea, button { font: inherit; color: inherit; }
select, input, textarea {
  width: 100%; padding: .4rem .5rem; background: var(--_bg);
  border: 1px solid var(--_border); border-radius: var(--_radius);
}
:focus-visible { outline: 3px solid var(--_focus); outline-offset: 1px; }
button {
  cursor: pointer; padding: .4rem .8rem; border-radius: var(--_radius);
  border: 1px solid var(--_border); background: var(--_bg);
}
button:disabled { cursor: not-allowed; color: var(--_off-fg); background: var(--_off-bg); border-color: var(--_off-border); }
button.primary { background: var(--_accent); color: var(--_accent-fg); border-color: var(--_accent); }
button.primary:disabled { color: var(--_primary-off-fg); background: var(--_primary-off-bg); border-color: var(--_off-border); }
button.icon { padding: .35rem .55rem; line-height: 1; }
.row { display: flex; gap: .4rem; align-items: stretch; }
.row > input { flex: 1; }
.hint { color: var(--_muted); font-size: .92em; margin: .25rem 0 0; }
.problem { color: var(--_danger); font-size: .92em; margin: .25rem 0 0; }
.ok { color: var(--_ok); }
.error { color: var(--_danger); border: 1px solid var(--_danger); border-radius: var(--_radius); padding: .5rem .6rem; margin-bottom: .6rem; }
.notice { color: var(--_ok); margin: .3rem 0; }
.confirm { border: 1px solid var(--_border); border-radius: var(--_radius); padding: .5rem; margin-top: .4rem; }
.confirm p { margin: 0 0 .4rem; }
.dialpad { display: grid; grid-template-columns: repeat(3, 3.2rem); gap: .3rem; margin: .4rem 0; }
.dialpad button { padding: .5rem 0; font-size: 1.1em; }
.editor { position: relative; }
.editor textarea, .backdrop {
  margin: 0; padding: .45rem .55rem; font: inherit; letter-spacing: normal; line-height: 1.45;
  white-space: pre-wrap; overflow-wrap: break-word; word-break: normal;
  border: 1px solid var(--_border); border-radius: var(--_radius); min-height: 7.5rem;
}
.editor textarea { position: relative; background: transparent; resize: vertical; display: block; }
.backdrop {
  position: absolute; inset: 0; overflow: hidden; color: transparent; background: var(--_bg);
  border-color: transparent; pointer-events: none;
}
.backdrop mark { color: transparent; background: var(--_mark); border-radius: 2px; box-shadow: 0 0 0 1px var(--_mark-edge); }
.toolbar { display: flex; align-items: center; gap: .4rem; margin-top: .35rem; flex-wrap: wrap; }
.toolbar .spacer { flex: 1; }
.counter { font-variant-numeric: tabular-nums; font-weight: 600; }
.counter.over { color: var(--_danger); }
.cost { color: var(--_muted); font-size: .92em; }
.forcing { margin: .35rem 0 0; font-size: .92em; }
.forcing mark { color: var(--_fg); background: var(--_mark); padding: 0 .15rem; }
.preview ol { margin: .3rem 0; padding-left: 1.3rem; }
.preview li { margin-bottom: .35rem; }
.preview pre { margin: .15rem 0 0; white-space: pre-wrap; overflow-wrap: anywhere; font: inherit; background: var(--_subtle); padding: .25rem .4rem; border-radius: var(--_radius); }
.actions { display: flex; gap: .4rem; margin-top: .6rem; flex-wrap: wrap; }
.actions .spacer { flex: 1; }
.picker { position: relative; }
.picker emoji-picker { --num-columns: 8; width: 100%; height: 18rem; margin-top: .35rem; }
ul.drafts { list-style: none; padding: 0; margin: 0; }
ul.drafts li { display: flex; gap: .5rem; align-items: center; padding: .35rem 0; border-top: 1px solid var(--_rule); }
ul.drafts li .summary { flex: 1; min-width: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.status { border-left: 4px solid var(--_accent); padding: .3rem .6rem; }
.status.tone-ok { border-color: var(--_ok); }
.status.tone-problem { border-color: var(--_danger); }
.status.tone-warning { border-color: var(--sms-panel-warning, #b45309); }
.thread { margin: .4rem 0; padding: .4rem .6rem; border: 1px solid var(--_rule); border-radius: var(--_radius); }
.thread h3 { margin: 0 0 .3rem; font-size: 1em; }
.thread .lines { list-style: none; margin: 0; padding: 0; max-height: 16rem; overflow-y: auto; }
.thread .line { margin: .3rem 0; max-width: 85%; font-size: .92em; }
.thread .line.out { margin-left: auto; text-align: right; }
.thread .who, .thread time { color: var(--_muted); font-size: .85em; }
.thread .bubble { margin: .1rem 0 0; padding: .3rem .5rem; border-radius: var(--_radius); background: var(--_subtle); white-space: pre-wrap; overflow-wrap: anywhere; text-align: left; }
.thread .line.out .bubble { background: transparent; border: 1px solid var(--_rule); }
.thread .line-status { color: var(--_muted); font-size: .85em; }
.thread .line-status.failed, .thread .line-status.undelivered { color: var(--_danger); }
.thread .unread { color: var(--_accent); font-weight: 600; margin: 0 0 .3rem; }
`;

// emoji-picker-element switches to dark by itself; under reduced motion it still fades its
// category indicator. This sheet, adopted into the picker's open shadow root, stops that too.
const PICKER_CSS = `
@media (prefers-reduced-motion: reduce) {
  *, *::before, *::after { transition: none !important; animation: none !important; }
}
`;

const sheets = new Map();

function shared(css) {
  if (!sheets.has(css)) {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    sheets.set(css, sheet);
  }
  return sheets.get(css);
}

/** The shared stylesheet (one per page, adopted by every panel). */
export function panelStyles() {
  return shared(CSS);
}

/** What the panel adds to the emoji picker's own styles (one per page). */
export function pickerStyles() {
  return shared(PICKER_CSS);
}

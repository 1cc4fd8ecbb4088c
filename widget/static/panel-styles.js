// The panel's styles, adopted into its shadow root as a constructed stylesheet: no inline
// <style> the host's Content-Security-Policy would have to allow. Hosts theme the panel with
// the --sms-panel-* custom properties (they cross the shadow boundary) and ::part().

const CSS = `
:host {
  --_accent: var(--sms-panel-accent, #1d4ed8);
  --_accent-fg: var(--sms-panel-accent-contrast, #ffffff);
  --_bg: var(--sms-panel-background, #ffffff);
  --_fg: var(--sms-panel-foreground, #1f2937);
  --_muted: var(--sms-panel-muted, #4b5563);
  --_border: var(--sms-panel-border, #6b7280);
  --_danger: var(--sms-panel-danger, #b91c1c);
  --_ok: var(--sms-panel-success, #166534);
  --_mark: var(--sms-panel-highlight, #fde68a);
  --_radius: var(--sms-panel-radius, 6px);
  --_focus: var(--sms-panel-focus, #2563eb);
  display: block;
  font: var(--sms-panel-font, 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif);
  color: var(--_fg);
  background: var(--_bg);
  contain: content;
}
:host([hidden]) { display: none; }
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
button:disabled { cursor: not-allowed; color: #6b7280; background: #e5e7eb; border-color: #9ca3af; }
button.primary { background: var(--_accent); color: var(--_accent-fg); border-color: var(--_accent); }
button.primary:disabled { color: #4b5563; background: #d1d5db; border-color: #9ca3af; }
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
.backdrop mark { color: transparent; background: var(--_mark); border-radius: 2px; box-shadow: 0 0 0 1px #b45309; }
.toolbar { display: flex; align-items: center; gap: .4rem; margin-top: .35rem; flex-wrap: wrap; }
.toolbar .spacer { flex: 1; }
.counter { font-variant-numeric: tabular-nums; font-weight: 600; }
.counter.over { color: var(--_danger); }
.cost { color: var(--_muted); font-size: .92em; }
.forcing { margin: .35rem 0 0; font-size: .92em; }
.forcing mark { background: var(--_mark); padding: 0 .15rem; }
.preview ol { margin: .3rem 0; padding-left: 1.3rem; }
.preview li { margin-bottom: .35rem; }
.preview pre { margin: .15rem 0 0; white-space: pre-wrap; overflow-wrap: anywhere; font: inherit; background: #f3f4f6; padding: .25rem .4rem; border-radius: var(--_radius); }
.actions { display: flex; gap: .4rem; margin-top: .6rem; flex-wrap: wrap; }
.actions .spacer { flex: 1; }
.picker { position: relative; }
.picker emoji-picker { --num-columns: 8; width: 100%; height: 18rem; margin-top: .35rem; }
ul.drafts { list-style: none; padding: 0; margin: 0; }
ul.drafts li { display: flex; gap: .5rem; align-items: center; padding: .35rem 0; border-top: 1px solid #e5e7eb; }
ul.drafts li .summary { flex: 1; min-width: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.status { border-left: 4px solid var(--_accent); padding: .3rem .6rem; }
.status.tone-ok { border-color: var(--_ok); }
.status.tone-problem { border-color: var(--_danger); }
.status.tone-warning { border-color: var(--sms-panel-warning, #b45309); }
`;

let sheet = null;

/** The shared stylesheet (one per page, adopted by every panel). */
export function panelStyles() {
  if (sheet === null) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
  }
  return sheet;
}

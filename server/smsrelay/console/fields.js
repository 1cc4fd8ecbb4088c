// Form controls bound to a setting by its name as the relay names it (`templates[0].text`), so
// an error the relay names can be shown next to the control that holds it. Built without
// innerHTML: settings are shown as text, never as markup.

import { fill, h } from "/widget/dom.js";

let ids = 0;

/** A fresh id for a control and the help and error paragraphs that describe it. */
export function nextId(prefix = "f") {
  ids += 1;
  return `${prefix}${ids}`;
}

/**
 * A labelled input (or textarea) for `field`. `oninput(value)` runs on every change.
 * Returns {node, control, help}.
 */
export function textField({ label, field, value, oninput, multiline = false, help = null, testid = null, attrs = {} }) {
  const id = nextId();
  const control = h(multiline ? "textarea" : "input", {
    id,
    "data-field": field,
    "data-testid": testid,
    "aria-describedby": `${id}-help ${id}-error`,
    ...attrs,
  });
  control.value = value ?? "";
  control.addEventListener("input", () => oninput(control.value));
  const helpNode = h("p", { id: `${id}-help`, class: "help" }, help ?? "");
  const node = h("div", { class: "field" }, h("label", { for: id }, label), control, helpNode, errorNode(id));
  return { node, control, help: helpNode };
}

/** A checkbox for a boolean setting. */
export function checkField({ label, field, checked, onchange, testid = null }) {
  const id = nextId();
  const control = h("input", { id, type: "checkbox", "data-field": field, "data-testid": testid, "aria-describedby": `${id}-error` });
  control.checked = Boolean(checked);
  control.addEventListener("change", () => onchange(control.checked));
  return { node: h("div", { class: "field check" }, control, h("label", { for: id }, label), errorNode(id)), control };
}

/** A fieldset for a group of settings (a queue's senders), able to show an error itself. */
export function group({ legend, field, children, testid = null, className = "group" }) {
  const id = nextId("g");
  return h(
    "fieldset",
    { id, class: className, "data-field": field, "data-testid": testid, "aria-describedby": `${id}-error` },
    h("legend", {}, legend),
    ...children,
    errorNode(id),
  );
}

function errorNode(id) {
  return h("p", { id: `${id}-error`, class: "error", hidden: true });
}

// "queues[0].senders[1]" → "queues[0].senders" → "queues[0]" → "queues"
const LAST_STEP = /(\.[^.[\]]+|\[[^\]]*\])$/;

/** The control for `field`, or for the nearest setting that contains it. */
export function controlFor(root, field) {
  for (let name = field ?? ""; name; name = name.replace(LAST_STEP, "")) {
    const found = root.querySelector(`[data-field="${CSS.escape(name)}"]`);
    if (found) return found;
    if (!LAST_STEP.test(name)) break;
  }
  return null;
}

/** Shows `message` next to `control` (null clears it) and marks the control invalid. */
export function setError(control, message) {
  const error = document.getElementById(`${control.id}-error`);
  if (message) {
    control.setAttribute("aria-invalid", "true");
  } else {
    control.removeAttribute("aria-invalid");
  }
  if (error) {
    fill(error, message ?? "");
    error.hidden = !message;
  }
}

/** Clears every error the relay reported under `root` (the live checks set their own). */
export function clearErrors(root) {
  for (const control of root.querySelectorAll("[data-relay-error]")) {
    control.removeAttribute("data-relay-error");
    setError(control, null);
  }
}

/** Shows the relay's error next to the control of `field`; returns that control, or null. */
export function showRelayError(root, field, message) {
  const control = controlFor(root, field);
  if (!control) return null;
  control.setAttribute("data-relay-error", "");
  setError(control, message);
  return control;
}

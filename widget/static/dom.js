// Building the panel's DOM without innerHTML: every text the panel shows, templates and
// customer data included, goes in as a text node, never as markup (and hosts that enforce
// Trusted Types need no policy for us).

/** h("button", {class: "primary", "data-testid": "send-button"}, "Send") */
export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith("on") && typeof value === "function") {
      node.addEventListener(name.slice(2), value);
    } else {
      node.setAttribute(name, value === true ? "" : String(value));
    }
  }
  node.append(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
  return node;
}

/** Replaces the children of `node` with `children` (nodes or strings, as text). */
export function fill(node, ...children) {
  node.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
}

/** Sets an element's options from [{value, label}] only when they changed, keeping focus. */
export function setOptions(select, options, selected, placeholder) {
  const key = JSON.stringify([options, placeholder ?? null]);
  if (select.dataset.options !== key) {
    select.dataset.options = key;
    const nodes = options.map((o) => h("option", { value: o.value }, o.label));
    if (placeholder) nodes.unshift(h("option", { value: "", disabled: true }, placeholder));
    fill(select, nodes);
  }
  select.value = selected ?? "";
}

export function show(node, visible) {
  node.hidden = !visible;
}

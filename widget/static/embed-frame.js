// Inside the relay's /embed page (the iframe mode): relays between the host page and the
// <sms-panel> in this frame. Only messages from the parent window with the one origin the relay
// validated are taken; everything goes back to that origin only. Attributes in, method calls
// in, the panel's events out — nothing else crosses.

import "./sms-panel.js";

const hostOrigin = document.querySelector('meta[name="sms-panel-host-origin"]').content;
const panel = document.querySelector("sms-panel");
const ATTRIBUTES = new Set(["token", "lang", "interaction-id", "interaction-type", "customer", "to"]);
const METHODS = new Set(["open", "prefill", "resumeDraft"]);
const EVENTS = ["sms-ready", "sms-sent", "sms-parked", "sms-status", "sms-error", "sms-resume-interaction"];

function post(message) {
  window.parent.postMessage({ smsPanel: 1, ...message }, hostOrigin);
}

window.addEventListener("message", async (event) => {
  if (event.source !== window.parent || event.origin !== hostOrigin) return;
  const data = event.data;
  if (!data || data.smsPanel !== 1) return;
  if (data.type === "attributes" && data.attributes && typeof data.attributes === "object") {
    for (const [name, value] of Object.entries(data.attributes)) {
      if (!ATTRIBUTES.has(name)) continue;
      if (value === null || value === undefined) panel.removeAttribute(name);
      else panel.setAttribute(name, String(value));
    }
  } else if (data.type === "call" && METHODS.has(data.method)) {
    try {
      const value = await panel[data.method](...(Array.isArray(data.args) ? data.args : []));
      post({ type: "result", id: data.id, value: value ?? null });
    } catch (error) {
      post({ type: "result", id: data.id, error: String(error?.message ?? error) });
    }
  }
});

for (const name of EVENTS) {
  panel.addEventListener(name, (event) => post({ type: "event", name, detail: event.detail }));
}
// Tell the host its frame is listening, so it can send the token.
post({ type: "hello" });
new ResizeObserver(() => post({ type: "resize", height: document.documentElement.scrollHeight })).observe(document.body);

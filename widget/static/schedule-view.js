// The DOM side of sending later: the send-at field, the core's verdict above Send (now,
// scheduled, held by the customer's quiet hours, refused — with the agent's and the customer's
// time) and the list of scheduled messages with their Cancel buttons. Everything shown is the
// core's words; nothing is decided here.

import { fill, h, show } from "./dom.js";

/** The send-at field and the verdict. `writeBack`: the core's value goes into the field. */
export function renderTiming(els, view, writeBack) {
  if (writeBack || document.activeElement !== els.sendAt) {
    if (els.sendAt.value !== view.send_at) els.sendAt.value = view.send_at;
  }
  show(els.sendAtClear, Boolean(view.send_at));
  const timing = view.timing;
  show(els.timing, Boolean(timing));
  if (!timing) return;
  els.timing.className = `status timing tone-${timing.tone}`;
  els.timing.dataset.verdict = timing.verdict;
  els.sendAt.setAttribute("aria-invalid", String(timing.verdict === "invalid"));
  fill(
    els.timing,
    h("p", { "data-testid": "send-timing-text" }, timing.text),
    timing.agent_time ? h("p", { class: "hint", "data-testid": "send-timing-agent" }, timing.agent_time) : null,
    timing.customer_time ? h("p", { class: "hint", "data-testid": "send-timing-customer" }, timing.customer_time) : null,
  );
}

/** The scheduled messages, the next to go out first, each with its Cancel button. */
export function renderScheduled(els, scheduled, cancel) {
  show(els.scheduled, scheduled.items.length > 0);
  fill(els.scheduledHeading, scheduled.heading);
  fill(
    els.scheduledList,
    scheduled.items.map((item) =>
      h(
        "li",
        { "data-testid": "scheduled-item", "data-message-id": item.id },
        h("span", { class: "summary", title: item.text }, item.summary, item.held ? ` (${item.held})` : ""),
        h(
          "button",
          { type: "button", "data-testid": "scheduled-cancel", "aria-label": item.cancel_label, onclick: () => cancel(item.id) },
          item.cancel,
        ),
      ),
    ),
  );
}

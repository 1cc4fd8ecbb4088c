// The DOM of the conversation under To: the core's worded thread (conversation_view), oldest at
// the top and the newest at the bottom, each of our messages with its status; times in the
// panel's language (Intl). "Reply" puts the focus into the text field: the agent answers with
// the panel itself, to the number and from the address the thread is with.

import { fill, h } from "./dom.js";

/**
 * @param section the thread's element (panel-elements.js)
 * @param thread the core's thread view, {failed} when it could not be loaded, or null for none
 * @param lang the panel's language
 * @param on {older(), reply()}
 */
export function renderThread(section, thread, lang, on) {
  section.hidden = !thread;
  if (!thread) {
    section.replaceChildren();
    return;
  }
  if (thread.failed) {
    section.replaceChildren(h("p", { class: "hint", "data-testid": "thread-failed" }, thread.failed));
    return;
  }
  const time = new Intl.DateTimeFormat(lang, { dateStyle: "short", timeStyle: "short" });
  const lines = thread.items.map((item) =>
    h(
      "li",
      { class: `line ${item.direction}`, "data-testid": "thread-item", "data-direction": item.direction },
      h("span", { class: "who" }, item.who),
      " ",
      h("time", { datetime: new Date(item.at).toISOString() }, time.format(new Date(item.at))),
      h("p", { class: "bubble" }, item.text),
      item.status_label ? h("span", { class: `line-status ${item.status}`, "data-testid": "thread-status" }, item.status_label) : null,
    ),
  );
  const list = h("ol", { class: "lines", "data-testid": "thread-items" }, ...lines);
  fill(
    section,
    h("h3", { "data-testid": "thread-heading" }, thread.heading),
    thread.unread ? h("p", { class: "unread", "data-testid": "thread-unread" }, thread.unread) : null,
    thread.older ? h("button", { type: "button", "data-testid": "thread-older", onclick: on.older }, thread.older) : null,
    thread.empty ? h("p", { class: "hint", "data-testid": "thread-empty" }, thread.empty) : list,
    h("button", { type: "button", "data-testid": "thread-reply", onclick: on.reply }, thread.reply),
  );
  list.lastElementChild?.scrollIntoView?.({ block: "nearest" });
}

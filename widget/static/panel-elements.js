// The panel's shadow tree: every element, its data-testid (the selector contract QA teams rely
// on, widget/testing/sms-panel-page.js), its ARIA wiring and which catalog label it carries.
// Input goes to `ui` (the PanelView): it forwards the agent's actions and opens the dial pad,
// the emoji picker and the segment preview. Nothing here decides what is shown.

import { h } from "./dom.js";
import { t } from "./i18n.js";
import { buildDialpad } from "./dialpad.js";

/**
 * Builds the panel into `root`. Ids are prefixed with `pid`, unique on the page. Returns the
 * elements by name and the labelled nodes ({catalog key: [[node, attribute?]]}) for
 * applyLabels().
 */
export function buildPanel(root, pid, ui) {
  const id = (name) => `${pid}-${name}`;
  const els = {};
  const labels = {};
  const label = (key, node, attr) => {
    (labels[key] ??= []).push([node, attr]);
    return node;
  };
  const act = (action) => ui.act(action, { writeBack: true });

  els.boot = h("p", { class: "hint", "data-testid": "boot", role: "status" });
  label("loading", els.boot);
  els.error = h("div", { class: "error", role: "alert", "data-testid": "error", hidden: true });
  els.notice = h("p", { class: "notice", role: "status", "aria-live": "polite", "data-testid": "notice" });

  els.smsButton = label(
    "smsButton",
    h("button", {
      type: "button",
      class: "primary",
      part: "sms-button",
      "data-testid": "sms-button",
      "aria-describedby": id("sms-hint"),
      "aria-controls": id("compose"),
      onclick: () => act({ do: "open" }).then(() => ui.focusFirst()),
      // (open again while open: nothing changes but focus goes to the first step left)
    }),
  );
  label("smsButtonTitle", els.smsButton, "title");
  els.smsHint = h("p", { class: "hint", id: id("sms-hint"), "data-testid": "sms-hint", hidden: true });
  els.contact = h(
    "section",
    { "data-testid": "contact-options", hidden: true },
    label("contactOptions", h("h2", { id: id("contact") })),
    els.smsButton,
    els.smsHint,
  );
  els.contact.setAttribute("aria-labelledby", id("contact"));

  els.queue = h("select", {
    id: id("queue"),
    "data-testid": "queue-select",
    // Focus stays: keyboard users browse the options with the arrow keys, each a change.
    onchange: (ev) => act({ do: "queue", value: ev.target.value }),
  });
  els.selection = h(
    "section",
    { "data-testid": "selection", hidden: true },
    label("activeSelection", h("h2", {})),
    label("queue", h("label", { for: id("queue") })),
    els.queue,
  );

  els.template = h("select", {
    id: id("template"),
    "data-testid": "template-select",
    onchange: (ev) => act({ do: "template", value: ev.target.value }),
  });
  els.confirmText = h("p", { id: id("confirm-text") });
  els.confirm = h(
    "div",
    { class: "confirm", role: "group", "aria-labelledby": id("confirm-text"), "data-testid": "template-confirm", hidden: true },
    els.confirmText,
    h(
      "div",
      { class: "row" },
      label(
        "replaceText",
        h("button", {
          type: "button",
          "data-testid": "template-confirm-replace",
          onclick: () => act({ do: "confirm_template" }).then(() => els.text.focus()),
        }),
      ),
      label(
        "keepText",
        h("button", {
          type: "button",
          "data-testid": "template-confirm-keep",
          onclick: () => act({ do: "cancel_template" }).then(() => els.template.focus()),
        }),
      ),
    ),
  );
  els.templateRow = h("div", {}, label("template", h("label", { for: id("template") })), els.template, els.confirm);

  els.to = h("input", {
    id: id("to"),
    type: "tel",
    inputmode: "tel",
    autocomplete: "off",
    required: true,
    "aria-required": "true",
    "aria-describedby": id("to-hint"),
    "data-testid": "to-input",
    oninput: (ev) => ui.act({ do: "to", value: ev.target.value }),
  });
  label("toPlaceholder", els.to, "placeholder");
  els.dialpadButton = h(
    "button",
    {
      type: "button",
      class: "icon",
      "data-testid": "dialpad-button",
      "aria-expanded": "false",
      "aria-controls": id("dialpad"),
      onclick: () => ui.toggleDialpad(),
    },
    "⌨",
  );
  label("dialpadOpen", els.dialpadButton, "aria-label");
  label("dialpadOpen", els.dialpadButton, "title");
  els.dialpad = buildDialpad(id("dialpad"), label, {
    press: (key) => ui.press(key),
    close: () => ui.toggleDialpad(false),
  });
  els.toHint = h("p", { id: id("to-hint"), class: "hint", "data-testid": "to-hint", "aria-live": "polite" });
  // The conversation with the customer in To, right below the compose form and still there after
  // Send (thread-view.js renders the core's words into it).
  els.thread = h("section", { class: "thread", "data-testid": "thread", "aria-live": "polite", hidden: true });

  els.from = h("select", {
    id: id("from"),
    "data-testid": "from-select",
    onchange: (ev) => act({ do: "sender", value: ev.target.value }),
  });
  els.fromRow = h("div", {}, label("from", h("label", { for: id("from") })), els.from);

  els.backdrop = h("div", { class: "backdrop", "aria-hidden": "true" });
  els.text = h("textarea", {
    id: id("text"),
    rows: 6,
    "aria-describedby": id("counter"),
    "data-testid": "text-input",
    oninput: (ev) => ui.act({ do: "text", value: ev.target.value }),
    onscroll: () => {
      els.backdrop.scrollTop = els.text.scrollTop;
    },
  });
  els.emojiButton = h(
    "button",
    {
      type: "button",
      class: "icon",
      "data-testid": "emoji-button",
      "aria-expanded": "false",
      "aria-controls": id("picker"),
      onclick: () => ui.toggleEmoji(),
    },
    "☺",
  );
  label("emoji", els.emojiButton, "aria-label");
  label("emoji", els.emojiButton, "title");
  els.picker = h("div", {
    id: id("picker"),
    class: "picker",
    hidden: true,
    "data-testid": "emoji-picker",
    onkeydown: (ev) => {
      if (ev.key === "Escape") {
        ev.stopPropagation();
        ui.toggleEmoji(false);
      }
    },
  });
  els.previewButton = h("button", {
    type: "button",
    "data-testid": "preview-button",
    "aria-expanded": "false",
    "aria-controls": id("preview"),
    onclick: () => ui.togglePreview(),
  });
  label("preview", els.previewButton);
  els.counter = h("output", { id: id("counter"), class: "counter", part: "counter", "data-testid": "counter", "aria-live": "off" });
  label("counterLabel", els.counter, "aria-label");
  els.cost = h("span", { class: "cost", "data-testid": "cost" });
  els.announce = h("div", { class: "sr-only", "aria-live": "polite", "data-testid": "counter-announcement" });
  els.forcingText = h("span", {});
  els.suggest = h("button", {
    type: "button",
    "data-testid": "suggestion-apply",
    onclick: () => act({ do: "apply_suggestion" }).then(() => els.text.focus()),
  });
  els.forcing = h("div", { class: "forcing", "data-testid": "forcing", hidden: true }, h("p", {}, els.forcingText));
  els.previewList = h("ol", {});
  els.preview = h(
    "div",
    { id: id("preview"), class: "preview", "data-testid": "segment-preview", hidden: true },
    label("previewTitle", h("h3", {})),
    els.previewList,
  );
  els.problems = h("ul", { class: "problem", "data-testid": "problems", hidden: true });

  els.send = h("button", { type: "submit", class: "primary", part: "send-button", "data-testid": "send-button", hidden: true });
  label("send", els.send);
  els.park = label("park", h("button", { type: "button", "data-testid": "park-button", onclick: () => ui.commands.park() }));
  els.deleteDraft = label(
    "deleteDraft",
    h("button", { type: "button", "data-testid": "draft-delete", hidden: true, onclick: () => ui.commands.deleteDraft() }),
  );
  els.close = label(
    "cancel",
    h("button", {
      type: "button",
      "data-testid": "close-button",
      onclick: () => act({ do: "close" }).then(() => els.smsButton.focus()),
    }),
  );

  els.compose = h(
    "form",
    {
      id: id("compose"),
      "data-testid": "compose",
      hidden: true,
      novalidate: true,
      onsubmit: (ev) => {
        ev.preventDefault();
        ui.commands.send();
      },
    },
    label("outbound", h("h2", {})),
    els.templateRow,
    label("to", h("label", { for: id("to") })),
    h("div", { class: "row" }, els.to, els.dialpadButton),
    els.dialpad,
    els.toHint,
    els.fromRow,
    label("text", h("label", { for: id("text") })),
    h("div", { class: "editor" }, els.backdrop, els.text),
    els.forcing,
    els.suggest,
    h("div", { class: "toolbar" }, els.emojiButton, els.previewButton, h("span", { class: "spacer" }), els.cost, els.counter),
    els.picker,
    els.announce,
    els.preview,
    els.problems,
    h("div", { class: "actions" }, els.park, els.deleteDraft, els.close, h("span", { class: "spacer" }), els.send),
  );
  els.suggest.hidden = true;

  els.status = h("section", { class: "status", role: "status", "data-testid": "status", hidden: true });
  els.drafts = h("ul", { class: "drafts", "data-testid": "drafts" });
  const inbox = h("section", { "data-testid": "inbox" }, label("drafts", h("h2", {})), els.drafts);

  root.append(
    h("div", { class: "panel", part: "panel" }, els.boot, els.error, els.contact, els.selection, els.compose, els.thread, els.status, els.notice, inbox),
  );
  return { els, labels };
}

/** Puts the catalog's words for `lang` on every labelled node. */
export function applyLabels(els, labels, lang) {
  for (const [key, nodes] of Object.entries(labels)) {
    for (const [node, attr] of nodes) {
      if (attr) node.setAttribute(attr, t(lang, key));
      else node.textContent = t(lang, key);
    }
  }
  els.compose.closest(".panel")?.setAttribute("lang", lang);
}

// The settings an administrator edits besides templates: SMS on or off and the maximum of
// segments, the sender addresses (each checked by the compose core as it is typed, the check
// the relay makes on save) and the queues with their senders. Edits change the draft, a plain
// copy of the tenant's settings; keys the console does not show pass through unchanged.

import { CoreChannel, composeWorker } from "/widget/core-client.js";
import { fill, h } from "/widget/dom.js";
import { checkField, group, nextId, setError, textField } from "./fields.js";
import { lang, t } from "./i18n.js";
import { quietHoursField } from "./quiet-hours-form.js";

let channels = 0;

/** SMS on/off, the maximum of segments and the quiet hours. `changed(kind)`: "value" or
 * "limits". */
export function renderSms(container, draft, changed) {
  const enabled = checkField({
    label: t("smsEnabled"),
    field: "sms_enabled",
    checked: draft.sms_enabled ?? true,
    testid: "admin-sms-enabled",
    onchange: (value) => {
      draft.sms_enabled = value;
      changed("value");
    },
  });
  const limit = textField({
    label: t("maxSegments"),
    field: "max_segments",
    value: String(draft.max_segments ?? 10),
    testid: "admin-max-segments",
    attrs: { type: "number", min: "1", max: "255", inputmode: "numeric" },
    oninput: (value) => {
      const number = Number(value);
      // What the admin typed is what is saved: the relay names it if it is not a number.
      draft.max_segments = value.trim() !== "" && Number.isInteger(number) ? number : value;
      changed("limits");
    },
  });
  fill(container, enabled.node, limit.node, quietHoursField(draft, changed));
}

/** The sender addresses. `changed("senders")`: queues and previews follow an edit;
 * `changed("sender-list")`: a sender was added or removed. */
export function renderSenders(container, draft, changed) {
  draft.senders ??= [];
  const rows = draft.senders.map((sender, i) => senderRow(draft, sender, i, changed));
  const add = h(
    "button",
    {
      type: "button",
      "data-testid": "admin-add-sender",
      onclick: () => {
        draft.senders.push({ address: "" });
        changed("sender-list", () => container.querySelector(`[data-field="senders[${draft.senders.length - 1}].address"]`));
      },
    },
    t("addSender"),
  );
  fill(container, rows.length ? h("ul", { class: "rows" }, rows) : h("p", { class: "muted" }, t("noSenders")), add);
}

function senderRow(draft, sender, i, changed) {
  const channel = new CoreChannel(composeWorker(), `admin-sender-${++channels}`);
  const address = textField({
    label: t("senderAddress"),
    field: `senders[${i}].address`,
    value: sender.address,
    testid: "admin-sender-address",
    oninput: (value) => {
      const before = sender.address;
      sender.address = value;
      for (const queue of draft.queues ?? []) {
        queue.senders = (queue.senders ?? []).map((s) => (s === before ? value : s));
      }
      check();
      changed("senders");
    },
  });
  const control = address.control;
  control.setAttribute("aria-describedby", `${control.id}-help ${control.id}-error senders-help`);
  async function check() {
    const answer = await channel.act({ do: "check_sender", value: sender.address ?? "", lang: lang() });
    if (!answer || answer.bootError || answer.error) return; // superseded, or no core: the relay checks on save
    if (answer.problem) {
      fill(address.help, "");
      setError(control, answer.problem.message);
    } else {
      setError(control, null);
      fill(address.help, t("senderValid", { kind: t(`kind_${answer.sender.kind}`), value: answer.sender.value }));
    }
  }
  if (sender.address) check();
  const label = textField({
    label: t("senderLabel"),
    field: `senders[${i}].label`,
    value: sender.label,
    oninput: (value) => {
      if (value) sender.label = value;
      else delete sender.label;
      changed("senders");
    },
  });
  const tables = [...(sender.locking ?? []), ...(sender.single ?? [])];
  const name = sender.label || sender.address || t("senderN", { n: i + 1 });
  const remove = h(
    "button",
    {
      type: "button",
      class: "remove",
      "aria-label": t("removeNamed", { name }),
      onclick: () => {
        draft.senders.splice(i, 1);
        for (const queue of draft.queues ?? []) queue.senders = (queue.senders ?? []).filter((s) => s !== sender.address);
        changed("sender-list", focusAdd(remove));
      },
    },
    t("remove"),
  );
  return h(
    "li",
    { class: "row", "data-testid": "admin-sender" },
    address.node,
    label.node,
    tables.length ? h("p", { class: "muted" }, t("senderTables", { tables: [...new Set(tables)].join(", ") })) : null,
    remove,
  );
}

/** After an item is removed, focus goes to its section's add button (found before it goes). */
export function focusAdd(node) {
  const section = node.closest("section");
  return () => section?.querySelector("button[data-testid^='admin-add']");
}

/** The queues: name, and which of the sender addresses each may send from. */
export function renderQueues(container, draft, changed) {
  draft.queues ??= [];
  const items = draft.queues.map((queue, i) => {
    const id = textField({
      label: t("queueId"),
      field: `queues[${i}].id`,
      value: queue.id,
      oninput: (value) => {
        queue.id = value;
        changed("value");
      },
    });
    const name = textField({
      label: t("queueName"),
      field: `queues[${i}].name`,
      value: queue.name,
      testid: "admin-queue-name",
      oninput: (value) => {
        queue.name = value;
        changed("value");
      },
    });
    queue.senders ??= [];
    const boxes = (draft.senders ?? [])
      .filter((s) => s.address)
      .map((sender) => {
        const boxId = nextId("q");
        const box = h("input", { id: boxId, type: "checkbox", "data-testid": "admin-queue-sender" });
        box.checked = queue.senders.includes(sender.address);
        box.addEventListener("change", () => {
          queue.senders = box.checked
            ? (draft.senders ?? []).map((s) => s.address).filter((a) => a === sender.address || queue.senders.includes(a))
            : queue.senders.filter((a) => a !== sender.address);
          changed("value");
        });
        const text = sender.label ? `${sender.address} (${sender.label})` : sender.address;
        return h("div", { class: "check" }, box, h("label", { for: boxId }, text));
      });
    const senders = group({ legend: t("queueSenders"), field: `queues[${i}].senders`, children: boxes.length ? boxes : [h("p", { class: "muted" }, t("noSenders"))] });
    const remove = h(
      "button",
      {
        type: "button",
        class: "remove",
        "aria-label": t("removeNamed", { name: t("queueN", { name: queue.name || queue.id || i + 1 }) }),
        onclick: () => {
          draft.queues.splice(i, 1);
          changed("queues", focusAdd(remove));
        },
      },
      t("remove"),
    );
    return group({
      legend: t("queueN", { name: queue.name || queue.id || i + 1 }),
      field: `queues[${i}]`,
      testid: "admin-queue",
      className: "item",
      children: [h("div", { class: "pair" }, id.node, name.node), senders, remove],
    });
  });
  const add = h(
    "button",
    {
      type: "button",
      "data-testid": "admin-add-queue",
      onclick: () => {
        draft.queues.push({ id: `queue-${draft.queues.length + 1}`, name: "", senders: [] });
        changed("queues", () => container.querySelector(`[data-field="queues[${draft.queues.length - 1}].name"]`));
      },
    },
    t("addQueue"),
  );
  fill(container, ...items, add);
}

// The tenant's quiet hours: when customers are not texted, in their own local time (the zone
// comes from each customer's number), and what happens to a message then — held until they
// end, or refused. Edits change the draft's `quiet_hours` as typed; the relay checks them on
// save and names the key of a mistake (quiet_hours.from, quiet_hours.days[0], …), shown next
// to its control.

import { h } from "/widget/dom.js";
import { checkField, group, nextId, textField } from "./fields.js";
import { t } from "./i18n.js";

const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const DEFAULTS = { from: "20:00", until: "08:00", mode: "hold" };

/** The quiet hours' fieldset. `changed("value")` after every edit. */
export function quietHoursField(draft, changed) {
  const details = h("div", { class: "quiet", hidden: !draft.quiet_hours });
  const hours = () => draft.quiet_hours ?? {};
  const on = checkField({
    label: t("quietOn"),
    field: "quiet_hours",
    checked: Boolean(draft.quiet_hours),
    testid: "admin-quiet-on",
    onchange: (value) => {
      if (value) draft.quiet_hours = { ...DEFAULTS, ...(draft.quiet_hours ?? {}) };
      else delete draft.quiet_hours;
      details.hidden = !value;
      sync();
      changed("value");
    },
  });
  const time = (name, label) =>
    textField({
      label,
      field: `quiet_hours.${name}`,
      value: hours()[name],
      testid: `admin-quiet-${name}`,
      attrs: { type: "time" },
      oninput: (value) => {
        if (value) hours()[name] = value;
        else delete hours()[name];
        changed("value");
      },
    });
  const from = time("from", t("quietFrom"));
  const until = time("until", t("quietUntil"));
  const days = DAYS.map((day) => {
    const id = nextId("d");
    const box = h("input", { id, type: "checkbox", "data-testid": `admin-quiet-day-${day}` });
    box.addEventListener("change", () => {
      const chosen = DAYS.filter((d) => (d === day ? box.checked : (hours().days ?? []).includes(d)));
      if (chosen.length) hours().days = chosen;
      else delete hours().days;
      changed("value");
    });
    return { day, box, node: h("div", { class: "check" }, box, h("label", { for: id }, t(`day_${day}`))) };
  });
  const modeId = nextId();
  const mode = h(
    "select",
    { id: modeId, "data-field": "quiet_hours.mode", "data-testid": "admin-quiet-mode", "aria-describedby": `${modeId}-error` },
    h("option", { value: "hold" }, t("quietHold")),
    h("option", { value: "refuse" }, t("quietRefuse")),
  );
  mode.addEventListener("change", () => {
    hours().mode = mode.value;
    changed("value");
  });
  function sync() {
    from.control.value = hours().from ?? "";
    until.control.value = hours().until ?? "";
    for (const { day, box } of days) box.checked = (hours().days ?? []).includes(day);
    mode.value = hours().mode ?? "hold";
  }
  sync();
  details.append(
    h("div", { class: "pair" }, from.node, until.node),
    group({ legend: t("quietDays"), field: "quiet_hours.days", children: days.map((d) => d.node) }),
    h("div", { class: "field" }, h("label", { for: modeId }, t("quietMode")), mode, h("p", { id: `${modeId}-error`, class: "error", hidden: true })),
  );
  return group({
    legend: t("quietTitle"),
    field: "quiet_hours",
    testid: "admin-quiet-hours",
    children: [h("p", { class: "help" }, t("quietHelp")), on.node, details],
  });
}

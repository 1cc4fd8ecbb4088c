// The templates: id, name and text, each with its live preview (template-preview.js) and the
// sample and longest values per placeholder the preview counts with. The placeholders are the
// ones the core found in the text; the values are for the preview only and stay in this
// browser (localStorage, per tenant and template), never in the tenant's settings.

import { fill, h, setOptions } from "/widget/dom.js";
import { group, nextId, textField } from "./fields.js";
import { t } from "./i18n.js";
import { focusAdd } from "./settings-form.js";
import { spoken, TemplatePreview } from "./template-preview.js";

/** Sample and longest values per template, kept in localStorage for `tenant`. */
export class PreviewValues {
  constructor(tenant) {
    this.key = `sms-panel-admin-values:${tenant}`;
    try {
      this.all = JSON.parse(localStorage.getItem(this.key) ?? "{}") ?? {};
    } catch {
      this.all = {};
    }
  }

  of(templateId) {
    this.all[templateId] ??= { samples: {}, longest: {} };
    return this.all[templateId];
  }

  persist() {
    try {
      localStorage.setItem(this.key, JSON.stringify(this.all));
    } catch {
      // storage full or refused: the values live as long as the page
    }
  }
}

/**
 * Renders every template's editor into `container`. Returns {refresh(), senders()}: refresh
 * re-counts every preview (the maximum changed), senders() follows edited sender addresses.
 */
export function renderTemplates(container, draft, { changed, values, announcer }) {
  draft.templates ??= [];
  const editors = draft.templates.map((template, i) => editor(template, i, draft, { changed, values, announcer }));
  const add = h(
    "button",
    {
      type: "button",
      "data-testid": "admin-add-template",
      onclick: () => {
        const n = draft.templates.length + 1;
        draft.templates.push({ id: `template-${n}`, name: "", text: "" });
        changed("templates", () => container.querySelector(`[data-field="templates[${n - 1}].name"]`));
      },
    },
    t("addTemplate"),
  );
  fill(container, ...editors.map((e) => e.node), add);
  return {
    refresh: () => editors.forEach((e) => e.update()),
    senders: () => editors.forEach((e) => e.senders()),
  };
}

function editor(template, i, draft, { changed, values, announcer }) {
  const mine = values.of(template.id);
  let chosenSender = "";
  let names = null;
  let typing = false;
  const previewNode = h("div", { class: "preview", "data-testid": "admin-template-preview" });
  const valuesNode = h("div", { class: "values" });
  const preview = new TemplatePreview(previewNode);

  const id = textField({
    label: t("templateId"),
    field: `templates[${i}].id`,
    value: template.id,
    oninput: (value) => {
      template.id = value;
      changed("value");
    },
  });
  const name = textField({
    label: t("templateName"),
    field: `templates[${i}].name`,
    value: template.name,
    testid: "admin-template-name",
    oninput: (value) => {
      template.name = value;
      changed("value");
    },
  });
  const text = textField({
    label: t("templateText"),
    field: `templates[${i}].text`,
    value: template.text,
    multiline: true,
    help: t("templateHelp"),
    testid: "admin-template-text",
    attrs: { rows: "4", maxlength: "5000" },
    oninput: (value) => {
      template.text = value;
      typing = true;
      changed("value");
      update();
    },
  });

  const senderId = nextId("s");
  const senderSelect = h("select", { id: senderId, "data-testid": "admin-preview-sender" });
  senderSelect.addEventListener("change", () => {
    chosenSender = senderSelect.value;
    update();
  });
  const senderField = h("div", { class: "field" }, h("label", { for: senderId }, t("previewSender")), senderSelect);

  function withTables() {
    return (draft.senders ?? []).filter((s) => (s.locking ?? []).length || (s.single ?? []).length);
  }

  function senders() {
    const choices = withTables();
    if (!choices.some((s) => s.address === chosenSender)) chosenSender = "";
    setOptions(
      senderSelect,
      [{ value: "", label: t("previewNoTables") }, ...choices.map((s) => ({ value: s.address, label: s.label ? `${s.address} (${s.label})` : s.address }))],
      chosenSender,
    );
    senderField.hidden = choices.length === 0;
  }

  async function update() {
    const sender = withTables().find((s) => s.address === chosenSender);
    const answer = await preview.update({
      text: template.text ?? "",
      samples: mine.samples,
      longest: mine.longest,
      tables: sender ? { locking: sender.locking ?? [], single: sender.single ?? [] } : null,
      maxSegments: draft.max_segments,
    });
    if (!answer?.preview) return;
    const found = answer.preview.placeholders;
    const key = JSON.stringify(found);
    if (key !== names) {
      names = key;
      renderValues(valuesNode, found, mine, () => {
        values.persist();
        typing = true;
        update();
      });
    }
    if (typing) announcer.schedule(spoken(answer));
  }

  senders();
  update();
  const remove = h(
    "button",
    {
      type: "button",
      class: "remove",
      "aria-label": t("removeNamed", { name: t("templateN", { name: template.name || template.id }) }),
      onclick: () => {
        draft.templates.splice(i, 1);
        changed("templates", focusAdd(remove));
      },
    },
    t("remove"),
  );
  const node = group({
    legend: t("templateN", { name: template.name || template.id }),
    field: `templates[${i}]`,
    testid: "admin-template",
    className: "item",
    children: [h("div", { class: "pair" }, id.node, name.node), text.node, senderField, valuesNode, previewNode, remove],
  });
  node.dataset.templateId = template.id;
  return { node, update, senders };
}

function renderValues(container, placeholders, mine, onchange) {
  if (!placeholders.length) {
    fill(container);
    return;
  }
  const input = (kind, name, label) => {
    const control = h("input", { "aria-label": label, "data-testid": `admin-${kind}-value`, "data-placeholder": name });
    const store = kind === "sample" ? mine.samples : mine.longest;
    control.value = store[name] ?? "";
    control.addEventListener("input", () => {
      if (control.value) store[name] = control.value;
      else delete store[name];
      onchange();
    });
    return control;
  };
  fill(
    container,
    h(
      "table",
      { class: "values" },
      h("caption", {}, t("placeholders")),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("placeholder")), h("th", { scope: "col" }, t("sampleValue")), h("th", { scope: "col" }, t("longestValue")))),
      h(
        "tbody",
        {},
        placeholders.map(({ name, default: fallback }) =>
          h(
            "tr",
            {},
            h("th", { scope: "row" }, h("code", {}, name), fallback !== null ? h("span", { class: "muted" }, " ", t("placeholderDefault", { value: fallback || "–" })) : null),
            h("td", {}, input("sample", name, t("sampleFor", { name }))),
            h("td", {}, input("longest", name, t("longestFor", { name }))),
          ),
        ),
      ),
    ),
  );
}

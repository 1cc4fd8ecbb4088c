// The audit log: every revision of the tenant's settings, newest first — who, when, why and
// what changed — with a button to go back to an earlier one (saved as the next revision).

import { fill, h } from "/widget/dom.js";
import { lang, t } from "./i18n.js";

const VALUE_LENGTH = 160;

export class AuditLog {
  /** `revert(revision)` goes back to a revision; `current()` is the revision in force. */
  constructor(list, more, { api, tenant, current, revert }) {
    this.list = list;
    this.more = more;
    this.api = api;
    this.tenant = tenant;
    this.current = current;
    this.revert = revert;
    this.items = [];
    this.next = null;
    more.onclick = () => this.load(this.next);
  }

  async load(before = null) {
    const page = await this.api.revisions(this.tenant, before);
    this.items = before ? [...this.items, ...page.items] : page.items;
    this.next = page.next;
    this.render();
  }

  render() {
    const current = this.current();
    const dates = new Intl.DateTimeFormat(lang(), { dateStyle: "medium", timeStyle: "short" });
    fill(
      this.list,
      this.items.map((item) =>
        h(
          "li",
          { "data-testid": "admin-audit-entry", "data-revision": item.revision },
          h(
            "p",
            { class: "audit-head" },
            h("strong", {}, t("auditEntry", { revision: item.revision, when: dates.format(new Date(item.created_at)), author: item.author })),
            item.revision === current ? h("span", { class: "badge" }, t("auditInForce")) : null,
          ),
          h("p", { class: item.comment ? "" : "muted" }, item.comment || t("auditNoComment")),
          changes(item.changes),
          item.revision === current
            ? null
            : h("button", { type: "button", "data-testid": "admin-revert", onclick: () => this.revert(item.revision) }, t("revert", { revision: item.revision })),
        ),
      ),
    );
    this.more.hidden = !this.next;
  }
}

// A few changes are listed; many (a tenant's first revision, an import) fold away.
const LISTED = 4;

function changes(list) {
  if (!list.length) return null;
  const items = h("ul", { class: "changes" }, list.map(change));
  return list.length <= LISTED ? items : h("details", {}, h("summary", {}, t("auditChanges", { n: list.length })), items);
}

function change({ path, before, after }) {
  if (before === null || before === undefined) return h("li", {}, h("code", {}, path), ` ${t("auditAdded")}: `, shown(after));
  if (after === null || after === undefined) return h("li", {}, h("code", {}, path), ` ${t("auditRemoved")}: `, shown(before));
  return h("li", {}, h("code", {}, path), ": ", h("del", {}, shown(before)), " → ", h("ins", {}, shown(after)));
}

function shown(value) {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text.length > VALUE_LENGTH ? `${text.slice(0, VALUE_LENGTH)}…` : text;
}

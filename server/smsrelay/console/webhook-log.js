// Webhooks: what the relay sent (or is still trying to send) to the company's CRM, newest
// first — when, which event, to which endpoint, how it stands, the last answer — and "send
// again" for a delivery, which the relay queues behind the conversation's other events.

import { fill, h } from "/widget/dom.js";
import { lang, t } from "./i18n.js";

export class WebhookLog {
  constructor(table, more, status, { api, tenant, filter }) {
    this.table = table;
    this.more = more;
    this.status = status;
    this.api = api;
    this.tenant = tenant;
    this.filter = filter;
    this.items = [];
    this.next = null;
    more.onclick = () => this.load(this.next);
  }

  async load(before = null) {
    const page = await this.api.deliveries(this.tenant, this.filter(), before);
    this.items = before ? [...this.items, ...page.items] : page.items;
    this.next = page.next;
    this.render();
  }

  async redeliver(item) {
    try {
      const again = await this.api.redeliver(this.tenant, item.id);
      fill(this.status, t("webhooksRedelivered", { event: item.event_id, id: again.id }));
      await this.load();
    } catch (error) {
      fill(this.status, error.message);
    }
  }

  render() {
    const dates = new Intl.DateTimeFormat(lang(), { dateStyle: "short", timeStyle: "medium" });
    const when = (ms) => (ms ? dates.format(new Date(ms)) : "");
    if (!this.items.length) {
      fill(this.table, h("p", { class: "muted", "data-testid": "admin-webhooks-empty" }, t("webhooksEmpty")));
      this.more.hidden = true;
      return;
    }
    const head = ["webhooksWhen", "webhooksEvent", "webhooksEndpoint", "webhooksState", "webhooksLast", "webhooksAction"];
    const rows = this.items.map((item) =>
      h(
        "tr",
        { "data-testid": "admin-webhook-delivery", "data-delivery": item.id, "data-state": item.state },
        h("td", {}, when(item.created_at)),
        h("td", {}, h("code", {}, item.type), h("br"), h("span", { class: "muted" }, item.event_id)),
        h("td", {}, item.endpoint),
        h("td", {}, stateText(item, when)),
        h("td", {}, lastAnswer(item, when)),
        h(
          "td",
          {},
          h(
            "button",
            {
              type: "button",
              "data-testid": "admin-webhook-redeliver",
              "aria-label": t("webhooksRedeliverFor", { event: item.event_id }),
              onclick: () => this.redeliver(item),
            },
            t("webhooksRedeliver"),
          ),
        ),
      ),
    );
    fill(
      this.table,
      h(
        "table",
        { class: "deliveries" },
        h("caption", {}, t("webhooksCaption")),
        h("thead", {}, h("tr", {}, head.map((key) => h("th", { scope: "col" }, t(key))))),
        h("tbody", {}, rows),
      ),
    );
    this.more.hidden = !this.next;
  }
}

function stateText(item, when) {
  const parts = [t(`webhookState_${item.state}`)];
  parts.push(t("webhooksAttempts", { n: item.attempts }));
  if (item.state === "pending" && item.attempts) parts.push(t("webhooksNext", { when: when(item.next_attempt_at) }));
  if (item.redelivery_of) parts.push(t("webhooksAgain", { id: item.redelivery_of }));
  return parts.join(" · ");
}

function lastAnswer(item, when) {
  if (!item.last_attempt_at) return "";
  const answer = item.last_status ? `HTTP ${item.last_status}` : item.last_error;
  return `${answer} (${when(item.last_attempt_at)})`;
}

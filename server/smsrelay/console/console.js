// The admin console (/admin): a company administrator's settings — SMS on/off, sender
// addresses, queues, templates with the compose core's live preview — saved as the next
// revision through the admin API, the audit log with revert, usage per day and queue, and the
// webhooks' delivery log with "send again".
//
// The token: `/admin#token=…` (what a CRM opens; a fragment never reaches a server or a log),
// `?token=…`, or the sign-in field. It is taken out of the address bar at once and kept in this
// tab's sessionStorage only, so a reload stays signed in and a new tab asks again.

import { composeWorker } from "/widget/core-client.js";
import { fill } from "/widget/dom.js";
import { AdminApi, AdminError } from "./admin-api.js";
import { AuditLog } from "./audit-log.js";
import { clearErrors, showRelayError } from "./fields.js";
import { applyTexts, initialLanguage, lang, setLanguage, t } from "./i18n.js";
import { renderQueues, renderSenders, renderSms } from "./settings-form.js";
import { PreviewValues, renderTemplates } from "./templates-form.js";
import { renderUsage } from "./usage-chart.js";
import { WebhookLog } from "./webhook-log.js";

// Python starts booting now, while the settings load: the preview is ready when they are.
composeWorker();

const TOKEN_KEY = "sms-panel-admin-token";
const ANNOUNCE_DELAY_MS = 1200;
const $ = (id) => document.getElementById(id);

const state = {
  api: null,
  tenant: null,
  loaded: null,
  draft: null,
  values: null,
  templates: null,
  audit: null,
  webhooks: null,
  report: null,
  csvUrl: null,
  saving: false,
};

/** The polite live region that says a template's verdict once typing pauses. */
const announcer = {
  timer: null,
  schedule(text) {
    clearTimeout(this.timer);
    if (text) this.timer = setTimeout(() => fill($("announcer"), text), ANNOUNCE_DELAY_MS);
  },
};

function status(text) {
  fill($("status"), text ?? "");
}

function saveStatus(text, kind = "", focus = false) {
  const node = $("save-status");
  node.className = `save-status ${kind}`;
  fill(node, text ?? "");
  if (focus) node.focus();
}

function dirty() {
  return Boolean(state.loaded) && JSON.stringify(state.draft) !== JSON.stringify(state.loaded.settings);
}

function updateDirty() {
  fill($("dirty"), dirty() ? t("unsaved") : "");
}

// -- rendering ---------------------------------------------------------------------------------

function changed(kind, focus) {
  if (kind === "sender-list") {
    renderSenders($("senders"), state.draft, changed);
    renderQueues($("queues"), state.draft, changed);
    state.templates.senders();
  } else if (kind === "senders") {
    renderQueues($("queues"), state.draft, changed);
    state.templates.senders();
  } else if (kind === "queues") {
    renderQueues($("queues"), state.draft, changed);
  } else if (kind === "templates") {
    renderTemplateEditors();
  } else if (kind === "limits") {
    state.templates.refresh();
  }
  updateDirty();
  if (focus) focus()?.focus();
}

function renderTemplateEditors() {
  state.templates = renderTemplates($("templates"), state.draft, { changed, values: state.values, announcer });
}

function renderAll() {
  fill($("tenant"), t("tenant", { tenant: state.tenant, revision: state.loaded.revision }));
  renderSms($("sms-fields"), state.draft, changed);
  renderSenders($("senders"), state.draft, changed);
  renderQueues($("queues"), state.draft, changed);
  renderTemplateEditors();
  updateDirty();
}

/** Takes `view` (the relay's tenant answer) as the revision the edits start from. */
function adopt(view) {
  state.loaded = view;
  state.draft = structuredClone(view.settings);
  renderAll();
}

// -- signing in --------------------------------------------------------------------------------

function tokenFromAddress() {
  const fragment = new URLSearchParams(location.hash.slice(1));
  const query = new URLSearchParams(location.search);
  const token = fragment.get("token") ?? query.get("token");
  if (token !== null) {
    query.delete("token");
    const rest = query.toString();
    history.replaceState(null, "", `${location.pathname}${rest ? `?${rest}` : ""}`);
  }
  return token;
}

function showSignin(message = "") {
  $("console").hidden = true;
  $("nav").hidden = true;
  $("signout").hidden = true;
  $("signin").hidden = false;
  fill($("signin-error"), message);
  status("");
  fill($("tenant"), "");
  $("token").focus();
}

async function signIn(token) {
  const api = new AdminApi(token, lang, () => t("networkError"));
  status(t("loading"));
  let found;
  try {
    const { items } = await api.tenants();
    const wanted = new URLSearchParams(location.search).get("tenant");
    found = items.find((item) => item.tenant === wanted) ?? items[0];
    if (!found) throw new AdminError(404, null);
  } catch (error) {
    sessionStorage.removeItem(TOKEN_KEY);
    showSignin(error.message);
    return;
  }
  sessionStorage.setItem(TOKEN_KEY, token);
  Object.assign(state, { api, tenant: found.tenant, values: new PreviewValues(found.tenant) });
  $("signin").hidden = true;
  $("console").hidden = false;
  $("nav").hidden = false;
  $("signout").hidden = false;
  adopt(found);
  status("");
  state.audit = new AuditLog($("audit"), $("audit-more"), {
    api,
    tenant: found.tenant,
    current: () => state.loaded.revision,
    revert,
  });
  state.webhooks = new WebhookLog($("webhooks"), $("webhooks-more"), $("webhooks-status"), {
    api,
    tenant: found.tenant,
    filter: () => $("webhooks-state").value,
  });
  initUsage();
  await Promise.all([
    state.audit.load().catch((e) => status(e.message)),
    loadUsage(),
    state.webhooks.load().catch((e) => fill($("webhooks-status"), e.message)),
  ]);
}

function signOut() {
  sessionStorage.removeItem(TOKEN_KEY);
  Object.assign(state, { api: null, tenant: null, loaded: null, draft: null, audit: null, webhooks: null, report: null });
  showSignin();
}

// -- saving, discarding, reverting --------------------------------------------------------------

async function save(event) {
  event.preventDefault();
  if (state.saving || !state.api) return;
  const form = $("settings");
  clearErrors(form);
  saveStatus(t("saving"), "pending");
  state.saving = true;
  try {
    const saved = await state.api.save(state.tenant, state.loaded.revision, state.draft, $("comment").value.trim());
    $("comment").value = "";
    adopt(saved);
    saveStatus(t("saved", { revision: saved.revision }), "ok", true);
    state.audit.load().catch(() => {});
  } catch (error) {
    if (!(error instanceof AdminError)) throw error;
    // The edits stay on screen: a 409 or 422 changes nothing here but the message.
    const control = error.status === 422 ? showRelayError(form, error.field, error.message) : null;
    saveStatus(error.message, "error", !control);
    control?.focus();
  } finally {
    state.saving = false;
  }
}

async function reload() {
  if (dirty() && !window.confirm(t("confirmDiscard"))) return;
  clearErrors($("settings"));
  try {
    adopt(await state.api.tenant(state.tenant));
    saveStatus("", "");
    state.audit.load().catch(() => {});
  } catch (error) {
    saveStatus(error.message, "error", true);
  }
}

async function revert(revision) {
  if (dirty() && !window.confirm(t("confirmDiscard"))) return;
  try {
    const answer = await state.api.revert(state.tenant, revision);
    adopt(answer);
    saveStatus(t("reverted", { revision, current: answer.revision }), "ok", true);
    await state.audit.load();
  } catch (error) {
    saveStatus(error.message, "error", true);
  }
}

// -- usage -----------------------------------------------------------------------------------

function isoDay(ms) {
  return new Date(ms).toISOString().slice(0, 10);
}

function initUsage() {
  $("usage-from").value ||= isoDay(Date.now() - 29 * 86_400_000);
  $("usage-to").value ||= isoDay(Date.now());
}

async function loadUsage(event) {
  event?.preventDefault();
  fill($("usage-error"), "");
  const from = $("usage-from").value;
  const to = $("usage-to").value;
  try {
    const [report, csv] = await Promise.all([
      state.api.usage(state.tenant, from, to),
      state.api.usage(state.tenant, from, to, "csv"),
    ]);
    if (state.csvUrl) URL.revokeObjectURL(state.csvUrl);
    state.csvUrl = URL.createObjectURL(new Blob([csv], { type: "text/csv" }));
    state.report = report;
    renderUsage($("usage"), report, state.csvUrl);
  } catch (error) {
    if (!(error instanceof AdminError)) throw error;
    fill($("usage-error"), error.message);
  }
}

// -- the page ----------------------------------------------------------------------------------

function switchLanguage(value) {
  setLanguage(value);
  $("lang").value = lang();
  applyTexts();
  if (state.loaded) {
    renderAll();
    state.audit?.render();
    state.webhooks?.render();
    if (state.report) renderUsage($("usage"), state.report, state.csvUrl);
  }
}

switchLanguage(initialLanguage());
$("lang").addEventListener("change", (event) => {
  switchLanguage(event.target.value);
  // A reload keeps the language chosen here.
  const query = new URLSearchParams(location.search);
  query.set("lang", lang());
  history.replaceState(null, "", `${location.pathname}?${query}`);
});
$("signin-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const token = $("token").value.trim();
  $("token").value = "";
  if (token) signIn(token);
});
$("signout").addEventListener("click", signOut);
$("settings").addEventListener("submit", save);
$("discard").addEventListener("click", reload);
$("audit-refresh").addEventListener("click", () => state.audit?.load().catch((e) => status(e.message)));
$("usage-form").addEventListener("submit", loadUsage);
$("webhooks-form").addEventListener("submit", (event) => {
  event.preventDefault();
  fill($("webhooks-status"), "");
  state.webhooks?.load().catch((e) => fill($("webhooks-status"), e.message));
});

const token = tokenFromAddress() ?? sessionStorage.getItem(TOKEN_KEY);
if (token) signIn(token);
else showSignin();

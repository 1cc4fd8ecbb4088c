// <sms-panel>: the SMS compose panel as a custom element for agent desktops and CRMs.
//
// The element renders the compose core's view (smscompose.panel, Python in a Web Worker) and
// forwards the agent's input to it; it talks to the relay for configuration, sending, drafts
// and status. It decides no compose rule itself: what is visible, enabled, counted or wrong
// comes from the core, so the agent sees exactly what the relay will check and bill.
//
// Importing this module starts the worker, so Python is ready before the agent opens the panel.

import { CoreChannel, composeWorker } from "./core-client.js";
import { DraftInbox } from "./draft-inbox.js";
import { pickLanguage, t } from "./i18n.js";
import { OptOuts } from "./opt-outs.js";
import { panelStyles } from "./panel-styles.js";
import { PanelView } from "./panel-view.js";
import { RelayClient, RelayError } from "./relay-client.js";
import { SentMessages } from "./sent-messages.js";

const worker = composeWorker();
const ASSETS = new URL("./", import.meta.url);
let nextPid = 1;

export class SmsPanelElement extends HTMLElement {
  static observedAttributes = [
    "relay-url",
    "token",
    "lang",
    "interaction-id",
    "interaction-type",
    "customer",
    "to",
  ];

  constructor() {
    super();
    this._pid = `p${nextPid++}`;
    this._core = new CoreChannel(worker, this._pid);
    this._lang = pickLanguage(this.getAttribute("lang") ?? document.documentElement.lang);
    this._view = null;
    this._inbox = new DraftInbox();
    this._sent = new SentMessages();
    this._optOuts = new OptOuts(
      (e164) => this._relay?.optOut(e164),
      () => this._view && this._render(this._view, false),
    );
    this._events = null;
    this._sendKey = null;
    this._busy = false;
    this._configured = false;
    this._readyFired = false;
    this._generation = 0;
    const root = this.attachShadow({ mode: "open" });
    root.adoptedStyleSheets = [panelStyles()];
    this._ui = new PanelView(this, root, this._pid, this._lang, {
      act: (action, options) => this._act(action, options),
      send: () => this._send(),
      park: () => this._park(),
      deleteDraft: () => this._deleteDraft(),
      resumeDraft: (id) => this.resumeDraft(id),
    });
  }

  // -- the host's API -------------------------------------------------------------------------

  /** Whether the core is booted and the agent's configuration is loaded. */
  get ready() {
    return this._configured;
  }

  /** The current view state (the core's answer), for hosts and tests. */
  get state() {
    return this._view;
  }

  /** Opens the panel: step 1, as if the agent clicked SMS. */
  async open() {
    await this._whenConfigured();
    await this._act({ do: "open" });
  }

  /** Opens the panel with what the host already knows: {to, text, queue, template}. */
  async prefill({ to, text, queue, template } = {}) {
    await this._whenConfigured();
    await this._act({ do: "prefill", to, text, queue_id: queue, template_id: template }, { writeBack: true });
  }

  /** Reactivates a parked draft by id (as the arrow in the inbox does). */
  async resumeDraft(id) {
    await this._whenConfigured();
    let item = this._inbox.find(id);
    if (!item) {
      await this._loadDrafts();
      item = this._inbox.find(id);
    }
    if (!item) {
      this._showError({ code: "draft.not_found", message: null }, "draft.not_found");
      return false;
    }
    await this._act({ do: "resume", draft: item.draft, id: item.id }, { writeBack: true });
    this._ui.focus("text");
    return true;
  }

  // -- lifecycle ------------------------------------------------------------------------------

  connectedCallback() {
    if (!this._started) {
      this._started = true;
      this._start();
    } else if (this._configured && !this._events) {
      this._followStatus(); // moved in the page: follow the status again
    }
  }

  disconnectedCallback() {
    this._events?.close();
    this._events = null;
  }

  attributeChangedCallback(name, oldValue, value) {
    // Before the core is up, _start() reads every attribute once it is.
    if (oldValue === value || !this._coreUp) return;
    if (name === "lang") {
      this._lang = pickLanguage(value);
      this._ui.setLanguage(this._lang);
      this._connect();
    } else if (name === "token" || name === "relay-url") {
      this._connect();
    } else if (name === "to") {
      if (this._configured) this._act({ do: "to", value: value ?? "" }, { writeBack: true });
    } else if (this._configured) {
      this._act({ do: "host", ...this._hostContext() }, { writeBack: true });
    }
  }

  async _start() {
    this._setBusy(true);
    try {
      await worker.ready;
    } catch (error) {
      this._bootFailed(error.reason ?? "runtime", error.message);
      return;
    }
    this._coreUp = true;
    this._lang = pickLanguage(this.getAttribute("lang") ?? document.documentElement.lang);
    this._ui.setLanguage(this._lang);
    await this._connect();
  }

  _bootFailed(reason, detail) {
    this._ui.bootFailed(`boot.${reason}`, t(this._lang, `boot.${reason}`), detail);
    this._emit("sms-error", { code: `boot.${reason}`, message: t(this._lang, `boot.${reason}`), field: null, detail });
  }

  _hostContext() {
    let customer = {};
    const raw = this.getAttribute("customer");
    if (raw) {
      try {
        customer = JSON.parse(raw);
      } catch {
        customer = {};
      }
    }
    const context = customer && typeof customer === "object" && !Array.isArray(customer) ? customer : {};
    return {
      lang: this._lang,
      // Template placeholders read {{customer.…}}; a context that already has a "customer"
      // key (or others, like "appointment") is taken as it is.
      context: "customer" in context ? context : { customer: context },
      interaction_id: this.getAttribute("interaction-id") || null,
      interaction_type: this.getAttribute("interaction-type") || null,
    };
  }

  async _connect() {
    const generation = ++this._generation;
    const token = this.getAttribute("token");
    if (!token) {
      this._setBusy(false);
      this._ui.notice(null);
      this._ui.bootMessage(t(this._lang, "auth.missing"));
      return;
    }
    const relayUrl = this.getAttribute("relay-url") || ASSETS.origin;
    this._relay = new RelayClient(relayUrl, token, this._lang);
    let config;
    try {
      config = await this._relay.composeConfig();
    } catch (error) {
      if (generation === this._generation) this._relayFailed(error);
      return;
    }
    if (generation !== this._generation) return;
    const answer = await this._act(
      { do: "configure", config, ...this._hostContext() },
      { writeBack: true },
    );
    if (!answer || answer.error) return;
    const to = this.getAttribute("to");
    if (to) await this._act({ do: "to", value: to }, { writeBack: true });
    this._configured = true;
    this._ui.bootDone();
    this._setBusy(false);
    await this._loadDrafts();
    this._followStatus();
    if (!this._readyFired) {
      this._readyFired = true;
      this._emit("sms-ready", { bootMs: worker.bootMs, agent: config.agent ?? null });
    }
    this._resolveConfigured?.();
  }

  _whenConfigured() {
    if (this._configured) return Promise.resolve();
    this._configuredPromise ??= new Promise((resolve) => {
      this._resolveConfigured = resolve;
    });
    return this._configuredPromise;
  }

  _followStatus() {
    this._events?.close();
    this._events = this._relay.events((event) => this._onStatus(event));
  }

  // -- talking to the core --------------------------------------------------------------------

  async _act(action, { writeBack = false } = {}) {
    const answer = await this._core.act(action);
    if (answer === null) return null; // superseded by newer input
    if (answer.bootError) {
      this._bootFailed(answer.bootError.reason ?? "runtime", answer.bootError.message);
      return null;
    }
    if (answer.view) this._render(answer.view, writeBack);
    if (answer.error) this._showError(answer.error);
    else if (action.do !== "text" && action.do !== "to") this._showError(null);
    return answer;
  }

  // -- the agent's actions --------------------------------------------------------------------

  async _send() {
    if (this._busy) return;
    const answer = await this._act({ do: "outgoing" });
    if (!answer || answer.error) return;
    const body = answer.send;
    // One key per message: a retry after a lost answer cannot send it twice.
    this._sendKey ??= crypto.randomUUID();
    const result = await this._callRelay(() => this._relay.send(body, this._sendKey), "sending");
    if (!result) return;
    const accepted = result.value;
    this._sendKey = null;
    const draftId = answer.draft_id;
    const interaction = this._view?.interaction;
    await this._act({ do: "sent" }, { writeBack: true });
    this._setBusy(false);
    const early = this._sent.accepted({ id: accepted.id, to: body.to, status: accepted.status, interaction });
    this._ui.renderStatus(this._sent.last);
    if (early) this._onStatus(early);
    this._ui.notice(t(this._lang, "sentNotice"));
    this._emit("sms-sent", {
      id: accepted.id,
      to: body.to,
      from: body.from,
      queue: body.queue_id,
      encoding: accepted.encoding,
      segments: accepted.segments,
      status: accepted.status,
      interactionId: interaction?.id ?? null,
      interactionType: interaction?.type ?? null,
    });
    if (draftId) {
      try {
        await this._relay.deleteDraft(draftId);
      } catch {
        // the message went out; a draft left behind shows up in the inbox to delete by hand
      }
      await this._loadDrafts();
    }
    if (interaction) {
      this._emit("sms-resume-interaction", { interactionId: interaction.id, interactionType: interaction.type });
    }
  }

  async _park() {
    if (this._busy) return;
    const answer = await this._act({ do: "park" });
    if (!answer || answer.error) return;
    const draft = answer.draft;
    const known = draft.id && this._inbox.has(draft.id);
    const result = await this._callRelay(() =>
      known ? this._relay.updateDraft(draft.id, draft, this._inbox.version(draft.id)) : this._relay.park(draft),
    );
    if (!result) return;
    const saved = result.value;
    this._setBusy(false);
    this._sendKey = null;
    await this._act({ do: "parked" }, { writeBack: true });
    await this._loadDrafts();
    this._ui.notice(t(this._lang, "parked"));
    this._emit("sms-parked", { id: saved.id, to: draft.to, interactionId: draft.interaction_id });
    this._ui.focus("smsButton");
  }

  async _deleteDraft() {
    const id = this._view?.draft_id;
    if (!id || this._busy) return;
    if (!(await this._callRelay(() => this._relay.deleteDraft(id)))) return;
    this._setBusy(false);
    this._sendKey = null;
    await this._act({ do: "close" }, { writeBack: true });
    await this._loadDrafts();
    this._ui.notice(t(this._lang, "deleted"));
    this._ui.focus("smsButton");
  }

  /**
   * Runs one relay call with the panel busy. On failure the agent is told why, the panel is no
   * longer busy and the answer is null; on success it stays busy (the caller ends that once the
   * view is settled, so Send cannot be clicked again in between) and the answer is {value}.
   */
  async _callRelay(call, what) {
    this._setBusy(true, what);
    try {
      return { value: await call() };
    } catch (error) {
      this._setBusy(false);
      this._relayFailed(error);
      return null;
    }
  }

  async _loadDrafts() {
    try {
      this._inbox.replace((await this._relay.drafts()).items);
    } catch (error) {
      this._relayFailed(error);
    }
    this._renderDrafts();
  }

  _onStatus(event) {
    // The stream can outrun the answer to the POST: SentMessages keeps such an event a moment.
    const sent = this._sent.update(event);
    if (!sent) return;
    if (sent === this._sent.last) this._ui.renderStatus(sent);
    this._emit("sms-status", { id: event.id, status: event.status, reason: event.reason ?? null });
  }

  _relayFailed(error) {
    const problem =
      error instanceof RelayError && error.status !== 0
        ? { code: error.code, message: error.message, field: error.field }
        : { code: "net.offline", message: t(this._lang, "net.offline"), field: null };
    if (!this._configured) {
      this._ui.bootMessage(problem.message, { error: true });
      this._setBusy(false);
    }
    this._showError(problem);
  }

  // -- rendering (panel-view.js) ------------------------------------------------------------

  _render(view, writeBack) {
    this._view = view;
    const optedOut = this._optOuts.blocks(view.number);
    this._ui.render(view, { writeBack, busy: this._busy, optedOut, drafts: this._inbox.listed(view.draft_id ?? null) });
    this._optOuts.watch(view.number);
  }

  _renderDrafts() {
    this._ui.renderDrafts(this._inbox.listed(this._view?.draft_id ?? null));
  }

  _showError(problem, key) {
    if (!problem) {
      this._ui.showError();
      return;
    }
    const message = problem.message || (key ? t(this._lang, key) : problem.code);
    this._ui.showError(problem.code, message);
    this._emit("sms-error", { code: problem.code, message, field: problem.field ?? null });
  }

  _setBusy(busy, what) {
    this._busy = busy;
    this._ui.setBusy(busy, what);
  }

  _emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }
}

if (!customElements.get("sms-panel")) customElements.define("sms-panel", SmsPanelElement);

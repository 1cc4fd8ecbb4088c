// One panel's compose session, without DOM: connects to the relay with the host's token and
// hands the agent's configuration to the compose core, runs every action through the core
// (core-client.js) and gives its view to the UI (PanelView), sends with an idempotency key,
// parks and deletes drafts, follows the status of what was sent, asks about opt-outs
// (opt-out-lookup.js) and keeps the conversation under To (conversation-thread.js).
//
// What the session needs from its element: `attribute(name)`, `languages()` (the languages the
// host asks for, most specific first), `emit(type, detail)` for its events, and a UI that renders.
//
// The core decides and words everything (statuses, the inbox of drafts, opt-outs, the thread,
// the language); this module only carries inputs to it and its answers to the relay and the UI.

import { ConversationThread } from "./conversation-thread.js";
import { t } from "./i18n.js";
import { OptOutLookup } from "./opt-out-lookup.js";
import { RelayClient, RelayError } from "./relay-client.js";

// Without `relay-url`, the relay is where the panel's files came from.
const HOME = new URL("./", import.meta.url).origin;

// Typing goes on while an error shows, and what the relay streams or answers in the background
// (a status change, an opt-out, the inbox) is no reply to it: only the agent's next step clears it.
const KEEPS_ERROR = new Set(["text", "to", "status", "opt_out", "inbox"]);

/** The host's part of the core's input: its languages, the customer context, the interaction. */
export function hostContext(attribute, languages) {
  let customer = {};
  const raw = attribute("customer");
  if (raw) {
    try {
      customer = JSON.parse(raw);
    } catch {
      customer = {};
    }
  }
  const context = customer && typeof customer === "object" && !Array.isArray(customer) ? customer : {};
  return {
    lang: languages,
    // Template placeholders read {{customer.…}}; a context that already has a "customer"
    // key (or others, like "appointment") is taken as it is.
    context: "customer" in context ? context : { customer: context },
    interaction_id: attribute("interaction-id") || null,
    interaction_type: attribute("interaction-type") || null,
  };
}

export class ComposeSession {
  /**
   * @param options.worker the page's compose worker (composeWorker(): `ready`, `bootMs`)
   * @param options.core this panel's CoreChannel to it
   * @param options.lang the language to start with
   * @param options.ui (session) => the UI (a PanelView), which sends the agent's input back here
   * @param options.attribute (name) => the element's attribute, or null
   * @param options.languages () => the languages the host asks for, most specific first
   * @param options.emit (type, detail) => fires an event on the element
   */
  constructor({ worker, core, lang, ui, attribute, languages, emit }) {
    this.worker = worker;
    this.core = core;
    this.lang = lang;
    this.attribute = attribute;
    this.languages = languages;
    this.emit = emit;
    this.relay = null;
    this.view = null;
    this.optOuts = new OptOutLookup({
      ask: (e164) => this.relay.optOut(e164),
      answer: (e164, optedOut) => this.act({ do: "opt_out", number: e164, opted_out: optedOut }),
      stillWanted: (e164) => this.view?.opt_out_query === e164,
    });
    const reply = (to, from, queue) => this.prefill({ to, queue }).then(() => this.act({ do: "sender", value: from }, { writeBack: true })).then(() => this.ui.focus("text"));
    this.thread = new ConversationThread({ relay: () => this.relay, core, emit, reply, show: (thread) => this.ui.showThread(thread), announce: (text) => this.ui.announceReply(text) });
    this.events = null;
    this.sendKey = null;
    this.busy = false;
    this.started = false;
    this.coreUp = false;
    this.configured = false;
    this.readyFired = false;
    this.generation = 0;
    this.ui = ui(this);
  }

  // -- the host's API -------------------------------------------------------------------------

  async open() {
    await this._whenConfigured();
    await this.act({ do: "open" });
  }

  async prefill({ to, text, queue, template } = {}) {
    await this._whenConfigured();
    await this.act({ do: "prefill", to, text, queue_id: queue, template_id: template }, { writeBack: true });
  }

  /** Reactivates a parked draft; false if the relay no longer has it. */
  async resumeDraft(id) {
    await this._whenConfigured();
    const known = this.view?.inbox.items.some((item) => item.id === id);
    if (!known) await this._loadDrafts();
    const answer = await this.act({ do: "resume", id }, { writeBack: true });
    if (!answer || answer.error) return false;
    this.ui.focus("text");
    return true;
  }

  // -- the element's lifecycle ----------------------------------------------------------------

  connected() {
    if (!this.started) {
      this.started = true;
      this._start();
    } else if (this.configured && !this.events) {
      this._followStatus(); // moved in the page: follow the status again
    }
  }

  disconnected() {
    this.optOuts.cancel();
    this.thread.cancel();
    this.events?.close();
    this.events = null;
  }

  attributeChanged(name, value) {
    // Before the core is up, _start() reads every attribute once it is.
    if (!this.coreUp) return;
    if (name === "lang") {
      this._connect();
    } else if (name === "token" || name === "relay-url") {
      this._connect();
    } else if (name === "to") {
      if (this.configured) this.act({ do: "to", value: value ?? "" }, { writeBack: true });
    } else if (this.configured) {
      this.act({ do: "host", ...hostContext(this.attribute, this.languages()) }, { writeBack: true });
    }
  }

  async _start() {
    this._setBusy(true);
    try {
      await this.worker.ready;
    } catch (error) {
      this._bootFailed(error.reason ?? "runtime", error.message);
      return;
    }
    this.coreUp = true;
    await this._connect();
  }

  _bootFailed(reason, detail) {
    const code = `boot.${reason}`;
    this.ui.bootFailed(code, t(this.lang, code), detail);
    this.emit("sms-error", { code, message: t(this.lang, code), field: null, detail });
  }

  async _connect() {
    const generation = ++this.generation;
    const token = this.attribute("token");
    if (!token) {
      this._setBusy(false);
      this.ui.notice(null);
      this.ui.bootMessage(t(this.lang, "auth.missing"));
      return;
    }
    // Until the core has picked from the tenant's language too, the relay answers in the host's.
    this.relay = new RelayClient(this.attribute("relay-url") || HOME, token, this.lang);
    let config;
    try {
      config = await this.relay.composeConfig();
    } catch (error) {
      if (generation === this.generation) this._relayFailed(error);
      return;
    }
    if (generation !== this.generation) return;
    const answer = await this.act({ do: "configure", config, ...hostContext(this.attribute, this.languages()) }, { writeBack: true });
    if (!answer || answer.error) return;
    const to = this.attribute("to");
    if (to) await this.act({ do: "to", value: to }, { writeBack: true });
    this.configured = true;
    this.ui.bootDone();
    this._setBusy(false);
    await this._loadDrafts();
    this._followStatus();
    if (!this.readyFired) {
      this.readyFired = true;
      this.emit("sms-ready", { bootMs: this.worker.bootMs, agent: config.agent ?? null });
    }
    this._resolveConfigured?.();
  }

  /** The administrator may have changed templates, queues or senders since the panel booted:
   * each opening starts from the relay's configuration in force. Unreachable: the one held. */
  async _refreshConfig() {
    let config;
    try {
      config = await this.relay.composeConfig();
    } catch {
      return;
    }
    await this.act({ do: "configure", config, ...hostContext(this.attribute, this.languages()) });
  }

  _whenConfigured() {
    if (this.configured) return Promise.resolve();
    this._configuredPromise ??= new Promise((resolve) => {
      this._resolveConfigured = resolve;
    });
    return this._configuredPromise;
  }

  _followStatus() {
    this.events?.close();
    this.events = this.relay.events((event) => this._onStatus(event), (message) => this.thread.received(message));
  }

  // -- the agent's actions (from the UI) ------------------------------------------------------

  /** Runs one action through the core and renders its view; null when superseded or failed. */
  async act(action, { writeBack = false } = {}) {
    if (action.do === "open" && this.configured) await this._refreshConfig();
    const answer = await this.core.act(action);
    if (answer === null) return null; // superseded by newer input
    if (answer.bootError) {
      this._bootFailed(answer.bootError.reason ?? "runtime", answer.bootError.message);
      return null;
    }
    if (answer.view) this._render(answer.view, writeBack);
    if (answer.changed) this._statusChanged(answer.changed);
    if (answer.error) this._showError(answer.error);
    else if (!KEEPS_ERROR.has(action.do)) this._showError(null);
    return answer;
  }

  async send() {
    if (this.busy) return;
    const answer = await this.act({ do: "outgoing" });
    if (!answer || answer.error) return;
    const body = answer.send;
    // One key per message: a retry after a lost answer cannot send it twice.
    this.sendKey ??= crypto.randomUUID();
    const result = await this._callRelay(() => this.relay.send(body, this.sendKey), "sending");
    if (!result) return;
    const accepted = result.value;
    this.sendKey = null;
    const draftId = answer.draft_id;
    const interaction = this.view?.interaction;
    const message = { id: accepted.id, to: body.to, status: accepted.status };
    await this.act({ do: "sent", message }, { writeBack: true });
    this._setBusy(false);
    this.ui.notice(t(this.lang, "sentNotice"));
    this.thread.load();
    this.emit("sms-sent", {
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
        await this.relay.deleteDraft(draftId);
      } catch {
        // the message went out; a draft left behind shows up in the inbox to delete by hand
      }
      await this._loadDrafts();
    }
    if (interaction) {
      this.emit("sms-resume-interaction", { interactionId: interaction.id, interactionType: interaction.type });
    }
  }

  async park() {
    if (this.busy) return;
    const answer = await this.act({ do: "park" });
    if (!answer || answer.error) return;
    const { draft, version } = answer;
    // A version means the relay holds this draft already: the update names the one it replaces.
    const result = await this._callRelay(() =>
      version != null ? this.relay.updateDraft(draft.id, draft, version) : this.relay.park(draft),
    );
    if (!result) return;
    const saved = result.value;
    this._setBusy(false);
    this.sendKey = null;
    await this.act({ do: "parked" }, { writeBack: true });
    await this._loadDrafts();
    this.ui.notice(t(this.lang, "parked"));
    this.emit("sms-parked", { id: saved.id, to: draft.to, interactionId: draft.interaction_id });
    this.ui.focus("smsButton");
  }

  async deleteDraft() {
    if (this.busy) return;
    const answer = await this.act({ do: "delete_draft" });
    if (!answer || answer.error) return;
    if (!(await this._callRelay(() => this.relay.deleteDraft(answer.delete)))) return;
    this._setBusy(false);
    this.sendKey = null;
    await this.act({ do: "deleted" }, { writeBack: true });
    await this._loadDrafts();
    this.ui.notice(t(this.lang, "deleted"));
    this.ui.focus("smsButton");
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
    let items;
    try {
      items = (await this.relay.drafts()).items;
    } catch (error) {
      this._relayFailed(error);
      return;
    }
    await this.act({ do: "inbox", items });
  }

  /** A change from the relay's stream: the core keeps one that outran the send's answer, and
   * lets through only what may follow the status shown. */
  _onStatus(event) {
    this.act({ do: "status", event });
    this.thread.status(event);
  }

  _statusChanged(change) {
    this.emit("sms-status", {
      id: change.id,
      status: change.status,
      final: change.final,
      reasonCode: change.reason_code,
      reason: change.reason,
    });
  }

  // -- what the agent sees --------------------------------------------------------------------

  _render(view, writeBack) {
    this.view = view;
    if (view.lang !== this.lang) {
      this.lang = view.lang;
      this.relay?.setLanguage(this.lang);
      this.ui.setLanguage(this.lang);
    }
    this.ui.render(view, { writeBack, busy: this.busy });
    this.thread.follow(view);
    if (this.relay) this.optOuts.want(view.opt_out_query);
  }

  _relayFailed(error) {
    const problem =
      error instanceof RelayError && error.status !== 0
        ? { code: error.code, message: error.message, field: error.field }
        : { code: "net.offline", message: t(this.lang, "net.offline"), field: null };
    if (!this.configured) {
      this.ui.bootMessage(problem.message, { error: true });
      this._setBusy(false);
    }
    this._showError(problem);
  }

  _showError(problem, key) {
    if (!problem) {
      this.ui.showError();
      return;
    }
    const message = problem.message || (key ? t(this.lang, key) : problem.code);
    this.ui.showError(problem.code, message);
    this.emit("sms-error", { code: problem.code, message, field: problem.field ?? null });
  }

  _setBusy(busy, what) {
    this.busy = busy;
    this.ui.setBusy(busy, what);
  }
}

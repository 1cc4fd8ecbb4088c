// <sms-panel>: the SMS compose panel as a custom element for agent desktops and CRMs.
//
// The element renders the compose core's view (smscompose.panel, Python in a Web Worker) and
// forwards the agent's input to it; it talks to the relay for configuration, sending, drafts
// and status. It decides no compose rule itself: what is visible, enabled, counted or wrong
// comes from the core, so the agent sees exactly what the relay will check and bill.
//
// Importing this module starts the worker, so Python is ready before the agent opens the panel.

import { CoreChannel, composeWorker } from "./core-client.js";
import { fill, h, setOptions, show } from "./dom.js";
import { DraftInbox } from "./draft-inbox.js";
import { pickLanguage, t } from "./i18n.js";
import { OptOuts } from "./opt-outs.js";
import { panelStyles } from "./panel-styles.js";
import { RelayClient, RelayError } from "./relay-client.js";
import { SentMessages } from "./sent-messages.js";

const worker = composeWorker();
const ASSETS = new URL("./", import.meta.url);
const DIALPAD_KEYS = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "0", "#", "+"];
const ANNOUNCE_DELAY_MS = 1200;
let manifest = null;
let nextPid = 1;

function assetManifest() {
  manifest ??= fetch(new URL("manifest.json", ASSETS), { credentials: "omit" }).then((r) => {
    if (!r.ok) throw new Error(`manifest.json: HTTP ${r.status}`);
    return r.json();
  });
  return manifest;
}

// Characters with no glyph of their own (variation selectors, joiners, odd spaces) are named
// by code point, so the agent can see what to delete.
const INVISIBLE = /^[\p{Cf}\p{Mn}\p{Me}\p{Zs}\p{Zl}\p{Zp}\uFE00-\uFE0F]+$/u;
const codePoints = (c) => [...c].map((ch) => `U+${ch.codePointAt(0).toString(16).toUpperCase().padStart(4, "0")}`).join(" ");
const visible = (c) => (INVISIBLE.test(c) ? codePoints(c) : c);

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
    this._announceTimer = null;
    this._generation = 0;
    const root = this.attachShadow({ mode: "open" });
    root.adoptedStyleSheets = [panelStyles()];
    this._build(root);
    this._applyLabels();
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
    this._els.text.focus();
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
      this._applyLabels();
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
    this._applyLabels();
    await this._connect();
  }

  _bootFailed(reason, detail) {
    this._els.boot.hidden = true;
    const e = this._els.error;
    fill(e, t(this._lang, `boot.${reason}`));
    e.dataset.code = `boot.${reason}`;
    e.dataset.detail = detail ?? "";
    e.hidden = false;
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
      this._showNotice(null);
      fill(this._els.boot, t(this._lang, "auth.missing"));
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
    this._els.boot.hidden = true;
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
    this._renderStatus();
    if (early) this._onStatus(early);
    this._showNotice(t(this._lang, "sentNotice"));
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
    this._showNotice(t(this._lang, "parked"));
    this._emit("sms-parked", { id: saved.id, to: draft.to, interactionId: draft.interaction_id });
    this._els.smsButton.focus();
  }

  async _deleteDraft() {
    const id = this._view?.draft_id;
    if (!id || this._busy) return;
    if (!(await this._callRelay(() => this._relay.deleteDraft(id)))) return;
    this._setBusy(false);
    this._sendKey = null;
    await this._act({ do: "close" }, { writeBack: true });
    await this._loadDrafts();
    this._showNotice(t(this._lang, "deleted"));
    this._els.smsButton.focus();
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
    if (sent === this._sent.last) this._renderStatus();
    this._emit("sms-status", { id: event.id, status: event.status, reason: event.reason ?? null });
  }

  _relayFailed(error) {
    const problem =
      error instanceof RelayError && error.status !== 0
        ? { code: error.code, message: error.message, field: error.field }
        : { code: "net.offline", message: t(this._lang, "net.offline"), field: null };
    if (!this._configured) {
      fill(this._els.boot, problem.message);
      this._els.boot.classList.add("error");
      this._setBusy(false);
    }
    this._showError(problem);
  }

  // -- rendering ------------------------------------------------------------------------------

  _render(view, writeBack) {
    const e = this._els;
    this._view = view;
    show(e.contact, view.sms_button.visible);
    e.smsButton.disabled = !view.sms_button.enabled;
    e.smsButton.setAttribute("aria-expanded", String(view.open));
    const buttonProblem = view.sms_button.problem?.message ?? "";
    fill(e.smsHint, buttonProblem);
    show(e.smsHint, Boolean(buttonProblem));

    show(e.selection, view.queue.visible);
    setOptions(e.queue, view.queue.options, view.queue.selected, t(this._lang, "chooseQueue"));

    show(e.compose, view.compose_visible);
    show(e.templateRow, view.template.visible);
    setOptions(e.template, view.template.options, view.template.selected);
    show(e.confirm, Boolean(view.pending_template));
    if (view.pending_template) fill(e.confirmText, view.pending_template.message);

    if (writeBack && e.to.value !== view.to) e.to.value = view.to;
    const number = view.number;
    const toProblem = view.problems.find((p) => p.field === "to");
    if (number && number.valid) {
      fill(e.toHint, `${number.display ?? number.e164}`);
      e.toHint.className = "hint ok";
    } else if (number && number.problem) {
      fill(e.toHint, number.problem.message);
      e.toHint.className = "problem";
    } else {
      fill(e.toHint, "");
      e.toHint.className = "hint";
    }
    const optedOut = this._optOuts.blocks(number);
    if (optedOut) {
      fill(e.toHint, t(this._lang, "optedOut"));
      e.toHint.className = "problem";
      e.toHint.dataset.code = "recipient.opted_out";
    } else {
      delete e.toHint.dataset.code;
    }
    e.to.setAttribute("aria-invalid", String(Boolean((number && !number.valid && toProblem) || optedOut)));
    this._optOuts.watch(number);

    show(e.fromRow, view.sender.visible);
    setOptions(e.from, view.sender.options, view.sender.selected);

    if (writeBack && e.text.value !== view.text) e.text.value = view.text;
    this._renderMessage(view);

    const fieldProblems = view.problems.filter((p) => p.field !== "to" && p.field !== "queue");
    const shown = fieldProblems.filter((p) => p.code !== "compose.text_required");
    fill(e.problems, shown.map((p) => h("li", { "data-code": p.code }, p.message)));
    show(e.problems, shown.length > 0);

    show(e.send, view.send.visible);
    e.send.disabled = !view.send.enabled || this._busy || optedOut;
    e.park.disabled = !view.can_park || this._busy;
    show(e.deleteDraft, Boolean(view.draft_id));
    this._renderDrafts();
  }

  _renderMessage(view) {
    const e = this._els;
    const message = view.message;
    fill(e.counter, view.counter);
    e.counter.classList.toggle("over", message.segments > view.max_segments);
    fill(e.cost, view.cost && message.segments > 0 ? t(this._lang, "costHint", { amount: this._money(view.cost) }) : "");

    // Highlight what forces UCS2, behind the textarea (same metrics, transparent text).
    if (e.text.value === view.text) {
      const spans = message.forcing_spans;
      const parts = [];
      let at = 0;
      for (const span of spans) {
        parts.push(view.text.slice(at, span.utf16_start));
        parts.push(h("mark", {}, view.text.slice(span.utf16_start, span.utf16_end)));
        at = span.utf16_end;
      }
      parts.push(view.text.slice(at), "\n");
      fill(e.backdrop, parts);
      e.backdrop.scrollTop = e.text.scrollTop;
    }
    const forcing = message.forcing_chars;
    show(e.forcing, forcing.length > 0);
    if (forcing.length) {
      const [before, after] = t(this._lang, "forcing", { capacity: message.capacity, chars: "\u0000" }).split("\u0000");
      fill(e.forcingText, before, ...forcing.map((c) => [h("mark", { title: codePoints(c) }, visible(c)), " "]), after);
    }
    const suggestion = view.suggestion;
    show(e.suggest, Boolean(suggestion));
    if (suggestion) {
      const fewer = suggestion.segments_after < suggestion.segments_before;
      fill(
        e.suggest,
        fewer
          ? t(this._lang, "suggestion", {
              segments: suggestion.segments_after,
              current: suggestion.segments_before,
              segmentWord: this._segmentWord(suggestion.segments_before),
            })
          : t(this._lang, "suggestionSame"),
      );
    }
    if (!e.preview.hidden) this._renderPreview(message);
    this._scheduleAnnouncement(message);
  }

  _renderPreview(message) {
    const total = message.parts.length;
    fill(
      this._els.previewList,
      message.parts.map((text, i) =>
        h(
          "li",
          { "data-testid": "segment" },
          t(this._lang, "part", {
            n: i + 1,
            total,
            units: message.part_units[i],
            capacity: message.capacity,
          }),
          h("pre", {}, text),
        ),
      ),
    );
  }

  _scheduleAnnouncement(message) {
    // Screen readers hear the count once the agent pauses, not at every keystroke.
    clearTimeout(this._announceTimer);
    this._announceTimer = setTimeout(() => {
      fill(
        this._els.announce,
        t(this._lang, "counterAnnounce", {
          units: message.units,
          segments: message.segments,
          segmentWord: this._segmentWord(message.segments),
          encoding: message.encoding === "GSM_7BIT" ? "GSM 7-Bit" : "UCS-2",
        }),
      );
    }, ANNOUNCE_DELAY_MS);
  }

  _renderDrafts() {
    const e = this._els;
    const active = this._view?.draft_id ?? null;
    const items = this._inbox.listed(active);
    fill(
      e.drafts,
      items.length === 0
        ? [h("li", { class: "hint" }, t(this._lang, "noDrafts"))]
        : items.map((item) => {
            const d = item.draft;
            const summary = `${d.to ? t(this._lang, "draftTo", { to: d.to }) : t(this._lang, "draftNoTo")} – ${d.text.slice(0, 60)}`;
            return h(
              "li",
              { "data-testid": "draft-item", "data-draft-id": item.id },
              h("span", { class: "summary", title: d.text }, summary),
              h(
                "button",
                {
                  type: "button",
                  class: "icon",
                  "data-testid": "draft-resume",
                  "aria-label": t(this._lang, "resumeDraft", { summary }),
                  title: t(this._lang, "resumeDraft", { summary }),
                  onclick: () => this.resumeDraft(item.id),
                },
                "➜",
              ),
            );
          }),
    );
  }

  _renderStatus() {
    const e = this._els;
    const sent = this._sent.last;
    show(e.status, Boolean(sent));
    if (!sent) return;
    e.status.className = `status ${sent.status}`;
    e.status.dataset.status = sent.status;
    fill(
      e.status,
      h("span", {}, t(this._lang, "statusLine", { to: sent.to, status: t(this._lang, `status.${sent.status}`) })),
      sent.reason ? h("span", { class: "hint" }, ` ${t(this._lang, "statusReason", { reason: sent.reason })}`) : null,
    );
  }

  _showError(problem, key) {
    const e = this._els;
    if (!problem) {
      e.error.hidden = true;
      fill(e.error, "");
      return;
    }
    const message = problem.message || (key ? t(this._lang, key) : problem.code);
    fill(e.error, message);
    e.error.dataset.code = problem.code;
    e.error.hidden = false;
    this._emit("sms-error", { code: problem.code, message, field: problem.field ?? null });
  }

  _showNotice(text) {
    fill(this._els.notice, text ?? "");
  }

  _setBusy(busy, what) {
    this._busy = busy;
    this.toggleAttribute("busy", busy);
    const e = this._els;
    e.send.disabled = busy || !this._view?.send.enabled;
    fill(e.send, t(this._lang, what === "sending" ? "sending" : "send"));
    e.park.disabled = busy || !this._view?.can_park;
  }

  _segmentWord(n) {
    return t(this._lang, n === 1 ? "segmentOne" : "segmentMany");
  }

  _money(cost) {
    // A formatter loads locale data when it is made: make one per language and currency.
    const key = `${this._lang} ${cost.currency}`;
    if (this._moneyKey !== key) {
      try {
        this._moneyFormat = new Intl.NumberFormat(this._lang, { style: "currency", currency: cost.currency || "EUR" });
      } catch {
        this._moneyFormat = null;
      }
      this._moneyKey = key;
    }
    return this._moneyFormat ? this._moneyFormat.format(cost.amount) : `${cost.amount} ${cost.currency}`;
  }

  _emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }

  // -- the DOM --------------------------------------------------------------------------------

  _build(root) {
    const id = (name) => `${this._pid}-${name}`;
    const els = {};
    const L = {}; // nodes whose text is a catalog label: [node, key, attribute?]
    this._labels = L;
    const label = (key, node, attr) => {
      (L[key] ??= []).push([node, attr]);
      return node;
    };

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
        onclick: () => this._act({ do: "open" }, { writeBack: true }).then(() => this._focusFirst()),
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
      onchange: (ev) => this._act({ do: "queue", value: ev.target.value }, { writeBack: true }),
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
      onchange: (ev) => this._act({ do: "template", value: ev.target.value }, { writeBack: true }),
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
            onclick: () => this._act({ do: "confirm_template" }, { writeBack: true }).then(() => this._els.text.focus()),
          }),
        ),
        label(
          "keepText",
          h("button", {
            type: "button",
            "data-testid": "template-confirm-keep",
            onclick: () => this._act({ do: "cancel_template" }, { writeBack: true }).then(() => this._els.template.focus()),
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
      oninput: (ev) => this._act({ do: "to", value: ev.target.value }),
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
        onclick: () => this._toggleDialpad(),
      },
      "⌨",
    );
    label("dialpadOpen", els.dialpadButton, "aria-label");
    label("dialpadOpen", els.dialpadButton, "title");
    els.dialpad = h(
      "div",
      { id: id("dialpad"), class: "dialpad", role: "group", "data-testid": "dialpad", hidden: true, onkeydown: (ev) => this._dialpadKey(ev) },
      DIALPAD_KEYS.map((key) =>
        h(
          "button",
          { type: "button", "data-key": key, "data-testid": `dialpad-key-${key}`, onclick: () => this._press(key) },
          key,
        ),
      ),
      label("backspace", h("button", { type: "button", "data-key": "backspace", "data-testid": "dialpad-backspace", onclick: () => this._press("backspace") }, "⌫"), "aria-label"),
    );
    label("dialpad", els.dialpad, "aria-label");
    els.toHint = h("p", { id: id("to-hint"), class: "hint", "data-testid": "to-hint", "aria-live": "polite" });

    els.from = h("select", {
      id: id("from"),
      "data-testid": "from-select",
      onchange: (ev) => this._act({ do: "sender", value: ev.target.value }, { writeBack: true }),
    });
    els.fromRow = h("div", {}, label("from", h("label", { for: id("from") })), els.from);

    els.backdrop = h("div", { class: "backdrop", "aria-hidden": "true" });
    els.text = h("textarea", {
      id: id("text"),
      rows: 6,
      "aria-describedby": id("counter"),
      "data-testid": "text-input",
      oninput: (ev) => this._act({ do: "text", value: ev.target.value }),
      onscroll: () => {
        this._els.backdrop.scrollTop = this._els.text.scrollTop;
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
        onclick: () => this._toggleEmoji(),
      },
      "☺",
    );
    label("emoji", els.emojiButton, "aria-label");
    label("emoji", els.emojiButton, "title");
    els.picker = h("div", { id: id("picker"), class: "picker", hidden: true, "data-testid": "emoji-picker", onkeydown: (ev) => {
      if (ev.key === "Escape") {
        ev.stopPropagation();
        this._toggleEmoji(false);
      }
    } });
    els.previewButton = h("button", {
      type: "button",
      "data-testid": "preview-button",
      "aria-expanded": "false",
      "aria-controls": id("preview"),
      onclick: () => this._togglePreview(),
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
      onclick: () => this._act({ do: "apply_suggestion" }, { writeBack: true }).then(() => this._els.text.focus()),
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
    els.park = label("park", h("button", { type: "button", "data-testid": "park-button", onclick: () => this._park() }));
    els.deleteDraft = label(
      "deleteDraft",
      h("button", { type: "button", "data-testid": "draft-delete", hidden: true, onclick: () => this._deleteDraft() }),
    );
    els.close = label(
      "cancel",
      h("button", {
        type: "button",
        "data-testid": "close-button",
        onclick: () => this._act({ do: "close" }, { writeBack: true }).then(() => this._els.smsButton.focus()),
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
          this._send();
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
      h(
        "div",
        { class: "toolbar" },
        els.emojiButton,
        els.previewButton,
        h("span", { class: "spacer" }),
        els.cost,
        els.counter,
      ),
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
      h("div", { class: "panel", part: "panel" }, els.boot, els.error, els.contact, els.selection, els.compose, els.status, els.notice, inbox),
    );
    this._els = els;
  }

  _applyLabels() {
    for (const [key, nodes] of Object.entries(this._labels)) {
      for (const [node, attr] of nodes) {
        if (attr) node.setAttribute(attr, t(this._lang, key));
        else node.textContent = t(this._lang, key);
      }
    }
    this._els.compose.closest(".panel")?.setAttribute("lang", this._lang);
  }

  _focusFirst() {
    const e = this._els;
    for (const el of [e.queue, e.template, e.to]) {
      if (el.offsetParent !== null && !el.closest("[hidden]")) {
        el.focus();
        return;
      }
    }
  }

  _toggleDialpad(open = this._els.dialpad.hidden) {
    const e = this._els;
    e.dialpad.hidden = !open;
    e.dialpadButton.setAttribute("aria-expanded", String(open));
    const key = open ? "dialpadClose" : "dialpadOpen";
    e.dialpadButton.setAttribute("aria-label", t(this._lang, key));
    e.dialpadButton.title = t(this._lang, key);
    if (open) e.dialpad.querySelector("button")?.focus();
    else e.dialpadButton.focus();
  }

  _dialpadKey(ev) {
    if (ev.key === "Escape") {
      ev.preventDefault();
      this._toggleDialpad(false);
    } else if (/^[0-9*#+]$/.test(ev.key)) {
      ev.preventDefault();
      this._press(ev.key);
    } else if (ev.key === "Backspace") {
      ev.preventDefault();
      this._press("backspace");
    }
  }

  _press(key) {
    this._act({ do: "dialpad", key }, { writeBack: true });
  }

  _togglePreview() {
    const e = this._els;
    const open = e.preview.hidden;
    e.preview.hidden = !open;
    e.previewButton.setAttribute("aria-expanded", String(open));
    e.previewButton.textContent = t(this._lang, open ? "previewHide" : "preview");
    if (open && this._view) this._renderPreview(this._view.message);
  }

  async _toggleEmoji(open = this._els.picker.hidden) {
    const e = this._els;
    if (!open) {
      e.picker.hidden = true;
      e.emojiButton.setAttribute("aria-expanded", "false");
      e.emojiButton.focus();
      return;
    }
    if (!e.picker.firstChild) {
      const m = await assetManifest();
      await import(new URL(m.emoji.module, ASSETS).href);
      const i18n = (await import(new URL(m.emoji.i18n[this._lang], ASSETS).href)).default;
      const picker = document.createElement("emoji-picker");
      picker.setAttribute("data-testid", "emoji-picker-element");
      picker.locale = this._lang;
      picker.i18n = i18n;
      picker.dataSource = new URL(m.emoji.data[this._lang], ASSETS).href;
      picker.addEventListener("emoji-click", (ev) => this._insert(ev.detail.unicode));
      e.picker.append(picker);
    }
    e.picker.hidden = false;
    e.emojiButton.setAttribute("aria-expanded", "true");
    const picker = e.picker.firstChild;
    requestAnimationFrame(() => picker.shadowRoot?.querySelector("input")?.focus());
  }

  _insert(chars) {
    const text = this._els.text;
    const start = text.selectionStart ?? text.value.length;
    const end = text.selectionEnd ?? start;
    text.setRangeText(chars, start, end, "end");
    this._act({ do: "text", value: text.value });
  }
}

if (!customElements.get("sms-panel")) customElements.define("sms-panel", SmsPanelElement);

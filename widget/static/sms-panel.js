// <sms-panel>: the SMS compose panel as a custom element for agent desktops and CRMs.
//
// The element renders the compose core's view (smscompose.panel, Python in a Web Worker) and
// forwards the agent's input to it; it talks to the relay for configuration, sending, drafts
// and status. It decides no compose rule itself: what is visible, enabled, counted or wrong
// comes from the core, so the agent sees exactly what the relay will check and bill.
//
// This file is the element only: its attributes, lifecycle, the host's API and events. The
// session (compose-session.js, no DOM) connects, sends, parks and follows the status; the
// PanelView (panel-view.js) builds the shadow tree and renders.
//
// Importing this module starts the worker, so Python is ready before the agent opens the panel.

import { ComposeSession } from "./compose-session.js";
import { CoreChannel, composeWorker } from "./core-client.js";
import { pickLanguage } from "./i18n.js";
import { panelStyles } from "./panel-styles.js";
import { PanelView } from "./panel-view.js";
// The modules those import, named here too: the browser then fetches the whole graph in one
// round trip after this file instead of level by level, and the worker, which starts only
// once all of it has arrived, starts as early as it did from one file.
import "./contract.js";
import "./conversation-thread.js";
import "./dialpad.js";
import "./dom.js";
import "./emoji-picker.js";
import "./message-view.js";
import "./opt-out-lookup.js";
import "./panel-elements.js";
import "./relay-client.js";
import "./segment-preview.js";
import "./thread-view.js";

const worker = composeWorker();
let nextPid = 1;

// What the host sets, as attributes or as properties: one table, property → attribute. A
// property reads and writes its attribute (null or undefined removes it; an object, e.g. the
// customer context, is written as JSON), so both take the one path through
// attributeChangedCallback. `lang` is HTMLElement's own property and reflects its attribute
// already, before the upgrade too.
const PROPERTIES = {
  relayUrl: "relay-url",
  token: "token",
  interactionId: "interaction-id",
  interactionType: "interaction-type",
  customer: "customer",
  to: "to",
};

export class SmsPanelElement extends HTMLElement {
  static observedAttributes = [...Object.values(PROPERTIES), "lang"];

  constructor() {
    super();
    this._upgradeProperties();
    const pid = `p${nextPid++}`;
    const lang = this._language();
    const root = this.attachShadow({ mode: "open" });
    root.adoptedStyleSheets = [panelStyles()];
    this._session = new ComposeSession({
      worker,
      core: new CoreChannel(worker, pid),
      lang,
      ui: (commands) => new PanelView(this, root, pid, lang, commands),
      attribute: (name) => this.getAttribute(name),
      languages: () => this._languages(),
      emit: (type, detail) => this._emit(type, detail),
    });
  }

  // -- the host's API -------------------------------------------------------------------------

  /** Whether the core is booted and the agent's configuration is loaded. */
  get ready() {
    return this._session.configured;
  }

  /** The current view state (the core's answer), for hosts and tests. */
  get state() {
    return this._session.view;
  }

  /** Opens the panel: step 1, as if the agent clicked SMS. */
  open() {
    return this._session.open();
  }

  /** Opens the panel with what the host already knows: {to, text, queue, template}. */
  prefill(fields = {}) {
    return this._session.prefill(fields);
  }

  /** Reactivates a parked draft by id (as the arrow in the inbox does). */
  resumeDraft(id) {
    return this._session.resumeDraft(id);
  }

  // -- lifecycle ------------------------------------------------------------------------------

  connectedCallback() {
    this._session.connected();
  }

  disconnectedCallback() {
    this._session.disconnected();
  }

  attributeChangedCallback(name, oldValue, value) {
    if (oldValue !== value) this._session.attributeChanged(name, value);
  }

  /**
   * A host may set properties before this module defines the element (a plain HTMLElement then):
   * they are own properties that hide the accessors. Take them over, so they become attributes.
   */
  _upgradeProperties() {
    for (const property of Object.keys(PROPERTIES)) {
      if (Object.hasOwn(this, property)) {
        const value = this[property];
        delete this[property];
        this[property] = value;
      }
    }
  }

  /** The languages the host asks for, most specific first: the element's, then the page's.
   * The core picks from them (and the tenant's); pickLanguage only until it runs. */
  _languages() {
    return [this.getAttribute("lang"), document.documentElement.lang];
  }

  _language() {
    return pickLanguage(...this._languages());
  }

  _emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }
}

for (const [property, attribute] of Object.entries(PROPERTIES)) {
  Object.defineProperty(SmsPanelElement.prototype, property, {
    configurable: true,
    enumerable: true,
    get() {
      return this.getAttribute(attribute);
    },
    set(value) {
      if (value === null || value === undefined) this.removeAttribute(attribute);
      else this.setAttribute(attribute, typeof value === "object" ? JSON.stringify(value) : String(value));
    },
  });
}

if (!customElements.get("sms-panel")) customElements.define("sms-panel", SmsPanelElement);

// <sms-panel-frame>: the iframe mode of the panel, for host pages whose Content-Security-Policy
// cannot allow WebAssembly ('wasm-unsafe-eval'). It has the attributes, methods and events of
// <sms-panel>; the panel itself runs in the relay's /embed page and this element forwards to
// it with postMessage, to and from the relay's origin only. Needs `relay-url`; the host's CSP
// needs frame-src (and script-src for this file) for the relay's origin, nothing more.

const FORWARDED = ["token", "lang", "interaction-id", "interaction-type", "customer", "to"];

export class SmsPanelFrameElement extends HTMLElement {
  static observedAttributes = FORWARDED;

  constructor() {
    super();
    this._calls = new Map();
    this._nextCall = 1;
    this._listening = false;
    this._onMessage = (event) => this._receive(event);
    const root = this.attachShadow({ mode: "open" });
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(":host { display: block; } iframe { border: 0; width: 100%; min-height: 24rem; display: block; }");
    root.adoptedStyleSheets = [sheet];
    this._frame = document.createElement("iframe");
    this._frame.setAttribute("title", this.getAttribute("title") || "SMS");
    this._frame.setAttribute("data-testid", "sms-panel-frame");
    root.append(this._frame);
  }

  connectedCallback() {
    const relay = new URL(this.getAttribute("relay-url") || "/", location.href);
    this._relayOrigin = relay.origin;
    window.addEventListener("message", this._onMessage);
    const src = new URL("/embed", relay);
    src.searchParams.set("origin", location.origin);
    this._frame.src = src.href;
  }

  disconnectedCallback() {
    window.removeEventListener("message", this._onMessage);
  }

  attributeChangedCallback(name, oldValue, value) {
    if (oldValue !== value && this._listening) this._post({ type: "attributes", attributes: { [name]: value } });
  }

  open() {
    return this._call("open");
  }

  prefill(fields) {
    return this._call("prefill", fields);
  }

  resumeDraft(id) {
    return this._call("resumeDraft", id);
  }

  _call(method, ...args) {
    const id = this._nextCall++;
    return new Promise((resolve, reject) => {
      this._calls.set(id, { resolve, reject });
      this._post({ type: "call", id, method, args });
    });
  }

  _post(message) {
    this._frame.contentWindow?.postMessage({ smsPanel: 1, ...message }, this._relayOrigin);
  }

  _receive(event) {
    if (event.origin !== this._relayOrigin || event.source !== this._frame.contentWindow) return;
    const data = event.data;
    if (!data || data.smsPanel !== 1) return;
    if (data.type === "hello") {
      this._listening = true;
      const attributes = {};
      for (const name of FORWARDED) attributes[name] = this.getAttribute(name);
      this._post({ type: "attributes", attributes });
    } else if (data.type === "event" && typeof data.name === "string" && data.name.startsWith("sms-")) {
      this.dispatchEvent(new CustomEvent(data.name, { detail: data.detail, bubbles: true, composed: true }));
    } else if (data.type === "result") {
      const call = this._calls.get(data.id);
      this._calls.delete(data.id);
      if (data.error) call?.reject(new Error(data.error));
      else call?.resolve(data.value);
    } else if (data.type === "resize" && Number.isFinite(data.height)) {
      this._frame.style.height = `${Math.ceil(data.height) + 4}px`;
    }
  }
}

if (!customElements.get("sms-panel-frame")) customElements.define("sms-panel-frame", SmsPanelFrameElement);

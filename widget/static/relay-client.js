// The relay's HTTP API as the panel uses it. Every call carries the agent's token; every
// failure comes back as the relay's one error shape {code, message, field} (translated by the
// relay through Accept-Language), or as {code: "net.offline"} when the relay cannot be reached.

export class RelayError extends Error {
  constructor(status, body) {
    super(body?.message ?? body?.code ?? `HTTP ${status}`);
    this.status = status;
    this.code = body?.code ?? "net.offline";
    this.field = body?.field ?? null;
    this.retryAfter = body?.retryAfter ?? null;
  }
}

export class RelayClient {
  constructor(baseUrl, token, lang) {
    this.base = baseUrl.replace(/\/+$/, "");
    this.token = token;
    this.lang = lang;
  }

  /** The language the relay's error messages come in (the one the core picked). */
  setLanguage(lang) {
    this.lang = lang;
  }

  async request(method, path, { body, headers = {} } = {}) {
    let response;
    try {
      response = await fetch(`${this.base}${path}`, {
        method,
        mode: "cors",
        credentials: "omit",
        headers: {
          Authorization: `Bearer ${this.token}`,
          "Accept-Language": this.lang,
          ...(body === undefined ? {} : { "Content-Type": "application/json" }),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new RelayError(0, null);
    }
    if (response.status === 204) return null;
    let data = null;
    try {
      data = await response.json();
    } catch {
      data = null;
    }
    if (!response.ok) {
      const retry = Number(response.headers.get("Retry-After"));
      throw new RelayError(response.status, { ...(data ?? {}), retryAfter: retry || null });
    }
    return data;
  }

  composeConfig() {
    return this.request("GET", "/v1/compose-config");
  }

  send(body, idempotencyKey) {
    return this.request("POST", "/v1/messages", { body, headers: { "Idempotency-Key": idempotencyKey } });
  }

  /** {number, opted_out, since}: whether the number replied STOP to the agent's tenant. */
  optOut(number) {
    return this.request("GET", `/v1/opt-outs/${encodeURIComponent(number)}`);
  }

  drafts() {
    return this.request("GET", "/v1/drafts");
  }

  park(draft) {
    return this.request("POST", "/v1/drafts", { body: { draft } });
  }

  updateDraft(id, draft, version) {
    return this.request("PUT", `/v1/drafts/${encodeURIComponent(id)}`, { body: { draft, version } });
  }

  deleteDraft(id) {
    return this.request("DELETE", `/v1/drafts/${encodeURIComponent(id)}`);
  }

  /** The conversation with `number` on the sender address `from`, newest first. */
  thread(number, from, before) {
    const query = `from=${encodeURIComponent(from)}${before ? `&before=${encodeURIComponent(before)}` : ""}`;
    return this.request("GET", `/v1/conversations/${encodeURIComponent(number)}?${query}`);
  }

  markRead(number, from) {
    return this.request("POST", `/v1/conversations/${encodeURIComponent(number)}/read?from=${encodeURIComponent(from)}`);
  }

  /** The agent's status changes and customers' replies as server-sent events (EventSource
   * cannot send headers). */
  events(onStatus, onReceived) {
    const url = `${this.base}/v1/events?access_token=${encodeURIComponent(this.token)}&lang=${this.lang}`;
    const source = new EventSource(url);
    for (const [type, handler] of [["status", onStatus], ["received", onReceived]]) {
      source.addEventListener(type, (event) => {
        try {
          handler?.(JSON.parse(event.data));
        } catch {
          // a malformed event is ignored; the next one carries the current state
        }
      });
    }
    return source;
  }
}

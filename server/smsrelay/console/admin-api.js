// The admin API (/v1/admin/…) with the administrator's token. Every error is the relay's
// {code, message, field}, worded in the console's language (?lang=): it is thrown as an
// AdminError and shown as it is.

export class AdminError extends Error {
  constructor(status, body) {
    super(body?.message ?? `HTTP ${status}`);
    this.status = status;
    this.code = body?.code ?? null;
    this.field = body?.field ?? null;
  }
}

export class AdminApi {
  constructor(token, lang, networkMessage) {
    this.token = token;
    this.lang = lang;
    this.networkMessage = networkMessage;
  }

  async request(method, path, body) {
    const url = new URL(path, location.origin);
    url.searchParams.set("lang", this.lang());
    const headers = { Authorization: `Bearer ${this.token}`, "Accept-Language": this.lang() };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    let response;
    try {
      response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch {
      throw new AdminError(0, { code: "network", message: this.networkMessage() });
    }
    const type = response.headers.get("content-type") ?? "";
    if (!response.ok) {
      const problem = type.includes("json") ? await response.json().catch(() => null) : null;
      throw new AdminError(response.status, problem);
    }
    return type.includes("json") ? response.json() : response.text();
  }

  /** The tenants this token may manage: an administrator's own. */
  tenants() {
    return this.request("GET", "/v1/admin/tenants");
  }

  tenant(id) {
    return this.request("GET", `/v1/admin/tenants/${encodeURIComponent(id)}`);
  }

  save(id, revision, settings, comment) {
    return this.request("PUT", `/v1/admin/tenants/${encodeURIComponent(id)}`, { revision, settings, comment: comment || null });
  }

  revisions(id, before) {
    const query = new URLSearchParams({ limit: "20" });
    if (before) query.set("before", String(before));
    return this.request("GET", `/v1/admin/tenants/${encodeURIComponent(id)}/revisions?${query}`);
  }

  revert(id, revision) {
    return this.request("POST", `/v1/admin/tenants/${encodeURIComponent(id)}/revert`, { revision });
  }

  deliveries(id, state, before) {
    const query = new URLSearchParams({ limit: "20" });
    if (state) query.set("state", state);
    if (before) query.set("before", String(before));
    return this.request("GET", `/v1/admin/tenants/${encodeURIComponent(id)}/webhooks/deliveries?${query}`);
  }

  redeliver(id, delivery) {
    return this.request("POST", `/v1/admin/tenants/${encodeURIComponent(id)}/webhooks/deliveries/${delivery}/redeliver`);
  }

  usage(id, from, to, format = "json") {
    const query = new URLSearchParams({ from, to, by: "day,queue", format });
    return this.request("GET", `/v1/admin/tenants/${encodeURIComponent(id)}/usage?${query}`);
  }
}

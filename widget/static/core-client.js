// The main thread's side of the compose worker: starts it once per page (as soon as this
// module loads), and lets each <sms-panel> send actions to its own Panel in the worker.
//
// A page on another origin than the relay cannot start a worker from the relay's URL; it starts
// a same-origin blob worker that imports the relay's module instead (the relay answers with
// CORS headers for the host origins its tenants allow).

const BOOT_TIMEOUT_MS = 30_000;

let shared = null;

/** The page's compose worker, started on first use. */
export function composeWorker() {
  shared ??= new ComposeWorker(new URL("./sms-worker.mjs", import.meta.url));
  return shared;
}

class ComposeWorker {
  constructor(url) {
    this.nextId = 1;
    this.pending = new Map();
    this.bootMs = null;
    this.ready = new Promise((resolve, reject) => {
      this._resolve = resolve;
      this._reject = reject;
    });
    this.ready.catch(() => {}); // each caller handles it
    try {
      this.worker = startWorker(url);
    } catch (error) {
      this._fail("asset", String(error?.message ?? error));
      return;
    }
    this.worker.onmessage = (event) => this._receive(event.data);
    this.worker.onerror = (event) => {
      event.preventDefault?.();
      this._fail("asset", event.message || "worker failed to load");
    };
    // Pyodide can hang instead of failing (e.g. WebAssembly refused in some embeddings).
    this._timer = setTimeout(() => this._fail("timeout", `not ready after ${BOOT_TIMEOUT_MS} ms`), BOOT_TIMEOUT_MS);
  }

  /** Runs one action for panel `pid` and resolves with smscompose.panel's answer object. */
  async act(pid, action) {
    await this.ready;
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.worker.postMessage({ id, pid, action });
    });
  }

  _receive(message) {
    if (message.type === "ready") {
      clearTimeout(this._timer);
      this.bootMs = message.ms;
      this._resolve(message.ms);
    } else if (message.type === "failed") {
      this._fail(message.reason, message.detail);
    } else if (message.type === "answer") {
      const resolve = this.pending.get(message.id);
      this.pending.delete(message.id);
      resolve?.(JSON.parse(message.answer));
    }
  }

  _fail(reason, detail) {
    clearTimeout(this._timer);
    const error = new Error(detail);
    error.reason = reason;
    this._reject(error);
    this.worker?.terminate();
  }
}

function startWorker(url) {
  if (url.origin === location.origin) {
    return new Worker(url, { type: "module", name: "sms-panel" });
  }
  // A dynamic import, so a refused module (CSP, CORS) reports why instead of a bare error event.
  const source = `import(${JSON.stringify(url.href)}).catch((e) => postMessage({ type: "failed", reason: "asset", detail: String(e) }));`;
  const bootstrap = new Blob([source], { type: "text/javascript" });
  const blobUrl = URL.createObjectURL(bootstrap);
  try {
    return new Worker(blobUrl, { type: "module", name: "sms-panel" });
  } finally {
    // The worker has its own reference once started.
    setTimeout(() => URL.revokeObjectURL(blobUrl), 60_000);
  }
}

// Inputs whose newer value makes an older one still waiting pointless: the agent's text and To,
// and the admin console's template preview and sender check (each editor has its own channel).
const SUPERSEDED = new Set(["text", "to", "template_preview", "check_sender"]);

/**
 * One panel's channel to the worker. Actions run in order; while one runs, a newer text (or
 * To) input replaces an older one still waiting, so a fast typist never queues stale work.
 */
export class CoreChannel {
  constructor(worker, pid) {
    this.worker = worker;
    this.pid = pid;
    this.queue = [];
    this.running = false;
  }

  act(action) {
    return new Promise((resolve) => {
      const last = this.queue[this.queue.length - 1];
      if (last && SUPERSEDED.has(action.do) && last.action.do === action.do) {
        last.resolve(null); // superseded: its caller renders nothing
        this.queue[this.queue.length - 1] = { action, resolve };
      } else {
        this.queue.push({ action, resolve });
      }
      this._pump();
    });
  }

  async _pump() {
    if (this.running) return;
    this.running = true;
    try {
      while (this.queue.length) {
        const { action, resolve } = this.queue.shift();
        try {
          resolve(await this.worker.act(this.pid, action));
        } catch (error) {
          resolve({ bootError: error });
        }
      }
    } finally {
      this.running = false;
    }
  }
}

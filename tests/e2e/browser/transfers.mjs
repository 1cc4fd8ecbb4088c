// What a browser context downloads, as the network counts it: every response's encoded body
// plus its headers (Playwright's request.sizes(); 0 for a cache hit), the worker's included
// (Playwright reports a dedicated worker's requests on its context). Shared by the cold-load
// test (cold-load.spec.mjs) and the benchmark (bench/widget.mjs), so both count alike.

/** A URL's path with content hashes left out, so the same asset of two builds has one name. */
export function assetName(url) {
  const { pathname } = new URL(url);
  return pathname.replace(/[0-9a-f]{8,}/g, "…");
}

/**
 * Starts recording `context`'s requests. `quiet()` waits until none has been in flight for
 * `ms`; `assets()` stops recording and resolves with [{url, name, bytes, encoding}], largest
 * first; `total(assets)` adds their bytes.
 */
export function watchTransfers(context) {
  const finished = [];
  let inFlight = 0;
  let changed = Date.now();
  const started = () => {
    inFlight++;
    changed = Date.now();
  };
  const ended = (request, ok) => {
    inFlight--;
    changed = Date.now();
    if (ok) finished.push(request);
  };
  // The event stream stays open for the page's lifetime: it is never "done", so not waited for.
  const streams = (request) => request.resourceType() === "eventsource";
  const onRequest = (request) => streams(request) || started(request);
  const onFinished = (request) => streams(request) || ended(request, true);
  const onFailed = (request) => streams(request) || ended(request, false);
  context.on("request", onRequest);
  context.on("requestfinished", onFinished);
  context.on("requestfailed", onFailed);
  return {
    async quiet(ms = 500, timeout = 30_000) {
      const deadline = Date.now() + timeout;
      while (inFlight > 0 || Date.now() - changed < ms) {
        if (Date.now() > deadline) throw new Error(`${inFlight} requests still in flight after ${timeout} ms`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async assets() {
      context.off("request", onRequest);
      context.off("requestfinished", onFinished);
      context.off("requestfailed", onFailed);
      const assets = await Promise.all(
        finished.map(async (request) => {
          const sizes = await request.sizes().catch(() => null);
          const response = await request.response().catch(() => null);
          const encoding = (await response?.headerValue("content-encoding").catch(() => null)) ?? "";
          const bytes = sizes ? Math.max(0, sizes.responseBodySize + sizes.responseHeadersSize) : 0;
          return { url: request.url(), name: assetName(request.url()), bytes, encoding };
        }),
      );
      return assets.sort((a, b) => b.bytes - a.bytes);
    },
  };
}

export const total = (assets) => assets.reduce((sum, { bytes }) => sum + bytes, 0);

/** "2,893,640 B zstd /widget/pyodide/…/pyodide.asm.wasm" lines, for a failure's message. */
export function describe(assets, limit = 12) {
  return assets
    .slice(0, limit)
    .map(({ bytes, encoding, name }) => `${bytes.toLocaleString("en").padStart(11)} B ${encoding.padEnd(5)} ${name}`)
    .join("\n");
}

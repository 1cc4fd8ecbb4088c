// The browser panel in real headless Chromium (Debian's /usr/bin/chromium through Playwright)
// against a relay this script starts (embedded demo configuration, its /demo agent desktop):
//
// * load: navigation start → <sms-panel>'s sms-ready (worker booted and the agent's
//   configuration loaded), cold (a fresh browser context, empty cache) and warm (a reload in
//   the same context); the worker's own boot time; bytes over the wire until nothing is in
//   flight after ready (every response's encoded body and headers, the worker's included, as
//   tests/e2e/browser/transfers.mjs counts them for the cold-load test), in all and per asset;
//   total blocking time of the page's main thread from its long tasks up to ready; and that no
//   request leaves the relay's origin;
// * typing: keydown → counter painted (the animation frame after the counter's text changed),
//   for drafts of 10, 160 and 1,600 characters, one key at a time ("x" and Backspace in turn).
//
// Prints two Markdown tables (also bench/results/widget.md): the measures above, and the cold
// load per asset (widget_assets.mjs). The machine is shared: medians and p95 over several runs,
// and the load average is printed with them.
//
// Usage: node bench/widget.mjs [--runs N] [--keys N] [--no-snapshot] [--url URL] [--baseline URL]
//   --no-snapshot  strips the memory snapshot from manifest.json (the worker boots from scratch);
//                  cold loads only: Playwright turns the HTTP cache off while it rewrites a response
//   --url          measure a relay that is already running (with the demo) instead of starting one
//   --baseline     also measure this relay (another build, e.g. main's, with the demo), its cold
//                  loads alternating with the measured one's in the same run: "before" columns
//                  and after/before ratios in the per-asset table
import { chromium } from "@playwright/test";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { CHROMIUM_ARGS } from "../playwright.config.mjs";
import { total, watchTransfers } from "../tests/e2e/browser/transfers.mjs";
import { assetTable } from "./widget_assets.mjs";
import { keystrokeProbe, loadProbe } from "./widget_probes.mjs";
import { startRelay } from "./widget_relay.mjs";

const RESULTS = join(dirname(fileURLToPath(import.meta.url)), "results");
const CHROMIUM = "/usr/bin/chromium";
const FRAME_MS = 1000 / 60;
const TARGET = { coldMs: 1500, blockingMs: 0, keyFrames: 2 };
const DRAFT_SIZES = [10, 160, 1600];
const FALLBACK = "booting without the memory snapshot";

const { values: opts } = parseArgs({
  options: {
    runs: { type: "string", default: "5" },
    keys: { type: "string", default: "60" },
    "no-snapshot": { type: "boolean", default: false },
    url: { type: "string" },
    baseline: { type: "string" },
  },
});
const runs = Number(opts.runs);
const keys = Number(opts.keys);

const median = (xs) => quantile(xs, 0.5);
function quantile(xs, q) {
  const sorted = [...xs].sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  if (q === 0.5) {
    const mid = sorted.length >> 1;
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]; // nearest rank
}

/** Every request that went anywhere but the relay (the page's own data: and blob: URLs aside). */
function watchForeign(context, origin) {
  const foreign = new Set();
  const onRequest = (request) => {
    const url = request.url();
    if (!url.startsWith(`${origin}/`) && !/^(data|blob):/.test(url)) foreign.add(url);
  };
  context.on("request", onRequest);
  return () => {
    context.off("request", onRequest);
    return [...foreign];
  };
}

/** One page load until sms-ready: {readyMs, bootMs, blockingMs, bytes, assets, urls, foreign}. */
async function measureLoad(page, origin, navigate) {
  const transfers = watchTransfers(page.context());
  const stopForeign = watchForeign(page.context(), origin);
  await navigate();
  await page.waitForFunction(() => window.__bench.ready !== null || window.__bench.error !== null, null, {
    timeout: 60_000,
    polling: 20,
  });
  const bench = await page.evaluate(() => window.__bench);
  if (bench.error) throw new Error(`the panel failed: ${JSON.stringify(bench.error)}`);
  // What was in flight at ready is part of the load: its bytes count.
  await transfers.quiet();
  const blockingMs = bench.longTasks
    .filter((task) => task.start < bench.ready)
    .reduce((sum, task) => sum + Math.max(0, task.duration - 50), 0);
  const assets = await transfers.assets();
  const urls = assets.map(({ url }) => url);
  return { readyMs: bench.ready, bootMs: bench.bootMs, blockingMs, bytes: total(assets), assets, urls, foreign: stopForeign() };
}

/** A manifest without the snapshot, as a build that could not make one would write it. */
async function stripSnapshot(context) {
  await context.route("**/widget/manifest.json", async (route) => {
    const response = await route.fetch();
    const { snapshot, ...manifest } = await response.json();
    await route.fulfill({ response, json: manifest });
  });
}

async function newPage(browser) {
  const context = await browser.newContext();
  if (opts["no-snapshot"]) await stripSnapshot(context);
  const page = await context.newPage();
  const fallbacks = [];
  page.on("console", (message) => message.text().includes(FALLBACK) && fallbacks.push(message.text()));
  await page.addInitScript(loadProbe);
  return { context, page, fallbacks };
}

/** Cold (and warm) loads of each target ({label, url}) in turn, alternating which goes first,
 * so all see the same machine: [{cold, warm, fallbacks}] in the targets' order. */
async function measureLoads(browser, targets) {
  const results = targets.map(() => ({ cold: [], warm: [], fallbacks: [] }));
  for (let run = 1; run <= runs; run++) {
    const order = run % 2 ? [...targets.keys()] : [...targets.keys()].reverse();
    for (const index of order) {
      const { label, url: origin } = targets[index];
      const { cold, warm, fallbacks } = results[index];
      const { context, page, fallbacks: seen } = await newPage(browser);
      try {
        cold.push(await measureLoad(page, origin, () => page.goto(`${origin}/demo`)));
        cold.at(-1).fellBack = seen.length > 0;
        if (!opts["no-snapshot"]) {
          warm.push(await measureLoad(page, origin, () => page.reload()));
          warm.at(-1).fellBack = seen.length > Number(cold.at(-1).fellBack);
        }
      } finally {
        await context.close();
      }
      fallbacks.push(...seen);
      const [c, w] = [cold.at(-1), warm.at(-1)];
      console.error(
        `[widget] ${label} run ${run}/${runs}: cold ${c.readyMs.toFixed(0)} ms (worker ${c.bootMs} ms, ` +
          `${(c.bytes / 1e6).toFixed(2)} MB)` +
          (w ? `, warm ${w.readyMs.toFixed(0)} ms (worker ${w.bootMs} ms)` : ""),
      );
    }
  }
  for (const [index, { cold }] of results.entries()) {
    if (!cold.every((load) => load.urls.some((url) => url.endsWith(".wasm")))) {
      throw new Error(`${targets[index].label}: a cold load counted no .wasm request: the worker's requests are not seen`);
    }
  }
  return results;
}

function draft(size) {
  const words = "Guten Tag, Ihr Termin am Montag um 10:30 Uhr ist bestätigt. Bis bald! ";
  return words.repeat(Math.ceil(size / words.length)).slice(0, size);
}

/** Waits until the counter's text has not changed for a while (the core has caught up). */
async function settled(counter) {
  let last = null;
  for (let stable = 0; stable < 3; ) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const text = await counter.textContent();
    stable = text && text === last ? stable + 1 : 0;
    last = text;
  }
}

async function measureKeystrokes(browser, origin) {
  const { context, page } = await newPage(browser);
  try {
    await page.goto(`${origin}/demo`);
    await page.waitForFunction(() => window.__bench.ready !== null, null, { timeout: 60_000 });
    await page.getByTestId("sms-button").click();
    await page.getByTestId("queue-select").selectOption("service");
    const text = page.getByTestId("text-input");
    const counter = page.getByTestId("counter");
    await counter.evaluate(keystrokeProbe, await text.elementHandle());
    const results = [];
    for (const size of DRAFT_SIZES) {
      await text.fill(draft(size));
      await settled(counter);
      await page.evaluate(() => (window.__keys.samples = []));
      let missed = 0;
      for (let key = 0; key < keys; key++) {
        await page.keyboard.press(key % 2 ? "Backspace" : "x");
        const seen = await page
          .waitForFunction((n) => window.__keys.samples.length >= n, key + 1 - missed, { timeout: 5_000, polling: 10 })
          .then(() => true, () => false);
        if (!seen) missed++;
      }
      const samples = await page.evaluate(() => window.__keys.samples);
      results.push({ size, painted: samples.map((s) => s.painted), missed });
    }
    return results;
  } finally {
    await context.close();
  }
}

// -- the table ------------------------------------------------------------------------------

const ms = (x) => (x === undefined ? "n/a" : `${Math.round(x).toLocaleString("en")} ms`);
const mb = (x) => (x === undefined ? "n/a" : `${(x / 1e6).toFixed(2)} MB`);
const frames = (x) => `${(x / FRAME_MS).toFixed(1)} fr`;
const verdict = (ok) => (ok ? "✅ pass" : "❌ fail");

function table({ cold, warm, fallbacks }, keystrokes, snapshotServed, env) {
  const col = (loads, key) => loads.map((load) => load[key]);
  const coldReady = col(cold, "readyMs");
  const blocking = [...col(cold, "blockingMs"), ...col(warm, "blockingMs")];
  const foreign = [...new Set([...cold, ...warm].flatMap((load) => load.foreign))];
  const loads = cold.length + warm.length;
  const restored = [...cold, ...warm].filter((load) => !load.fellBack).length;
  const boot = opts["no-snapshot"]
    ? "from scratch (--no-snapshot: the manifest's snapshot was hidden from the worker)"
    : !snapshotServed
      ? "from scratch (the relay's manifest names no memory snapshot)"
      : `from the memory snapshot in ${restored} of ${loads} loads` +
        (fallbacks.length ? `; the others fell back: ${[...new Set(fallbacks)].join("; ")}` : "");
  const rows = [
    "| Measure | Median | p95 | Target | Result |",
    "|---|---:|---:|---|---|",
    `| Cold: navigation → \`sms-ready\` (${runs} fresh contexts) | **${ms(median(coldReady))}** | ${ms(quantile(coldReady, 0.95))} ` +
      `| ≤ ${ms(TARGET.coldMs)} | ${verdict(median(coldReady) <= TARGET.coldMs)} |`,
    `| Warm: navigation → \`sms-ready\` (reload, same context) | ${ms(median(col(warm, "readyMs")))} ` +
      `| ${ms(quantile(col(warm, "readyMs"), 0.95))} | (info) | |`,
    `| Worker boot (its own \`ms\`), cold / warm | ${ms(median(col(cold, "bootMs")))} / ${ms(median(col(warm, "bootMs")))} ` +
      `| ${ms(quantile(col(cold, "bootMs"), 0.95))} / ${ms(quantile(col(warm, "bootMs"), 0.95))} | (info) | |`,
    `| Bytes transferred until ready, cold / warm (page and worker) | ${mb(median(col(cold, "bytes")))} / ${mb(median(col(warm, "bytes")))} ` +
      `| | (info) | |`,
    `| Main-thread blocking time, load → ready (long tasks − 50 ms) | ${ms(median(blocking))} | ${ms(quantile(blocking, 0.95))} ` +
      `| ${ms(TARGET.blockingMs)} | ${verdict(quantile(blocking, 0.95) <= TARGET.blockingMs)} |`,
  ];
  for (const { size, painted, missed } of keystrokes) {
    const p95 = quantile(painted, 0.95);
    const target = size === 1600 ? `p95 ≤ ${TARGET.keyFrames} frames` : "(info)";
    const result = size === 1600 ? verdict(p95 <= TARGET.keyFrames * FRAME_MS && missed === 0) : "";
    rows.push(
      `| Keystroke → counter painted, ${size.toLocaleString("en")}-char draft (${painted.length} keys` +
        `${missed ? `, ${missed} without a change` : ""}) | ${ms(median(painted))} (${frames(median(painted))}) ` +
        `| ${ms(p95)} (${frames(p95)}) | ${target} | ${result} |`,
    );
  }
  rows.push(`| Requests outside the relay's origin | ${foreign.length} | | 0 | ${verdict(foreign.length === 0)} |`);
  const lines = ["# Widget benchmark (headless Chromium, /demo)", "", ...rows, "", `Boot: ${boot}.`];
  if (foreign.length) lines.push("", "Outside the relay:", ...foreign.map((url) => `- ${url}`));
  lines.push("", env);
  return `${lines.join("\n")}\n`;
}

async function main() {
  const load = () => loadavg().map((x) => x.toFixed(2)).join(" ");
  const loadBefore = load();
  const relay = opts.url ? { url: opts.url.replace(/\/$/, ""), stop: async () => {} } : await startRelay();
  const targets = [{ label: "after", url: relay.url }];
  if (opts.baseline) targets.push({ label: "before", url: opts.baseline.replace(/\/$/, "") });
  let browser;
  let loads;
  let keystrokes;
  let snapshotServed;
  try {
    snapshotServed = "snapshot" in (await (await fetch(`${relay.url}/widget/manifest.json`)).json());
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    loads = await measureLoads(browser, targets);
    keystrokes = await measureKeystrokes(browser, relay.url);
  } finally {
    await browser?.close();
    await relay.stop();
  }
  const env =
    `Chromium ${browser.version()}, Node ${process.version}, ${cpus().length} CPUs; ` +
    `load average ${loadBefore} before, ${load()} after.`;
  const result = `${table(loads[0], keystrokes, snapshotServed, env)}\n${assetTable(loads[0].cold, loads[1]?.cold, runs)}`;
  console.log(result);
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(join(RESULTS, "widget.md"), result);
}

await main();

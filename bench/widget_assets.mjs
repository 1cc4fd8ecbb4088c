// The cold load per asset, as bench/widget.mjs measured it: bytes on the wire of each response
// (median over the cold loads; an asset missing from a load counts 0 there), the total, and the
// time to sms-ready. With a baseline (--baseline URL) the same for it, and after/before.

const ASSET_MIN_BYTES = 10_000; // smaller ones (the page, the shell's modules, API answers) are summed

const median = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const mb = (bytes) => (bytes === undefined ? "–" : `${(bytes / 1e6).toFixed(2)} MB`);
const kb = (bytes) => (bytes === undefined ? "–" : bytes >= 1e6 ? mb(bytes) : `${(bytes / 1e3).toFixed(1)} kB`);
const sec = (ms) => (ms === undefined ? "–" : `${(ms / 1000).toFixed(2)} s`);
const ratio = (after, before) => (after === undefined || !before ? "" : `${(after / before).toFixed(2)}×`);

/** {name → {bytes (median), encoding}} over the loads, plus the loads' medians. */
function summarize(loads) {
  const names = new Set(loads.flatMap((load) => load.assets.map(({ name }) => name)));
  const assets = new Map();
  for (const name of names) {
    const seen = loads.map((load) => load.assets.filter((asset) => asset.name === name));
    const bytes = median(seen.map((same) => same.reduce((sum, asset) => sum + asset.bytes, 0)));
    const encoding = seen.flat().find((asset) => asset.encoding)?.encoding ?? "";
    const requests = median(seen.map((same) => same.length));
    assets.set(name, { bytes, encoding, requests });
  }
  return {
    assets,
    total: median(loads.map((load) => load.bytes)),
    readyMs: median(loads.map((load) => load.readyMs)),
    bootMs: median(loads.map((load) => load.bootMs)),
  };
}

/** A Markdown table of `after`'s cold loads, and `before`'s beside them when given. */
export function assetTable(after, before, runs) {
  const a = summarize(after);
  const b = before ? summarize(before) : null;
  const big = (summary, name) => (summary?.assets.get(name)?.bytes ?? 0) >= ASSET_MIN_BYTES;
  const names = [...new Set([...a.assets.keys(), ...(b?.assets.keys() ?? [])])];
  const shown = names
    .filter((name) => big(a, name) || big(b, name))
    .sort((x, y) => Math.max(b?.assets.get(y)?.bytes ?? 0, a.assets.get(y)?.bytes ?? 0) - Math.max(b?.assets.get(x)?.bytes ?? 0, a.assets.get(x)?.bytes ?? 0));
  const rest = (summary) => {
    if (!summary) return {};
    const small = names.filter((name) => !shown.includes(name) && summary.assets.has(name));
    return {
      bytes: small.reduce((sum, name) => sum + summary.assets.get(name).bytes, 0),
      requests: small.reduce((sum, name) => sum + summary.assets.get(name).requests, 0),
    };
  };
  const cell = (summary, name) => {
    const asset = summary?.assets.get(name);
    return asset ? `${kb(asset.bytes)}${asset.encoding ? ` (${asset.encoding})` : ""}` : summary ? "not fetched" : "–";
  };
  const header = b
    ? ["| Cold load, on the wire | before | after | after/before |", "|---|---:|---:|---:|"]
    : ["| Cold load, on the wire | bytes |", "|---|---:|"];
  const row = (label, after_, before_, afterValue, beforeValue) =>
    b ? `| ${label} | ${before_} | ${after_} | ${ratio(afterValue, beforeValue)} |` : `| ${label} | ${after_} |`;
  const [restA, restB] = [rest(a), rest(b)];
  const lines = [
    `### The panel's cold load per asset (/demo, ${runs} fresh contexts${b ? " each, alternating" : ""}; medians)`,
    "",
    ...header,
    ...shown.map((name) =>
      row(`\`${name}\``, cell(a, name), cell(b, name), a.assets.get(name)?.bytes ?? 0, b?.assets.get(name)?.bytes),
    ),
    row(
      `the rest: page, shell, API (${restA.requests}${b ? ` / ${restB.requests} before` : ""} requests)`,
      kb(restA.bytes),
      kb(restB.bytes),
      restA.bytes,
      restB.bytes,
    ),
    row("**Total on the wire**", `**${mb(a.total)}**`, mb(b?.total), a.total, b?.total),
    row("Navigation → `sms-ready`", `**${sec(a.readyMs)}**`, sec(b?.readyMs), a.readyMs, b?.readyMs),
    row("Worker boot (its own `ms`)", sec(a.bootMs), sec(b?.bootMs), a.bootMs, b?.bootMs),
    "",
    `Budget: ≤ 6 MB on the wire (tests/e2e/browser/cold-load.spec.mjs) — ${a.total <= 6e6 ? "✅ met" : "❌ missed"}.`,
  ];
  return `${lines.join("\n")}\n`;
}

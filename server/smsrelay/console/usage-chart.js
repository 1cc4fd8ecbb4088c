// Usage for a range of days: billed segments per day and queue as a stacked bar chart (inline
// SVG built here, no chart library), the same numbers as a table for screen readers and
// copying, the totals, and the relay's CSV as a download link.

import { fill, h } from "/widget/dom.js";
import { lang, t } from "./i18n.js";

const SVG = "http://www.w3.org/2000/svg";
// Distinguishable, and at least 3:1 against the white background (WCAG 1.4.11).
const COLOURS = ["#1d4ed8", "#b45309", "#047857", "#7c3aed", "#be123c", "#0e7490", "#4b5563"];
const WIDTH = 720;
const HEIGHT = 240;
const PAD = { left: 44, right: 12, top: 12, bottom: 28 };
let charts = 0;

function s(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  node.append(...children);
  return node;
}

/** Every day from `from` to `to` (YYYY-MM-DD, both included). */
export function days(from, to) {
  const out = [];
  for (let d = new Date(`${from}T00:00:00Z`); d <= new Date(`${to}T00:00:00Z`); d.setUTCDate(d.getUTCDate() + 1)) {
    out.push(d.toISOString().slice(0, 10));
  }
  return out;
}

/** Renders the report (by day and queue) into `container`; `csvUrl` is the download's blob URL. */
export function renderUsage(container, report, csvUrl) {
  const queues = [...new Set(report.items.map((i) => i.queue ?? "–"))].sort();
  const range = days(report.from, report.to);
  const perDay = new Map(range.map((d) => [d, new Map()]));
  for (const item of report.items) perDay.get(item.day)?.set(item.queue ?? "–", item.segments);
  const numbers = new Intl.NumberFormat(lang());
  const money = report.currency && report.totals.cost !== null ? new Intl.NumberFormat(lang(), { style: "currency", currency: report.currency }) : null;
  const caption = t("usageChart", { from: report.from, to: report.to });
  const totals = t("usageTotals", {
    messages: numbers.format(report.totals.messages),
    segments: numbers.format(report.totals.segments),
    cost: money ? ` · ${money.format(report.totals.cost)}` : "",
  });
  const link = h("a", { href: csvUrl, download: `usage-${report.tenant}-${report.from}-${report.to}.csv`, "data-testid": "admin-usage-csv" }, t("downloadCsv"));
  if (!report.items.length) {
    fill(container, h("p", { "data-testid": "admin-usage-totals" }, t("usageEmpty")), h("p", {}, link));
    return;
  }
  fill(
    container,
    h("p", { "data-testid": "admin-usage-totals" }, totals),
    h("figure", { class: "chart" }, chart(range, perDay, queues, caption), h("figcaption", {}, caption), legend(queues)),
    table(range, perDay, queues, numbers),
    h("p", {}, link),
  );
}

function chart(range, perDay, queues, caption) {
  const totals = range.map((d) => [...perDay.get(d).values()].reduce((a, b) => a + b, 0));
  const top = Math.max(1, ...totals);
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const slot = plotW / range.length;
  const bar = Math.max(1, slot * 0.7);
  const y = (v) => PAD.top + plotH - (v / top) * plotH;
  const titleId = `usage-chart-title-${++charts}`;
  const svg = s("svg", { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: "img", "aria-labelledby": titleId, "data-testid": "admin-usage-chart" }, s("title", { id: titleId }, caption));
  for (const value of [0, Math.round(top / 2), top]) {
    svg.append(
      s("line", { x1: PAD.left, x2: WIDTH - PAD.right, y1: y(value), y2: y(value), class: "grid" }),
      s("text", { x: PAD.left - 6, y: y(value) + 4, "text-anchor": "end", class: "axis" }, String(value)),
    );
  }
  range.forEach((day, i) => {
    let base = 0;
    const x = PAD.left + i * slot + (slot - bar) / 2;
    queues.forEach((queue, q) => {
      const value = perDay.get(day).get(queue) ?? 0;
      if (!value) return;
      svg.append(
        s("rect", { x, width: bar, y: y(base + value), height: y(base) - y(base + value), fill: COLOURS[q % COLOURS.length], "data-day": day, "data-queue": queue }, s("title", {}, `${day} · ${queue}: ${value}`)),
      );
      base += value;
    });
  });
  const labelled = new Set([0, Math.floor((range.length - 1) / 2), range.length - 1]);
  for (const i of labelled) {
    const x = PAD.left + i * slot + slot / 2;
    svg.append(s("text", { x, y: HEIGHT - 8, "text-anchor": "middle", class: "axis" }, range[i].slice(5)));
  }
  return svg;
}

function legend(queues) {
  return h(
    "ul",
    { class: "legend" },
    queues.map((queue, q) => h("li", {}, svgSwatch(COLOURS[q % COLOURS.length]), " ", queue)),
  );
}

function svgSwatch(colour) {
  return s("svg", { width: 12, height: 12, "aria-hidden": "true" }, s("rect", { width: 12, height: 12, fill: colour }));
}

function table(range, perDay, queues, numbers) {
  const used = range.filter((d) => perDay.get(d).size);
  return h(
    "table",
    { class: "usage", "data-testid": "admin-usage-table" },
    h("caption", {}, `${t("segments")} · ${t("day")} × ${t("queue")}`),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("day")), queues.map((q) => h("th", { scope: "col" }, q)))),
    h(
      "tbody",
      {},
      used.map((d) => h("tr", {}, h("th", { scope: "row" }, d), queues.map((q) => h("td", {}, numbers.format(perDay.get(d).get(q) ?? 0))))),
    ),
  );
}

// The live preview of one template, from the compose core in the panel's own worker (Pyodide):
// as written, with the sample values and with the longest values — each with its encoding,
// segments, characters and the characters that force UCS-2 — and the worst of them against the
// tenant's maximum. Everything shown is worded by the core; nothing is counted here.

import { CoreChannel, composeWorker } from "/widget/core-client.js";
import { fill, h } from "/widget/dom.js";
import { lang, t } from "./i18n.js";

let channels = 0;

export class TemplatePreview {
  constructor(container) {
    this.container = container;
    this.channel = new CoreChannel(composeWorker(), `admin-template-${++channels}`);
    fill(container, h("p", { class: "muted" }, t("previewLoading")));
  }

  /** Asks the core; resolves with its answer once shown, or null when a newer one replaced it. */
  async update({ text, samples, longest, tables, maxSegments }) {
    const answer = await this.channel.act({
      do: "template_preview",
      text,
      samples,
      longest,
      locking: tables?.locking ?? [],
      single: tables?.single ?? [],
      max_segments: Number.isInteger(maxSegments) && maxSegments > 0 ? maxSegments : null,
      lang: lang(),
    });
    if (answer === null) return null;
    render(this.container, answer);
    return answer;
  }
}

/** What a screen reader hears once typing pauses: the verdict, or the problem. */
export function spoken(answer) {
  const preview = answer?.preview;
  if (!preview) return answer?.problem?.message ?? null;
  return preview.problems[0]?.message ?? preview.verdict ?? preview.views.map((v) => `${v.label}: ${v.summary}`).join(". ");
}

function render(container, answer) {
  if (answer.bootError) {
    fill(container, h("p", { class: "error" }, t("previewUnavailable", { detail: answer.bootError.message })));
    return;
  }
  const failed = answer.error ?? answer.problem;
  if (failed) {
    fill(container, h("p", { class: "error", "data-testid": "preview-problem" }, failed.message));
    return;
  }
  const preview = answer.preview;
  const problem = preview.problems[0];
  const verdict = problem ?? (preview.verdict ? { message: preview.verdict } : null);
  fill(
    container,
    h("h4", {}, t("previewTitle")),
    verdict
      ? h("p", { class: problem ? "verdict over" : "verdict ok", "data-testid": "preview-verdict" }, verdict.message)
      : null,
    h("ul", { class: "views" }, preview.views.map(view)),
  );
}

function view(v) {
  return h(
    "li",
    { class: v.over_limit ? "view over" : "view", "data-testid": `preview-${v.kind}`, "data-segments": v.segments, "data-encoding": v.encoding },
    h("p", { class: "view-head" }, h("strong", {}, v.label), " ", h("span", { "data-testid": "preview-summary" }, v.summary), " ", h("code", {}, v.counter)),
    v.forcing ? h("p", { class: "forcing", "data-testid": "preview-forcing" }, v.forcing) : null,
    v.empty_note ? h("p", { class: "muted" }, v.empty_note) : null,
    h("p", { class: "sms-text", "data-testid": "preview-text" }, v.text),
  );
}

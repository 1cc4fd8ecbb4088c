// What every browser test shares: the relay (started by global-setup.mjs), host pages that
// embed the panel the way a CRM does, and two checks after every test: no console errors and
// no request to any origin but the relay's (and the host page's own document).
import { execFileSync } from "node:child_process";
import { test as base, expect } from "@playwright/test";
import { SmsPanel } from "../../../widget/testing/sms-panel-page.js";
import { crmPage } from "./crm-host.mjs";
import { mintToken } from "./relay.mjs";

export { crmPage, expect, mintToken, SmsPanel };

export const relay = JSON.parse(process.env.SMS_PANEL_RELAY ?? "null");
/** The CRM's origin in cross-origin tests: same machine, another origin than the relay's. */
export const crmOrigin = relay ? `http://localhost:${relay.hostPort}` : null;

const escapeAttr = (value) => String(value).replaceAll("&", "&amp;").replaceAll('"', "&quot;").replaceAll("<", "&lt;");

/** A host page's HTML with one <sms-panel> (or `body` as given) and the panel's script. */
export function hostHtml({ attributes = {}, body, head = "", lang = "de", script = `${relay.url}/widget/sms-panel.js` } = {}) {
  const attrs = Object.entries(attributes)
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => ` ${k}="${escapeAttr(typeof v === "object" ? JSON.stringify(v) : v)}"`)
    .join("");
  return `<!doctype html>
<html lang="${lang}">
<head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Host</title>
${script ? `<script type="module" src="${script}"></script>` : ""}
${head}</head>
<body>
<section data-testid="contact-area">${body ?? `<sms-panel data-testid="panel"${attrs}></sms-panel>`}</section>
</body></html>`;
}

export const test = base.extend({
  /** Console errors this test expects: ONE regex in an array (Playwright reads a second
   * element as fixture options), e.g. [/status of 422|ERR_FAILED/]; anything else fails. */
  allowedConsoleErrors: [[], { option: true }],

  consoleErrors: [
    async ({ page, allowedConsoleErrors }, use) => {
      const errors = [];
      page.on("console", (message) => {
        if (message.type() === "error") errors.push(message.text());
      });
      page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`));
      page.on("worker", (worker) => worker.on("console", (m) => m.type() === "error" && errors.push(`worker: ${m.text()}`)));
      await use(errors);
      const unexpected = errors.filter((e) => !allowedConsoleErrors.some((re) => re.test(e)));
      expect(unexpected, "console errors").toEqual([]);
    },
    { auto: true },
  ],

  /** Origins besides the suite's relay and CRM a test may talk to (e.g. a second relay). */
  extraOrigins: [[], { option: true }],

  foreignRequests: [
    async ({ context, extraOrigins }, use) => {
      const foreign = [];
      const allowed = new Set([relay.url, crmOrigin, ...extraOrigins]);
      context.on("request", (request) => {
        const url = request.url();
        if (url.startsWith("data:") || url.startsWith("blob:")) return;
        if (!allowed.has(new URL(url).origin)) foreign.push(url);
      });
      await use(foreign);
      expect(foreign, "requests leaving the relay's origin").toEqual([]);
    },
    { auto: true },
  ],

  /**
   * Opens a host page with a panel; `origin` "relay" (same origin) or "crm" (cross-origin).
   * Returns the SmsPanel page object, ready unless `ready: false`.
   */
  host: async ({ page }, use) => {
    await use(async ({ origin = "relay", path = "/__host", ready = true, headers = {}, ...page_options } = {}) => {
      const base = origin === "crm" ? crmOrigin : relay.url;
      const url = `${base}${path}`;
      const attributes = { "relay-url": relay.url, lang: "de", ...page_options.attributes };
      if (!("token" in (page_options.attributes ?? {}))) attributes.token = mintToken();
      const html = page_options.html ?? hostHtml({ ...page_options, attributes });
      if (origin === "crm") {
        await crmPage(crmOrigin, `${path}-${Date.now()}`, html, headers).then((u) => page.goto(u));
      } else {
        // Same origin as the relay: the page is fulfilled in the browser, as if the relay served it.
        await page.route(url, (route) => route.fulfill({ status: 200, contentType: "text/html; charset=utf-8", body: html, headers }));
        await page.goto(url);
      }
      const panel = new SmsPanel(page);
      if (ready) await panel.waitUntilReady();
      return panel;
    });
  },
});

/** What the compose core says about `text` in CPython (its command line): the reference the
 * panel's counter must match. */
export function coreCount(text) {
  const out = execFileSync(".venv/bin/python", ["-m", "smscompose", "count", "--json", "--", text], { encoding: "utf8" });
  return JSON.parse(out);
}

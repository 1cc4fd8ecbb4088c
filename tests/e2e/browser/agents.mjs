// Several agents at once, each in a browser context of their own (their own panel, token and
// event stream), for tests of who a customer's reply reaches. Each agent's page embeds one panel
// on the test's relay, records every `sms-received` the host hears, and fails the test on a
// console error.
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { expect, mintToken, SmsPanel } from "./fixtures.mjs";

/**
 * Opens `agent`'s panel (queues, language) in a new context of `browser`, To `to`, the compose
 * form open; `allowedErrors`: a console error the test expects. Returns {name, page, sms, thread, items, notice, received(), close()}.
 */
export async function openAgent(browser, relayUrl, { agent, queues, lang, to, allowedErrors = null }) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on("console", (m) => m.type() === "error" && !allowedErrors?.test(m.text()) && errors.push(m.text()));
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  const url = `${relayUrl}/__host-${agent}`;
  const token = mintToken({ agent, queues });
  const html = `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>${agent}</title>
<script type="module" src="${relayUrl}/widget/sms-panel.js"></script></head><body>
<sms-panel relay-url="${relayUrl}" token="${token}" lang="${lang}" to="${to}"></sms-panel>
<script>window.received = []; document.querySelector("sms-panel").addEventListener("sms-received", (e) => window.received.push(e.detail));</script>
</body></html>`;
  await page.route(url, (route) => route.fulfill({ status: 200, contentType: "text/html; charset=utf-8", body: html }));
  await page.goto(url);
  const sms = new SmsPanel(page);
  await sms.waitUntilReady();
  await sms.open();
  const thread = page.getByTestId("thread");
  return {
    name: agent,
    page,
    sms,
    thread,
    items: thread.getByTestId("thread-item"),
    notice: page.getByTestId("notice"),
    /** The texts of every reply the host heard of (`sms-received`), in order. */
    received: () => page.evaluate(() => window.received.map((r) => r.text)),
    async close() {
      await context.close();
      expect(errors, `console errors of ${agent}`).toEqual([]);
    },
  };
}

/** Time passes for the routing: the relay's messages (SQLite in `dataDir`) are made `hours`
 * older, as if they had been sent that long ago. */
export function ageMessages(dataDir, hours) {
  const script = "import sqlite3, sys; db = sqlite3.connect(sys.argv[1], timeout=10); db.execute('UPDATE messages SET created_at = created_at - ?', (int(sys.argv[2]),)); db.commit()";
  execFileSync(".venv/bin/python", ["-c", script, join(dataDir, "relay.db"), String(hours * 3_600_000)]);
}

/** The relay configuration of the routing tests: two queues with a number each, every sender
 * on `gateway` (its `[gateways.…]` table given as `gatewayToml`). */
export function routingConfig(gateway, gatewayToml) {
  return `
[relay]
public_url = "http://127.0.0.1:0"
callback_secret = "browser-tests-callback-secret-0123456789"
${gatewayToml}
[tenants.acme]
language = "de"
default_region = "DE"
default_gateway = "${gateway}"
reply_window_hours = 1
agent_rate_per_minute = 1000
cors_origins = ["http://localhost:{port}"]
[tenants.acme.token_secrets]
k1 = "browser-tests-secret-acme-0123456789abcdef"
[[tenants.acme.senders]]
address = "+49 89 12345678"
[[tenants.acme.senders]]
address = "+49 30 98765432"
[[tenants.acme.queues]]
id = "service"
name = "Kundenservice"
senders = ["+49 89 12345678"]
[[tenants.acme.queues]]
id = "sales"
name = "Vertrieb"
senders = ["+49 30 98765432"]
[[tenants.acme.templates]]
id = "free"
name = "Frei"
text = "Hallo"
`;
}

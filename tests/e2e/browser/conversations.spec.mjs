// Conversations in the panel: the thread with the customer in To, under To (newest at the bottom,
// both directions, our messages with their status, in German and English), a reply coming in
// live through the agent's event stream (and `sms-received` for the host), answered in place.
// One through the sandbox's replying number, one through the SMPP simulator as a real SMSC:
// a GSM reply, a UCS-2 reply, a reply in three concatenated parts, and STOP.
import { expect, mintToken, relay, SmsPanel, test } from "./fixtures.mjs";
import { startRelay, stopRelay } from "./relay.mjs";
import { gsmHex, startSmsc, ucs2Hex } from "./smsc.mjs";

const REPLYING = "+4915100000006"; // the sandbox's number that answers "Danke, passt!"

test("a reply comes in live under To and is answered in place (German)", async ({ host, page }) => {
  const sms = await host();
  await page.evaluate(() => {
    window.received = [];
    document.querySelector("sms-panel").addEventListener("sms-received", (e) => window.received.push(e.detail));
  });
  await sms.open();
  await sms.chooseQueue("service");
  await sms.fillTo("0151 00000006");
  const thread = page.getByTestId("thread");
  await expect(thread.getByTestId("thread-heading")).toHaveText("Verlauf mit +4915100000006");
  await expect(thread.getByTestId("thread-empty")).toHaveText("Noch keine Nachrichten mit dieser Nummer.");
  await sms.fillText("Passt Ihnen Dienstag um 10 Uhr?");
  await sms.send();
  const items = thread.getByTestId("thread-item");
  await expect(items.first()).toContainText("Passt Ihnen Dienstag um 10 Uhr?");
  await expect(items.first()).toContainText("Sie");
  await expect(items.first().getByTestId("thread-status")).toHaveText("zugestellt");
  // The customer's reply arrives through the event stream, at the bottom, as the customer's.
  await expect(items.last()).toContainText("Danke, passt!");
  await expect(items.last()).toContainText("Kunde");
  await expect(page.getByTestId("notice")).toHaveText("Neue Antwort von +4915100000006");
  const received = await page.evaluate(() => window.received);
  expect(received).toHaveLength(1);
  expect(received[0]).toMatchObject({ from: REPLYING, text: "Danke, passt!", to: "+498912345678" });
  // The thread stays after Send; "Antworten" opens the form on this customer, in the text field.
  await expect(thread.getByTestId("thread-reply")).toHaveText("Antworten");
  await thread.getByTestId("thread-reply").click();
  await expect(sms.textInput).toBeFocused();
  await expect(sms.toInput).toHaveValue(/6$/);
  await sms.fillText("Gern, bis Dienstag.");
  await sms.send();
  await expect(items).toHaveCount(3);
  await expect(items.last()).toContainText("Gern, bis Dienstag.");
  // Times are shown in the panel's language.
  const time = await items.first().locator("time").textContent();
  expect(time).toMatch(/^\d{2}\.\d{2}\.\d{2}, \d{2}:\d{2}$/);
});

test("the thread is shown in English with the agent's own words", async ({ host, page }) => {
  const sms = await host({ attributes: { lang: "en", token: mintToken({ agent: "agent-2" }) } });
  await sms.open();
  await sms.chooseQueue("service");
  await sms.fillTo("+4915100000006");
  const thread = page.getByTestId("thread");
  await expect(thread.getByTestId("thread-heading")).toHaveText("Conversation with +4915100000006");
  // The earlier test's messages are there: this agent's queue sees the conversation.
  await expect(thread.getByTestId("thread-item").last()).toContainText("Customer");
  await expect(thread.getByTestId("thread-item").first()).toContainText("Colleague agent-1");
});

test.describe("replies from an SMS center (SMPP simulator)", () => {
  let smsc;
  let own;
  test.use({
    extraOrigins: async ({}, use) => use([own.url]),
    allowedConsoleErrors: [/status of 422/],
  });
  const CONFIG = (port) => `
[relay]
public_url = "http://127.0.0.1:0"
callback_secret = "browser-tests-callback-secret-0123456789"
[gateways.smsc1]
type = "smpp"
host = "127.0.0.1"
port = ${port}
system_id = "relay"
password = "secret"
reconnect_initial = 0.1
[tenants.acme]
language = "de"
default_region = "DE"
reply_window_hours = 1
agent_rate_per_minute = 1000
cors_origins = ["http://localhost:{port}"]
[tenants.acme.token_secrets]
k1 = "browser-tests-secret-acme-0123456789abcdef"
[[tenants.acme.senders]]
address = "+49 89 12345678"
[[tenants.acme.queues]]
id = "service"
name = "Kundenservice"
senders = ["+49 89 12345678"]
[[tenants.acme.templates]]
id = "free"
name = "Frei"
text = "Hallo"
`;

  test.beforeAll(async () => {
    smsc = await startSmsc();
    own = await startRelay({ config: CONFIG(smsc.port) });
    await smsc.bound();
  });
  test.afterAll(() => {
    stopRelay(own);
    smsc?.stop();
  });

  test("GSM, UCS-2, three parts and STOP from the SMSC reach the panel live", async ({ page }) => {
    const url = `${own.url}/__host`;
    const html = `<!doctype html><html lang="de"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Host</title>
<script type="module" src="${own.url}/widget/sms-panel.js"></script></head><body>
<sms-panel relay-url="${own.url}" token="${mintToken({ agent: "agent-7", queues: ["service"] })}" lang="de" to="+4915112345678"></sms-panel></body></html>`;
    await page.route(url, (route) => route.fulfill({ status: 200, contentType: "text/html; charset=utf-8", body: html }));
    await page.goto(url);
    const sms = new SmsPanel(page);
    await sms.waitUntilReady();
    await sms.open();
    const thread = page.getByTestId("thread");
    await expect(thread.getByTestId("thread-empty")).toBeVisible();
    const items = thread.getByTestId("thread-item");
    const mo = (body) => smsc.deliver({ from: "4915112345678", to: "498912345678", ...body });

    // The time from the SMSC's deliver_sm to the text on screen.
    const started = Date.now();
    expect(await mo({ short_message: gsmHex("Hallo, ist mein Paket unterwegs?") })).toBe(0);
    await expect(items.last()).toContainText("Hallo, ist mein Paket unterwegs?", { timeout: 10_000 });
    const shownMs = Date.now() - started;
    console.log(`SMSC deliver_sm -> shown in the panel: ${shownMs} ms`);
    expect(shownMs).toBeLessThan(5_000);

    expect(await mo({ short_message: ucs2Hex("Grüße aus Köln 👋"), data_coding: 8 })).toBe(0);
    await expect(items.last()).toContainText("Grüße aus Köln 👋");

    const parts = ["Erster Teil, ", "zweiter Teil, ", "dritter Teil."];
    for (const seq of [1, 3, 2]) {
      const udh = `050003${"2a"}03${seq.toString(16).padStart(2, "0")}`;
      expect(await mo({ short_message: udh + gsmHex(parts[seq - 1]), esm_class: 0x40 })).toBe(0);
    }
    await expect(items.last()).toContainText(parts.join(""));
    await expect(items).toHaveCount(3);

    // STOP over SMPP: stored in the thread, and the number opted out (the relay refuses).
    expect(await mo({ short_message: gsmHex("STOP") })).toBe(0);
    await expect(items.last()).toContainText("STOP");
    await sms.fillText("Schade!");
    await sms.send();
    await expect(sms.error).toHaveAttribute("data-code", "recipient.opted_out");
    // Unreadable UCS-2 is refused at the SMSC with a permanent error; nothing shows.
    expect(await mo({ short_message: "d83d00", data_coding: 8 })).toBe(0x65);
    await expect(items).toHaveCount(4);
  });
});

// The two embed modes: the element itself (same origin or cross-origin through the blob
// worker bootstrap), and the iframe mode for hosts whose CSP cannot allow WebAssembly.
import { crmOrigin, crmPage, expect, hostHtml, mintToken, relay, SmsPanel, test } from "./fixtures.mjs";

test("cross-origin embed: a CRM on another origin runs the panel and sends", async ({ host, page }) => {
  const workers = [];
  page.on("worker", (w) => workers.push(w.url()));
  const sms = await host({ origin: "crm" });
  expect(new URL(page.url()).origin).toBe(crmOrigin);
  expect(workers.some((url) => url.startsWith(`blob:${crmOrigin}`))).toBe(true);
  await sms.open();
  await sms.chooseQueue("service");
  await sms.fillTo("0151 23456789");
  await sms.fillText("Von woanders");
  await sms.send();
  await sms.waitForStatus("delivered");
});

test("iframe mode under a strict CSP without 'wasm-unsafe-eval'", async ({ page }) => {
  const csp = [
    "default-src 'none'",
    `script-src ${relay.url}`,
    `frame-src ${relay.url}`,
    "style-src 'none'",
    "img-src data:",
    "base-uri 'none'",
  ].join("; ");
  const html = hostHtml({
    script: `${relay.url}/widget/sms-panel-frame.js`,
    body: `<sms-panel-frame relay-url="${relay.url}" lang="en" interaction-id="chat-9" interaction-type="webchat" token="${mintToken()}"></sms-panel-frame>`,
  });
  await page.goto(await crmPage(crmOrigin, "/strict-host", html, { "Content-Security-Policy": csp }));
  const ready = page.evaluate(
    () => new Promise((resolve) => document.querySelector("sms-panel-frame").addEventListener("sms-ready", () => resolve(true), { once: true })),
  );
  expect(await ready).toBe(true);
  const sms = SmsPanel.inFrame(page);
  await sms.waitUntilReady();
  const sent = page.evaluate(
    () => new Promise((resolve) => document.querySelector("sms-panel-frame").addEventListener("sms-sent", (e) => resolve(e.detail), { once: true })),
  );
  await page.evaluate(() => document.querySelector("sms-panel-frame").prefill({ to: "0151 23456789", text: "Aus dem iframe", queue: "sales" }));
  await expect(sms.textInput).toHaveValue("Aus dem iframe");
  await sms.send();
  expect(await sent).toMatchObject({ to: "+4915123456789", interactionType: "webchat", interactionId: "chat-9" });
  await sms.waitForStatus("delivered");
});

test("/embed refuses a host origin no tenant allows", async ({ request }) => {
  const response = await request.get(`${relay.url}/embed?origin=${encodeURIComponent("https://evil.example")}`);
  expect(response.status()).toBe(400);
  expect((await response.json()).code).toBe("embed.origin_not_allowed");
  const allowed = await request.get(`${relay.url}/embed?origin=${encodeURIComponent(crmOrigin)}`);
  expect(allowed.headers()["content-security-policy"]).toContain(`frame-ancestors ${crmOrigin}`);
});

test.describe("WebAssembly blocked by the host's CSP", () => {
  test.use({ allowedConsoleErrors: [/WebAssembly|wasm|Content Security Policy/i] });

  test("the panel says so within seconds instead of hanging", async ({ host }) => {
    const started = Date.now();
    const sms = await host({
      origin: "crm",
      ready: false,
      headers: { "Content-Security-Policy": `default-src 'self'; script-src ${relay.url}; worker-src blob:; connect-src ${relay.url}` },
    });
    await expect(sms.error).toHaveAttribute("data-code", "boot.wasm", { timeout: 10_000 });
    await expect(sms.error).toContainText("WebAssembly");
    await expect(sms.error).toContainText("/embed");
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

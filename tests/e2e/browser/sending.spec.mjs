// Sending through the relay to the sandbox gateway, and what the agent sees afterwards.
import { expect, mintToken, relay, test } from "./fixtures.mjs";

async function compose(sms, to, text = "Hallo") {
  await sms.open();
  await sms.chooseQueue("service");
  await sms.fillTo(to);
  await sms.fillText(text);
}

function statusEvents(page) {
  return page.evaluate(() => {
    window.statuses = [];
    document.querySelector("sms-panel").addEventListener("sms-status", (e) => window.statuses.push(e.detail.status));
  });
}

test("delivered: queued, then delivered, streamed from the relay", async ({ host, page }) => {
  const sms = await host();
  await statusEvents(page);
  await compose(sms, "0151 23456789");
  await sms.send();
  await sms.waitForStatus("delivered");
  await expect(sms.status).toContainText("SMS an +4915123456789: zugestellt");
  await expect.poll(() => page.evaluate(() => window.statuses)).toContain("delivered");
  // The panel closed for the next SMS.
  await expect(sms.textInput).toBeHidden();
  await expect(sms.smsButton).toBeEnabled();
});

test("failed: the gateway's reason is shown", async ({ host }) => {
  const sms = await host({ attributes: { lang: "en" } });
  await compose(sms, "+4915100000002"); // the sandbox rejects it
  await sms.send();
  await sms.waitForStatus("failed");
  await expect(sms.status).toContainText("SMS to +4915100000002: not sent");
  await expect(sms.status).toContainText("Reason:");
});

test.describe("the relay refuses or cannot be reached", () => {
  // The browser logs failed requests itself; these tests cause them on purpose.
  test.use({ allowedConsoleErrors: [/^Failed to load resource: (net::ERR_CONNECTION_RESET|the server responded with a status of 401)/] });

  test("a lost answer and a second click send the SMS once", async ({ host, page }) => {
    const agent = `agent-${Date.now()}`;
    const token = mintToken({ agent });
    const sms = await host({ attributes: { token } });
    await compose(sms, "0151 23456789", "Nur einmal bitte");
    // The relay stores the message, but its answer never reaches the browser.
    let dropped = 0;
    await page.route(`${relay.url}/v1/messages`, async (route) => {
      if (route.request().method() !== "POST" || dropped++ > 0) return route.fallback();
      await route.fetch();
      await route.abort("connectionreset");
    });
    await sms.send();
    await expect(sms.error).toContainText("nicht erreichbar");
    await expect(sms.textInput).toHaveValue("Nur einmal bitte"); // nothing lost
    await sms.send();
    await sms.waitForStatus("delivered");
    const history = await (await fetch(`${relay.url}/v1/messages`, { headers: { Authorization: `Bearer ${token}` } })).json();
    expect(history.items.map((m) => m.text)).toEqual(["Nur einmal bitte"]);
  });

  test("an expired token: the relay's translated error, and the host can hand a new one", async ({ host, page }) => {
    const sms = await host();
    await compose(sms, "0151 23456789", "Token läuft ab");
    await sms.root.evaluate((el, token) => el.setAttribute("token", token), mintToken({ ttlSeconds: -120 }));
    await expect(sms.error).toBeVisible();
    const code = await sms.error.getAttribute("data-code");
    expect(code).toMatch(/^auth\./);
    await sms.root.evaluate((el, token) => el.setAttribute("token", token), mintToken());
    await expect(sms.error).toBeHidden();
    // Nothing the agent wrote is lost, and the SMS goes out with the new token.
    await expect(sms.textInput).toHaveValue("Token läuft ab");
    await expect(sms.toInput).toHaveValue("0151 23456789");
    await sms.send();
    await sms.waitForStatus("delivered");
  });
});

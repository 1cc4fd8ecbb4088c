// A number that replied STOP: the panel warns before Send, and the relay refuses the send with a
// clear message in the panel (never silently).
import { execFileSync } from "node:child_process";
import { expect, relay, test } from "./fixtures.mjs";

const NUMBER = "+4915199990000";

test.beforeAll(() => {
  execFileSync(".venv/bin/python", [
    "-m", "smsrelay", "optout", "add", NUMBER,
    "--tenant", "acme", "--config", `${relay.dataDir}/relay.toml`, "--data-dir", relay.dataDir,
  ]);
});

test("an opted-out number is flagged under To and Send stays disabled", async ({ host }) => {
  const sms = await host();
  await sms.open();
  await sms.chooseQueue("service");
  await sms.fillText("Angebot");
  await sms.fillTo("0151 99990000");
  await expect(sms.toHint).toHaveAttribute("data-code", "recipient.opted_out");
  await expect(sms.toHint).toContainText("STOP");
  await expect(sms.sendButton).toBeDisabled();
  await sms.fillTo("0151 23456789");
  await expect(sms.sendButton).toBeEnabled();
});

test.describe("the relay has the last word", () => {
  test.use({ allowedConsoleErrors: [/status of 422|net::ERR_FAILED/] });

  test("a send that gets past the warning is refused with the relay's message", async ({ host, page }) => {
    // The warning's lookup never answers: only the relay's check at Send is left.
    await page.route(`${relay.url}/v1/opt-outs/**`, (route) => route.abort());
    const sms = await host({ attributes: { lang: "en" } });
    await sms.open();
    await sms.chooseQueue("service");
    await sms.fillTo(NUMBER);
    await sms.fillText("Offer");
    await sms.send();
    await expect(sms.error).toHaveAttribute("data-code", "recipient.opted_out");
    await expect(sms.error).not.toHaveText("");
    await expect(sms.textInput).toHaveValue("Offer"); // nothing lost
  });
});

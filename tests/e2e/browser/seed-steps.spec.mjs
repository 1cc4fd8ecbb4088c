// Every step of the seed's user guide ("SMS senden"), in order, as an agent does it.
import { expect, relay, test } from "./fixtures.mjs";

const customer = { customer: { first_name: "Erika", last_name: "Mustermann" }, appointment: { date: "02.12." } };

test("button, queue, template, To with dial pad, From, text with emoji, counter, send, delivered", async ({ host, page }) => {
  const sms = await host({
    attributes: { customer, "interaction-id": "call-1", "interaction-type": "call" },
  });

  // 1. The SMS button in the contact options.
  await expect(sms.smsButton).toBeEnabled();
  await expect(sms.queueSelect).toBeHidden();
  await sms.open();

  // 2. With two queues the agent picks one; the outbound view appears only then.
  await expect(sms.queueSelect).toBeVisible();
  await expect(sms.queueSelect.locator("option:not([disabled])")).toHaveText(["Kundenservice", "Vertrieb"]);
  await expect(sms.templateSelect).toBeHidden();
  await sms.chooseQueue("service");

  // 3. The first template is the default, filled from the customer context.
  await expect(sms.templateSelect).toHaveValue("greeting");
  await expect(sms.textInput).toHaveValue("Hallo Erika, vielen Dank für Ihren Anruf.");
  await sms.chooseTemplate("callback");
  await expect(sms.textInput).toHaveValue("Bitte rufen Sie uns zurück: 089 12345678.");

  // Send is not there without a number (To is mandatory).
  await expect(sms.sendButton).toBeHidden();

  // 4. To, from the dial pad.
  await sms.dial("+4915112345678");
  await expect(sms.toInput).toHaveValue("+4915112345678");
  await sms.root.getByTestId("dialpad-backspace").click();
  await expect(sms.toInput).toHaveValue("+491511234567");
  await sms.dial("8");
  await expect(sms.toHint).toHaveText("+49 1511 2345678");

  // 5. From: the chosen queue's senders only.
  await expect(sms.fromSelect.locator("option")).toHaveText(["Kundenservice München", "ACME (Absenderkennung)"]);
  await sms.chooseFrom("ACME");

  // 6. Text with an emoji; the counter at the bottom right follows.
  await sms.fillText("Hallo {Welt}");
  await expect(sms.counter).toHaveText("14 – [GSM_7BIT 1]");
  await sms.insertEmoji("Daumen hoch");
  await expect(sms.textInput).toHaveValue(/^Hallo \{Welt\}👍/);
  await expect(sms.counter).toHaveText(/ – \[UCS2 1\]$/);
  await expect(sms.forcing).toContainText("👍");

  // 7. Send: accepted, then delivered through the sandbox gateway.
  const sent = page.evaluate(
    () => new Promise((resolve) => document.querySelector("sms-panel").addEventListener("sms-sent", (e) => resolve(e.detail), { once: true })),
  );
  const resumed = page.evaluate(
    () =>
      new Promise((resolve) =>
        document.querySelector("sms-panel").addEventListener("sms-resume-interaction", (e) => resolve(e.detail), { once: true }),
      ),
  );
  await expect(sms.sendButton).toBeEnabled();
  await sms.send();
  const detail = await sent;
  expect(detail).toMatchObject({ to: "+4915112345678", from: "ACME", encoding: "UCS2", segments: 1, status: "queued" });
  // The SMS interrupted a call: the host is told to reactivate it.
  expect(await resumed).toEqual({ interactionId: "call-1", interactionType: "call" });
  await sms.waitForStatus("delivered");
  await expect(sms.status).toContainText("zugestellt");

  // What the relay stored is what the agent saw.
  const stored = await (
    await fetch(`${relay.url}/v1/messages/${detail.id}`, { headers: { Authorization: `Bearer ${await sms.root.getAttribute("token")}` } })
  ).json();
  expect(stored).toMatchObject({ to: "+4915112345678", encoding: "UCS2", segments: 1, status: "delivered" });
});

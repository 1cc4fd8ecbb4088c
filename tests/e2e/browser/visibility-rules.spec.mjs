// What is shown, hidden or greyed out, per the seed: the core decides, the panel shows it.
import { expect, mintToken, test } from "./fixtures.mjs";

test("no templates: the SMS button is greyed out and says why", async ({ host }) => {
  const sms = await host({ attributes: { token: mintToken({ tenant: "notemplates" }), lang: "en" } });
  await expect(sms.smsButton).toBeVisible();
  await expect(sms.smsButton).toBeDisabled();
  await expect(sms.smsHint).toHaveText("Your administrator has not set up any SMS templates.");
  await expect(sms.smsButton).toHaveAccessibleDescription("Your administrator has not set up any SMS templates.");
});

test("SMS switched off for the agent: no SMS button at all", async ({ host }) => {
  const sms = await host({ attributes: { token: mintToken({ tenant: "off" }), lang: "en" } });
  await expect(sms.smsButton).toBeHidden();
  await expect(sms.root.getByTestId("contact-options")).toBeHidden();
});

test("one queue and one template: neither choice is shown, the template text is there", async ({ host }) => {
  const sms = await host({ attributes: { token: mintToken({ tenant: "single" }), lang: "en" } });
  await sms.open();
  await expect(sms.queueSelect).toBeHidden();
  await expect(sms.templateSelect).toBeHidden();
  await expect(sms.textInput).toHaveValue("Hello from ACME");
  await expect(sms.fromSelect).toHaveValue("ACME");
});

test("a queue without sender addresses: no From and never a Send button", async ({ host }) => {
  const sms = await host({ attributes: { token: mintToken({ tenant: "nosender" }), lang: "en" } });
  await sms.open();
  await expect(sms.textInput).toHaveValue("Text");
  await sms.fillTo("+49 151 23456789");
  await expect(sms.fromSelect).toBeHidden();
  await expect(sms.sendButton).toBeHidden();
  await expect(sms.problems).toContainText("sender");
});

test("Send shows only once To and text are filled in", async ({ host }) => {
  const sms = await host();
  await sms.open();
  await sms.chooseQueue("sales");
  await expect(sms.sendButton).toBeHidden();
  await sms.fillTo("0151 23456789");
  await expect(sms.sendButton).toBeVisible();
  await sms.fillText("   ");
  await expect(sms.sendButton).toBeHidden();
  await sms.fillText("Hallo");
  await expect(sms.sendButton).toBeEnabled();
  await sms.fillTo("");
  await expect(sms.sendButton).toBeHidden();
});

test("the agent's token limits the queues offered", async ({ host }) => {
  const sms = await host({ attributes: { token: mintToken({ queues: ["sales"] }) } });
  await sms.open();
  await expect(sms.queueSelect).toBeHidden();
  await expect(sms.fromSelect.locator("option")).toHaveText(["Vertrieb Berlin", "ACME (Absenderkennung)"]);
});

test("one template per message: switching after editing asks first", async ({ host }) => {
  const sms = await host();
  await sms.open();
  await sms.chooseQueue("service");
  await sms.fillText("Mein eigener Text");
  await sms.chooseTemplate("callback");
  const confirm = sms.root.getByTestId("template-confirm");
  await expect(confirm).toContainText("Sie haben den Text bearbeitet");
  await expect(sms.sendButton).toBeHidden(); // no number yet; and never while asking
  await sms.root.getByTestId("template-confirm-keep").click();
  await expect(confirm).toBeHidden();
  await expect(sms.textInput).toHaveValue("Mein eigener Text");
  await sms.chooseTemplate("callback");
  await sms.root.getByTestId("template-confirm-replace").click();
  await expect(sms.textInput).toHaveValue("Bitte rufen Sie uns zurück: 089 12345678.");
});

// The whole flow from the keyboard alone, with the counter announced politely once typing pauses.
import { expect, test } from "./fixtures.mjs";

test("keyboard only: open, choose, type, send", async ({ host, page }) => {
  const sms = await host({ attributes: { lang: "en" } });
  await page.keyboard.press("Tab");
  await expect(sms.smsButton).toBeFocused();
  await page.keyboard.press("Enter");
  // Focus moves to the first step: the queue.
  await expect(sms.queueSelect).toBeFocused();
  await sms.queueSelect.press("ArrowDown"); // first real queue
  await expect(sms.queueSelect).toHaveValue("service");
  await expect(sms.templateSelect).toBeVisible();
  await page.keyboard.press("Tab");
  await expect(sms.templateSelect).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(sms.toInput).toBeFocused();
  await page.keyboard.type("0151 23456789");
  await page.keyboard.press("Tab"); // dial pad button
  await page.keyboard.press("Tab"); // From
  await expect(sms.fromSelect).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(sms.textInput).toBeFocused();
  await page.keyboard.press("Control+A");
  await page.keyboard.type("Typed without a mouse");
  await expect(sms.counter).toHaveText("21 – [GSM_7BIT 1]");
  // The live region speaks after a pause, not at every key.
  const announce = sms.root.getByTestId("counter-announcement");
  await expect(announce).toHaveText("21 characters, 1 segment, GSM 7-bit");
  await expect(announce).toHaveAttribute("aria-live", "polite");
  await sms.sendButton.focus();
  await page.keyboard.press("Enter");
  await sms.waitForStatus("delivered");
  await expect(sms.status).toContainText("delivered");
});

test("every control has an accessible name", async ({ host }) => {
  const sms = await host({ attributes: { lang: "en" } });
  await sms.open();
  await sms.chooseQueue("service");
  await sms.fillTo("0151 23456789");
  for (const control of [sms.smsButton, sms.queueSelect, sms.templateSelect, sms.toInput, sms.dialpadButton, sms.fromSelect, sms.textInput, sms.emojiButton, sms.previewButton, sms.sendButton, sms.parkButton, sms.counter]) {
    await expect(control).toHaveAccessibleName(/\S/);
  }
});

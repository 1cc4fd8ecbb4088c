// The To number: typed or dialled, checked by the core, explained in the agent's language.
import { expect, test } from "./fixtures.mjs";

test("invalid and not-allowed numbers say why and keep Send disabled", async ({ host }) => {
  const sms = await host();
  await sms.open();
  await sms.chooseQueue("service");
  await sms.fillTo("12");
  await expect(sms.toHint).toHaveClass(/problem/);
  await expect(sms.toHint).not.toHaveText("");
  await expect(sms.toInput).toHaveAttribute("aria-invalid", "true");
  await expect(sms.sendButton).toBeDisabled();
  // The tenant allows DE and AT only.
  await sms.fillTo("+1 202 555 0143");
  await expect(sms.toHint).toContainText(/USA|Vereinigte Staaten|Land/);
  await expect(sms.sendButton).toBeDisabled();
  await sms.fillTo("+43 664 1234567");
  await expect(sms.toHint).toHaveText("+43 664 1234567");
  await expect(sms.toInput).toHaveAttribute("aria-invalid", "false");
  await expect(sms.sendButton).toBeEnabled();
});

test("the dial pad works from the keyboard and gives focus back", async ({ host, page }) => {
  const sms = await host();
  await sms.open();
  await sms.chooseQueue("service");
  // focus() does nothing on a hidden button: wait until the core's answer shows the compose view.
  await expect(sms.dialpadButton).toBeVisible();
  await sms.dialpadButton.focus();
  await page.keyboard.press("Enter");
  await expect(sms.dialpad).toBeVisible();
  await expect(sms.dialpadButton).toHaveAttribute("aria-expanded", "true");
  // Focus is on the first key; keys typed while the pad has focus dial.
  await expect(sms.root.getByTestId("dialpad-key-1")).toBeFocused();
  await page.keyboard.type("+4915123");
  await page.keyboard.press("Backspace");
  await expect(sms.toInput).toHaveValue("+491512");
  // Space/Enter on a focused key dials it too.
  await sms.root.getByTestId("dialpad-key-4").focus();
  await page.keyboard.press("Enter");
  await expect(sms.toInput).toHaveValue("+4915124");
  await page.keyboard.press("Escape");
  await expect(sms.dialpad).toBeHidden();
  await expect(sms.dialpadButton).toBeFocused();
});

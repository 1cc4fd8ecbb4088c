// Templates and customer context are text, never HTML: markup injected through either shows
// literally and runs nothing.
import { expect, test } from "./fixtures.mjs";

test("markup in a template and in the customer context is shown as text", async ({ host, page }) => {
  const customer = { customer: { first_name: '<img src=x onerror="window.pwned = 3">' } };
  const sms = await host({ attributes: { customer } });
  await sms.open();
  await sms.chooseQueue("service");
  await expect(sms.templateSelect.locator("option", { hasText: "<b>Fett</b> & <i>Co</i>" })).toHaveCount(1);
  await sms.chooseTemplate("markup");
  await expect(sms.textInput).toHaveValue(
    '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2"> <img src=x onerror="window.pwned = 3">',
  );
  await sms.previewButton.click();
  await expect(sms.segments.first()).toContainText("<script>");
  await sms.fillTo("0151 23456789");
  await sms.park();
  await expect(sms.draftItems.first()).toContainText("<img src=x");
  // Nothing ran and no element came from the text, anywhere in the panel.
  expect(await page.evaluate(() => window.pwned)).toBeUndefined();
  expect(await sms.root.evaluate((el) => el.shadowRoot.querySelectorAll("img, script, b, i").length)).toBe(0);
});

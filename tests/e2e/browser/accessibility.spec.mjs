// axe-core (served from node_modules into the test page only) checks the panel in each of its
// states: labels, roles, names and WCAG 2.1 AA colour contrast.
import { violations } from "./axe.mjs";
import { expect, test } from "./fixtures.mjs";

test("no WCAG 2.1 AA violations while composing, with problems, preview and dial pad open", async ({ host, page }) => {
  const sms = await host({ attributes: { lang: "en" } });
  expect(await violations(page)).toEqual([]);
  await sms.open();
  await sms.chooseQueue("service");
  await sms.fillTo("12");
  await sms.fillText(`„Hallo“ ${"x".repeat(1600)}`);
  await sms.previewButton.click();
  await sms.dialpadButton.click();
  await expect(sms.problems).toBeVisible();
  expect(await violations(page)).toEqual([]);
});

test("no violations with the SMS button greyed out", async ({ host, page }) => {
  const { mintToken } = await import("./relay.mjs");
  await host({ attributes: { lang: "en", token: mintToken({ tenant: "notemplates" }) } });
  expect(await violations(page)).toEqual([]);
});

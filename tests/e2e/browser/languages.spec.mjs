// German (the seed's language) and English, chosen by the lang attribute; the counter's format
// is the same in both.
import { expect, test } from "./fixtures.mjs";

test("German and English, switched live", async ({ host }) => {
  const sms = await host({ attributes: { lang: "de" } });
  await sms.open();
  await expect(sms.root.getByText("Aktive Auswahl")).toBeVisible();
  await sms.chooseQueue("service");
  await sms.fillTo("12");
  const german = await sms.toHint.textContent();
  await sms.fillText("x".repeat(225));
  await expect(sms.counter).toHaveText("225 – [GSM_7BIT 2]");
  await expect(sms.parkButton).toHaveText("Parken");
  await expect(sms.previewButton).toHaveText("Segmente anzeigen");

  await sms.root.evaluate((el) => el.setAttribute("lang", "en"));
  await expect(sms.parkButton).toHaveText("Park");
  await expect(sms.previewButton).toHaveText("Show segments");
  await expect(sms.root.getByText("Active selection")).toBeVisible();
  await expect(sms.counter).toHaveText("225 – [GSM_7BIT 2]");
  await expect(sms.textInput).toHaveValue("x".repeat(225)); // nothing lost
  await expect(sms.toHint).not.toHaveText(german);
  await expect(sms.toHint).toHaveText(/number/i);
  await expect(sms.cost).toHaveText("approx. €0.14");
});

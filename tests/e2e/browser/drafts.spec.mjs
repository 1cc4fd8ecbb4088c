// Parking: a draft goes to the inbox, survives a reload, comes back with the arrow, and can
// only be deleted once reactivated.
import { expect, mintToken, test } from "./fixtures.mjs";

test("park, reload, reactivate, delete", async ({ host, page }) => {
  const token = mintToken({ agent: `parker-${Date.now()}` });
  const sms = await host({ attributes: { token } });
  await expect(sms.draftItems).toHaveCount(0);
  await sms.open();
  await sms.chooseQueue("sales");
  await sms.fillTo("0151 11112222");
  await sms.fillText("Geparkt mit {Klammern}");
  const parked = page.evaluate(
    () => new Promise((resolve) => document.querySelector("sms-panel").addEventListener("sms-parked", (e) => resolve(e.detail), { once: true })),
  );
  await sms.park();
  expect((await parked).id).toBeTruthy();
  await expect(sms.textInput).toBeHidden();
  await expect(sms.draftItems).toHaveCount(1);
  await expect(sms.draftItems).toContainText("0151 11112222");
  // In the inbox a draft has only the arrow: deleting needs it reactivated first.
  await expect(sms.draftItems.getByTestId("draft-delete")).toHaveCount(0);
  await expect(sms.draftDelete).toBeHidden();

  await page.reload();
  await sms.waitUntilReady();
  await expect(sms.draftItems).toHaveCount(1);
  await sms.resumeDraft("Geparkt");
  await expect(sms.textInput).toHaveValue("Geparkt mit {Klammern}");
  await expect(sms.toInput).toHaveValue("0151 11112222");
  await expect(sms.fromSelect).toHaveValue("+493098765432");
  await expect(sms.counter).toHaveText("24 – [GSM_7BIT 1]");
  await expect(sms.textInput).toBeFocused();
  await expect(sms.draftItems).toHaveCount(0); // it is in the compose view now
  await expect(sms.draftDelete).toBeVisible();
  await sms.deleteDraft();
  await expect(sms.textInput).toBeHidden();
  await expect(sms.draftItems).toHaveCount(0);
  await page.reload();
  await sms.waitUntilReady();
  await expect(sms.draftItems).toHaveCount(0);
});

test("parking again updates the same draft; sending it removes it from the inbox", async ({ host }) => {
  const token = mintToken({ agent: `parker2-${Date.now()}` });
  const sms = await host({ attributes: { token } });
  await sms.open();
  await sms.chooseQueue("service");
  await sms.fillTo("0151 33334444");
  await sms.fillText("Erste Fassung");
  await sms.park();
  await expect(sms.draftItems).toHaveCount(1);
  await sms.resumeDraft("Erste Fassung");
  await sms.fillText("Zweite Fassung");
  await sms.park();
  await expect(sms.draftItems).toHaveCount(1);
  await expect(sms.draftItems).toContainText("Zweite Fassung");
  await sms.resumeDraft("Zweite Fassung");
  await sms.send();
  await sms.waitForStatus("delivered");
  await expect(sms.draftItems).toHaveCount(0);
});

test("the host reactivates a draft with resumeDraft(id)", async ({ host }) => {
  const token = mintToken({ agent: `parker3-${Date.now()}` });
  const sms = await host({ attributes: { token } });
  await sms.open();
  await sms.chooseQueue("service");
  await sms.fillText("Vom Host geöffnet");
  await sms.park();
  const id = await sms.draftItems.first().getAttribute("data-draft-id");
  expect(await sms.root.evaluate((el, draft) => el.resumeDraft(draft), id)).toBe(true);
  await expect(sms.textInput).toHaveValue("Vom Host geöffnet");
});

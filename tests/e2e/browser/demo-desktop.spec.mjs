// The demo agent desktop at /demo, on a relay started like `make run` (embedded demo config),
// under the page's real Content-Security-Policy.
import { expect, SmsPanel, test } from "./fixtures.mjs";
import { startRelay, stopRelay } from "./relay.mjs";

let demo;
test.beforeAll(async () => {
  demo = await startRelay({ embedded: true });
});
test.afterAll(() => stopRelay(demo));
// This relay is not the suite's: its origin is allowed too.
test.use({ extraOrigins: async ({}, use) => use([demo.url]) });

test("the demo desktop: SMS during a call, reactivate the call, park into the inbox", async ({ page }) => {
  await page.goto(`${demo.url}/demo`);
  const sms = new SmsPanel(page);
  await sms.waitUntilReady();
  await sms.open();
  await sms.chooseQueue("service");
  await expect(sms.textInput).toHaveValue(/^Hallo Erika,/);
  await expect(sms.toInput).toHaveValue("+49 151 23456789");
  await sms.insertEmoji("Daumen hoch");
  await sms.send();
  await sms.waitForStatus("delivered");
  await expect(page.getByTestId("demo-resume")).toBeVisible();
  await expect(page.getByTestId("demo-call-state")).toHaveText("gehalten");
  await page.getByTestId("demo-resume-button").click();
  await expect(page.getByTestId("demo-call-state")).toHaveText("aktiv");

  await page.getByTestId("demo-chat").click();
  await sms.open();
  await sms.chooseQueue("sales");
  await expect(sms.toInput).toHaveValue("+43 664 1234567");
  await sms.park();
  await expect(page.getByTestId("demo-drafts").locator("li")).toHaveCount(1);
  await page.getByTestId("demo-lang").selectOption("en");
  await expect(sms.parkButton).toHaveText("Park");
});

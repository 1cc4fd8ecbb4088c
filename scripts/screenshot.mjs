// Takes the README's screenshot of the demo desktop (docs/sms-panel.png) from a running relay.
// Usage: node scripts/screenshot.mjs http://127.0.0.1:8000
import { chromium } from "@playwright/test";
import { CHROMIUM_ARGS } from "../playwright.config.mjs";
import { SmsPanel } from "../widget/testing/sms-panel-page.js";

const base = process.argv[2] ?? "http://127.0.0.1:8000";
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${base}/demo`);
  const sms = new SmsPanel(page);
  await sms.waitUntilReady();
  await sms.open();
  await sms.chooseQueue("service");
  await sms.fillText("Hallo Erika, Ihr Termin am 2.12. um 10:30 ist bestätigt – bis bald! {ACME}");
  await sms.insertEmoji("Daumen hoch");
  await sms.emojiButton.click();
  await sms.previewButton.click();
  await page.screenshot({ path: "docs/sms-panel.png" });
} finally {
  await browser.close();
}

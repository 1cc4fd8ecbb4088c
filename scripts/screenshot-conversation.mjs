// Takes the README's screenshot of a conversation in the panel (docs/conversation-thread.png)
// from a running relay with the embedded demo configuration (`make run`): the demo desktop's
// panel texts the sandbox's replying number, whose answer comes in under To.
// Usage: node scripts/screenshot-conversation.mjs http://127.0.0.1:8000
import { chromium } from "@playwright/test";
import { CHROMIUM_ARGS } from "../playwright.config.mjs";

const base = process.argv[2] ?? "http://127.0.0.1:8000";
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  await page.goto(`${base}/demo`);
  const panel = page.getByTestId("demo-panel");
  await page.waitForFunction(() => document.querySelector("sms-panel")?.ready, null, { timeout: 60_000 });
  await page.evaluate(() => document.querySelector("sms-panel").prefill({ to: "+49 151 00000006", queue: "service" }));
  const text = panel.getByTestId("text-input");
  await text.fill("Guten Tag, passt Ihnen der Termin am Dienstag um 10 Uhr?");
  await panel.getByTestId("send-button").click();
  await panel.getByTestId("thread-item").filter({ hasText: "Danke, passt!" }).waitFor({ timeout: 20_000 });
  await panel.getByTestId("thread-status").first().filter({ hasText: "zugestellt" }).waitFor();
  await panel.getByTestId("thread-reply").click();
  await text.fill("Prima, dann bis Dienstag!");
  await page.getByTestId("demo-conversations").scrollIntoViewIfNeeded();
  await page.screenshot({ path: "docs/conversation-thread.png", fullPage: false });
} finally {
  await browser.close();
}

// Takes the README's screenshot of the admin console (docs/admin-console.png) from a running
// relay with the embedded demo configuration (`make run`): a template with its sample and
// longest values and the compose core's preview of the three versions.
// Usage: node scripts/screenshot-admin.mjs http://127.0.0.1:8000
import { chromium } from "@playwright/test";
import { CHROMIUM_ARGS } from "../playwright.config.mjs";

const base = process.argv[2] ?? "http://127.0.0.1:8000";
const { token } = await (await fetch(`${base}/demo/admin-token`, { method: "POST" })).json();
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  await page.goto(`${base}/admin?lang=en#token=${token}`);
  const template = page.locator('[data-testid="admin-template"][data-template-id="appointment"]');
  const fill = async (label, value) => template.getByLabel(label).fill(value);
  await fill("Sample value for customer.salutation", "Frau");
  await fill("Sample value for customer.last_name", "Yılmaz");
  await fill("Sample value for appointment.date", "02.12.2026");
  await fill("Sample value for appointment.time", "10:30");
  await fill("Longest value for customer.salutation", "Frau Prof. Dr. Dr. h. c.");
  await fill("Longest value for customer.last_name", "von Hohenzollern-Sigmaringen und Waldburg-Zeil zu Wolfegg-Waldsee");
  await template.getByTestId("preview-verdict").waitFor();
  await page.getByTestId("admin-lang").focus(); // no focus ring in the picture
  await template.scrollIntoViewIfNeeded();
  await template.screenshot({ path: "docs/admin-console.png" });
} finally {
  await browser.close();
}

// The PyScript recipe (README, "The PyScript recipe"): a host page that already uses PyScript
// imports smscompose in a <script type="py">, with @pyscript/core, Pyodide and both wheels from
// the relay — never a CDN (the fixtures fail any request leaving the relay's and the CRM's
// origins, and any console error). The README's snippet runs as written, under the CSP the
// README documents, on the main thread and in a worker.
import { readFileSync } from "node:fs";
import { coreCount, crmOrigin, crmPage, expect, hostHtml, relay, test } from "./fixtures.mjs";

/** The README's snippet, pointed at the suite's relay. */
function readmeSnippet() {
  const readme = readFileSync("README.md", "utf8");
  const section = readme.split("### The PyScript recipe")[1].split("\n### ")[0];
  const snippet = section.match(/```html\n([\s\S]*?)```/)[1];
  return snippet.replaceAll("https://relay.example", relay.url);
}

const mixed = `${"Ä".repeat(60)}€ – ${"ж".repeat(20)}`;

/** Types into the recipe's two fields and checks what the core in the page says. */
async function expectCore({ text, counter, to, toCheck }) {
  await expect(counter).toHaveText("0 – [GSM_7BIT 0]", { timeout: 60_000 });
  await expect(toCheck).toHaveText("+4915123456789");
  await text.fill("x".repeat(225));
  await expect(counter).toHaveText("225 – [GSM_7BIT 2]");
  await text.fill("Grüße 😀");
  await expect(counter).toHaveText("8 – [UCS2 1]");
  await text.fill(mixed);
  await expect(counter).toHaveText(coreCount(mixed).counter);
  await to.fill("030 1234567");
  await expect(toCheck).toHaveText("This number cannot receive SMS (landline).");
}

test("the relay's recipe page under its own CSP, same origin", async ({ page }) => {
  const response = await page.goto(`${relay.url}/pyscript-demo`);
  expect(response.headers()["content-security-policy"]).toContain("'unsafe-eval' 'wasm-unsafe-eval'");
  await expect(page.getByTestId("status")).toHaveAttribute("data-ready", "true", { timeout: 60_000 });
  await expectCore({
    text: page.getByTestId("text"),
    counter: page.getByTestId("counter"),
    to: page.getByTestId("to"),
    toCheck: page.getByTestId("number"),
  });
});

const fields = (page) => ({
  text: page.locator("#sms-text"),
  counter: page.locator("#sms-counter"),
  to: page.locator("#sms-to"),
  toCheck: page.locator("#sms-to-check"),
});

test("the README's snippet on a CRM's origin, main thread, under the documented CSP", async ({ page }) => {
  const csp = [
    "default-src 'none'",
    `script-src ${relay.url} 'unsafe-eval' 'wasm-unsafe-eval'`,
    `connect-src ${relay.url}`,
    "img-src data:",
    "base-uri 'none'",
  ].join("; ");
  const workers = [];
  page.on("worker", (worker) => workers.push(worker.url()));
  const html = hostHtml({ script: null, body: readmeSnippet() });
  await page.goto(await crmPage(crmOrigin, "/pyscript-main", html, { "Content-Security-Policy": csp }));
  await expectCore(fields(page));
  expect(workers).toEqual([]);
});

test("the README's snippet in a worker: cross-origin isolated, worker-src blob:", async ({ page }) => {
  const csp = [
    "default-src 'none'",
    `script-src ${relay.url} 'unsafe-eval' 'wasm-unsafe-eval'`,
    `connect-src ${relay.url} blob:`,
    "worker-src blob:",
    "img-src data:",
    "base-uri 'none'",
  ].join("; ");
  const headers = {
    "Content-Security-Policy": csp,
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Embedder-Policy": "require-corp",
  };
  const workers = [];
  page.on("worker", (worker) => workers.push(worker.url()));
  const body = readmeSnippet().replace('<script type="py" ', '<script type="py" worker ');
  expect(body).toContain("<script type=\"py\" worker config=");
  const html = hostHtml({ script: null, body });
  await page.goto(await crmPage(crmOrigin, "/pyscript-worker", html, headers));
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  await expectCore(fields(page));
  expect(workers.some((url) => url.startsWith(`blob:${crmOrigin}`))).toBe(true);
});

// The panel's cold load on the wire: a fresh browser context (empty cache) opens a page with the
// panel, waits for sms-ready and until nothing is in flight, and adds up what the network
// carried (transfers.mjs). Budget: 6 MB (issue 12), with the relay's real compressed files.
import { expect, test } from "./fixtures.mjs";
import { describe, total, watchTransfers } from "./transfers.mjs";

const BUDGET_BYTES = 6_000_000;
const FALLBACK = "booting without the memory snapshot";

/** Opens a panel in a fresh context and records its requests; `fallbacks` collects the
 * worker's warning when it could not use the memory snapshot. */
async function coldPanel({ context, page, host }, origin = "relay") {
  const fallbacks = [];
  page.on("worker", (worker) => worker.on("console", (m) => m.text().includes(FALLBACK) && fallbacks.push(m.text())));
  const transfers = watchTransfers(context);
  const sms = await host({ origin });
  await transfers.quiet();
  return { sms, transfers, fallbacks };
}

test("a cold load stays within 6 MB on the wire and fetches nothing the snapshot holds", async ({
  context,
  page,
  host,
}) => {
  const { sms, transfers, fallbacks } = await coldPanel({ context, page, host });
  await expect(sms.smsButton).toHaveText("SMS");
  const assets = await transfers.assets();
  const bytes = total(assets);
  test.info().annotations.push({ type: "cold load", description: `${bytes.toLocaleString("en")} bytes` });
  expect(bytes, `${bytes.toLocaleString("en")} bytes on the wire:\n${describe(assets)}`).toBeLessThanOrEqual(BUDGET_BYTES);
  // The worker restored the memory snapshot (a fallback would have fetched every archive)…
  expect(fallbacks).toEqual([]);
  expect(assets.some(({ name }) => name.startsWith("/widget/snapshot/"))).toBe(true);
  // …and downloaded no archive whose modules the snapshot already holds.
  expect(assets.filter(({ name }) => /\.whl$|python_stdlib\.zip$/.test(name)).map(({ name }) => name)).toEqual([]);
});

// On the relay's origin the worker is the relay's; on a CRM's, a blob worker importing it, whose
// downloads are cross-origin requests.
for (const origin of ["relay", "crm"]) {
  test(`a number from a country the snapshot has not met loads its metadata when typed (${origin})`, async ({
    context,
    page,
    host,
  }) => {
    const { sms, transfers, fallbacks } = await coldPanel({ context, page, host }, origin);
    const wheels = [];
    context.on("request", (request) => request.url().endsWith(".whl") && wheels.push(request.url()));
    await sms.open();
    await sms.chooseQueue("service");
    // Germany is in the snapshot: nothing to load.
    await sms.fillTo("+49 151 23456789");
    await expect(sms.toHint).toHaveText("+49 1512 3456789");
    expect(wheels).toEqual([]);
    // Belgium is not: phonenumbers' wheel is fetched then, and the core says what it found.
    await sms.fillTo("+32 470 12 34 56");
    await expect(sms.toHint).toHaveText("SMS in dieses Land (BE) sind nicht freigegeben.");
    await expect(sms.sendButton).toBeDisabled();
    expect(wheels).toEqual([expect.stringMatching(/\/widget\/wheels\/phonenumberslite-.*\.whl$/)]);
    expect(fallbacks).toEqual([]);
    await transfers.assets();
  });
}

test("a snapshot whose base is not the build's is not restored: the panel boots from scratch", async ({
  context,
  page,
  host,
}) => {
  // As if the browser's freshly instantiated memory differed from what the build saw.
  await context.route("**/widget/manifest.json", async (route) => {
    const response = await route.fetch();
    const manifest = await response.json();
    manifest.snapshot.base[0][2] ^= 1;
    await route.fulfill({ response, json: manifest });
  });
  const { sms, transfers, fallbacks } = await coldPanel({ context, page, host });
  expect(fallbacks).toEqual([expect.stringContaining("is not the build's")]);
  // From scratch, Python needs everything at once: the standard library and every wheel.
  const names = (await transfers.assets()).map(({ name }) => name);
  for (const archive of [/python_stdlib\.zip$/, /phonenumberslite-.*\.whl$/, /smscompose-.*\.whl$/]) {
    expect(names.filter((name) => archive.test(name))).toHaveLength(1);
  }
  await sms.open();
  await sms.chooseQueue("service");
  await sms.fillTo("+32 470 12 34 56");
  await expect(sms.toHint).toHaveText("SMS in dieses Land (BE) sind nicht freigegeben.");
});

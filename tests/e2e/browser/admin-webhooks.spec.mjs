// The admin console's webhooks section, against the suite's relay: the tenant "hooks" has a CRM
// endpoint that does not answer, so what an agent sends waits there — the administrator reads
// it in German and English, sends an event again, and axe finds nothing.
import { violations } from "./axe.mjs";
import { expect, mintToken, relay, test } from "./fixtures.mjs";

const adminToken = () => mintToken({ tenant: "hooks", agent: "boss", role: "admin" });

/** An agent of "hooks" sends one SMS through the API, as the panel would, to a customer of its
 * own: a conversation's later events wait behind its first while that one is retried. */
async function sendOne(request, key) {
  const customer = `+49151${String(Date.now()).slice(-8)}`;
  const answer = await request.post(`${relay.url}/v1/messages`, {
    headers: { Authorization: `Bearer ${mintToken({ tenant: "hooks" })}`, "Idempotency-Key": key },
    data: { queue_id: "service", from: "ACME", to: customer, text: "Guten Tag" },
  });
  expect(answer.status()).toBe(202);
  return (await answer.json()).id;
}

/** Shows the log until the newest message.accepted has been tried (the relay tries at once; the
 * message's later events wait behind it). */
async function triedDelivery(page, attempts) {
  const newest = page.getByTestId("admin-webhook-delivery").filter({ hasText: "message.accepted" }).first();
  await expect(async () => {
    await page.getByTestId("admin-webhooks-show").click();
    await expect(newest).toContainText(attempts, { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  return newest;
}

test("the administrator reads what waits for the CRM and sends an event again, in German and English", async ({ page, request }) => {
  await sendOne(request, `hooks-${Date.now()}`);
  await page.goto(`${relay.url}/admin?lang=de#token=${adminToken()}`);
  await expect(page.getByTestId("admin-tenant")).toContainText("hooks");
  const section = page.getByRole("region", { name: "Webhooks" });
  await expect(section.getByRole("heading", { name: "Webhooks" })).toBeVisible();
  const table = section.getByRole("table", { name: "Zustellungen an Ihr CRM" });

  await page.getByLabel("Zustand").selectOption("pending");
  await page.getByRole("button", { name: "Zustellungen zeigen" }).click();
  const newest = await triedDelivery(page, "Versuche: 1");
  await expect(table.getByRole("columnheader")).toHaveText(["Zeit", "Ereignis", "Empfänger", "Stand", "Letzte Antwort", "Aktion"]);
  await expect(newest).toContainText("message.accepted");
  await expect(newest).toContainText("crm");
  await expect(newest).toContainText(/wartet · Versuche: 1 · nächster Versuch/);
  await expect(newest).toContainText("Connect"); // nobody answers on port 9
  const eventId = (await newest.locator("td").nth(1).locator("span").textContent()).trim();
  expect(eventId).toMatch(/^evt_/);
  const id = await newest.getAttribute("data-delivery");
  const original = page.locator(`[data-testid="admin-webhook-delivery"][data-delivery="${id}"]`);

  await original.getByRole("button", { name: `Erneut senden: Ereignis ${eventId}` }).click();
  const status = page.getByTestId("admin-webhooks-status");
  await expect(status).toHaveText(new RegExp(`^Ereignis ${eventId} wird erneut gesendet \\(Zustellung #\\d+\\)\\.$`));
  // The new delivery is the newest; it waits behind the original, still retried, in their
  // conversation.
  const again = page.getByTestId("admin-webhook-delivery").first();
  await expect(again).toContainText(eventId);
  await expect(again).toContainText(`wartet · Versuche: 0 · erneut gesendet von #${id}`);

  await page.getByTestId("admin-lang").selectOption("en");
  await expect(section.getByRole("table", { name: "Deliveries to your CRM" })).toBeVisible();
  await expect(again).toContainText(`pending · attempts: 0 · sent again from #${id}`);
  await expect(original).toContainText(/pending · attempts: 1 · next attempt/);
  await expect(again.getByRole("button", { name: `Send again: event ${eventId}` })).toBeVisible();
  await page.getByLabel("State").selectOption("delivered");
  await page.getByRole("button", { name: "Show deliveries" }).click();
  await expect(page.getByTestId("admin-webhooks-empty")).toHaveText("No webhooks.");
});

test.describe("accessibility", () => {
  test.use({ bypassCSP: true }); // axe-core is injected as a script the console's CSP would refuse

  test("no WCAG 2.1 AA violations in the webhooks section", async ({ page, request }) => {
    await sendOne(request, `hooks-axe-${Date.now()}`);
    await page.goto(`${relay.url}/admin?lang=en#token=${adminToken()}`);
    await triedDelivery(page, "attempts: 1");
    expect(await violations(page, "#webhooks-section")).toEqual([]);
  });
});

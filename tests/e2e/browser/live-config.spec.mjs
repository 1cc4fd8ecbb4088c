// The company administrator changes a template while an agent's panel is loaded: the agent
// sees the new text the next time they open the panel, without a reload and without a relay
// restart. (The admin API is called as the administrator's CRM would call it.)
import { expect, mintToken, relay, test } from "./fixtures.mjs";

async function changeGreeting(text) {
  const headers = {
    Authorization: `Bearer ${mintToken({ tenant: "live", agent: "boss", role: "admin" })}`,
    "Content-Type": "application/json",
  };
  const current = await (await fetch(`${relay.url}/v1/admin/tenants/live`, { headers })).json();
  const settings = { ...current.settings, templates: [{ ...current.settings.templates[0], text }] };
  const saved = await fetch(`${relay.url}/v1/admin/tenants/live`, {
    method: "PUT",
    headers,
    body: JSON.stringify({ revision: current.revision, settings, comment: "browser test" }),
  });
  expect(saved.status).toBe(200);
}

test("a template changed by the administrator is what the agent gets on the next opening", async ({ host }) => {
  await changeGreeting("Guten Tag");
  const sms = await host({ attributes: { token: mintToken({ tenant: "live" }) } });
  // Loaded with "Guten Tag"; the administrator changes it before the agent opens the panel.
  await changeGreeting("Guten Abend, wie können wir helfen?");
  await sms.open();
  await expect(sms.textInput).toHaveValue("Guten Abend, wie können wir helfen?");
  await expect(sms.counter).toContainText("35 – [GSM_7BIT 1]");
});

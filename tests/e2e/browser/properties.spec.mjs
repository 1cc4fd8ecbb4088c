// Hosts may set the panel's properties instead of its attributes, also before sms-panel.js has
// defined the element (frameworks often do): the properties and attributes are one table.
import { expect, hostHtml, mintToken, relay, test } from "./fixtures.mjs";

const customer = { customer: { first_name: "Erika" } };

test("properties set before the element is defined are kept", async ({ host, page }) => {
  // A classic script runs while the page is parsed, before the deferred module defines the element.
  const body = `<sms-panel data-testid="panel"></sms-panel>
<script>
  const panel = document.querySelector("sms-panel");
  window.definedBefore = Boolean(customElements.get("sms-panel"));
  panel.relayUrl = ${JSON.stringify(relay.url)};
  panel.token = ${JSON.stringify(mintToken())};
  panel.lang = "en";
  panel.customer = ${JSON.stringify(customer)};
  panel.to = "0151 23456789";
</script>`;
  const sms = await host({ html: hostHtml({ body }) });
  expect(await page.evaluate(() => window.definedBefore)).toBe(false);
  // Now the element's own accessors answer, from the attributes.
  expect(
    await sms.root.evaluate((el) => ({
      own: ["relayUrl", "token", "customer", "to"].filter((p) => Object.hasOwn(el, p)),
      relay: el.getAttribute("relay-url"),
      customer: JSON.parse(el.getAttribute("customer")),
      to: el.to,
    })),
  ).toEqual({ own: [], relay: relay.url, customer, to: "0151 23456789" });
  await expect(sms.smsButton).toHaveText("SMS");
  await expect(sms.parkButton).toHaveText("Park");
  await sms.open();
  await sms.chooseQueue("service");
  await expect(sms.textInput).toHaveValue("Hallo Erika, vielen Dank für Ihren Anruf.");
  await expect(sms.toInput).toHaveValue("0151 23456789");
  await expect(sms.toHint).toHaveText("+49 1512 3456789");
});

test("a property set on a running panel is its attribute", async ({ host }) => {
  const sms = await host();
  await sms.open();
  await sms.chooseQueue("service");
  await sms.root.evaluate((el) => {
    el.to = "+49 151 98765432";
  });
  await expect(sms.toInput).toHaveValue("+49 151 98765432");
  expect(await sms.root.evaluate((el) => el.getAttribute("to"))).toBe("+49 151 98765432");
  await sms.root.evaluate((el) => {
    el.interactionId = "call-9";
    el.interactionType = "call";
  });
  expect(await sms.root.evaluate((el) => [el.getAttribute("interaction-id"), el.interactionType])).toEqual(["call-9", "call"]);
  await sms.root.evaluate((el) => {
    el.interactionId = null;
  });
  expect(await sms.root.evaluate((el) => el.hasAttribute("interaction-id"))).toBe(false);
});

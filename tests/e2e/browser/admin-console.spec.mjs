// The admin console at /admin, under its own strict CSP, against real relays: a template edited
// there reaches an agent's panel on the demo desktop without a restart; bad input shows the
// relay's translated error next to its field and loses nothing; the preview from the compose
// core (Pyodide, the panel's worker) counts the longest values; axe finds nothing.
import { readFileSync } from "node:fs";
import { violations } from "./axe.mjs";
import { coreCount, expect, mintToken, relay, SmsPanel, test } from "./fixtures.mjs";
import { startRelay, stopRelay } from "./relay.mjs";

let demo;
test.beforeAll(async () => {
  demo = await startRelay({ embedded: true });
});
test.afterAll(() => stopRelay(demo));
test.use({ extraOrigins: async ({}, use) => use([demo.url]) });

const adminToken = () => mintToken({ tenant: "acme", agent: "boss", role: "admin" });

/** Opens the console of the suite's relay (tenant acme) the way a CRM does. */
async function openConsole(page, lang) {
  await page.goto(`${relay.url}/admin?lang=${lang}#token=${adminToken()}`);
  await expect(page.getByTestId("admin-tenant")).toContainText("acme");
  return page;
}

const template = (page, id) => page.locator(`[data-testid="admin-template"][data-template-id="${id}"]`);

test("an administrator edits a template in /admin and the agent's panel on the demo desktop shows it, without a restart", async ({ page, context }) => {
  await page.goto(`${demo.url}/demo`);
  const sms = new SmsPanel(page);
  await sms.waitUntilReady();
  await sms.open();
  await sms.chooseQueue("service");
  await expect(sms.textInput).toHaveValue("Hallo Erika, vielen Dank für Ihren Anruf bei ACME. Wie können wir Ihnen helfen?");

  // The desktop's link opens the console, signed in with a demo admin token.
  const link = page.getByRole("link", { name: "Admin-Konsole" });
  await expect(link).toHaveAttribute("href", /^\/admin\?lang=de#token=/);
  const [admin] = await Promise.all([context.waitForEvent("page"), link.click()]);
  await expect(admin.getByTestId("admin-tenant")).toHaveText("Unternehmen demo · Stand 1");
  expect(new URL(admin.url()).hash).toBe(""); // the token left the address bar

  const greeting = template(admin, "greeting");
  const text = greeting.getByLabel("Text", { exact: true });
  await text.fill("Guten Tag {{customer.first_name|Kundin, Kunde}}, schön, dass Sie angerufen haben!");
  await greeting.getByLabel("Beispielwert für customer.first_name").fill("Erika");
  await expect(greeting.getByTestId("preview-samples").getByTestId("preview-text")).toHaveText("Guten Tag Erika, schön, dass Sie angerufen haben!");
  await expect(admin.getByTestId("admin-dirty")).toHaveText("Ungespeicherte Änderungen.");
  await admin.getByLabel("Kommentar für das Änderungsprotokoll").fill("freundlicher");
  await admin.getByRole("button", { name: "Änderungen speichern" }).click();
  await expect(admin.getByTestId("admin-save-status")).toHaveText("Gespeichert als Stand 2. Die Agenten erhalten die Änderung sofort.");
  await expect(admin.getByTestId("admin-save-status")).toBeFocused();
  await expect(admin.getByTestId("admin-dirty")).toHaveText("");
  const newest = admin.getByTestId("admin-audit-entry").first();
  await expect(newest).toContainText("Stand 2");
  await expect(newest).toContainText("admin:demo-admin");
  await expect(newest).toContainText("freundlicher");
  await expect(newest).toContainText("templates[greeting].text");

  // The agent's desktop, reloaded — the same relay process, never restarted.
  await page.reload();
  await sms.waitUntilReady();
  await sms.open();
  await sms.chooseQueue("service");
  await expect(sms.textInput).toHaveValue("Guten Tag Erika, schön, dass Sie angerufen haben!");
  await sms.send();
  await sms.waitForStatus("delivered");

  // Usage: the message the agent just sent, per day and queue, as a chart and as CSV.
  await admin.getByRole("button", { name: "Anzeigen" }).click();
  await expect(admin.getByTestId("admin-usage-totals")).toHaveText(/^Gesamt – SMS: 1, Segmente: 1 · 0,07\s€$/);
  await expect(admin.getByTestId("admin-usage-chart").locator('rect[data-queue="service"]')).toHaveCount(1);
  await expect(admin.getByTestId("admin-usage-table")).toContainText("service");
  const [download] = await Promise.all([admin.waitForEvent("download"), admin.getByTestId("admin-usage-csv").click()]);
  const csv = readFileSync(await download.path(), "utf8");
  expect(csv.split("\r\n")[0]).toBe("day,queue,messages,segments,cost,currency");
  expect(csv).toContain(",service,1,1,0.07,EUR");

  // Back to revision 1 from the audit log: a new revision, in force at once.
  await admin.getByRole("button", { name: "Zurück zu Stand 1" }).click();
  await expect(admin.getByTestId("admin-save-status")).toHaveText("Stand 1 wiederhergestellt, jetzt Stand 3.");
  await expect(template(admin, "greeting").getByLabel("Text", { exact: true })).toHaveValue(/^Hallo \{\{customer\.first_name/);
});

test.describe("saving what the relay refuses", () => {
  test.use({ allowedConsoleErrors: [/status of (409|422)/] });

  for (const lang of ["de", "en"]) {
    test(`bad input shows the relay's error in ${lang} next to its field, and the edits stay (${lang})`, async ({ page }) => {
      const words = {
        de: { text: "Text", address: "Adresse", save: "Änderungen speichern", comment: "Kommentar für das Änderungsprotokoll" },
        en: { text: "Text", address: "Address", save: "Save changes", comment: "Comment for the audit log" },
      }[lang];
      await openConsole(page, lang);
      const comment = page.getByLabel(words.comment);
      await comment.fill("zu lang?");

      // A template over the tenant's 10 segments even with its placeholders empty.
      const text = template(page, "greeting").getByLabel(words.text, { exact: true });
      const long = `Hallo {{customer.first_name}} ${"x".repeat(1600)}`;
      await text.fill(long);
      await expect(template(page, "greeting").getByTestId("preview-verdict")).toHaveText(
        lang === "de"
          ? "Schon ohne Platzhalterwerte 11 Segmente, erlaubt sind höchstens 10: So kann die Vorlage nicht gespeichert werden."
          : "11 segments even without placeholder values, at most 10 are allowed: the template cannot be saved like this.",
      );
      await page.getByRole("button", { name: words.save }).click();
      const tooLong =
        lang === "de"
          ? "Die Vorlage greeting braucht schon ohne Platzhalter 11 SMS-Teile; erlaubt sind 10."
          : "The template greeting needs 11 SMS parts even without placeholders; 10 are allowed.";
      await expect(text).toHaveAccessibleDescription(new RegExp(tooLong.replace(/[.;]/g, "\\$&")));
      await expect(text).toHaveAttribute("aria-invalid", "true");
      await expect(text).toBeFocused();
      await expect(text).toHaveValue(long);
      await expect(comment).toHaveValue("zu lang?");

      // An alphanumeric sender over 11 characters: the core says so as it is typed, the relay on save.
      await text.fill("Hallo {{customer.first_name}}");
      const address = page.getByTestId("admin-sender").nth(2).getByLabel(words.address);
      await address.fill("ACME-GmbH-Kundenservice");
      const tooManyChars =
        lang === "de"
          ? "Ein Absendername darf höchstens 11 Zeichen lang sein, dieser hat 23."
          : "A sender name may have at most 11 characters, this one has 23.";
      await expect(address).toHaveAccessibleDescription(new RegExp(tooManyChars.replace(".", "\\.")));
      await page.getByRole("button", { name: words.save }).click();
      await expect(page.getByTestId("admin-save-status")).toHaveText(tooManyChars);
      await expect(address).toBeFocused();
      await expect(address).toHaveValue("ACME-GmbH-Kundenservice");
      await expect(text).toHaveValue("Hallo {{customer.first_name}}");
      await expect(comment).toHaveValue("zu lang?");
      // Nothing was saved.
      await expect(page.getByTestId("admin-tenant")).toContainText(lang === "de" ? "Stand 1" : "revision 1");
    });
  }

  test("a save from an older revision is refused with the relay's message and the edits stay", async ({ page }) => {
    const token = (await (await fetch(`${demo.url}/demo/admin-token`, { method: "POST" })).json()).token;
    await page.goto(`${demo.url}/admin?lang=en#token=${token}`);
    const text = template(page, "callback").getByLabel("Text", { exact: true });
    await expect(text).toHaveValue(/^Wir haben versucht/);
    const loaded = Number((await page.getByTestId("admin-tenant").textContent()).match(/revision (\d+)/)[1]);

    // Another administrator saves meanwhile.
    const headers = { Authorization: `Bearer ${token}`, "Content-Type": "application/json" };
    const now = await (await fetch(`${demo.url}/v1/admin/tenants/demo`, { headers })).json();
    now.settings.max_segments = 9;
    const other = await fetch(`${demo.url}/v1/admin/tenants/demo`, { method: "PUT", headers, body: JSON.stringify({ revision: now.revision, settings: now.settings }) });
    expect(other.status).toBe(200);

    await text.fill("Bitte rufen Sie uns zurück.");
    await page.getByRole("button", { name: "Save changes" }).click();
    const status = page.getByTestId("admin-save-status");
    await expect(status).toHaveText(`The settings were changed in the meantime (now revision ${loaded + 1}). Please reload and make the change again.`);
    await expect(status).toBeFocused();
    await expect(text).toHaveValue("Bitte rufen Sie uns zurück.");
    // Reloading asks first, then shows what the other administrator saved.
    page.once("dialog", (dialog) => dialog.accept());
    await page.getByRole("button", { name: "Discard and reload" }).click();
    await expect(page.getByLabel("Maximum segments per SMS")).toHaveValue("9");
    await expect(text).toHaveValue(/^Wir haben versucht/);
  });
});

test("the preview counts the template as written, with samples and with the longest values, as the core in CPython does", async ({ page }) => {
  await openConsole(page, "en");
  const greeting = template(page, "greeting");
  const longest = "Maximiliane-Charlotte Friederike Alexandra Theodora von Hohenzollern-Sigmaringen und Waldburg-Zeil zu Wolfegg-Waldsee und Königsegg-Aulendorf";
  await greeting.getByLabel("Sample value for customer.first_name").fill("Zoë");
  await greeting.getByLabel("Longest value for customer.first_name").fill(longest);
  // What the compose core in CPython says of each version: the reference for the preview.
  const versions = ["", "Zoë", longest].map((value) => {
    const text = `Hallo ${value}, vielen Dank für Ihren Anruf.`;
    return { text, characters: [...text].length, ...coreCount(text) };
  });
  expect(versions.map((v) => [v.encoding, v.segments])).toEqual([["GSM_7BIT", 1], ["UCS2", 1], ["GSM_7BIT", 2]]);
  const [written, sample, long] = versions;

  await expect(greeting.getByTestId("preview-written").getByTestId("preview-summary")).toHaveText(`1 segment · GSM 7-bit · ${written.characters} characters`);
  await expect(greeting.getByTestId("preview-written").getByTestId("preview-text")).toHaveText(written.text);
  const samples = greeting.getByTestId("preview-samples");
  await expect(samples.getByTestId("preview-summary")).toHaveText(`1 segment · UCS-2 (Unicode) · ${sample.characters} characters`);
  await expect(samples).toContainText(sample.counter);
  await expect(samples.getByTestId("preview-forcing")).toHaveText("These characters force UCS-2: ë");
  const longestView = greeting.getByTestId("preview-longest");
  await expect(longestView.getByTestId("preview-summary")).toHaveText(`2 segments · GSM 7-bit · ${long.characters} characters`);
  await expect(longestView).toContainText(long.counter);
  await expect(greeting.getByTestId("preview-verdict")).toHaveText("At most 2 segments — within the limit of 10.");
  // A screen reader hears the verdict once typing pauses.
  await expect(page.locator("#announcer")).toHaveText("At most 2 segments — within the limit of 10.");

  // The values stay in this browser for the next visit, and the words follow the language.
  await page.getByTestId("admin-lang").selectOption("de");
  await expect(greeting.getByTestId("preview-longest").getByTestId("preview-summary")).toHaveText(`2 Segmente · GSM 7-Bit · ${long.characters} Zeichen`);
  await page.reload();
  await expect(template(page, "greeting").getByLabel("Längster Wert für customer.first_name")).toHaveValue(longest);
});

test.describe("accessibility", () => {
  test.use({ bypassCSP: true }); // axe-core is injected as a script the console's CSP would refuse

  test("no WCAG 2.1 AA violations in the console: editing, a preview, an error, the audit log and usage", async ({ page }) => {
    await openConsole(page, "en");
    const greeting = template(page, "greeting");
    await greeting.getByLabel("Longest value for customer.first_name").fill("x".repeat(150));
    await expect(greeting.getByTestId("preview-verdict")).toBeVisible();
    await page.getByTestId("admin-sender").nth(2).getByLabel("Address").fill("ACME€");
    await expect(page.getByTestId("admin-sender").nth(2).getByLabel("Address")).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByTestId("admin-audit-entry")).toHaveCount(1);
    expect(await violations(page, "html")).toEqual([]);
    // The sign-in form, in German.
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByTestId("admin-lang").selectOption("de");
    await expect(page.getByRole("button", { name: "Anmelden" })).toBeVisible();
    expect(await violations(page, "html")).toEqual([]);
  });
});

test.describe("signing in", () => {
  test.use({ allowedConsoleErrors: [/status of 401/] });

  test("a wrong token shows the relay's message at the sign-in field, and a right one signs in", async ({ page }) => {
    await page.goto(`${relay.url}/admin?lang=en`);
    await page.getByLabel("Admin token").fill("not-a-token");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByTestId("admin-signin-error")).toHaveText("The token is not valid.");
    await page.getByLabel("Admin token").fill(adminToken());
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByTestId("admin-tenant")).toHaveText("Company acme · revision 1");
  });
});

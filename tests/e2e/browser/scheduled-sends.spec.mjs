// Sending later and quiet hours, as the agent reads them in German and in English: the "send
// later" field in the agent's own time (a browser in New York), the customer's local time from
// the number (Berlin), the verdict above Send — scheduled, held by the customer's quiet hours,
// refused — the scheduled message in the panel's list (also after a reload) and its Cancel.
// The quiet hours are set by the company's administrator through the admin API, around the
// time the test runs. Dates in the expected words come from the compose core in CPython, as
// the counter tests' numbers do.
import { execFileSync } from "node:child_process";
import { violations } from "./axe.mjs";
import { expect, mintToken, relay, test } from "./fixtures.mjs";

test.use({ timezoneId: "America/New_York" });

const AGENT_ZONE = "America/New_York";
const NUMBER = "+4915123456789";

const WORDS = {
  de: {
    sendAt: "Später senden (Ihre Zeit)",
    scheduled: (when) => `Geplant: Die SMS geht am ${when} hinaus (Ihre Zeit).`,
    yours: (when) => `Ihre Zeit: ${when}`,
    customer: (when) => `Ortszeit des Kunden: ${when} (Europe/Berlin)`,
    status: (when) => `SMS an ${NUMBER}: geplant für ${when}`,
    heading: "Geplante SMS",
    item: (when, text) => `An ${NUMBER} – ${when}: ${text}`,
    cancel: (when) => `Geplante SMS an ${NUMBER} für ${when} stornieren`,
    cancelled: "Geplante SMS storniert.",
    quiet: (from, until) => `Ruhezeit beim Kunden (${from}–${until} Uhr): `,
    held: "Die SMS wird zurückgehalten und geht am ",
    heldNote: "zurückgehalten wegen Ruhezeit",
    refused: "Ihr Unternehmen sendet dann keine SMS. Frühestens möglich: ",
    sendNow: "Sofort senden",
  },
  en: {
    sendAt: "Send later (your time)",
    scheduled: (when) => `Scheduled: the SMS goes out on ${when} (your time).`,
    yours: (when) => `Your time: ${when}`,
    customer: (when) => `Customer's local time: ${when} (Europe/Berlin)`,
    status: (when) => `SMS to ${NUMBER}: scheduled for ${when}`,
    heading: "Scheduled SMS",
    item: (when, text) => `To ${NUMBER} – ${when}: ${text}`,
    cancel: (when) => `Cancel the SMS scheduled to ${NUMBER} for ${when}`,
    cancelled: "Scheduled SMS cancelled.",
    quiet: (from, until) => `Quiet hours at the customer's (${from}–${until}): `,
    held: "the SMS is held and goes out on ",
    heldNote: "held for the quiet hours",
    refused: "your company sends no SMS then. The earliest possible: ",
    sendNow: "Send now",
  },
};

/** The core's words for a moment given in the agent's zone, in `zone` (CPython, like the relay). */
function momentWords(localDateTime, zone, lang) {
  const code = [
    "import sys",
    "from smscompose.moments import moment_text, parse_moment",
    "print(moment_text(parse_moment(sys.argv[1], sys.argv[2]), sys.argv[3], sys.argv[4]))",
  ].join("; ");
  return execFileSync(".venv/bin/python", ["-c", code, localDateTime, AGENT_ZONE, zone, lang], { encoding: "utf8" }).trim();
}

/** "YYYY-MM-DD" of now + `days` in `zone`. */
function dateIn(zone, days = 0) {
  return new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" }).format(
    new Date(Date.now() + days * 86_400_000),
  );
}

/** "HH:MM" in Berlin, `minutes` from now. */
function berlinClock(minutes) {
  const parts = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Berlin", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  return parts.format(new Date(Date.now() + minutes * 60_000));
}

async function api(path, token, init = {}) {
  const response = await fetch(`${relay.url}${path}`, {
    ...init,
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
  });
  return { status: response.status, body: await response.json() };
}

/** The administrator sets the quiet tenant's quiet hours (Berlin time, the customer's). */
async function setQuietHours(quiet) {
  const admin = mintToken({ tenant: "quiet", agent: "boss", role: "admin" });
  const current = (await api("/v1/admin/tenants/quiet", admin)).body;
  const settings = { ...current.settings, quiet_hours: quiet };
  const saved = await api("/v1/admin/tenants/quiet", admin, {
    method: "PUT",
    body: JSON.stringify({ revision: current.revision, settings, comment: "browser test: quiet hours" }),
  });
  expect(saved.status, JSON.stringify(saved.body)).toBe(200);
}

for (const lang of ["de", "en"]) {
  const w = WORDS[lang];

  test(`${lang}: a message scheduled for tomorrow 10:00 the agent's time, listed after a reload and cancelled`, async ({ host, page }) => {
    const zoneData = [];
    page.on("request", (request) => request.url().includes("/widget/zones/") && zoneData.push(request.url()));
    const token = mintToken({ tenant: "later", agent: `later-${lang}` });
    const sms = await host({ attributes: { lang, token } });
    await sms.open();
    await sms.fillTo("0151 23456789");
    await expect(sms.toHint).toHaveText("+49 1512 3456789");
    // Nothing needed a time zone yet: the time-zone data is not part of the panel's load.
    expect(zoneData).toEqual([]);
    const local = `${dateIn(AGENT_ZONE, 1)}T10:00`;
    const yours = momentWords(local, AGENT_ZONE, lang);
    const theirs = momentWords(local, "Europe/Berlin", lang);
    await page.getByLabel(w.sendAt).fill(local);
    await expect(sms.sendTiming.getByTestId("send-timing-text")).toHaveText(w.scheduled(yours));
    await expect(sms.sendTiming.getByTestId("send-timing-agent")).toHaveText(w.yours(yours));
    await expect(sms.sendTiming.getByTestId("send-timing-customer")).toHaveText(w.customer(theirs));
    await expect(sms.sendAtClear).toHaveText(w.sendNow);
    expect(zoneData).toHaveLength(1);
    if (lang === "de") expect(await violations(page)).toEqual([]);

    await sms.send();
    await expect(sms.status).toHaveText(w.status(yours));
    await sms.waitForStatus("scheduled");
    await expect(sms.scheduled.getByRole("heading")).toHaveText(w.heading);
    const text = "Ihr Termin ist morgen um 10 Uhr.";
    await expect(sms.scheduledItems).toHaveCount(1);
    await expect(sms.scheduledItems.first().locator(".summary")).toHaveText(w.item(yours, text));
    const id = await sms.scheduledItems.first().getAttribute("data-message-id");

    // A reload: the list comes from the relay.
    await page.reload();
    const again = await host({ attributes: { lang, token } });
    await expect(again.scheduledItems).toHaveCount(1);
    await again.scheduledItems.getByRole("button", { name: w.cancel(yours) }).click();
    await expect(again.root.getByTestId("notice")).toHaveText(w.cancelled);
    await expect(again.scheduled).toBeHidden();
    expect((await api(`/v1/messages/${id}`, token)).body.status).toBe("cancelled");
  });

  test(`${lang}: in the customer's quiet hours the verdict says held, and the message waits in the list`, async ({ host }) => {
    const [from, until] = [berlinClock(-60), berlinClock(120)];
    await setQuietHours({ from, until, mode: "hold" });
    const token = mintToken({ tenant: "quiet", agent: `quiet-${lang}` });
    const sms = await host({ attributes: { lang, token } });
    await sms.open();
    await sms.fillTo("0151 23456789");
    const verdict = sms.sendTiming.getByTestId("send-timing-text");
    await expect(verdict).toHaveText(new RegExp(`^${escape(w.quiet(from, until) + w.held)}.+, \\d\\d:\\d\\d`));
    await expect(sms.sendTiming.getByTestId("send-timing-customer")).toHaveText(new RegExp(`, ${until} \\(Europe/Berlin\\)$`));
    await expect(sms.sendButton).toBeEnabled();
    await sms.send();
    await sms.waitForStatus("scheduled");
    await expect(sms.scheduledItems.first()).toContainText(w.heldNote);
    await sms.scheduledItems.first().getByTestId("scheduled-cancel").click();
    await expect(sms.status).toHaveAttribute("data-status", "cancelled");
  });

  test(`${lang}: a tenant that refuses in the quiet hours disables Send and says when it could go`, async ({ host }) => {
    const [from, until] = [berlinClock(-60), berlinClock(120)];
    await setQuietHours({ from, until, mode: "refuse" });
    const sms = await host({ attributes: { lang, token: mintToken({ tenant: "quiet", agent: `refused-${lang}` }) } });
    await sms.open();
    await sms.fillTo("0151 23456789");
    const verdict = sms.sendTiming.getByTestId("send-timing-text");
    await expect(verdict).toHaveText(new RegExp(`^${escape(w.quiet(from, until) + w.refused)}.+, ${until} \\(Europe/Berlin\\)\\.$`));
    await expect(sms.sendTiming).toHaveAttribute("data-verdict", "refused");
    await expect(sms.sendButton).toBeDisabled();
  });
}

function escape(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

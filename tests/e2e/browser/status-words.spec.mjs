// What the agent reads after Send, for every outcome the sandbox gateway can show, in German and
// in English: the status and the reason in words of the panel's language, never a catalog key,
// a code or the gateway's own (English) text.
import { expect, test } from "./fixtures.mjs";

const OUTCOMES = [
  {
    to: "+4915123456789",
    status: "delivered",
    de: { line: "SMS an +4915123456789: zugestellt", reason: null },
    en: { line: "SMS to +4915123456789: delivered", reason: null },
  },
  {
    to: "+4915100000001",
    status: "undelivered",
    de: { line: "SMS an +4915100000001: nicht zugestellt", reason: "Grund: Das Telefon war ausgeschaltet oder nicht erreichbar." },
    en: { line: "SMS to +4915100000001: not delivered", reason: "Reason: The phone was switched off or out of reach." },
  },
  {
    to: "+4915100000002",
    status: "failed",
    de: { line: "SMS an +4915100000002: nicht gesendet", reason: "Grund: Der SMS-Anbieter hat die SMS abgelehnt." },
    en: { line: "SMS to +4915100000002: not sent", reason: "Reason: The SMS provider refused the SMS." },
  },
  {
    // Temporarily unavailable twice, then delivered: the retries do not show as a failure.
    to: "+4915100000003",
    status: "delivered",
    de: { line: "SMS an +4915100000003: zugestellt", reason: null },
    en: { line: "SMS to +4915100000003: delivered", reason: null },
  },
  {
    to: "+4915100000004",
    status: "expired",
    de: { line: "SMS an +4915100000004: abgelaufen", reason: "Grund: Das Telefon war innerhalb der Gültigkeitsdauer nicht erreichbar." },
    en: { line: "SMS to +4915100000004: expired", reason: "Reason: The phone could not be reached within the validity period." },
  },
  {
    // Silent: no delivery report ever comes; the relay stops waiting (2 s in relay.toml).
    to: "+4915100000005",
    status: "unknown",
    de: {
      line: "SMS an +4915100000005: nicht bestätigt – wurde eventuell gesendet; bitte vor erneutem Senden prüfen",
      reason: "Grund: Es kam keine Zustellbestätigung; die SMS wurde eventuell zugestellt.",
    },
    en: {
      line: "SMS to +4915100000005: not confirmed — may have been sent; check before sending again",
      reason: "Reason: No delivery report arrived; the SMS may have been delivered.",
    },
  },
];

// Words that must never reach the agent: catalog keys, reason codes, the sandbox's own text.
const RAW = /\b(status|reason)\.[a-z_]+|\b[a-z]+_[a-z_]+\b|test number|sandbox/;
const ENGLISH_IN_GERMAN = /\b(the|delivered|failed|expired|rejected|subscriber|reason)\b/i;

for (const lang of ["de", "en"]) {
  for (const outcome of OUTCOMES) {
    test(`${lang}: ${outcome.to} ends ${outcome.status}, said in words`, async ({ host }) => {
      const sms = await host({ attributes: { lang } });
      await sms.open();
      await sms.chooseQueue("service");
      await sms.fillTo(outcome.to);
      await sms.fillText(lang === "de" ? "Guten Tag" : "Good day");
      await sms.send();
      await sms.waitForStatus(outcome.status);
      const expected = outcome[lang];
      const text = (await sms.status.innerText()).trim();
      expect(text).toContain(expected.line);
      if (expected.reason) expect(text).toContain(expected.reason);
      else expect(text).not.toMatch(lang === "de" ? /Grund/ : /Reason/);
      expect(text).not.toMatch(RAW);
      if (lang === "de") expect(text).not.toMatch(ENGLISH_IN_GERMAN);
    });
  }
}

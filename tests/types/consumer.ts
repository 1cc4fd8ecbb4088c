// Compiled (never run) by `make lint`: the package's TypeScript declarations as a CRM vendor
// and a QA team use them. A declaration that drifts from this usage fails the build.
import "sms-panel";
import type { SmsSentDetail, SmsStatus } from "sms-panel";
import "sms-panel/frame";
import { CHROMIUM_ARGS, SmsPanel, TEST_IDS } from "sms-panel/testing";
import type { Page } from "@playwright/test";

const panel = document.createElement("sms-panel");
panel.setAttribute("token", "…");
panel.token = "…";
panel.relayUrl = "https://relay.example";
panel.interactionType = "call";
panel.customer = { customer: { first_name: "Erika" } };
panel.to = null;
const token: string | null = panel.token;
void token;
// @ts-expect-error: an interaction is a call or a webchat
panel.interactionType = "fax";
panel.addEventListener("sms-sent", (event) => {
  const detail: SmsSentDetail = event.detail;
  const segments: number = detail.segments;
  const encoding: "GSM_7BIT" | "UCS2" = detail.encoding;
  void segments;
  void encoding;
});
panel.addEventListener("sms-status", (event) => {
  const status: SmsStatus = event.detail.status;
  void status;
});
panel.addEventListener("sms-resume-interaction", (event) => {
  const id: string = event.detail.interactionId;
  void id;
});
void panel.prefill({ to: "+4915123456789", text: "Hallo", queue: "service" });
void panel.resumeDraft("d1").then((found: boolean) => found);
// @ts-expect-error: the status is one of six words
const wrong: SmsStatus = "lost";
void wrong;
const ready: boolean = panel.ready;
void ready;

const frame = document.createElement("sms-panel-frame");
void frame.open();

export async function qa(page: Page): Promise<void> {
  const sms = new SmsPanel(page);
  await sms.waitUntilReady();
  await sms.open();
  await sms.fillText("x");
  const counter: string = await sms.counterText();
  void counter;
  await sms.waitForStatus("delivered");
  const id: string | undefined = TEST_IDS.counter;
  void id;
  const framed = SmsPanel.inFrame(page.locator("sms-panel-frame"));
  await framed.draftItems.first().click();
  await framed.byTestId("counter").waitFor();
  // @ts-expect-error: a status is one of the wire's words
  await framed.waitForStatus("sent");
  const flags: readonly string[] = CHROMIUM_ARGS;
  void flags;
}

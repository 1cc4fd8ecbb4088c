// A Playwright page object for <sms-panel>, for QA teams who test their agent desktop with the
// panel in it. It uses only the panel's stable selector contract (data-testid attributes inside
// its open shadow root, which Playwright's locators pierce), so it keeps working when the
// panel's markup or styles change.
//
//   import { SmsPanel } from "sms-panel/testing";
//   const sms = new SmsPanel(page);            // or new SmsPanel(page.locator("#my-panel"))
//   await sms.waitUntilReady();
//   await sms.open();
//   await sms.chooseQueue("service");
//   await sms.fillTo("+49 151 23456789");
//   await sms.fillText("Hello");
//   await expect(sms.counter).toHaveText("5 – [GSM_7BIT 1]");
//   await sms.send();
//   await sms.waitForStatus("delivered");

/** The selector contract: every data-testid the panel guarantees. */
export const TEST_IDS = Object.freeze({
  smsButton: "sms-button",
  smsHint: "sms-hint",
  queueSelect: "queue-select",
  templateSelect: "template-select",
  templateConfirmReplace: "template-confirm-replace",
  templateConfirmKeep: "template-confirm-keep",
  toInput: "to-input",
  toHint: "to-hint",
  dialpadButton: "dialpad-button",
  dialpad: "dialpad",
  dialpadBackspace: "dialpad-backspace",
  fromSelect: "from-select",
  textInput: "text-input",
  emojiButton: "emoji-button",
  emojiPicker: "emoji-picker",
  counter: "counter",
  cost: "cost",
  forcing: "forcing",
  suggestionApply: "suggestion-apply",
  previewButton: "preview-button",
  segmentPreview: "segment-preview",
  segment: "segment",
  problems: "problems",
  sendButton: "send-button",
  parkButton: "park-button",
  closeButton: "close-button",
  drafts: "drafts",
  draftItem: "draft-item",
  draftResume: "draft-resume",
  draftDelete: "draft-delete",
  status: "status",
  sendAtInput: "send-at-input",
  sendAtClear: "send-at-clear",
  sendTiming: "send-timing",
  scheduled: "scheduled",
  scheduledItem: "scheduled-item",
  scheduledCancel: "scheduled-cancel",
  error: "error",
});

export class SmsPanel {
  /**
   * @param {import("@playwright/test").Page | import("@playwright/test").Locator} scope the page
   *   (first <sms-panel> on it) or a locator of one <sms-panel> element.
   */
  constructor(scope) {
    this.root = "goto" in scope ? scope.locator("sms-panel").first() : scope;
    const id = (name) => this.root.getByTestId(name);
    this.smsButton = id(TEST_IDS.smsButton);
    this.smsHint = id(TEST_IDS.smsHint);
    this.queueSelect = id(TEST_IDS.queueSelect);
    this.templateSelect = id(TEST_IDS.templateSelect);
    this.toInput = id(TEST_IDS.toInput);
    this.toHint = id(TEST_IDS.toHint);
    this.dialpadButton = id(TEST_IDS.dialpadButton);
    this.dialpad = id(TEST_IDS.dialpad);
    this.fromSelect = id(TEST_IDS.fromSelect);
    this.textInput = id(TEST_IDS.textInput);
    this.emojiButton = id(TEST_IDS.emojiButton);
    this.emojiPicker = id(TEST_IDS.emojiPicker);
    this.counter = id(TEST_IDS.counter);
    this.cost = id(TEST_IDS.cost);
    this.forcing = id(TEST_IDS.forcing);
    this.suggestionApply = id(TEST_IDS.suggestionApply);
    this.previewButton = id(TEST_IDS.previewButton);
    this.segmentPreview = id(TEST_IDS.segmentPreview);
    this.segments = id(TEST_IDS.segment);
    this.problems = id(TEST_IDS.problems);
    this.sendButton = id(TEST_IDS.sendButton);
    this.parkButton = id(TEST_IDS.parkButton);
    this.closeButton = id(TEST_IDS.closeButton);
    this.drafts = id(TEST_IDS.drafts);
    this.draftItems = id(TEST_IDS.draftItem);
    this.draftDelete = id(TEST_IDS.draftDelete);
    this.status = id(TEST_IDS.status);
    this.sendAtInput = id(TEST_IDS.sendAtInput);
    this.sendAtClear = id(TEST_IDS.sendAtClear);
    this.sendTiming = id(TEST_IDS.sendTiming);
    this.scheduled = id(TEST_IDS.scheduled);
    this.scheduledItems = id(TEST_IDS.scheduledItem);
    this.error = id(TEST_IDS.error);
  }

  /** Waits until the compose core is running and the agent's configuration is loaded. */
  async waitUntilReady({ timeout = 60_000 } = {}) {
    await this.root.evaluate(
      (el, ms) =>
        el.ready ||
        new Promise((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`sms-panel not ready after ${ms} ms`)), ms);
          el.addEventListener("sms-ready", () => {
            clearTimeout(timer);
            resolve(true);
          }, { once: true });
        }),
      timeout,
    );
  }

  /** The core's current view state (what the panel renders). */
  state() {
    return this.root.evaluate((el) => el.state);
  }

  async open() {
    await this.smsButton.click();
  }

  async chooseQueue(id) {
    await this.queueSelect.selectOption(id);
  }

  async chooseTemplate(id) {
    await this.templateSelect.selectOption(id);
  }

  async chooseFrom(address) {
    await this.fromSelect.selectOption(address);
  }

  async fillTo(number) {
    await this.toInput.fill(number);
  }

  /** Dials `keys` ("0-9", "*", "#", "+") on the dial pad, opening it if needed. */
  async dial(keys) {
    if (await this.dialpad.isHidden()) await this.dialpadButton.click();
    for (const key of keys) await this.root.getByTestId(`dialpad-key-${key}`).click();
  }

  async fillText(text) {
    await this.textInput.fill(text);
  }

  /** Types like an agent, key by key. */
  async typeText(text, { delay = 0 } = {}) {
    await this.textInput.pressSequentially(text, { delay });
  }

  /** Inserts an emoji through the picker, found by its search name (e.g. "thumbs up"). */
  async insertEmoji(search) {
    if (await this.emojiPicker.isHidden()) await this.emojiButton.click();
    const picker = this.root.getByTestId("emoji-picker-element");
    await picker.getByRole("combobox").fill(search);
    await picker.locator("#search-results [role=option]").first().click();
  }

  /** The counter's text, e.g. "225 – [GSM_7BIT 2]". */
  async counterText() {
    return (await this.counter.textContent()) ?? "";
  }

  async send() {
    await this.sendButton.click();
  }

  async park() {
    await this.parkButton.click();
  }

  /** Send later: a date and time in the agent's zone, as a date-time field takes it
   * ("2026-05-04T09:30"); "" sends at once again. */
  async sendAt(localDateTime) {
    await this.sendAtInput.fill(localDateTime);
  }

  /** Cancels the scheduled SMS whose list entry contains `text`. */
  async cancelScheduled(text) {
    await this.scheduledItems.filter({ hasText: text }).getByTestId(TEST_IDS.scheduledCancel).click();
  }

  /** Reactivates the parked draft whose inbox entry contains `text` (the arrow). */
  async resumeDraft(text) {
    await this.draftItems.filter({ hasText: text }).getByTestId(TEST_IDS.draftResume).click();
  }

  /** Deletes the reactivated draft (a draft can only be deleted after reactivation). */
  async deleteDraft() {
    await this.draftDelete.click();
  }

  /** Waits until the last sent SMS has `status` (scheduled, queued, submitted, delivered, …). */
  async waitForStatus(status, { timeout = 30_000 } = {}) {
    await this.status.and(this.root.locator(`[data-status="${status}"]`)).waitFor({ timeout });
  }
}

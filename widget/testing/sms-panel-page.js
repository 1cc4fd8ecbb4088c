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
//
// In the iframe mode: SmsPanel.inFrame(page). The Python twin (pip install sms-panel-testing)
// has the same locators and methods in snake_case; both read one contract (./contract.js).

import { LOCATORS, SELECTORS, TEST_IDS } from "./contract.js";

/** The selector contract (generated from widget/testing/py/smspanel_testing/contract.py, which
 * the Python page object reads too): every data-testid the panel guarantees, the page object's
 * locators, and the Chromium flags the project's own tests use. */
export { CHROMIUM_ARGS, CHROMIUM_EXECUTABLE, LOCATORS, SELECTORS, TEST_IDS } from "./contract.js";

export class SmsPanel {
  /**
   * @param {import("@playwright/test").Page | import("@playwright/test").Locator} scope the page
   *   (first <sms-panel> on it) or a locator of one <sms-panel> element.
   */
  constructor(scope) {
    this.root = "goto" in scope ? scope.locator(SELECTORS.panel).first() : scope;
    // One locator per entry of the contract's LOCATORS table (smsButton, counter, draftItems, …).
    for (const [name, testId] of Object.entries(LOCATORS)) this[name] = this.byTestId(testId);
  }

  /**
   * The panel in the iframe mode: the <sms-panel> inside the relay's /embed page that
   * <sms-panel-frame> shows. `scope` is the page (its first <sms-panel-frame>) or a locator of
   * one <sms-panel-frame>.
   * @param {import("@playwright/test").Page | import("@playwright/test").Locator} scope
   */
  static inFrame(scope) {
    const frame = "goto" in scope ? scope.locator(SELECTORS.frameElement).first() : scope;
    return new SmsPanel(frame.getByTestId(TEST_IDS.frame).contentFrame().locator(SELECTORS.panel));
  }

  /** Any element of the panel by its data-testid: the extension point for parts the contract
   * does not name yet (add them to the contract rather than spelling them in a test). */
  byTestId(testId) {
    return this.root.getByTestId(testId);
  }

  /** Waits until the compose core is running and the agent's configuration is loaded. */
  async waitUntilReady({ timeout = 60_000 } = {}) {
    await this.root.evaluate(
      (el, { ms, ...ready }) =>
        el[ready.property] ||
        new Promise((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`sms-panel not ready after ${ms} ms`)), ms);
          el.addEventListener(ready.event, () => {
            clearTimeout(timer);
            resolve(true);
          }, { once: true });
        }),
      { ms: timeout, property: SELECTORS.readyProperty, event: SELECTORS.readyEvent },
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
    for (const key of keys) await this.byTestId(`${SELECTORS.dialpadKeyPrefix}${key}`).click();
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
    const picker = this.byTestId(TEST_IDS.emojiPickerElement);
    await picker.getByRole(SELECTORS.emojiSearchRole).fill(search);
    await picker.locator(SELECTORS.emojiResult).first().click();
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

  /** Reactivates the parked draft whose inbox entry contains `text` (the arrow). */
  async resumeDraft(text) {
    await this.draftItems.filter({ hasText: text }).getByTestId(TEST_IDS.draftResume).click();
  }

  /** Deletes the reactivated draft (a draft can only be deleted after reactivation). */
  async deleteDraft() {
    await this.draftDelete.click();
  }

  /** Waits until the SMS sent last has `status` (queued, submitted, delivered, undelivered,
   * failed, expired, unknown). */
  async waitForStatus(status, { timeout = 30_000 } = {}) {
    await this.status.and(this.root.locator(`[${SELECTORS.statusAttribute}="${status}"]`)).waitFor({ timeout });
  }

  // Extension point: the conversation thread (being built) gets its locators from the
  // contract's LOCATORS table and its methods here, next to their Python twins.
}

import type { Locator, Page } from "@playwright/test";
import type { SmsStatus } from "../static/sms-panel.js";

/** The selector contract (./contract.js, generated from the Python kit's contract.py). */
export declare const TEST_IDS: Readonly<Record<string, string>>;
export declare const LOCATORS: Readonly<Record<string, string>>;
export declare const SELECTORS: Readonly<Record<string, string>>;
/** Debian's Chromium and the flags the project's own browser tests launch it with. */
export declare const CHROMIUM_EXECUTABLE: string;
export declare const CHROMIUM_ARGS: readonly string[];

export declare class SmsPanel {
  constructor(scope: Page | Locator);
  /** The panel in the iframe mode (<sms-panel-frame>): the page's first one, or the one given. */
  static inFrame(scope: Page | Locator): SmsPanel;
  readonly root: Locator;
  // One per entry of LOCATORS (tests/unit/test_qa_contract.py keeps the two lists equal).
  readonly smsButton: Locator;
  readonly smsHint: Locator;
  readonly queueSelect: Locator;
  readonly templateSelect: Locator;
  readonly templateConfirmReplace: Locator;
  readonly templateConfirmKeep: Locator;
  readonly toInput: Locator;
  readonly toHint: Locator;
  readonly dialpadButton: Locator;
  readonly dialpad: Locator;
  readonly dialpadBackspace: Locator;
  readonly fromSelect: Locator;
  readonly textInput: Locator;
  readonly emojiButton: Locator;
  readonly emojiPicker: Locator;
  readonly counter: Locator;
  readonly cost: Locator;
  readonly forcing: Locator;
  readonly suggestionApply: Locator;
  readonly previewButton: Locator;
  readonly segmentPreview: Locator;
  readonly segments: Locator;
  readonly problems: Locator;
  readonly sendButton: Locator;
  readonly parkButton: Locator;
  readonly closeButton: Locator;
  readonly drafts: Locator;
  readonly draftItems: Locator;
  readonly draftDelete: Locator;
  readonly status: Locator;
  readonly statusReason: Locator;
  readonly error: Locator;
  /** Any element of the panel by its data-testid: the extension point for parts not named yet. */
  byTestId(testId: string): Locator;
  waitUntilReady(options?: { timeout?: number }): Promise<void>;
  state(): Promise<unknown>;
  open(): Promise<void>;
  chooseQueue(id: string): Promise<void>;
  chooseTemplate(id: string): Promise<void>;
  chooseFrom(address: string): Promise<void>;
  fillTo(number: string): Promise<void>;
  dial(keys: string): Promise<void>;
  fillText(text: string): Promise<void>;
  typeText(text: string, options?: { delay?: number }): Promise<void>;
  insertEmoji(search: string): Promise<void>;
  counterText(): Promise<string>;
  send(): Promise<void>;
  park(): Promise<void>;
  resumeDraft(text: string): Promise<void>;
  deleteDraft(): Promise<void>;
  waitForStatus(status: SmsStatus, options?: { timeout?: number }): Promise<void>;
}

// TypeScript declarations for <sms-panel> and <sms-panel-frame>.

/** The relay's answer to a send, and what `sms-sent` carries. */
export interface SmsSentDetail {
  id: string;
  to: string;
  from: string;
  queue: string;
  encoding: "GSM_7BIT" | "UCS2";
  segments: number;
  status: SmsStatus;
  interactionId: string | null;
  interactionType: InteractionType | null;
}

/** The compose core's MessageStatus (widget/static/contract.js lists them, with which are final). */
export type SmsStatus = "queued" | "submitted" | "delivered" | "undelivered" | "failed" | "expired" | "unknown";
/** Why a message was not delivered, or is not known to be (the core's Reason). */
export type SmsReason =
  | "absent_subscriber"
  | "unknown_subscriber"
  | "undeliverable"
  | "rejected"
  | "blocked"
  | "expired"
  | "network_error"
  | "opted_out"
  | "unconfirmed"
  | "no_receipt"
  | "gateway_error";
export type InteractionType = "call" | "webchat";
export type PanelLanguage = "de" | "en";

export interface SmsStatusDetail {
  id: string;
  status: SmsStatus;
  /** No further status follows (delivered, undelivered, failed, expired). */
  final: boolean;
  reasonCode: SmsReason | null;
  /** The gateway's own words, for logs; the agent reads the translated reason code. */
  reason: string | null;
}

export interface SmsErrorDetail {
  /** A stable code, e.g. "boot.wasm", "net.offline", "auth.expired", "compose.to_required". */
  code: string;
  /** The message in the panel's language, as shown to the agent. */
  message: string;
  field: string | null;
  detail?: string;
}

export interface SmsReadyDetail {
  /** How long the compose core (Pyodide) took to boot in its worker. */
  bootMs: number | null;
  agent: string | null;
}

export interface SmsParkedDetail {
  id: string;
  to: string;
  interactionId: string | null;
}

export interface SmsResumeInteractionDetail {
  interactionId: string;
  interactionType: InteractionType;
}

/** A customer's message routed to this agent or one of its queues (any customer, not only the
 * one in To). */
export interface SmsReceivedDetail {
  /** The relay's id of the customer's message. */
  id: string;
  /** The customer's number (E.164). */
  from: string;
  /** The tenant's sender address the customer wrote to. */
  to: string;
  text: string;
  /** When the relay received it (ms since the epoch). */
  at: number;
  /** The agent it was routed to (the last who wrote within the tenant's reply window), or null
   * when it went to the queue. */
  agent: string | null;
  queue: string;
}

export interface SmsPanelEventMap {
  "sms-ready": CustomEvent<SmsReadyDetail>;
  "sms-sent": CustomEvent<SmsSentDetail>;
  "sms-parked": CustomEvent<SmsParkedDetail>;
  "sms-status": CustomEvent<SmsStatusDetail>;
  "sms-received": CustomEvent<SmsReceivedDetail>;
  "sms-error": CustomEvent<SmsErrorDetail>;
  "sms-resume-interaction": CustomEvent<SmsResumeInteractionDetail>;
}

export interface PrefillFields {
  to?: string;
  text?: string;
  /** A queue id the agent may use. */
  queue?: string;
  /** A template id. */
  template?: string;
}

interface SmsPanelMethods {
  /** Opens the panel, as the SMS button does. */
  open(): Promise<void>;
  /** Opens the panel with what the host already knows. */
  prefill(fields?: PrefillFields): Promise<void>;
  /** Reactivates a parked draft (resolves false when it no longer exists). */
  resumeDraft(id: string): Promise<boolean>;
}

/**
 * Attributes: `relay-url`, `token` (the agent's short-lived JWT, signed by the host CRM),
 * `lang` ("de" | "en"), `interaction-id`, `interaction-type` ("call" | "webchat"), `customer`
 * (JSON context for template placeholders), `to`. Each is also a property (`relayUrl`,
 * `token`, `lang`, `interactionId`, `interactionType`, `customer`, `to`) that reads and writes
 * the attribute, also when set before the element is defined; `null` removes it.
 */
export declare class SmsPanelElement extends HTMLElement implements SmsPanelMethods {
  /** The relay's URL (default: the origin sms-panel.js came from). */
  get relayUrl(): string | null;
  set relayUrl(value: string | null | undefined);
  /** The agent's token; set a new one before it expires (what the agent is writing stays). */
  get token(): string | null;
  set token(value: string | null | undefined);
  get interactionId(): string | null;
  set interactionId(value: string | null | undefined);
  get interactionType(): string | null;
  set interactionType(value: InteractionType | null | undefined);
  /** The customer context as JSON; an object set here is written as JSON. */
  get customer(): string | null;
  set customer(value: string | Record<string, unknown> | null | undefined);
  /** A number to start with. */
  get to(): string | null;
  set to(value: string | null | undefined);
  readonly ready: boolean;
  /** The compose core's current view state. */
  readonly state: Record<string, unknown> | null;
  open(): Promise<void>;
  prefill(fields?: PrefillFields): Promise<void>;
  resumeDraft(id: string): Promise<boolean>;
  addEventListener<K extends keyof SmsPanelEventMap>(type: K, listener: (this: SmsPanelElement, ev: SmsPanelEventMap[K]) => unknown, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
}

/** The iframe mode: the same attributes (plus `relay-url`, required), methods and events. */
export declare class SmsPanelFrameElement extends HTMLElement implements SmsPanelMethods {
  open(): Promise<void>;
  prefill(fields?: PrefillFields): Promise<void>;
  resumeDraft(id: string): Promise<boolean>;
  addEventListener<K extends keyof SmsPanelEventMap>(type: K, listener: (this: SmsPanelFrameElement, ev: SmsPanelEventMap[K]) => unknown, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
}

declare global {
  interface HTMLElementTagNameMap {
    "sms-panel": SmsPanelElement;
    "sms-panel-frame": SmsPanelFrameElement;
  }
}

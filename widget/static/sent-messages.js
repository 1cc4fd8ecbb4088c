// The SMS this panel sent and their status as the relay streams it. No DOM: the element asks
// which message changed and renders it.

// Statuses after which a message changes no more: a late "submitted" cannot undo "delivered".
const FINAL_STATUSES = new Set(["delivered", "failed", "expired"]);
// Status events that outran the answer to their POST, kept until the answer comes.
const EARLY_KEPT = 20;

/** Whether `status` is the last a message gets. */
export function isFinal(status) {
  return FINAL_STATUSES.has(status);
}

export class SentMessages {
  constructor() {
    this.byId = new Map();
    this.early = new Map();
    /** The message sent last: the one the status line shows. */
    this.last = null;
  }

  /**
   * Records a message the relay accepted ({id, to, status, interaction}) as the last one sent.
   * Returns a status event for it that arrived before the relay's answer, or null.
   */
  accepted(message) {
    this.last = { ...message, reason: null };
    this.byId.set(message.id, this.last);
    const early = this.early.get(message.id) ?? null;
    this.early.delete(message.id);
    return early;
  }

  /**
   * Applies a status event {id, status, reason}. Returns the message it changed, or null: when
   * the message is not known yet (the event is kept a moment) or the event would undo a final
   * status.
   */
  update(event) {
    const sent = this.byId.get(event.id);
    if (!sent) {
      this.early.set(event.id, event);
      if (this.early.size > EARLY_KEPT) this.early.delete(this.early.keys().next().value);
      return null;
    }
    if (isFinal(sent.status) && !isFinal(event.status)) return null;
    sent.status = event.status;
    sent.reason = event.reason ?? null;
    return sent;
  }
}

// Which numbers opted out of SMS (a STOP reply), asked of the relay once per number so the panel
// can warn before Send. No DOM. The relay refuses a send to such a number in any case; a number
// it could not be asked about counts as not opted out.

const LOOKUP_DELAY_MS = 250;

export class OptOuts {
  /**
   * @param lookup (e164) => a promise of the relay's {opted_out, …}, or undefined without a relay
   * @param learned called when an answer came in (the view shows it)
   */
  constructor(lookup, learned) {
    this.lookup = lookup;
    this.learned = learned;
    this.known = new Map();
    this.timer = null;
  }

  /** The opt-out gate: whether the view's number (the core's number check) may not be sent to. */
  blocks(number) {
    return Boolean(number?.valid && this.known.get(number.e164));
  }

  /** Asks about a valid number not asked about yet, once the agent pauses. */
  watch(number) {
    if (!number?.valid || this.known.has(number.e164)) return;
    const e164 = number.e164;
    clearTimeout(this.timer);
    this.timer = setTimeout(async () => {
      if (this.known.has(e164)) return;
      const pending = this.lookup(e164);
      if (!pending) return;
      try {
        this.known.set(e164, (await pending).opted_out);
      } catch {
        return; // unknown: the relay still checks at Send
      }
      this.learned();
    }, LOOKUP_DELAY_MS);
  }
}

// Asks the relay whether the number in To opted out (replied STOP), once the agent pauses
// typing, and hands the answer to the compose core, which decides whether Send is allowed.
// No DOM. Each number is asked once; a failed look-up is asked again later (the relay checks
// at Send in any case).

const DELAY_MS = 250;

export class OptOutLookup {
  /**
   * @param options.ask (e164) => Promise<{opted_out}> from the relay
   * @param options.answer (e164, optedOut) => Promise, the answer into the core
   * @param options.stillWanted (e164) => whether the core still asks about this number
   */
  constructor({ ask, answer, stillWanted, delayMs = DELAY_MS }) {
    this.ask = ask;
    this.answer = answer;
    this.stillWanted = stillWanted;
    this.delayMs = delayMs;
    this.asked = new Set();
    this.timer = null;
  }

  /** The core names a number it has no answer for (or none): ask once the agent pauses. */
  want(e164) {
    if (!e164 || this.asked.has(e164)) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this._lookUp(e164), this.delayMs);
  }

  cancel() {
    clearTimeout(this.timer);
    this.timer = null;
  }

  async _lookUp(e164) {
    if (this.asked.has(e164) || !this.stillWanted(e164)) return;
    this.asked.add(e164);
    try {
      const { opted_out } = await this.ask(e164);
      await this.answer(e164, opted_out);
    } catch {
      this.asked.delete(e164);
    }
  }
}

// The conversation with the customer in To, without DOM: loads the thread for the number and the
// sender address chosen (once the agent pauses), hands it to the compose core to be worded
// (smscompose.conversation_view) and to the UI to be shown, takes new replies from the agent's
// event stream, and marks what the agent has seen read. The core words everything; the relay
// decides who may read which conversation.

const DELAY_MS = 300;

export class ConversationThread {
  /**
   * @param options.relay () => the RelayClient in use (null before the panel is connected)
   * @param options.core the panel's CoreChannel
   * @param options.show (thread | null) => the UI renders the worded thread (null: none)
   * @param options.announce (text) => the UI announces a new reply
   * @param options.emit (type, detail) => fires an event on the element
   * @param options.reply (to, from, queue) => opens the compose form on them, the focus in the text
   */
  constructor({ relay, core, show, announce, emit, reply, delayMs = DELAY_MS }) {
    this.relay = relay;
    this.reply = reply;
    this.core = core;
    this.show = show;
    this.announce = announce;
    this.emit = emit;
    this.delayMs = delayMs;
    this.key = null;
    this.items = [];
    this.raw = null;
    this.timer = null;
    this.lang = null;
  }

  /** The compose view changed: follow the conversation its To and From name (or none), in
   * its language. */
  follow(view) {
    if (view?.lang !== this.lang) {
      this.lang = view?.lang;
      if (this.raw) this._word();
    }
    // A closed compose form (after Send, after parking) leaves the conversation on screen.
    if (!view?.compose_visible) return;
    const number = view.number?.valid ? view.number.e164 : null;
    const from = view?.sender?.selected ?? null;
    const key = number && from ? `${number} ${from}` : null;
    if (key === this.key) return;
    this.key = key;
    this.raw = null;
    clearTimeout(this.timer);
    if (!key) {
      this.show(null);
      return;
    }
    this.timer = setTimeout(() => this.load(), this.delayMs);
  }

  /** The agent answers in place: the compose form, open on this conversation's To and From. */
  async replyHere() {
    if (!this.key) return;
    const [to, from] = this.key.split(" ");
    await this.reply(to, from, this.raw?.items?.[0]?.queue_id);
  }

  /** Loads the newest page again (after a send, a reply, a new language). */
  async load({ received = null } = {}) {
    const key = this.key;
    if (!key || !this.relay()) return;
    const [number, from] = key.split(" ");
    let thread;
    try {
      thread = await this.relay().thread(number, from);
    } catch (error) {
      if (key === this.key) this.show({ failed: error.message });
      return;
    }
    if (key !== this.key) return;
    this.raw = thread;
    await this._word({ received });
    if (thread.unread) this.relay().markRead(number, from).catch(() => {});
  }

  /** Older messages, above the ones shown. */
  async older() {
    const key = this.key;
    if (!this.raw?.next) return;
    const [number, from] = key.split(" ");
    const page = await this.relay().thread(number, from, this.raw.next).catch(() => null);
    if (!page || key !== this.key) return;
    this.raw = { ...this.raw, items: [...this.raw.items, ...page.items], next: page.next };
    await this._word();
  }

  /** A `received` event from the agent's stream: a customer's message routed to the agent or
   * one of its queues. The host hears of every one; the thread shows those of its customer. */
  received(message) {
    this.emit("sms-received", {
      id: message.id,
      from: message.from,
      to: message.to,
      text: message.text,
      at: message.at,
      agent: message.agent,
      queue: message.queue_id,
    });
    if (this.key === `${message.from} ${message.to}`) this.load({ received: message });
  }

  /** A status change of one of ours: the thread shows it when the message is in it. */
  status(event) {
    if (this.raw?.items.some((item) => item.id === event.id)) this.load();
  }

  cancel() {
    clearTimeout(this.timer);
  }

  async _word({ received = null } = {}) {
    const answer = await this.core.act({ do: "thread_view", thread: this.raw, received });
    if (!answer?.thread) return;
    this.show(answer.thread);
    if (answer.announce) this.announce(answer.announce);
  }
}

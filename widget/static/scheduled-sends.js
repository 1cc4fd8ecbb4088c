// One panel's scheduled messages, without DOM: loads the agent's list from the relay (also
// what was scheduled before a reload or from another panel), cancels one at the relay, and
// keeps the core's verdict above Send current — the time passes (quiet hours begin or end, a
// chosen time slips into the past) and the customer's time zone needs the time-zone data,
// which the worker loads only when the core first asks for it.
// The core words and decides everything; this module carries the relay's answers to it.

const TICK_MS = 30_000;
// After the zone data failed to load, the core says so; asked again no sooner than this.
const RETRY_ZONES_MS = 10_000;

export class ScheduledSends {
  /** @param session the panel's ComposeSession (act, relay, notices, errors) */
  constructor(session) {
    this.session = session;
    this.loadingZones = false;
    this.zonesFailedAt = -Infinity;
    this.timer = null;
  }

  /** The agent's scheduled messages, listed by the relay, handed to the core. */
  async load() {
    let items;
    try {
      items = (await this.session.relay.scheduled()).items;
    } catch (error) {
      this.session._relayFailed(error);
      return;
    }
    await this.session.act({ do: "scheduled", items });
  }

  /** Cancels a scheduled message at the relay; its new status comes back to the core. */
  async cancel(id) {
    const result = await this.session._callRelay(() => this.session.relay.cancel(id));
    if (!result) return false;
    this.session._setBusy(false);
    const message = result.value;
    await this.session.act({ do: "status", event: { id: message.id, status: message.status } });
    this.session.noticeText("cancelledNotice");
    return true;
  }

  /** After each render: fetch the zone data when the core wants it (for the verdict, or for
   * scheduled messages' times in the agent's zone); tick while a verdict shows. */
  watch(view) {
    const retry = performance.now() - this.zonesFailedAt > RETRY_ZONES_MS;
    if (view.zones_needed && !this.loadingZones && retry) {
      this.loadingZones = true;
      this.session.act({ do: "zone_data" }).then((answer) => {
        this.loadingZones = false;
        if (!answer || answer.error) this.zonesFailedAt = performance.now();
      });
    }
    if (view.timing && !this.timer) {
      this.timer = setInterval(() => this.session.act({ do: "tick" }), TICK_MS);
    } else if (!view.timing && this.timer) {
      this.stop();
    }
  }

  stop() {
    clearInterval(this.timer);
    this.timer = null;
  }
}

// The agent's parked drafts as the relay last listed them, with the version of each (a park
// of a reactivated draft overwrites it only if nobody changed it since). No DOM, no I/O.

export class DraftInbox {
  constructor() {
    /** [{id, version, draft}] as GET /v1/drafts lists them. */
    this.items = [];
    this.versions = new Map();
  }

  /** Takes the relay's list. */
  replace(items) {
    this.items = items;
    this.versions = new Map(items.map((d) => [d.id, d.version]));
  }

  find(id) {
    return this.items.find((d) => d.id === id);
  }

  /** Whether the relay holds a draft with this id (parking it again updates it). */
  has(id) {
    return this.versions.has(id);
  }

  /** The version of a parked draft the relay last listed. */
  version(id) {
    return this.versions.get(id);
  }

  /** The drafts the inbox lists: all but the one being edited (`activeId`). */
  listed(activeId) {
    return this.items.filter((d) => d.id !== activeId);
  }
}

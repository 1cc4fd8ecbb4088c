// The DOM side of one <sms-panel>: builds its shadow tree (panel-elements.js), renders the
// compose core's view into it and shows what the session reports (errors, notices, the drafts,
// the status of the SMS sent last). It decides no rule: the view says what is visible, enabled
// and wrong. The agent's input goes to `commands` (act, send, park, deleteDraft, resumeDraft).

import { toggleDialpad } from "./dialpad.js";
import { fill, h, setOptions, show } from "./dom.js";
import { insertAtCaret, toggleEmoji } from "./emoji-picker.js";
import { t } from "./i18n.js";
import { Announcer, renderMessage } from "./message-view.js";
import { applyLabels, buildPanel } from "./panel-elements.js";
import { togglePreview } from "./segment-preview.js";
import { renderThread } from "./thread-view.js";

export class PanelView {
  /**
   * @param host the <sms-panel> (it carries the `busy` attribute)
   * @param root its shadow root
   * @param pid a page-unique prefix for ids
   * @param lang "de" or "en"
   * @param commands where the agent's actions go
   */
  constructor(host, root, pid, lang, commands) {
    this.host = host;
    this.lang = lang;
    this.commands = commands;
    this.view = null;
    const { els, labels } = buildPanel(root, pid, this);
    this.els = els;
    this.labels = labels;
    this.announcer = new Announcer(els.announce);
    this.setLanguage(lang);
  }

  // -- input (from panel-elements.js) ---------------------------------------------------------

  act(action, options) {
    return this.commands.act(action, options);
  }

  press(key) {
    this.act({ do: "dialpad", key }, { writeBack: true });
  }

  focusFirst() {
    for (const el of [this.els.queue, this.els.template, this.els.to]) {
      if (el.offsetParent !== null && !el.closest("[hidden]")) {
        el.focus();
        return;
      }
    }
  }

  /** Focuses a named element ("text", "smsButton", …). */
  focus(name) {
    this.els[name].focus();
  }

  toggleDialpad(open) {
    toggleDialpad(this.els, this.lang, open);
  }

  toggleEmoji(open) {
    return toggleEmoji(this.els, this.lang, (chars) => this.act({ do: "text", value: insertAtCaret(this.els.text, chars) }), open);
  }

  togglePreview() {
    togglePreview(this.els, this.lang, this.view?.message);
  }

  // -- output (from the session) --------------------------------------------------------------

  /** The conversation with the customer in To: the core's worded thread, or null for none. */
  showThread(thread) {
    renderThread(this.els.thread, thread, this.lang, {
      older: () => this.commands.thread.older(),
      reply: () => this.commands.thread.replyHere(),
    });
  }

  /** Says a new reply came, for screen readers (and on screen, as a notice). */
  announceReply(text) {
    this.notice(text);
  }

  setLanguage(lang) {
    this.lang = lang;
    applyLabels(this.els, this.labels, lang);
  }

  /**
   * Renders the core's view. `writeBack` puts the view's To and text into the fields (after a
   * template, the dial pad, a draft, …; never while the agent types). `busy`: a relay call is
   * under way.
   */
  render(view, { writeBack, busy }) {
    const e = this.els;
    const lang = this.lang;
    this.view = view;
    show(e.contact, view.sms_button.visible);
    e.smsButton.disabled = !view.sms_button.enabled;
    e.smsButton.setAttribute("aria-expanded", String(view.open));
    const buttonProblem = view.sms_button.problem?.message ?? "";
    fill(e.smsHint, buttonProblem);
    show(e.smsHint, Boolean(buttonProblem));

    show(e.selection, view.queue.visible);
    setOptions(e.queue, view.queue.options, view.queue.selected, t(lang, "chooseQueue"));

    show(e.compose, view.compose_visible);
    show(e.templateRow, view.template.visible);
    setOptions(e.template, view.template.options, view.template.selected);
    show(e.confirm, Boolean(view.pending_template));
    if (view.pending_template) fill(e.confirmText, view.pending_template.message);

    if (writeBack && e.to.value !== view.to) e.to.value = view.to;
    this._renderNumber(view);

    show(e.fromRow, view.sender.visible);
    setOptions(e.from, view.sender.options, view.sender.selected);

    if (writeBack && e.text.value !== view.text) e.text.value = view.text;
    renderMessage(e, lang, view, this.announcer);

    const listed = view.listed_problems;
    fill(e.problems, listed.map((p) => h("li", { "data-code": p.code }, p.message)));
    show(e.problems, listed.length > 0);

    show(e.send, view.send.visible);
    e.send.disabled = !view.send.enabled || busy;
    e.park.disabled = !view.can_park || busy;
    show(e.deleteDraft, Boolean(view.draft_id));
    this._renderInbox(view.inbox);
    this._renderStatus(view.status);
  }

  /** The hint under To, as the core words it: the number as it will be dialled, or why not. */
  _renderNumber(view) {
    const e = this.els;
    const hint = view.to_hint;
    fill(e.toHint, hint.text);
    e.toHint.className = hint.tone === "problem" ? "problem" : hint.tone === "ok" ? "hint ok" : "hint";
    if (hint.code) e.toHint.dataset.code = hint.code;
    else delete e.toHint.dataset.code;
    e.to.setAttribute("aria-invalid", String(hint.tone === "problem"));
  }

  /** The inbox: the core's items, each with the arrow that reactivates it. */
  _renderInbox(inbox) {
    fill(
      this.els.drafts,
      inbox.items.length === 0
        ? [h("li", { class: "hint" }, inbox.empty)]
        : inbox.items.map((item) =>
            h(
              "li",
              { "data-testid": "draft-item", "data-draft-id": item.id },
              h("span", { class: "summary", title: item.text }, item.summary),
              h(
                "button",
                {
                  type: "button",
                  class: "icon",
                  "data-testid": "draft-resume",
                  "aria-label": item.resume_label,
                  title: item.resume_label,
                  onclick: () => this.commands.resumeDraft(item.id),
                },
                "➜",
              ),
            ),
          ),
    );
  }

  /** The status line of the SMS sent last, as the core words it, or nothing. */
  _renderStatus(status) {
    const e = this.els;
    show(e.status, Boolean(status));
    if (!status) return;
    e.status.className = `status tone-${status.tone}`;
    e.status.dataset.status = status.status;
    e.status.dataset.final = String(status.final);
    fill(
      e.status,
      h("span", {}, status.text),
      status.reason ? h("span", { class: "hint", "data-testid": "status-reason", "data-code": status.reason_code }, ` ${status.reason}`) : null,
    );
  }

  /** Shows an error (`code` in data-code), or hides it without arguments. */
  showError(code, message) {
    const e = this.els.error;
    if (code === undefined) {
      e.hidden = true;
      fill(e, "");
      return;
    }
    fill(e, message);
    e.dataset.code = code;
    e.hidden = false;
  }

  /** The core could not start: the boot line goes, the error says why. */
  bootFailed(code, message, detail) {
    this.els.boot.hidden = true;
    const e = this.els.error;
    fill(e, message);
    e.dataset.code = code;
    e.dataset.detail = detail ?? "";
    e.hidden = false;
  }

  /** The boot line: what keeps the panel from being ready (`error` marks it as a failure). */
  bootMessage(text, { error = false } = {}) {
    fill(this.els.boot, text);
    if (error) this.els.boot.classList.add("error");
  }

  bootDone() {
    this.els.boot.hidden = true;
  }

  notice(text) {
    fill(this.els.notice, text ?? "");
  }

  /** Send and Park while a relay call is under way (`what` "sending" relabels Send). */
  setBusy(busy, what) {
    const e = this.els;
    this.host.toggleAttribute("busy", busy);
    e.send.disabled = busy || !this.view?.send.enabled;
    fill(e.send, t(this.lang, what === "sending" ? "sending" : "send"));
    e.park.disabled = busy || !this.view?.can_park;
  }
}

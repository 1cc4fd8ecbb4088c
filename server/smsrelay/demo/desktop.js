// The demo agent desktop: a stand-in for a CRM vendor's console. It does what a host does with
// <sms-panel>: fetch a token (here from the relay's demo endpoint; a real CRM signs its own),
// hand the panel the active interaction and its customer, and react to the panel's events.

const panel = document.getElementById("sms");
const log = document.getElementById("log");
const hostDrafts = document.getElementById("host-drafts");
const hostConversations = document.getElementById("host-conversations");
const resume = document.getElementById("resume");
const interactions = [...document.querySelectorAll(".interaction")];

function note(text) {
  const item = document.createElement("li");
  item.textContent = `${new Date().toLocaleTimeString()} ${text}`;
  log.prepend(item);
}

function select(button) {
  for (const b of interactions) {
    b.classList.toggle("active", b === button);
    b.setAttribute("aria-pressed", String(b === button));
  }
  panel.setAttribute("interaction-id", button.dataset.id);
  panel.setAttribute("interaction-type", button.dataset.type);
  panel.setAttribute("customer", button.dataset.customer);
  panel.setAttribute("to", button.dataset.to);
}

async function refreshDrafts() {
  const token = panel.getAttribute("token");
  const response = await fetch("/v1/drafts", { headers: { Authorization: `Bearer ${token}` } });
  if (!response.ok) return;
  const { items } = await response.json();
  hostDrafts.replaceChildren(
    ...items.map((item) => {
      const li = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = "➜";
      button.setAttribute("aria-label", `Reaktivieren: ${item.draft.to || "?"}`);
      button.dataset.testid = "demo-draft-resume";
      button.addEventListener("click", () => panel.resumeDraft(item.id));
      li.append(`${item.draft.to || "–"}: ${item.draft.text.slice(0, 40)} `, button);
      return li;
    }),
  );
}

// Unread conversations of the agent's queues: a click opens the panel on that customer, from the
// number the customer wrote to, with the thread under To.
async function refreshConversations() {
  const token = panel.getAttribute("token");
  const response = await fetch("/v1/conversations", { headers: { Authorization: `Bearer ${token}` } });
  if (!response.ok) return;
  const { items } = await response.json();
  const unread = items.filter((item) => item.unread > 0);
  hostConversations.replaceChildren(
    ...(unread.length ? unread : [null]).map((item) => {
      const li = document.createElement("li");
      if (!item) {
        li.textContent = "Keine ungelesenen Antworten.";
        li.className = "muted";
        return li;
      }
      const button = document.createElement("button");
      button.type = "button";
      button.dataset.testid = "demo-conversation";
      button.textContent = `${item.number} (${item.unread}): ${item.last_text.slice(0, 40)}`;
      button.addEventListener("click", async () => {
        panel.setAttribute("to", item.number);
        await panel.open();
        await panel.prefill({ to: item.number, queue: item.queue_id });
        refreshConversations();
      });
      li.append(button);
      return li;
    }),
  );
}

for (const button of interactions) button.addEventListener("click", () => select(button));
const adminLink = document.getElementById("admin-link");
let adminToken = null;

// The admin console in the desktop's language, signed in as the demo tenant's administrator.
function linkAdmin() {
  const lang = document.getElementById("lang").value;
  adminLink.textContent = lang === "de" ? "Admin-Konsole" : "Admin console";
  adminLink.href = `/admin?lang=${lang}${adminToken ? `#token=${encodeURIComponent(adminToken)}` : ""}`;
}

document.getElementById("lang").addEventListener("change", (event) => {
  document.documentElement.lang = event.target.value;
  panel.setAttribute("lang", event.target.value);
  linkAdmin();
});
document.getElementById("resume-button").addEventListener("click", () => {
  resume.hidden = true;
  document.querySelector('[data-testid="demo-call-state"]').textContent = "aktiv";
  note("Anruf reaktiviert");
});

panel.addEventListener("sms-ready", (e) => {
  note(`SMS bereit (Python ${e.detail.bootMs} ms)`);
  refreshDrafts();
  refreshConversations();
});
panel.addEventListener("sms-received", (e) => {
  note(`Antwort von ${e.detail.from}: ${e.detail.text.slice(0, 40)}`);
  // The panel marks a thread it shows read; a moment later the list agrees.
  setTimeout(refreshConversations, 800);
});
panel.addEventListener("sms-sent", (e) => note(`SMS ${e.detail.id} angenommen (${e.detail.encoding}, ${e.detail.segments} Segment(e))`));
panel.addEventListener("sms-status", (e) => note(`SMS ${e.detail.id}: ${e.detail.status}`));
panel.addEventListener("sms-parked", () => {
  note("SMS geparkt");
  refreshDrafts();
});
panel.addEventListener("sms-error", (e) => note(`Fehler: ${e.detail.message}`));
panel.addEventListener("sms-resume-interaction", (e) => {
  if (e.detail.interactionType !== "call") return;
  document.querySelector('[data-testid="demo-call-state"]').textContent = "gehalten";
  document.getElementById("resume-text").textContent = `SMS gesendet – Anruf ${e.detail.interactionId} wartet.`;
  resume.hidden = false;
});

select(interactions[0]);
const response = await fetch("/demo/token", { method: "POST" });
const { token } = await response.json();
panel.setAttribute("token", token);

// Plays the CRM for the administrator too: /demo/admin-token exists only in the demo.
const admin = await fetch("/demo/admin-token", { method: "POST" });
if (admin.ok) adminToken = (await admin.json()).token;
linkAdmin();

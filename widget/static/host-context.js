// What the host page tells the compose core, besides the agent's input: its languages, the
// customer context for template placeholders, the interaction, and the agent's time zone (the
// browser's), in which the agent picks and reads the time to send.

/** The agent's IANA time zone, e.g. "Europe/Berlin" (null if the browser does not say). */
export function agentTimeZone() {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || null;
  } catch {
    return null;
  }
}

/** The host's part of the core's input: its languages, the customer context, the interaction. */
export function hostContext(attribute, languages) {
  let customer = {};
  const raw = attribute("customer");
  if (raw) {
    try {
      customer = JSON.parse(raw);
    } catch {
      customer = {};
    }
  }
  const context = customer && typeof customer === "object" && !Array.isArray(customer) ? customer : {};
  return {
    lang: languages,
    // Template placeholders read {{customer.…}}; a context that already has a "customer"
    // key (or others, like "appointment") is taken as it is.
    context: "customer" in context ? context : { customer: context },
    interaction_id: attribute("interaction-id") || null,
    interaction_type: attribute("interaction-type") || null,
    time_zone: agentTimeZone(),
  };
}

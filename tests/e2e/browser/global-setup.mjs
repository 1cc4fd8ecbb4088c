import { writeFileSync } from "node:fs";
import { startCrmHost } from "./crm-host.mjs";
import { startRelay } from "./relay.mjs";

export default async function globalSetup() {
  const relay = await startRelay();
  // Test workers read where the relay is from the environment they inherit.
  process.env.SMS_PANEL_RELAY = JSON.stringify(relay);
  writeFileSync(`${relay.dataDir}/pid`, String(relay.pid));
  const crm = await startCrmHost(relay.hostPort);
  return async () => {
    crm.close();
    try {
      process.kill(relay.pid, "SIGTERM");
    } catch {
      // already gone
    }
  };
}

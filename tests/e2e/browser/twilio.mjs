// The Twilio-compatible fake (tests/support/peers/twilio_fake.py) for browser tests: its own
// process on a free 127.0.0.1 port, stopped by PID. `incoming` makes it text the relay as
// Twilio does: a signed incoming-message webhook to the URL set for the number.
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "./relay.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

export const ACCOUNT_SID = `AC${"b0a7".repeat(8)}`;
export const AUTH_TOKEN = "browser-tests-twilio-auth-token-0123";

export async function startTwilioFake() {
  const port = await freePort();
  const args = ["tests/support/peers/twilio_fake.py", "--port", String(port), "--account-sid", ACCOUNT_SID, "--auth-token", AUTH_TOKEN];
  const child = spawn(join(ROOT, ".venv/bin/python"), args, { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the Twilio fake exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/_fake/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error("the Twilio fake did not start");
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    pid: child.pid,
    url,
    /** A customer texts `to`: resolves with what the relay answered ({sid, status, response}). */
    async incoming({ webhook, from, to, body }) {
      const response = await fetch(`${url}/_fake/incoming`, { method: "POST", body: JSON.stringify({ url: webhook, from, to, body }) });
      return response.json();
    },
    stop() {
      try {
        process.kill(child.pid, "SIGTERM");
      } catch {
        // already gone
      }
    },
  };
}

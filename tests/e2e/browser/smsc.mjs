// The SMSC simulator (tests/support/peers/smsc_simulator.mjs) for browser tests: started on free
// ports, stopped by PID. `deliver` sends a customer's message to the bound relay (deliver_sm).
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

export async function startSmsc() {
  const child = spawn(process.execPath, [
    join(ROOT, "tests/support/peers/smsc_simulator.mjs"),
    "--port=0", "--control-port=0", "--system-id=relay", "--password=secret", "--receipt-delay-ms=100",
  ], { cwd: ROOT, stdio: ["ignore", "pipe", "ignore"] });
  const ready = await new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => reject(new Error("the SMSC simulator did not start")), 10_000);
    child.stdout.on("data", (chunk) => {
      output += chunk;
      const match = /READY smpp=(\d+) control=(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ port: Number(match[1]), control: Number(match[2]) });
      }
    });
    child.on("exit", (code) => reject(new Error(`the SMSC simulator exited with ${code}`)));
  });
  const control = `http://127.0.0.1:${ready.control}`;
  return {
    pid: child.pid,
    port: ready.port,
    async bound() {
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline) {
        const binds = await (await fetch(`${control}/binds`)).json();
        if (binds.some((b) => b.ok && !b.unbound)) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error("the relay did not bind to the SMSC simulator");
    },
    /** A customer's message (hex short_message) to the relay; the deliver_sm_resp status. */
    async deliver(body) {
      const response = await fetch(`${control}/deliver`, { method: "POST", body: JSON.stringify(body) });
      return (await response.json()).command_status;
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

/** GSM 7-bit for the plain letters, digits and punctuation a test writes (one septet each). */
export function gsmHex(text) {
  return Buffer.from(text, "latin1").toString("hex");
}

export function ucs2Hex(text) {
  return Buffer.from(text, "utf16le").swap16().toString("hex");
}

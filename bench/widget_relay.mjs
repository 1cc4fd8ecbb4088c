// The relay bench/widget.mjs measures against: the embedded demo configuration (its /demo agent
// desktop embeds <sms-panel>), SQLite in a temporary folder, a free port on 127.0.0.1. Started
// as a child process and stopped by its PID; its log goes to a file in that folder.
import { spawn } from "node:child_process";
import { mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "../tests/e2e/browser/relay.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Starts the relay; resolves with {url, stop()} once /readyz answers. */
export async function startRelay() {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), "sms-panel-bench-"));
  const log = join(dataDir, "relay.log");
  const out = openSync(log, "a");
  const child = spawn(
    join(ROOT, ".venv/bin/python"),
    ["-m", "smsrelay", "serve", "--host", "127.0.0.1", "--port", String(port), "--data-dir", dataDir],
    { cwd: ROOT, stdio: ["ignore", out, out] },
  );
  const exited = new Promise((resolve) => child.once("exit", resolve));
  // A benchmark that crashes or is interrupted must not leave its relay running.
  const orphanGuard = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    rmSync(dataDir, { recursive: true, force: true });
  };
  process.once("exit", orphanGuard);
  for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]]) process.once(signal, () => process.exit(code));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      process.kill(child.pid, "SIGTERM");
      const timer = setTimeout(() => child.exitCode === null && process.kill(child.pid, "SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      if ((await fetch(`${url}/readyz`)).ok) return { url, stop };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const tail = readFileSync(log, "utf8").slice(-2000);
  await stop();
  throw new Error(`the relay did not become ready (exit code ${child.exitCode}):\n${tail}`);
}

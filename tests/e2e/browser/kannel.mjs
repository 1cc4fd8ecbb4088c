// A real Kannel for browser tests (bearerbox, smsbox and fakesmsc, through
// tests/support/peers/kannel_process.py): its sms-service passes customers' messages to the
// relay's signed URL, as an operator sets it up with `smsrelay inbound-url`. Started on free
// 127.0.0.1 ports, stopped by PID (the process stops every Kannel process it started).
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const PYTHON = join(ROOT, ".venv/bin/python");

/** What `smsrelay inbound-url` prints for `gateway` in the relay's configuration `config`. */
export function inboundUrl(config, gateway) {
  const path = join(mkdtempSync(join(tmpdir(), "sms-panel-kannel-")), "relay.toml");
  writeFileSync(path, config);
  return execFileSync(PYTHON, ["-m", "smsrelay", "inbound-url", "--gateway", gateway, "--config", path], { cwd: ROOT, encoding: "utf8" }).trim();
}

/**
 * Starts Kannel with an sms-service calling `smsServiceUrl`, smsbox's sendsms on `sendsmsPort`.
 * Resolves with {pid, sendsmsUrl, username, password, sendMo({from, to, text, ucs2}), stop()}.
 */
export async function startKannel({ smsServiceUrl, sendsmsPort }) {
  const args = ["-m", "tests.support.peers.kannel_process", "--sms-service-url", smsServiceUrl, "--sendsms-port", String(sendsmsPort)];
  const child = spawn(PYTHON, args, { cwd: ROOT, stdio: ["pipe", "pipe", "inherit"] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async (what) => {
    const timer = setTimeout(() => child.kill("SIGTERM"), 30_000);
    const { value, done } = await lines.next();
    clearTimeout(timer);
    if (done) throw new Error(`Kannel exited (${child.exitCode}) before ${what}`);
    return value;
  };
  const ready = await next("it was ready");
  if (!ready.startsWith("READY ")) throw new Error(`Kannel did not start: ${ready}`);
  const started = JSON.parse(ready.slice(6));
  let queue = Promise.resolve();
  return {
    pid: child.pid,
    sendsmsUrl: started.sendsms_url,
    username: started.username,
    password: started.password,
    /** A customer's message into bearerbox through fakesmsc; resolves once bearerbox has it. */
    sendMo(message) {
      queue = queue.then(async () => {
        child.stdin.write(`${JSON.stringify(message)}\n`);
        const answer = await next("it took the message");
        if (answer !== "OK") throw new Error(`Kannel: ${answer}`);
      });
      return queue;
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

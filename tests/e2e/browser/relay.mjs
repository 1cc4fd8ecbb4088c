// The real relay the browser tests talk to: started once per run by global-setup.mjs on a free
// port with tests/e2e/browser/relay.toml (SQLite in a temporary folder, the sandbox gateway), and
// stopped by PID in global-teardown.mjs.
import { spawn } from "node:child_process";
import { createHmac } from "node:crypto";
import { mkdtempSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts the relay; resolves with {pid, port, url, hostPort, dataDir} once /readyz answers.
 * `embedded` runs it as `make run` does: the built-in demo configuration, no --config.
 * `port`: one picked before (a peer that calls the relay back was configured with it).
 */
export async function startRelay({ embedded = false, config: own = null, port: given = null } = {}) {
  const port = given ?? (await freePort());
  const hostPort = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), "sms-panel-browser-"));
  // `config`: a configuration of the test's own (e.g. with a gateway to a peer it started).
  const config = (own ?? readFileSync(join(ROOT, "tests/e2e/browser/relay.toml"), "utf8"))
    .replaceAll("{port}", String(port))
    .replaceAll("{host_port}", String(hostPort))
    .replace('public_url = "http://127.0.0.1:0"', `public_url = "http://127.0.0.1:${port}"`);
  const configPath = join(dataDir, "relay.toml");
  writeFileSync(configPath, config);
  const child = spawn(
    join(ROOT, ".venv/bin/python"),
    [
      "-m",
      "smsrelay",
      "serve",
      ...(embedded ? [] : ["--config", configPath]),
      ...["--host", "127.0.0.1", "--port", String(port), "--data-dir", dataDir],
      // One process: a test reads back at once what it just saved (another worker would
      // see it within its next look at the database, 0.25 s).
      ...["--workers", "1"],
    ],
    // Its log goes to a file in the data folder: read it when a test fails.
    { cwd: ROOT, stdio: ["ignore", openSync(join(dataDir, "relay.log"), "a"), openSync(join(dataDir, "relay.log"), "a")] },
  );
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`relay exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/readyz`)).ok) return { pid: child.pid, port, url, hostPort, dataDir };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill("SIGTERM");
  throw new Error("relay did not become ready within 60 s");
}

/** The relay's configuration as startRelay writes it for `port`: what `smsrelay` commands read. */
export function relayConfig(config, port) {
  return config.replaceAll("{port}", String(port)).replace('public_url = "http://127.0.0.1:0"', `public_url = "http://127.0.0.1:${port}"`);
}

export function stopRelay(relay) {
  try {
    process.kill(relay.pid, "SIGTERM");
  } catch {
    // already gone
  }
}

const SECRETS = Object.fromEntries(
  [...readFileSync(join(ROOT, "tests/e2e/browser/relay.toml"), "utf8").matchAll(/\[tenants\.(\w+)\.token_secrets\]\nk1 = "([^"]+)"/g)].map(
    (m) => [m[1], m[2]],
  ),
);

const b64url = (data) => Buffer.from(data).toString("base64url");

/** An agent token as the host CRM signs it (HS256, kid k1); `role: "admin"` for the
 * company administrator (the admin API and /admin). */
export function mintToken({ tenant = "acme", agent = "agent-1", queues, ttlSeconds = 3600, secret, role } = {}) {
  const now = Math.floor(Date.now() / 1000);
  const claims = { tenant, sub: agent, iat: now, exp: now + ttlSeconds };
  if (queues) claims.queues = queues;
  if (role) claims.role = role;
  const head = b64url(JSON.stringify({ alg: "HS256", typ: "JWT", kid: "k1" }));
  const body = b64url(JSON.stringify(claims));
  const signature = createHmac("sha256", secret ?? SECRETS[tenant]).update(`${head}.${body}`).digest("base64url");
  return `${head}.${body}.${signature}`;
}

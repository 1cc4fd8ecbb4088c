// The compose core (smscompose, Python) in Pyodide, in a dedicated module worker so Python never
// blocks the host page. It boots as soon as it is created and then answers one message at a
// time: {id, pid, action} in, {id, answer} out. Each <sms-panel> on the page (pid) has its own
// smscompose.panel.Panel; the answer is that Panel's JSON as a string (cheaper to post than a
// structured object). The worker decides nothing itself.
//
// Boot reports {type: "ready", ms} or {type: "failed", reason, detail}; reason "wasm" means the
// page's Content-Security-Policy blocks WebAssembly, "asset" that a file could not be loaded.

const base = new URL("./", import.meta.url);
const started = performance.now();
let Panel = null;
const panels = new Map();

class BootError extends Error {
  constructor(reason, detail) {
    super(detail);
    this.reason = reason;
  }
}

// Pyodide hangs rather than rejects when CSP forbids WebAssembly compilation, so find out first
// with the smallest valid module (8 bytes: magic number and version).
function checkWebAssembly() {
  try {
    new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
  } catch (error) {
    throw new BootError("wasm", String(error?.message ?? error));
  }
}

async function fetchOk(url) {
  let response;
  try {
    response = await fetch(url, { credentials: "omit" });
  } catch (error) {
    throw new BootError("asset", `${url}: ${error?.message ?? error}`);
  }
  if (!response.ok) throw new BootError("asset", `${url}: HTTP ${response.status}`);
  return response;
}

async function boot() {
  checkWebAssembly();
  const manifest = await (await fetchOk(new URL("manifest.json", base))).json();
  // The wheels download while Pyodide starts.
  const wheels = manifest.wheels.map(async (path) =>
    new Uint8Array(await (await fetchOk(new URL(path, base))).arrayBuffer()),
  );
  wheels.forEach((w) => w.catch(() => {})); // reported below, once Pyodide is up
  const indexURL = new URL(manifest.pyodide, base).href;
  let loadPyodide;
  try {
    ({ loadPyodide } = await import(`${indexURL}pyodide.mjs`));
  } catch (error) {
    throw new BootError("asset", `${indexURL}pyodide.mjs: ${error?.message ?? error}`);
  }
  let pyodide;
  try {
    pyodide = await loadPyodide({
      indexURL,
      packages: [],
      args: ["-B"],
      env: { PYTHONDONTWRITEBYTECODE: "1" },
      stdout: () => {},
      stderr: () => {},
    });
  } catch (error) {
    throw new BootError("asset", `Pyodide: ${error?.message ?? error}`);
  }
  const sitePackages = pyodide.runPython("import site; site.getsitepackages()[0]");
  for (const bytes of await Promise.all(wheels)) {
    pyodide.unpackArchive(bytes, "wheel", { extractDir: sitePackages });
  }
  pyodide.runPython("import importlib; importlib.invalidate_caches()");
  Panel = pyodide.pyimport("smscompose.panel").Panel;
}

const booting = boot().then(
  () => self.postMessage({ type: "ready", ms: Math.round(performance.now() - started) }),
  (error) =>
    self.postMessage({
      type: "failed",
      reason: error instanceof BootError ? error.reason : "runtime",
      detail: String(error?.message ?? error),
    }),
);

self.onmessage = async (event) => {
  const { id, pid, action } = event.data ?? {};
  await booting;
  if (Panel === null) return; // boot failed; the element has been told
  let answer;
  try {
    let panel = panels.get(pid);
    if (panel === undefined) {
      panel = Panel().act_json;
      panels.set(pid, panel);
    }
    answer = panel(JSON.stringify(action));
  } catch (error) {
    answer = JSON.stringify({ error: { code: "panel.crashed", message: String(error), field: null } });
  }
  self.postMessage({ type: "answer", id, answer });
};

// The compose core (smscompose, Python) in Pyodide, in a dedicated module worker so Python never
// blocks the host page. It boots as soon as it is created and then answers one message at a
// time: {id, pid, action} in, {id, answer} out. Each <sms-panel> on the page (pid) has its own
// smscompose.panel.Panel; the answer is that Panel's JSON as a string (cheaper to post than a
// structured object). The worker decides nothing itself.
//
// Boot reports {type: "ready", ms} or {type: "failed", reason, detail}; reason "wasm" means the
// page's Content-Security-Policy blocks WebAssembly, "asset" that a file could not be loaded.
//
// Booting Python from scratch takes seconds; restoring the memory snapshot the build made
// (scripts/make-snapshot.mjs: Python with smscompose.panel imported) takes a fraction of that,
// and downloads no archive (stdlib, wheel) until an import needs one. A snapshot that is
// missing, fails to download or fails to restore costs only the time spent on it: the worker
// then boots from scratch, as it would without one.

const assets = new URL("./", import.meta.url);
const started = performance.now();
let Panel = null;
const panels = new Map();
// What loading the time-zone data later needs: the interpreter, python-core.mjs, the manifest.
const booted = {};
let zoneData = null;

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

async function fetchBytes(url) {
  return new Uint8Array(await (await fetchOk(url)).arrayBuffer());
}

async function importOk(url) {
  try {
    return await import(url);
  } catch (error) {
    throw new BootError("asset", `${url}: ${error?.message ?? error}`);
  }
}

const quiet = { stdout: () => {}, stderr: () => {} };

async function loadFresh(loadPyodide, options) {
  try {
    return await loadPyodide(options);
  } catch (error) {
    throw new BootError("asset", `Pyodide: ${error?.message ?? error}`);
  }
}

// Pyodide reads only the snapshot's length before it instantiates the wasm module, and its
// bytes only after (API.restoreSnapshot, once createPyodideModule has resolved). So it gets a
// buffer of the right size at once, and the download fills it while the 10 MB module compiles
// and the runtime starts, instead of one after the other. A short or failed download, or a
// Pyodide that reads the bytes earlier (it would find no snapshot header), ends in the normal boot.
async function download(url, into) {
  const reader = (await fetchOk(url)).body.getReader();
  let filled = 0;
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    if (filled + chunk.value.length > into.length) throw new Error(`${url}: more than ${into.length} bytes`);
    into.set(chunk.value, filled);
    filled += chunk.value.length;
  }
  if (filled !== into.length) throw new Error(`${url}: ${filled} of ${into.length} bytes`);
}

/** Starts the snapshot's download into a buffer of its final size: {bytes, filling}. */
function fetchSnapshot({ path, bytes: size }) {
  const bytes = new Uint8Array(size);
  const filling = download(new URL(path, assets), bytes);
  filling.catch(() => {}); // loadSnapshot reports it
  return { bytes, filling };
}

async function loadSnapshot(loadPyodide, options, core, { bytes, filling }, { base: ranges, stdlib }) {
  let base = null;
  const end = Math.max(...ranges.map((range) => range[1]));
  const instantiated = core.takingBase(options.createPyodideModule, (memory) => (base = memory.slice(0, end)));
  const pyodide = await loadPyodide({
    ...options,
    stdLibURL: new URL(stdlib, assets).href,
    _loadSnapshot: bytes,
    createPyodideModule: async (settings) => {
      const module = await instantiated(settings);
      await filling;
      core.xorBase(bytes, base, ranges);
      return module;
    },
  });
  // Pyodide keeps its options, and with them these 30 MB, for the worker's lifetime, but its
  // heap has its own copy now: transferring the buffer away lets it be freed.
  bytes.buffer.transfer?.(0);
  return pyodide;
}

// An import that needs an archive waits for it: a synchronous request (allowed in workers).
function fetchSync(url) {
  const request = new XMLHttpRequest();
  request.open("GET", url, false);
  request.responseType = "arraybuffer";
  request.send();
  if (request.status !== 200) throw new Error(`${url}: HTTP ${request.status}`);
  return new Uint8Array(request.response);
}

function startRestored(core, pyodide, manifest) {
  Object.assign(booted, { core, pyodide });
  const panel = core.restore(pyodide, manifest.snapshot.archives, (path) => fetchSync(new URL(path, assets)));
  // A snapshot that restored but is not sound should fail here, not on the agent's first key.
  JSON.parse(panel().act_json(JSON.stringify({ do: "open" })));
  return panel;
}

function fetchWheels(manifest) {
  const wheels = Promise.all(manifest.wheels.map(async (path) => ({ path, bytes: await fetchBytes(new URL(path, assets)) })));
  wheels.catch(() => {}); // reported where awaited, once Pyodide is up
  return wheels;
}

function withoutSnapshot(error) {
  console.warn(`sms-panel: booting without the memory snapshot: ${error?.message ?? error}`);
  return null;
}

async function boot() {
  checkWebAssembly();
  // Imported here rather than statically, so the manifest's download need not wait for it.
  const pythonCore = importOk(new URL("python-core.mjs", assets).href);
  pythonCore.catch(() => {}); // awaited below
  const manifest = await (await fetchOk(new URL("manifest.json", assets))).json();
  booted.manifest = manifest;
  // Everything downloads while Pyodide's own files load: the snapshot, or else the wheels.
  const snapshot = manifest.snapshot ? fetchSnapshot(manifest.snapshot) : null;
  let wheels = snapshot ? null : fetchWheels(manifest);
  const indexURL = new URL(manifest.pyodide, assets).href;
  // Pyodide would import its runtime module (1.2 MB of JavaScript) only after its loader and
  // only then start fetching the wasm: it is imported alongside instead, and loadPyodide starts
  // (and with it the wasm's download) as soon as the small loader is there.
  const runtime = importOk(`${indexURL}pyodide.asm.mjs`);
  runtime.catch(() => {}); // createPyodideModule reports it
  const [{ loadPyodide }, core] = await Promise.all([importOk(`${indexURL}pyodide.mjs`), pythonCore]);
  const options = {
    indexURL,
    ...quiet,
    lockFileContents: manifest.pyodideLock,
    createPyodideModule: async (settings) => (await runtime).default(settings),
  };
  if (snapshot) {
    const restoring = { ...options, ...core.pyodideOptions() };
    const restored = await loadSnapshot(loadPyodide, restoring, core, snapshot, manifest.snapshot).catch(withoutSnapshot);
    try {
      if (restored) return startRestored(core, restored, manifest);
    } catch (error) {
      withoutSnapshot(error);
    }
    wheels = fetchWheels(manifest);
  }
  const pyodide = await loadFresh(loadPyodide, { ...options, ...core.pyodideOptions() });
  const files = await wheels;
  Object.assign(booted, { core, pyodide });
  core.writeWheels(pyodide, files);
  return core.importCore(pyodide, files);
}

const booting = boot().then(
  (panel) => {
    Panel = panel;
    self.postMessage({ type: "ready", ms: Math.round(performance.now() - started) });
  },
  (error) =>
    self.postMessage({
      type: "failed",
      reason: error instanceof BootError ? error.reason : "runtime",
      detail: String(error?.message ?? error),
    }),
);

/** Fetches and adds the time-zone data once (again after a failure); false if it failed. */
function loadZoneData() {
  zoneData ??= fetchBytes(new URL(booted.manifest.zones, assets)).then(
    (bytes) => booted.core.addZoneData(booted.pyodide, bytes),
  );
  return zoneData.then(
    () => true,
    () => {
      zoneData = null;
      return false;
    },
  );
}

self.onmessage = async (event) => {
  let { id, pid, action } = event.data ?? {};
  await booting;
  if (Panel === null) return; // boot failed; the element has been told
  // The core asked for the customer's zones: the data comes first, the core words the outcome.
  if (action?.do === "zone_data") action = { ...action, failed: !(await loadZoneData()) };
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

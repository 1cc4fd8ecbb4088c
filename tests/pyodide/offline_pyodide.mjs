/**
 * Loads Pyodide from node_modules with no network at all, and installs local wheels into it.
 *
 * Shared by tests/pyodide/run_core_suite.mjs (the core suite under pytest) and
 * bench/pyodide_segment.mjs (the per-call timing). Pyodide in Node reads its runtime with
 * fs; anything that would go through `fetch` (a CDN package, a URL lock file) is refused, so a
 * run that needs the network fails loudly instead of hanging or silently downloading.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Where scripts/test-pyodide.sh leaves the wheels (downloaded deps, freshly built smscompose). */
export const DEFAULT_WHEEL_DIRS = [
  join(REPO_ROOT, ".cache", "pyodide-wheels"),
  join(REPO_ROOT, ".cache", "pyodide-build"),
];

/** Every attempted fetch, so a caller can report (or assert) that there was none. */
export const fetchAttempts = [];

function refuseNetwork() {
  globalThis.fetch = async (input) => {
    const url = typeof input === "string" ? input : (input?.url ?? String(input));
    fetchAttempts.push(url);
    throw new Error(`network access refused (offline Pyodide): ${url}`);
  };
}

/** The .whl files of the given files and directories (directories: not recursive), sorted. */
export function listWheels(paths) {
  const wheels = [];
  for (const path of paths) {
    if (statSync(path).isDirectory()) {
      for (const name of readdirSync(path).sort()) {
        if (name.endsWith(".whl")) wheels.push(join(path, name));
      }
    } else if (path.endsWith(".whl")) {
      wheels.push(path);
    }
  }
  return wheels;
}

/** Pass raw bytes through unbuffered: pytest's progress dots come without newlines. */
function rawWriter(stream) {
  return {
    write(buffer) {
      stream.write(Buffer.from(buffer)); // a copy: Pyodide reuses its buffer
      return buffer.length;
    },
  };
}

/**
 * Load Pyodide (from node_modules, indexURL left at its default), install `wheels` into
 * site-packages and return {pyodide, sitePackages, wheels}. `env` becomes os.environ.
 */
export async function loadOfflinePyodide({ wheelPaths = DEFAULT_WHEEL_DIRS, env = {} } = {}) {
  refuseNetwork();
  const { loadPyodide } = await import("pyodide");
  const pyodide = await loadPyodide({
    env: { PYTHONDONTWRITEBYTECODE: "1", ...env },
    args: ["-B"],
    packages: [],
    stdout: (line) => process.stdout.write(`${line}\n`),
    stderr: (line) => process.stderr.write(`${line}\n`),
  });
  pyodide.setStdout(rawWriter(process.stdout));
  pyodide.setStderr(rawWriter(process.stderr));

  const sitePackages = pyodide.runPython("import site; site.getsitepackages()[0]");
  const wheels = listWheels(wheelPaths);
  if (wheels.length === 0) {
    throw new Error(`no wheels found in ${wheelPaths.join(", ")} (run scripts/test-pyodide.sh)`);
  }
  for (const wheel of wheels) {
    const bytes = readFileSync(wheel);
    const view = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength); // not a Buffer
    pyodide.unpackArchive(view, "wheel", { extractDir: sitePackages });
  }
  pyodide.runPython("import importlib, sys; importlib.invalidate_caches(); sys.dont_write_bytecode = True");
  return { pyodide, sitePackages, wheels };
}

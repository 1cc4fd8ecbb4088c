/**
 * Runs the core test suite (tests/unit/core) with pytest inside Pyodide under Node.
 *
 * Why: smscompose must run unchanged in the browser, so the very tests CPython runs are run in
 * Pyodide's Python too, against the built wheel (not the source tree), with phonenumberslite
 * (what the browser ships) standing in for phonenumbers. Everything comes from local files.
 *
 * Usage: node tests/pyodide/run_core_suite.mjs [--wheels PATH]... [--zones ZIP] [--tests DIR] [-- PYTEST_ARGS]
 *   --wheels  a .whl file or a directory of them (repeatable); default: .cache/pyodide-wheels
 *             and .cache/pyodide-build, as left by scripts/test-pyodide.sh
 *   --zones   the panel's time-zone data (scripts/build-zone-data.py), added as the browser's
 *             worker adds it (widget/static/python-core.mjs); default:
 *             .cache/pyodide-build/zone-data.zip
 *   --tests   the host directory mounted as <mount>/tests; default: the repository's tests/.
 *             The suite run is <mount>/tests/unit/core.
 * Exits with pytest's exit code; 5 (no tests collected) counts as a failure too.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { addZoneData } from "../../widget/static/python-core.mjs";
import { DEFAULT_WHEEL_DIRS, fetchAttempts, loadOfflinePyodide, REPO_ROOT } from "./offline_pyodide.mjs";

const MOUNT_ROOT = "/repo"; // stands in for the repository root inside Pyodide (MEMFS)
const MOUNTED_TESTS = `${MOUNT_ROOT}/tests`; // NODEFS mount of the host tests directory

function parseArgs(argv) {
  const opts = {
    wheels: [],
    zones: join(REPO_ROOT, ".cache", "pyodide-build", "zone-data.zip"),
    tests: join(REPO_ROOT, "tests"),
    pytestArgs: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") {
      opts.pytestArgs = argv.slice(i + 1);
      break;
    } else if (arg === "--wheels") opts.wheels.push(resolve(argv[++i]));
    else if (arg === "--zones") opts.zones = resolve(argv[++i]);
    else if (arg === "--tests") opts.tests = resolve(argv[++i]);
    else throw new Error(`unknown argument ${arg} (see the usage at the top of this file)`);
  }
  if (opts.wheels.length === 0) opts.wheels = DEFAULT_WHEEL_DIRS;
  return opts;
}

/** Files Python or pytest would leave behind in the (read-only by intent) mounted tree. */
function artefacts(dir, found = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if ([".pytest_cache", ".hypothesis"].includes(entry.name)) found.push(path);
    else if (entry.isDirectory()) artefacts(path, found);
    else if (/\.cpython-31[4-9].*\.pyc$/.test(entry.name)) found.push(path);
  }
  return found;
}

// Where smscompose and phonenumbers come from: found without importing before the run (a broken
// package should fail in pytest, with pytest's report), and every imported module after it.
const CHECK_PROVENANCE = `
import importlib.metadata, importlib.util, os, sys
def _inside(path, root):
    return os.path.commonpath([path, root]) == root and path != root
def _where(name):
    module = sys.modules.get(name)
    if module is not None:
        return module.__file__ or next(iter(module.__path__))
    spec = importlib.util.find_spec(name)
    assert spec is not None, f"{name} is not installed"
    return spec.origin if spec.has_location else next(iter(spec.submodule_search_locations))
def check_provenance(site_packages, mounted):
    """smscompose from the wheel and phonenumbers from phonenumberslite, nothing from the mount."""
    names = {"smscompose", "phonenumbers"} | {n for n in sys.modules if n.startswith("smscompose.")}
    for name in sorted(names):
        where = _where(name)
        assert _inside(where, site_packages), f"{name} comes from {where}, not site-packages"
        assert not _inside(where, mounted), f"{name} comes from the mounted tree: {where}"
    owners = importlib.metadata.packages_distributions().get("phonenumbers", [])
    assert owners == ["phonenumberslite"], f"phonenumbers provided by {owners}"
    imported = sum(n == "smscompose" or n.startswith("smscompose.") for n in sys.modules)
    return (f"smscompose {importlib.metadata.version('smscompose')} at {_where('smscompose')} "
            f"({imported} modules imported); phonenumbers at {_where('phonenumbers')} "
            f"from phonenumberslite {importlib.metadata.version('phonenumberslite')}")
`;

// A pytest plugin object, not an import before pytest.main: a plugin module imported early
// cannot be assertion-rewritten, and the repository's filterwarnings=error makes that fatal.
// Its profile is a fallback only: a conftest that loads its own profile wins, as under CPython.
// Either way the example database is in MEMFS (HYPOTHESIS_STORAGE_DIRECTORY=/tmp/hypothesis).
const PYODIDE_PLUGIN = `
class PyodidePlugin:
    """Hypothesis defaults for Pyodide, applied when pytest configures."""
    def pytest_configure(self, config):
        from hypothesis import settings
        # Pyodide is slower than CPython: a per-example deadline would only measure that.
        settings.register_profile("pyodide", deadline=None)
        if settings.get_current_profile_name() == "default":  # no conftest chose one
            settings.load_profile("pyodide")
    def summary(self):
        import hypothesis
        from hypothesis import settings
        from hypothesis.configuration import storage_directory
        return (f"hypothesis {hypothesis.__version__}: profile {settings.get_current_profile_name()!r}, "
                f"deadline={settings.default.deadline}, example database in "
                f"{storage_directory('examples', intent_to_write=False).path}")
PyodidePlugin()
`;

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const before = new Set(artefacts(opts.tests));
  const t0 = performance.now();
  const { pyodide, sitePackages, wheels } = await loadOfflinePyodide({
    wheelPaths: opts.wheels,
    env: { HYPOTHESIS_STORAGE_DIRECTORY: "/tmp/hypothesis" },
  });
  // The time-zone data the panel's worker adds when a view first needs it (not a wheel).
  addZoneData(pyodide, readFileSync(opts.zones));
  const loadSeconds = (performance.now() - t0) / 1000;

  // The repository's pytest configuration applies as under CPython (rootdir /repo), and so does
  // tests/conftest.py (it marks the suite `unit` and imports only pytest); only the tests
  // directory itself is visible, the package source is not.
  pyodide.FS.mkdirTree(MOUNTED_TESTS);
  pyodide.FS.writeFile(`${MOUNT_ROOT}/pyproject.toml`, readFileSync(join(REPO_ROOT, "pyproject.toml")));
  pyodide.mountNodeFS(MOUNTED_TESTS, opts.tests);
  pyodide.FS.chdir(MOUNT_ROOT);

  const say = (line) => process.stdout.write(`[pyodide] ${line}\n`);
  say(`Pyodide ${pyodide.version}, Python ${pyodide.runPython("import sys; sys.version.split()[0]")}, loaded in ${loadSeconds.toFixed(1)} s`);
  say(`wheels: ${wheels.map((w) => w.split("/").pop()).join(" ")}; time-zone data: ${opts.zones}`);
  say(`tests: ${opts.tests} mounted at ${MOUNTED_TESTS}`);
  pyodide.runPython(CHECK_PROVENANCE);
  const checkProvenance = pyodide.globals.get("check_provenance");
  say(checkProvenance(sitePackages, MOUNTED_TESTS));

  const pytestArgs = [`${MOUNTED_TESTS}/unit/core`, "-q", "-p", "no:cacheprovider", ...opts.pytestArgs];
  if (process.stdout.isTTY) pytestArgs.push("--color=yes");
  say(`pytest ${pytestArgs.join(" ")}`);
  const t1 = performance.now();
  const plugin = pyodide.runPython(PYODIDE_PLUGIN);
  const pytestMain = pyodide.runPython("import pytest; pytest.main");
  let code = Number(pytestMain.callKwargs(pyodide.toPy(pytestArgs), { plugins: pyodide.toPy([plugin]) }));
  const runSeconds = (performance.now() - t1) / 1000;
  say(plugin.summary());

  try {
    say(`after the run: ${checkProvenance(sitePackages, MOUNTED_TESTS)}`);
  } catch (err) {
    say(`PROVENANCE CHECK FAILED: ${err.message.trim().split("\n").pop()}`);
    code = code || 1;
  }
  const written = artefacts(opts.tests).filter((path) => !before.has(path));
  if (written.length > 0) {
    say(`the run wrote into the mounted tests directory: ${written.join(", ")}`);
    code = code || 1;
  }
  if (fetchAttempts.length > 0) {
    say(`network access was attempted (and refused): ${fetchAttempts.join(", ")}`);
    code = code || 1;
  } else {
    say("network: no fetch attempted");
  }
  if (code === 5) say("no tests were collected: that counts as a failure");
  say(`pytest exit code ${code}; suite ran in ${runSeconds.toFixed(1)} s (${(loadSeconds + runSeconds).toFixed(1)} s with startup)`);
  process.exitCode = code;
}

main().catch((err) => {
  process.stderr.write(`[pyodide] ${err.stack ?? err}\n`);
  process.exitCode = 1;
});

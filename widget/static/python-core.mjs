// How smscompose gets into Pyodide's Python. Shared by the compose worker (every boot) and by
// scripts/make-snapshot.mjs (which snapshots an interpreter after exactly these steps): a
// snapshot's sys.path, sys.flags and imported modules must match the files the worker writes,
// so both take them from here.
//
// The wheels are not unpacked: each is written to the file system as one file and put on
// sys.path, where zipimport reads it (pure-Python wheels are importable zips). Writing two
// files costs well under a millisecond; unpacking phonenumberslite's 579 files cost 150-1000 ms
// per boot. A memory snapshot keeps Python's memory (modules, zipimport's directory of each
// wheel) but not the file system, which lives in JavaScript; so after a restore the same
// bytes are written to the same paths again, and lazy imports (phonenumbers loads a region's
// metadata module on first use) find them.

/** loadPyodide options every interpreter gets, snapshotted or not (args shape sys.flags).
 * A fresh object each time: loadPyodide adds to `env`. */
export function pyodideOptions() {
  return { packages: [], args: ["-B"], env: { PYTHONDONTWRITEBYTECODE: "1" } };
}

const WHEEL_DIR = "/lib/sms-panel-wheels";

/** The file system path of a wheel: its content-hashed name from the manifest, so a snapshot
 * made from other bytes never finds its zipimport offsets pointing into these. */
export function wheelPath(manifestPath) {
  return `${WHEEL_DIR}/${manifestPath.split("/").pop()}`;
}

/** Writes the wheels ({path, bytes}, path as in the manifest) where sys.path expects them. */
export function writeWheels(pyodide, wheels) {
  pyodide.FS.mkdirTree(WHEEL_DIR);
  for (const { path, bytes } of wheels) pyodide.FS.writeFile(wheelPath(path), bytes);
}

// After the standard library on sys.path, so a wheel can never shadow a stdlib module.
// Idempotent: after a restore the paths are there and smscompose.panel is in sys.modules.
const IMPORT_CORE = `
def _import_core(paths):
    import sys
    sys.path.extend(p for p in paths if p not in sys.path)
    import smscompose.panel
_import_core(WHEEL_PATHS)
del _import_core
`;

/** Puts the wheels on sys.path and imports the panel; returns smscompose.panel.Panel. */
export function importCore(pyodide, wheels) {
  // A JSON array of ASCII strings is a Python list literal.
  const paths = JSON.stringify(wheels.map(({ path }) => wheelPath(path)));
  pyodide.runPython(IMPORT_CORE.replace("WHEEL_PATHS", paths));
  return pyodide.pyimport("smscompose.panel").Panel;
}

/**
 * What a restored interpreter must redo. What survives a snapshot is Python's memory as the
 * build left it: modules, caches, sys.path, os.environ (from pyodideOptions), and state that was
 * meant to differ per process. `random`'s state would make every page draw the same numbers, so
 * it is reseeded. The str hash seed cannot be (no matter in a browser tab: hash flooding needs
 * a server), and time.timezone/tzname are the build machine's (the core works in UTC).
 */
export function afterRestore(pyodide) {
  pyodide.runPython("import random; random.seed()");
}

// The time-zone data (scripts/build-zone-data.py) is no wheel: phonenumbers' number-to-zone
// table goes beside phonenumberslite's package (which leaves it out) and the IANA zones on
// sys.path for zoneinfo. Added when a view first needs a customer's local time, never at boot.
const ADD_ZONE_DATA = `
def _add_zone_data(path):
    import importlib, sys
    import phonenumbers
    if path not in sys.path:
        sys.path.append(path)
    if path + "/phonenumbers" not in phonenumbers.__path__:
        phonenumbers.__path__.append(path + "/phonenumbers")
    importlib.invalidate_caches()
_add_zone_data(ZONE_DATA)
del _add_zone_data
`;

/** Writes the time-zone data's zip (bytes) and puts it where smscompose.zones looks. */
export function addZoneData(pyodide, bytes) {
  const path = `${WHEEL_DIR}/zone-data.zip`;
  pyodide.FS.mkdirTree(WHEEL_DIR);
  pyodide.FS.writeFile(path, bytes);
  pyodide.runPython(ADD_ZONE_DATA.replace("ZONE_DATA", JSON.stringify(path)));
}

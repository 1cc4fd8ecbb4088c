// How smscompose gets into Pyodide's Python. Shared by the compose worker (every boot) and by
// scripts/make-snapshot.mjs (which snapshots an interpreter after exactly these steps): a
// snapshot's sys.path, sys.flags and imported modules must match the files the worker writes,
// so both take them from here.
//
// Wheels are written as they are and put on sys.path, where zipimport reads them (unpacking
// phonenumberslite's 579 files cost 150-1000 ms per boot). A snapshot keeps Python's memory, not
// the file system: a restored worker writes an archive (the stdlib's zip, a wheel) when an import
// first needs it, with the build's bytes at the build's path, so zipimport's offsets stay right.

/** loadPyodide options every interpreter gets, snapshotted or not (args shape sys.flags); a
 * fresh object each time. The zips hold sources only: -OO compiles them without docstrings and
 * asserts (the core decides nothing by them), no_debug_ranges without column tables. */
export function pyodideOptions() {
  return { packages: [], args: ["-B", "-OO", "-X", "no_debug_ranges"], env: { PYTHONDONTWRITEBYTECODE: "1" } };
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

/** Readies a restored interpreter (sms_panel_restore: scripts/make-snapshot.mjs); returns Panel.
 * An import then writes the archive it needs: `fetch(path)` returns its bytes synchronously. */
export function restore(pyodide, archives, fetch) {
  const byFile = new Map(archives.map((archive) => [archive.file, archive]));
  const load = (file) => {
    pyodide.FS.mkdirTree(file.slice(0, file.lastIndexOf("/")));
    pyodide.FS.writeFile(file, fetch(byFile.get(file).path));
  };
  const module = pyodide.pyimport("sms_panel_restore");
  try {
    module.restored(load, JSON.stringify(archives.map(({ file, modules }) => [file, modules])));
  } finally {
    module.destroy();
  }
  return pyodide.pyimport("smscompose.panel").Panel;
}

// The snapshot's base: the wasm memory as instantiation leaves it, before any code runs (the
// data segments; the same bytes in every engine). The build stores the snapshot XORed with it,
// so unchanged static data costs nothing (1.2 MB); the worker XORs it back. A range whose hash
// differs throws: the worker boots from scratch rather than from wrong memory.

/** The 32-bit words of bytes[start:end] (both multiples of 4). */
export function words(bytes, start, end) {
  if ((bytes.byteOffset + start) % 4 || (end - start) % 4) throw new Error("snapshot base: unaligned range");
  return new Uint32Array(bytes.buffer, bytes.byteOffset + start, (end - start) / 4);
}

/** FNV-1a over 32-bit words: enough to tell another base from the build's. */
export function baseHash(memory, start, end) {
  const w = words(memory, start, end);
  let hash = 0x811c9dc5;
  for (let i = 0; i < w.length; i++) hash = Math.imul(hash ^ w[i], 0x01000193);
  return hash >>> 0;
}

/** Wraps createPyodideModule: `took(memory)` sees the wasm memory right after instantiation,
 * before any code runs (it must copy what it needs at once). */
export function takingBase(createPyodideModule, took) {
  return (settings) => {
    const instantiate = settings.instantiateWasm;
    if (typeof instantiate !== "function") throw new Error("snapshot base: no instantiateWasm hook");
    settings.instantiateWasm = (imports, receive) =>
      instantiate(imports, (instance, module) => {
        took(new Uint8Array(instance.exports.memory.buffer));
        return receive(instance, module);
      });
    return createPyodideModule(settings);
  };
}

/** XORs `base` into `snapshot` over `ranges` ([start, end, hash]) in place, both ways. */
export function xorBase(snapshot, base, ranges) {
  const offset = new DataView(snapshot.buffer, snapshot.byteOffset).getUint32(4, true); // header: [magic, heap offset, …]
  for (const [start, end, hash] of ranges) {
    if (end > base.length || baseHash(base, start, end) !== hash) throw new Error(`snapshot base: ${start}-${end} is not the build's`);
  }
  for (const [start, end] of ranges) {
    const from = words(base, start, end);
    const target = words(snapshot, offset + start, offset + end);
    for (let i = 0; i < from.length; i++) target[i] ^= from[i];
  }
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

// How smscompose gets into Pyodide's Python. Shared by the compose worker (every boot) and by
// scripts/make-snapshot.mjs (which snapshots an interpreter after exactly these steps): a
// snapshot's sys.path, sys.flags and imported modules must match the files the worker writes,
// so both take them from here.
//
// The wheels are not unpacked: each is written to the file system as one file and put on
// sys.path, where zipimport reads it (pure-Python wheels are importable zips). Writing two
// files costs well under a millisecond; unpacking phonenumberslite's 579 files cost 150-1000 ms
// per boot. A memory snapshot keeps Python's memory (modules, zipimport's directory of each
// archive) but not the file system, which lives in JavaScript. A restored worker needs none of
// the archives for what the snapshot holds, so it writes each one (the standard library's zip,
// a wheel) only when an import first needs a module from it, with the same bytes at the same
// path, so zipimport's offsets from the build still point at the right places.

/** loadPyodide options every interpreter gets, snapshotted or not (args shape sys.flags).
 * A fresh object each time: loadPyodide adds to `env`. Python compiles every module it imports
 * here from source (the zips hold no bytecode): -OO leaves out docstrings and asserts (neither
 * smscompose nor phonenumbers decides anything by them) and no_debug_ranges the column tables of
 * tracebacks, which makes the memory snapshot 0.5 MB smaller on the wire. */
export function pyodideOptions() {
  return { packages: [], args: ["-B", "-OO", "-X", "no_debug_ranges"], env: { PYTHONDONTWRITEBYTECODE: "1" } };
}

const WHEEL_DIR = "/lib/sms-panel-wheels";

/** The file system path of a wheel: its content-hashed name from the manifest, so a snapshot
 * made from other bytes never finds its zipimport offsets pointing into these. */
export function wheelPath(manifestPath) {
  return `${WHEEL_DIR}/${manifestPath.split("/").pop()}`;
}

/** Where Pyodide puts its standard library's zip (on sys.path from the start). */
export function stdlibPath(pythonVersion) {
  const [major, minor] = pythonVersion.split(".");
  return `/lib/python${major}${minor}.zip`;
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

// What a worker restored from the memory snapshot runs first, defined when the snapshot is made
// (defineRestore) so that it is compiled already: parsing it after each restore cost 30-180 ms.
//
// The first finder on sys.meta_path: an import of a module from an archive that is not written
// yet writes it (through `load`, which fetches it) and lets the normal finders go on. Imports of
// modules already in sys.modules never get here, so after a restore this costs nothing until
// the core meets something new: phonenumbers' metadata of a country not warmed up, a stdlib
// module no build step imported, an extra wheel such as tzdata.
//
// What survives a snapshot is Python's memory as the build left it: modules, caches, sys.path,
// os.environ (from pyodideOptions), and state that was meant to differ per process. `random`'s
// state would make every page draw the same numbers, so it is reseeded. The str hash seed cannot
// be (no matter in a browser tab: hash flooding needs a server), and time.timezone/tzname are
// the build machine's (the core works in UTC).
const RESTORE = `
def _define():
    import json, random, sys, types, zipimport

    class LazyArchives:
        def __init__(self, load, archives):
            self.load = load
            self.pending = {name: file for file, names in archives for name in names}

        def find_spec(self, fullname, path=None, target=None):
            file = self.pending.get(fullname.partition(".")[0])
            if file is not None:
                self.load(file)
                self.pending = {n: f for n, f in self.pending.items() if f != file}
                zipimport._zip_directory_cache.pop(file, None)
                sys.path_importer_cache.pop(file, None)
            return None

    def restored(load, archives_json):
        sys.meta_path.insert(0, LazyArchives(load, json.loads(archives_json)))
        random.seed()

    module = types.ModuleType("sms_panel_restore")
    module.restored = restored
    sys.modules[module.__name__] = module
_define()
del _define
`;

/** Defines what a restored worker runs first (restore); before the snapshot is taken. */
export function defineRestore(pyodide) {
  pyodide.runPython(RESTORE);
}

/**
 * Readies a restored interpreter and returns smscompose.panel.Panel. Imports then write the
 * archives ({path, file, modules}, as in the manifest's snapshot) they need, each once:
 * `fetch(path)` returns its bytes synchronously.
 */
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

// -- The snapshot's base -----------------------------------------------------------------------
// A snapshot is the whole wasm memory (31 MB). Its first 3 MB are mostly the module's static
// data, which instantiating the wasm writes anyway from its data segments: bytes the browser
// has just downloaded once with the wasm. So the build stores the snapshot XORed with the memory
// as instantiating left it, before any code ran ("the base"; the same bytes in every browser and
// in Node, by the wasm's semantics): data Python never changed becomes zeros and costs nothing
// compressed (1.2 MB less on the wire). The worker XORs the base back in. Each range carries a
// hash: a base that differs from the build's leaves the snapshot unused (the worker boots from
// scratch), never restores wrong memory.

const HEADER_OFFSET_FIELD = 4; // Pyodide's snapshot header: [magic, heap offset, …] (uint32 LE)

/** The 32-bit words of bytes[start:end] (both multiples of 4). */
export function words(bytes, start, end) {
  if ((bytes.byteOffset + start) % 4 || (end - start) % 4) throw new Error("snapshot base: unaligned range");
  return new Uint32Array(bytes.buffer, bytes.byteOffset + start, (end - start) / 4);
}

/** FNV-1a over 32-bit words: fast, and enough to tell another base from the build's. */
export function baseHash(memory, start, end) {
  const w = words(memory, start, end);
  let hash = 0x811c9dc5;
  for (let i = 0; i < w.length; i++) hash = Math.imul(hash ^ w[i], 0x01000193);
  return hash >>> 0;
}

/**
 * Wraps loadPyodide's createPyodideModule so that `took(memory)` sees the wasm memory right
 * after instantiation, before any of its code runs (it must copy what it needs at once).
 */
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

/**
 * XORs `base` into `snapshot` over `ranges`, in place: it turns a snapshot into what the build
 * ships and back. Checks every range's hash first and throws when one differs.
 */
export function xorBase(snapshot, base, ranges) {
  const offset = new DataView(snapshot.buffer, snapshot.byteOffset).getUint32(HEADER_OFFSET_FIELD, true);
  for (const [start, end, hash] of ranges) {
    if (end > base.length || baseHash(base, start, end) !== hash) {
      throw new Error(`snapshot base: memory ${start}-${end} is not the build's`);
    }
  }
  for (const [start, end] of ranges) {
    const from = words(base, start, end);
    const target = words(snapshot, offset + start, offset + end);
    for (let i = 0; i < from.length; i++) target[i] ^= from[i];
  }
}

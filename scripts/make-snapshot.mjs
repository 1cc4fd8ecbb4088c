// Makes the compose worker's memory snapshot: Pyodide's linear memory after booting and
// importing smscompose.panel, taken in Node at build time. The snapshot is the wasm heap plus
// a list of the JavaScript objects Python holds references to (none: the core never touches
// the `js` module), so one made in Node restores in a browser worker as long as both run the
// same Pyodide build (Pyodide checks its build id and refuses any other). The worker falls back
// to a normal boot when it cannot use it.
//
// What it ships is smaller than the memory: free memory (heap chunks malloc no longer uses, the
// stack below its pointer) is zeroed before the snapshot is taken, and the snapshot is XORed
// with the memory a freshly instantiated module starts with (widget/static/python-core.mjs,
// "the snapshot's base"). Both leave zeros where there was data the worker does not need to
// download: 5.3 MB compressed became 2.5 MB.
//
// Before it is returned, the snapshot is restored here the way the worker restores it (base
// XORed back, no archive written until an import needs it), and the core is asked something,
// so a snapshot that does not work never ships.
//
// Usage as a module: makeSnapshot({ archives, emptyStdlib }) -> { bytes, base }
//   archives: [{path, file, modules, bytes}] (the stdlib's zip and the wheels, as in the manifest)
import {
  baseHash,
  importCore,
  pyodideOptions,
  restore,
  takingBase,
  words,
  writeWheels,
  xorBase,
} from "../widget/static/python-core.mjs";

const quiet = { stdout: () => {}, stderr: (line) => process.stderr.write(`[make-snapshot] ${line}\n`) };

async function pyodideLoader() {
  // Pyodide in Node reads its files from node_modules; nothing may come from the network.
  const realFetch = globalThis.fetch;
  globalThis.fetch = async (input) => {
    throw new Error(`make-snapshot: no network (${input?.url ?? input})`);
  };
  const { loadPyodide } = await import("pyodide");
  return { loadPyodide, restoreFetch: () => (globalThis.fetch = realFetch) };
}

// One agent's session, run once before the snapshot is taken and thrown away: what the core
// compiles or loads on first use (regular expressions, phonenumbers' metadata for the regions
// the panel is mostly used in, the segmenter's tables) is then in the snapshot instead of in
// the agent's first seconds (the first configure took 100-470 ms, the first number 40-130 ms).
// Only caches outlive it; the Panel and its session are garbage. Best effort: an action the
// core refuses (say, after a change to the config format) makes the snapshot less warm, not
// wrong, so answers are not checked.
const WARM_UP = `
import gc, json
from smscompose.panel import Panel

def _warm_up():
    config = {
        "language": "de", "default_region": "DE", "max_segments": 10,
        "allowed_countries": ["DE", "AT", "CH"],
        "queues": [
            {"id": "service", "name": "Service", "senders": [{"address": "ACME"}, {"address": "+498912345678"}]},
            {"id": "sales", "name": "Sales", "senders": [{"address": "+43 1 234567"}]},
        ],
        "templates": [{"id": "hi", "name": "Hi", "text": "Hallo {{customer.first_name|Kunde}}, Termin {{appointment.date}}"}],
        "agent": "warm-up", "tenant": "warm-up", "price_per_segment": 0.07, "currency": "EUR",
    }
    host = {"lang": "de", "context": {"customer": {"first_name": "Erika"}, "appointment": {"date": "1.2."}},
            "interaction_id": "call-1", "interaction_type": "call"}
    long_text = "Sehr geehrte Frau Mustermann, Ihr Termin ist bestätigt. " * 30
    actions = [
        {"do": "configure", "config": config, **host}, {"do": "host", **host}, {"do": "open"},
        {"do": "queue", "value": "service"}, {"do": "template", "value": "hi"},
        {"do": "to", "value": "+49 151 23456789"}, {"do": "to", "value": "+43 664 1234567"},
        {"do": "to", "value": "+41 44 668 18 00"}, {"do": "to", "value": "0151 2345678"},
        {"do": "dialpad", "key": "5"}, {"do": "dialpad", "key": "backspace"},
        {"do": "sender", "value": "ACME"},
        {"do": "text", "value": "Hallo [Erika] {€} ~ ok"}, {"do": "text", "value": "Grüße 👋🏽 ça va? Ωμέγα"},
        {"do": "apply_suggestion"}, {"do": "text", "value": long_text}, {"do": "text", "value": long_text + "😀"},
        {"do": "outgoing"}, {"do": "park"}, {"do": "parked"}, {"do": "close"},
        {"do": "prefill", "queue_id": "sales", "to": "+4915112345678", "text": "Hi"},
    ]
    panel = Panel()
    for action in actions:
        panel.act_json(json.dumps(action))

_warm_up()
del _warm_up

# stdin's 128 KB buffer came from reused memory and holds stale bytes (zip data) that would not
# compress; the worker never reads stdin, so it gets a fresh one with a small buffer.
import io, sys
sys.stdin = sys.__stdin__ = io.TextIOWrapper(
    io.BufferedReader(io.FileIO(0, "r", closefd=False), buffer_size=64), encoding="utf-8"
)
del io, sys
gc.collect()
`;

// What a worker restored from the memory snapshot runs first (python-core.mjs, restore), defined
// here before the snapshot is taken so that it is compiled already: parsing it after each
// restore cost 30-180 ms.
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

// After a restore nothing is written until an import needs it: phonenumbers' metadata for
// Belgium (not warmed up, so not in memory) must come from its wheel, and a stdlib module no
// step imported (colorsys) from the standard library's zip, each written then.
const CHECK = `
import json, sys, phonenumbers, smscompose.panel

def check(ok, what):  # not assert: -OO (pyodideOptions) drops those
    if not ok:
        raise AssertionError(what)

check("colorsys" not in sys.modules and "phonenumbers.data.region_BE" not in sys.modules, "fresh modules")
check(phonenumbers.region_code_for_number(phonenumbers.parse("+32 2 555 12 12")) == "BE", "Belgium")
import colorsys
check(colorsys.rgb_to_hsv(1.0, 0.0, 0.0) == (0.0, 1.0, 1.0), "colorsys")
json.loads(smscompose.panel.Panel().act_json(json.dumps({"do": "open"})))
`;

/**
 * Zeroes memory nothing uses, so it compresses to nothing: every free heap chunk (malloc'd
 * until none is left without growing the heap, cleared, freed again; CPython here allocates
 * everything through malloc, it has no pymalloc arenas of its own), the heap's unused end and
 * the stack below its pointer. The interpreter's state is untouched.
 */
function zeroFreeMemory(module) {
  const limit = module._malloc_footprint_limit();
  module._malloc_set_footprint_limit(module._malloc_footprint());
  const chunks = [];
  try {
    for (let size = 1 << 24; size >= 8; size >>= 1) {
      for (let chunk = module._malloc(size); chunk; chunk = module._malloc(size)) {
        module.HEAPU8.fill(0, chunk, chunk + size);
        chunks.push(chunk);
      }
    }
  } finally {
    for (const chunk of chunks) module._free(chunk);
    module._malloc_set_footprint_limit(limit);
  }
  module.HEAPU8.fill(0, module._sbrk(0), module.HEAPU8.length);
  // Stack frames live above the pointer; a margin for the calls that make the snapshot.
  module.HEAPU8.fill(0, module._emscripten_stack_get_end(), module._emscripten_stack_get_current() - 4096);
}

/** The base's ranges worth XORing, [start, end, hash]: runs of non-zero pages. */
function baseRanges(memory, pageSize = 4096) {
  const ranges = [];
  for (let page = 0; page < memory.length; page += pageSize) {
    const end = Math.min(page + pageSize, memory.length);
    if (words(memory, page, end).every((w) => w === 0)) continue;
    if (ranges.at(-1)?.[1] === page) ranges.at(-1)[1] = end;
    else ranges.push([page, end]);
  }
  return ranges.map(([start, end]) => [start, end, baseHash(memory, start, end)]);
}

/** The memory right after instantiating the wasm (python-core.mjs, takingBase). */
async function instantiatedMemory(loadPyodide, createPyodideModule, snapshot) {
  let memory = null;
  // Runs to the end (restoring the snapshot as it is): Pyodide swallows errors thrown here.
  await loadPyodide({
    ...pyodideOptions(),
    ...quiet,
    _loadSnapshot: snapshot.slice(),
    createPyodideModule: takingBase(createPyodideModule, (instantiated) => (memory = instantiated.slice())),
  });
  return memory;
}

/** Restores `shipped` as the worker does; throws unless the core answers and lazy archives load. */
async function checkRestore(loadPyodide, createPyodideModule, shipped, ranges, { archives, emptyStdlib }) {
  const bytes = shipped.slice();
  let base = null;
  const instantiated = takingBase(createPyodideModule, (memory) => (base = memory.slice()));
  const restored = await loadPyodide({
    ...pyodideOptions(),
    ...quiet,
    stdLibURL: emptyStdlib,
    _loadSnapshot: bytes,
    createPyodideModule: async (settings) => {
      const module = await instantiated(settings);
      xorBase(bytes, base, ranges);
      return module;
    },
  });
  const written = new Set();
  restore(restored, archives, (path) => {
    written.add(path);
    return archives.find((archive) => archive.path === path).bytes;
  });
  restored.runPython(CHECK);
  const expected = archives.filter(({ modules }) => modules.includes("colorsys") || modules.includes("phonenumbers"));
  if (expected.length !== 2 || !expected.every(({ path }) => written.has(path))) {
    throw new Error(`make-snapshot: lazy archives not written on import (written: ${[...written].join(", ")})`);
  }
}

export async function makeSnapshot({ archives, emptyStdlib }) {
  const { loadPyodide, restoreFetch } = await pyodideLoader();
  const { default: createPyodideModule } = await import("pyodide/pyodide.asm.mjs");
  const wheels = archives.filter(({ file }) => file.endsWith(".whl"));
  try {
    const maker = await loadPyodide({ ...pyodideOptions(), ...quiet, _makeSnapshot: true });
    writeWheels(maker, wheels);
    importCore(maker, wheels);
    maker.runPython(WARM_UP);
    maker.runPython(RESTORE);
    zeroFreeMemory(maker._module);
    const snapshot = maker.makeMemorySnapshot();

    const memory = await instantiatedMemory(loadPyodide, createPyodideModule, snapshot);
    const base = baseRanges(memory);
    xorBase(snapshot, memory, base);
    await checkRestore(loadPyodide, createPyodideModule, snapshot, base, { archives, emptyStdlib });
    return { bytes: snapshot, base };
  } finally {
    restoreFetch();
  }
}

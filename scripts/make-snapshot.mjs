// Makes the compose worker's memory snapshot: Pyodide's linear memory after booting and
// importing smscompose.panel, taken in Node at build time. The snapshot is the wasm heap plus
// a list of the JavaScript objects Python holds references to (none: the core never touches
// the `js` module), so one made in Node restores in a browser worker as long as both run the
// same Pyodide build (Pyodide checks its build id and refuses any other). The worker falls back
// to a normal boot when it cannot use it.
//
// Before it is returned, the snapshot is restored here the way the worker restores it, and the
// core is asked something, so a snapshot that does not work never ships.
//
// Usage as a module: makeSnapshot({ wheels: [{path, bytes}] }) -> Uint8Array
import { afterRestore, importCore, pyodideOptions, writeWheels } from "../widget/static/python-core.mjs";

const quiet = { stdout: () => {}, stderr: (line) => process.stderr.write(`[make-snapshot] ${line}\n`) };

async function pyodideLoader() {
  // Pyodide in Node reads its files from node_modules; nothing may come from the network.
  const realFetch = globalThis.fetch;
  globalThis.fetch = async (input) => {
    throw new Error(`make-snapshot: no network (${input?.url ?? input})`);
  };
  const { loadPyodide } = await import("pyodide");
  return { loadPyodide, restore: () => (globalThis.fetch = realFetch) };
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
gc.collect()
`;

// phonenumbers imports a region's metadata from its wheel on first use: after a restore that
// must come from the wheel file the worker wrote (Belgium is not warmed up, so not in memory).
const CHECK = `
import json, phonenumbers, smscompose.panel
assert phonenumbers.region_code_for_number(phonenumbers.parse("+32 2 555 12 12")) == "BE"
json.loads(smscompose.panel.Panel().act_json(json.dumps({"do": "open"})))
`;

export async function makeSnapshot({ wheels }) {
  const { loadPyodide, restore } = await pyodideLoader();
  try {
    const maker = await loadPyodide({ ...pyodideOptions(), ...quiet, _makeSnapshot: true });
    writeWheels(maker, wheels);
    importCore(maker, wheels);
    maker.runPython(WARM_UP);
    const snapshot = maker.makeMemorySnapshot();

    const restored = await loadPyodide({ ...pyodideOptions(), ...quiet, _loadSnapshot: snapshot });
    writeWheels(restored, wheels);
    afterRestore(restored);
    importCore(restored, wheels);
    restored.runPython(CHECK);
    return snapshot;
  } finally {
    restore();
  }
}

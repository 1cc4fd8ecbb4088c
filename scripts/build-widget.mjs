// Copies the panel's third-party assets into --out under content-hashed names (cached for a
// year by the relay), adds the compose worker's memory snapshot and precompressed copies of the
// large files, and writes manifest.json, the one file the worker and the element read to find
// them. What takes seconds (snapshot, compression) is kept in --cache by the hash of its inputs.
// Usage: node scripts/build-widget.mjs --wheels DIR --zones ZIP --out DIR --cache DIR
import { createHash } from "node:crypto";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { basename, join } from "node:path";
import { parseArgs } from "node:util";
import { wheelPath } from "../widget/static/python-core.mjs";
import { makeSnapshot } from "./make-snapshot.mjs";
import { precompress } from "./precompress.mjs";

const { values } = parseArgs({
  options: {
    wheels: { type: "string" },
    zones: { type: "string" },
    out: { type: "string" },
    cache: { type: "string" },
  },
});
const out = values.out;
const cache = values.cache;
const hash = (...files) => {
  const h = createHash("sha256");
  for (const f of files) h.update(readFileSync(f));
  return h.digest("hex").slice(0, 12);
};
// A zip with no entries: its end-of-central-directory record alone.
const EMPTY_ZIP = Uint8Array.of(0x50, 0x4b, 0x05, 0x06, ...new Array(18).fill(0));

/** Where Pyodide puts its standard library's zip (on sys.path from the start). */
function stdlibPath(pythonVersion) {
  const [major, minor] = pythonVersion.split(".");
  return `/lib/python${major}${minor}.zip`;
}

/** The names in a zip's central directory (no zip64: these archives are small). */
function zipEntries(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let end = bytes.length - 22;
  while (end >= 0 && view.getUint32(end, true) !== 0x06054b50) end--;
  if (end < 0) throw new Error("not a zip file");
  const names = [];
  for (let i = 0, at = view.getUint32(end + 16, true); i < view.getUint16(end + 10, true); i++) {
    const [name, extra, comment] = [28, 30, 32].map((field) => view.getUint16(at + field, true));
    names.push(new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + name)));
    at += 46 + name + extra + comment;
  }
  return names;
}

/** The top-level modules and packages an importable zip provides. */
function topLevelModules(bytes) {
  const modules = new Set();
  for (const entry of zipEntries(bytes)) {
    const [top, ...rest] = entry.split("/");
    if (/\.(dist-info|data)$/.test(top)) continue;
    if (rest.length) modules.add(top);
    else if (top.endsWith(".py")) modules.add(top.slice(0, -3));
  }
  return [...modules].sort();
}

mkdirSync(cache, { recursive: true });
const cacheUsed = new Set();

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

// Pyodide: the files a browser needs, in a folder named after their joint hash.
const pyodideSrc = "node_modules/pyodide";
const pyodideFiles = [
  "pyodide.mjs",
  "pyodide.asm.mjs",
  "pyodide.asm.wasm",
  "python_stdlib.zip",
  "pyodide-lock.json",
];
const pyodideVersion = JSON.parse(readFileSync(join(pyodideSrc, "package.json"))).version;
const pyodideDir = `pyodide/${pyodideVersion}-${hash(...pyodideFiles.map((f) => join(pyodideSrc, f)))}`;
mkdirSync(join(out, pyodideDir), { recursive: true });
for (const f of pyodideFiles) copyFileSync(join(pyodideSrc, f), join(out, pyodideDir, f));
// The panel loads no packages from Pyodide's distribution (its wheels come from us), so the
// lock file the browser fetches keeps only its header: 2 KB instead of 120 KB.
const lock = JSON.parse(readFileSync(join(pyodideSrc, "pyodide-lock.json")));
writeFileSync(join(out, pyodideDir, "pyodide-lock.json"), JSON.stringify({ ...lock, packages: {} }));

// The wheels the worker puts on sys.path (widget/static/python-core.mjs): smscompose and
// phonenumberslite.
const wheels = [];
mkdirSync(join(out, "wheels"));
for (const f of readdirSync(values.wheels).filter((n) => n.endsWith(".whl")).sort()) {
  const src = join(values.wheels, f);
  const name = f.replace(/\.whl$/, `.${hash(src)}.whl`);
  copyFileSync(src, join(out, "wheels", name));
  wheels.push(`wheels/${name}`);
}

// The time-zone data (scripts/build-zone-data.py): fetched by the worker only when a view first
// needs a customer's local time, so it costs the panel's first load nothing.
const zones = `zones/${hash(values.zones)}.zip`;
mkdirSync(join(out, "zones"));
copyFileSync(values.zones, join(out, zones));

// The emoji picker (a web component) and its data, German and English.
const emojiSrc = "node_modules/emoji-picker-element";
const dataSrc = "node_modules/emoji-picker-element-data";
const emojiModules = ["index.js", "picker.js", "database.js", "i18n/de.js", "i18n/en.js"];
const emojiDir = `emoji/${hash(
  ...emojiModules.map((f) => join(emojiSrc, f)),
  join(dataSrc, "de/cldr/data.json"),
  join(dataSrc, "en/cldr/data.json"),
)}`;
mkdirSync(join(out, emojiDir, "i18n"), { recursive: true });
for (const f of emojiModules) copyFileSync(join(emojiSrc, f), join(out, emojiDir, f));
for (const lang of ["de", "en"]) {
  copyFileSync(join(dataSrc, `${lang}/cldr/data.json`), join(out, emojiDir, `data-${lang}.json`));
}

// What Python imports from: the standard library's zip and the wheels, each with the file
// system path it is imported from and its top-level modules. A worker restored from the memory
// snapshot writes each only when an import first needs one of those modules.
const pythonVersion = lock.info.python;
const archives = [`${pyodideDir}/python_stdlib.zip`, ...wheels].map((path) => {
  const bytes = readFileSync(join(out, path));
  const file = path.endsWith(".whl") ? wheelPath(path) : stdlibPath(pythonVersion);
  return { path, file, modules: topLevelModules(bytes), bytes };
});
// What Pyodide installs as the standard library when the worker restores the snapshot: an empty
// zip (22 bytes) instead of 2.5 MB the snapshot already holds; the real one comes on first use.
const emptyStdlib = `${pyodideDir}/stdlib-empty.zip`;
writeFileSync(join(out, emptyStdlib), EMPTY_ZIP);

// The memory snapshot. Made again only when something that shapes it changes (the Pyodide
// build, the wheels, how the core is installed and imported: the cache key), and published
// under the hash of its own bytes: two makes of the same inputs differ (hash seeds, random
// state) and may differ in size, and a browser keeps a file of a given name for a year.
const snapshotInputs = ["widget/static/python-core.mjs", "scripts/make-snapshot.mjs"];
const snapshotKey = createHash("sha256")
  .update(JSON.stringify([pyodideDir, wheels, ...snapshotInputs.map((f) => hash(f))]))
  .digest("hex")
  .slice(0, 12);
const snapshotCached = join(cache, `snapshot-${snapshotKey}.bin`);
const baseCached = join(cache, `snapshot-${snapshotKey}.base.json`);
let snapshot = null;
try {
  if (!existsSync(snapshotCached) || !existsSync(baseCached)) {
    const started = performance.now();
    const { bytes, base } = await makeSnapshot({ archives, emptyStdlib: join(out, emptyStdlib) });
    writeFileSync(baseCached, JSON.stringify(base));
    writeFileSync(`${snapshotCached}.tmp`, bytes);
    renameSync(`${snapshotCached}.tmp`, snapshotCached);
    console.log(`[build-widget] memory snapshot made in ${Math.round(performance.now() - started)} ms`);
  }
  cacheUsed.add(snapshotCached);
  cacheUsed.add(baseCached);
  snapshot = {
    path: `snapshot/${hash(snapshotCached)}.bin`,
    bytes: statSync(snapshotCached).size,
    // The worker allocates the snapshot's buffer before it arrives (compressed), so it needs
    // the size; the base's ranges and hashes to XOR back (python-core.mjs).
    base: JSON.parse(readFileSync(baseCached, "utf8")),
    stdlib: emptyStdlib,
    archives: archives.map(({ path, file, modules }) => ({ path, file, modules })),
  };
  mkdirSync(join(out, "snapshot"));
  copyFileSync(snapshotCached, join(out, snapshot.path));
} catch (error) {
  // The panel boots without it, only slower: a build that cannot make one still serves.
  console.error(`[build-widget] WARNING: no memory snapshot, the panel will boot slowly: ${error?.stack ?? error}`);
}

// The relay sends these precompressed (see scripts/precompress.mjs); the rest is small or
// already compressed (the wheels, python_stdlib.zip).
const large = [`${pyodideDir}/pyodide.asm.wasm`, `${pyodideDir}/pyodide.asm.mjs`];
if (snapshot) large.push(snapshot.path);
for (const used of await Promise.all(large.map((f) => precompress(join(out, f), cache)))) {
  for (const entry of used) cacheUsed.add(entry);
}
// Only what this build used stays: each core change leaves a 30 MB snapshot behind otherwise.
cacheUsed.add(values.zones);
for (const name of readdirSync(cache)) {
  if (!cacheUsed.has(join(cache, name))) rmSync(join(cache, name), { force: true });
}

const manifest = {
  pyodide: `${pyodideDir}/`,
  wheels,
  zones,
  // Given to loadPyodide, so it need not fetch the lock file before Python may start.
  pyodideLock: { ...lock, packages: {} },
  ...(snapshot && { snapshot }),
  emoji: {
    module: `${emojiDir}/index.js`,
    i18n: { de: `${emojiDir}/i18n/de.js`, en: `${emojiDir}/i18n/en.js` },
    data: { de: `${emojiDir}/data-de.json`, en: `${emojiDir}/data-en.json` },
  },
};
writeFileSync(join(out, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
console.log(
  `[build-widget] ${basename(out)}: ${wheels.length} wheels, ${pyodideDir}, ${emojiDir}, ${snapshot?.path ?? "no snapshot"}`,
);

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

// The memory snapshot. Made again only when something that shapes it changed (the Pyodide
// build, the wheels, how the core is installed and imported: the cache key), and published
// under the hash of its own bytes: two makes of the same inputs differ (hash seeds, random
// state) and may differ in size, and a browser keeps a file of a given name for a year.
const snapshotInputs = ["widget/static/python-core.mjs", "scripts/make-snapshot.mjs"];
const snapshotKey = createHash("sha256")
  .update(JSON.stringify([pyodideDir, wheels, ...snapshotInputs.map((f) => hash(f))]))
  .digest("hex")
  .slice(0, 12);
const snapshotCached = join(cache, `snapshot-${snapshotKey}.bin`);
let snapshot = null;
try {
  if (!existsSync(snapshotCached)) {
    const started = performance.now();
    const bytes = await makeSnapshot({
      wheels: wheels.map((path) => ({ path, bytes: readFileSync(join(out, path)) })),
    });
    writeFileSync(`${snapshotCached}.tmp`, bytes);
    renameSync(`${snapshotCached}.tmp`, snapshotCached);
    console.log(`[build-widget] memory snapshot made in ${Math.round(performance.now() - started)} ms`);
  }
  cacheUsed.add(snapshotCached);
  snapshot = `snapshot/${hash(snapshotCached)}.bin`;
  mkdirSync(join(out, "snapshot"));
  copyFileSync(snapshotCached, join(out, snapshot));
} catch (error) {
  // The panel boots without it, only slower: a build that cannot make one still serves.
  console.error(`[build-widget] WARNING: no memory snapshot, the panel will boot slowly: ${error?.stack ?? error}`);
}

// The relay sends these precompressed (see scripts/precompress.mjs); the rest is small or
// already compressed (the wheels, python_stdlib.zip).
const large = [`${pyodideDir}/pyodide.asm.wasm`, `${pyodideDir}/pyodide.asm.mjs`];
if (snapshot) large.push(snapshot);
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
  // The worker allocates the snapshot's buffer before it arrives (compressed), so it needs the size.
  ...(snapshot && { snapshot: { path: snapshot, bytes: statSync(join(out, snapshot)).size } }),
  emoji: {
    module: `${emojiDir}/index.js`,
    i18n: { de: `${emojiDir}/i18n/de.js`, en: `${emojiDir}/i18n/en.js` },
    data: { de: `${emojiDir}/data-de.json`, en: `${emojiDir}/data-en.json` },
  },
};
writeFileSync(join(out, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
console.log(
  `[build-widget] ${basename(out)}: ${wheels.length} wheels, ${pyodideDir}, ${emojiDir}, ${snapshot ?? "no snapshot"}`,
);

// Copies the panel's third-party assets into --out under content-hashed names (cached for a
// year by the relay) and writes manifest.json, the one file the worker and the element read to
// find them. Usage: node scripts/build-widget.mjs --wheels DIR --out DIR
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: { wheels: { type: "string" }, out: { type: "string" } },
});
const out = values.out;
const hash = (...files) => {
  const h = createHash("sha256");
  for (const f of files) h.update(readFileSync(f));
  return h.digest("hex").slice(0, 12);
};

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

// The wheels Pyodide installs with unpackArchive: smscompose and phonenumberslite.
const wheels = [];
mkdirSync(join(out, "wheels"));
for (const f of readdirSync(values.wheels).filter((n) => n.endsWith(".whl")).sort()) {
  const src = join(values.wheels, f);
  const name = f.replace(/\.whl$/, `.${hash(src)}.whl`);
  copyFileSync(src, join(out, "wheels", name));
  wheels.push(`wheels/${name}`);
}

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

const manifest = {
  pyodide: `${pyodideDir}/`,
  wheels,
  emoji: {
    module: `${emojiDir}/index.js`,
    i18n: { de: `${emojiDir}/i18n/de.js`, en: `${emojiDir}/i18n/en.js` },
    data: { de: `${emojiDir}/data-de.json`, en: `${emojiDir}/data-en.json` },
  },
};
writeFileSync(join(out, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
console.log(`[build-widget] ${basename(out)}: ${wheels.length} wheels, ${pyodideDir}, ${emojiDir}`);

// The PyScript recipe's assets (README, "PyScript recipe"): copies @pyscript/core's dist/ into
// --out/pyscript/<version>-<hash>/ (cached for a year by the relay) and writes two stable-named
// entry points beside it that host pages link to, revalidated on every load:
//   pyscript/core.js   re-exports <version>-<hash>/core.js (importing it starts PyScript)
//   pyscript/core.css  @imports <version>-<hash>/core.css
// The interpreter and the wheels are the panel's own (build-widget.mjs); the relay's
// /pyscript/config.json names them. scripts/build-widget.sh runs this after build-widget.mjs,
// which empties --out first; build-widget.sh's up-to-date check watches package-lock.json (a new
// @pyscript/core) but not this file: after editing it, run it directly — it replaces only
// pyscript/. Usage: node scripts/build-pyscript.mjs --out build/widget
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({ options: { out: { type: "string" } } });
const src = "node_modules/@pyscript/core";
const dist = join(src, "dist");
// Everything in dist/: core.js imports its chunks and plugins (terminal, editor, …) lazily by
// relative URL, so the folder is copied whole (with the source maps each file names, for
// DevTools).
const files = readdirSync(dist).sort();

const h = createHash("sha256");
for (const f of files) h.update(f).update(readFileSync(join(dist, f)));
const version = JSON.parse(readFileSync(join(src, "package.json"))).version;
const dir = `${version}-${h.digest("hex").slice(0, 12)}`;

const out = join(values.out, "pyscript");
rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, dir), { recursive: true });
for (const f of files) copyFileSync(join(dist, f), join(out, dir, f));
writeFileSync(
  join(out, "core.js"),
  `// @pyscript/core ${version}; this name stays, the folder changes with every build of it.\n` +
    `export * from "./${dir}/core.js";\n`,
);
writeFileSync(join(out, "core.css"), `@import url("./${dir}/core.css");\n`);
console.log(`[build-pyscript] pyscript/${dir}: ${files.length} files`);

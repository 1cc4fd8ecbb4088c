// Writes FILE.zst, FILE.br and FILE.gz next to a built asset; the relay sends the best one the
// browser accepts as is (server/smsrelay/api/widget.py). Compressing the 10 MB wasm and the
// 30 MB memory snapshot on every cold load, as the relay's gzip middleware would, costs seconds.
//
// Why three: zstd decodes the snapshot about five times faster than brotli (40 vs 200+ ms on
// these loaded cores, and the decode is on the panel's boot path), but only Chromium and Firefox
// take it; Safari takes brotli; gzip is what is left, and what Chromium asks for over plain HTTP.
// zstd needs Node's zlib.zstdCompress (Node >= 22.15) or the zstd command; without either, the
// build just has no .zst files.
//
// The levels are the highest that pay: these files are most of the panel's cold load (its budget
// is 6 MB on the wire, tests/e2e/browser/cold-load.spec.mjs). zstd 19 makes the snapshot 10 %
// smaller than level 9 (10 s on its 31 MB) and decodes as fast. Brotli 11 is smaller still, but
// decoding it put 100 ms more on the panel's boot (the wasm compiles as it arrives), so the relay
// sends zstd where the browser takes it; brotli 11 costs a minute on the snapshot, which changes
// with every change of the core, so files over 16 MB get 9.
//
// Results are kept in a cache folder under the input's content hash: Pyodide's files are
// compressed once per Pyodide version, not on every build.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import zlib from "node:zlib";

// HTTP's zstd content coding allows decoders to refuse windows over 8 MB (RFC 9659); Chromium does.
const ZSTD_WINDOW_LOG = 23;
const LEVELS = "zstd 19, brotli 11 (9 over 16 MB), gzip 6";

const ENCODERS = {
  zst: zstdEncoder(),
  br: (file, data, target) =>
    promisify(zlib.brotliCompress)(data, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: data.length > 16 * 2 ** 20 ? 9 : 11,
        [zlib.constants.BROTLI_PARAM_LGWIN]: 24,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length,
      },
    }).then((encoded) => writeFileSync(target, encoded)),
  // Level 9 is barely smaller than the default on these files and 4 times slower.
  gz: (file, data, target) =>
    promisify(zlib.gzip)(data, { level: 6 }).then((encoded) => writeFileSync(target, encoded)),
};

function zstdEncoder() {
  if (typeof zlib.zstdCompress === "function") {
    return (file, data, target) =>
      promisify(zlib.zstdCompress)(data, {
        params: {
          [zlib.constants.ZSTD_c_compressionLevel]: 19,
          [zlib.constants.ZSTD_c_windowLog]: ZSTD_WINDOW_LOG,
        },
      }).then((encoded) => writeFileSync(target, encoded));
  }
  return async (file, data, target) => {
    try {
      await promisify(execFile)("zstd", ["-q", "-19", `--zstd=wlog=${ZSTD_WINDOW_LOG}`, "-f", file, "-o", target]);
      return true;
    } catch (error) {
      // No zstd here (or one too old for these options): the relay sends brotli instead.
      if (error.code !== "ENOENT") console.warn(`[precompress] no .zst for ${file}: ${error.message}`);
      return false;
    }
  };
}

/** Compresses `file` into its siblings (all at once); returns the cache entries used. */
export async function precompress(file, cacheDir) {
  const data = readFileSync(file);
  // The levels are part of the key: changing them compresses again.
  const key = createHash("sha256").update(LEVELS).update(data).digest("hex").slice(0, 24);
  const used = [];
  await Promise.all(
    Object.entries(ENCODERS).map(async ([suffix, encode]) => {
      const cached = join(cacheDir, `${key}.${suffix}`);
      if (!existsSync(cached)) {
        // Written aside and renamed: never a half-written cache entry.
        if ((await encode(file, data, `${cached}.tmp`)) === false) return;
        renameSync(`${cached}.tmp`, cached);
      }
      copyFileSync(cached, `${file}.${suffix}`);
      used.push(cached);
    }),
  );
  return used;
}

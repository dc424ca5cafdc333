// Drops the JS stream adapters wasm-streams exports (IntoUnderlyingSource, -Sink,
// -ByteSource) from wasm-bindgen's output: the wasm's exports and the JS classes around
// them. Leptos always enables server_fn's browser feature, which brings wasm-streams, and an
// export keeps its code in the first load although this app has no server functions and
// never builds one of these classes (0.9 KB brotli of wasm and 0.3 KB of JS, measured).
// wasm-opt, run next, removes the code nothing exports any more.
//
// Usage: node scripts/drop-stream-exports.mjs <name>_bg.wasm <name>.js
// Fails, leaving both files untouched, when wasm-bindgen's output no longer has the expected
// shape, so an upgrade cannot quietly ship a module that calls a removed export.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const { default: binaryen } = await import(path.join(root, 'tools/node_modules/binaryen/index.js'));

const [wasmPath, jsPath] = process.argv.slice(2);
if (!wasmPath || !jsPath) {
  console.error('usage: drop-stream-exports.mjs <wasm> <js>');
  process.exit(2);
}
const fail = (why) => {
  console.error(`drop-stream-exports: ${why}`);
  process.exit(1);
};
const CLASSES = ['IntoUnderlyingByteSource', 'IntoUnderlyingSink', 'IntoUnderlyingSource'];
const EXPORT = /^(__wbg_)?intounderlying(bytesource|sink|source)_/;

let js = fs.readFileSync(jsPath, 'utf8');
for (const name of CLASSES) {
  // The class, from `export class X {` to the `Symbol.dispose` line wasm-bindgen ends it with.
  const start = js.indexOf(`export class ${name} {`);
  const end = `if (Symbol.dispose) ${name}.prototype[Symbol.dispose] = ${name}.prototype.free;\n`;
  const stop = js.indexOf(end, start);
  if (start < 0 || stop < 0) fail(`class ${name} not found in ${jsPath}`);
  js = js.slice(0, start) + js.slice(stop + end.length);
  // Its finalization registry: one statement of three lines.
  const registry = new RegExp(`const ${name}Finalization = [^;]*;\\n`);
  if (!registry.test(js)) fail(`${name}Finalization not found in ${jsPath}`);
  js = js.replace(registry, '');
}
if (/intounderlying/i.test(js)) fail(`${jsPath} still refers to a stream adapter`);

const module = binaryen.readBinary(fs.readFileSync(wasmPath));
const exports = [];
for (let i = 0; i < module.getNumExports(); i++) {
  exports.push(binaryen.getExportInfo(module.getExportByIndex(i)).name);
}
const dropped = exports.filter((name) => EXPORT.test(name));
if (dropped.length === 0) fail(`${wasmPath} exports no stream adapter`);
dropped.forEach((name) => module.removeExport(name));
// The function names stay when the build keeps them (WASM_KEEP_NAMES, for profiles).
binaryen.setDebugInfo(Boolean(process.env.WASM_KEEP_NAMES));
const wasm = module.emitBinary();
module.dispose();

fs.writeFileSync(wasmPath, wasm);
fs.writeFileSync(jsPath, js);
console.log(`drop-stream-exports: ${dropped.length} exports and ${CLASSES.length} classes dropped`);

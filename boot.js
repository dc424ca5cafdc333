// Loads the app. Kept out of index.html so the Content-Security-Policy needs no inline script.
// Trunk writes the module and wasm paths into data attributes of this script's own tag.
const tag = document.querySelector('script[data-app-js]');
const { default: init } = await import(tag.dataset.appJs);
const app = await init({ module_or_path: tag.dataset.appWasm });
// For diagnostics and the benchmark: the wasm memory's size in bytes.
globalThis.dashboardWasmBytes = () => app.memory.buffer.byteLength;

// Loads the app. Kept out of index.html so the Content-Security-Policy needs no inline script.
// Trunk writes the module and wasm paths into data attributes of this script's own tag.
const tag = document.querySelector('script[data-app-js]');
const { default: init } = await import(tag.dataset.appJs);
const loading = init({ module_or_path: tag.dataset.appWasm });
// While the wasm downloads, the idle main thread sets up Intl (README, "Decisions").
try {
  new Intl.NumberFormat().format(1234.5);
  new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(0);
  new Intl.RelativeTimeFormat(undefined, { numeric: 'always' }).format(-2, 'day');
  new Intl.PluralRules().select(2);
} catch {}
const app = await loading;
// For diagnostics and the benchmark: the wasm memory's size in bytes.
globalThis.dashboardWasmBytes = () => app.memory.buffer.byteLength;


// Loads the app. Kept out of index.html so the Content-Security-Policy needs no inline script.
// Trunk writes the module and wasm paths into data attributes of this script's own tag.
const tag = document.querySelector('script[data-app-js]');
const { default: init } = await import(tag.dataset.appJs);
await init({ module_or_path: tag.dataset.appWasm });

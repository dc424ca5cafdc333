// The loader: see docs/deploy.md, "The built app", and docs/decisions/. Release builds ship it
// minified (scripts/trunk-post-build.sh).
const WORDS = {
  en: ['Loading the dashboard…', 'The dashboard could not be loaded.', 'Its code did not arrive. Check your connection, then reload the page.', 'Reload'],
  ru: ['Загрузка панели…', 'Не удалось загрузить панель.', 'Её код не получен. Проверьте подключение и перезагрузите страницу.', 'Перезагрузить'],
  'zh-CN': ['正在加载仪表板…', '无法加载仪表板。', '仪表板代码未能送达。请检查网络连接，然后重新加载页面。', '重新加载'],
  'pt-BR': ['Carregando o painel…', 'Não foi possível carregar o painel.', 'O código dele não chegou. Verifique sua conexão e recarregue a página.', 'Recarregar'],
  it: ['Caricamento della dashboard…', 'Impossibile caricare la dashboard.', 'Il suo codice non è arrivato. Controlla la connessione, poi ricarica la pagina.', 'Ricarica'],
};
// An offer page's two data requests leave at once, while the app's code loads and starts,
// instead of once the app runs: the app takes them over when it asks for the same URLs
// (src/api/prefetch.rs). Only when this same code ran here before, so it is most likely in
// the HTTP cache (hashed names, cached for a year): on a first visit the data would share a
// slow link with the code and delay both. On a first visit the app calls it itself as it
// starts (`dashboardPrefetchNow`), once its code has arrived and before it builds the page.
// Only where the app would send no token of its own (none kept for the tab), with the
// headers it sends, and never twice.
const prefetch = () => {
  try {
    if (globalThis.dashboardPrefetch !== undefined) return;
    const m = /^\/live\/publishers\/([^/]+)\/offers\/([^/]+)\/?$/.exec('/' + location.pathname.slice(new URL(document.baseURI).pathname.length));
    if (!m || sessionStorage.getItem('cpp-dashboard.token')) return;
    const proxy = localStorage.getItem('cpp-dashboard.proxy-url') ?? '/api';
    const version = localStorage.getItem('cpp-dashboard.api-version') ?? '2017-10-31';
    const [publisher, offer] = m.slice(1).map((s) => encodeURIComponent(decodeURIComponent(s)));
    const paths = ['/status'];
    // A status filter in the address changes the list request: the app sends that one.
    if (!new URLSearchParams(location.search).has('status')) paths.push('/submissions/');
    const started = (globalThis.dashboardPrefetch = new Map());
    for (const path of paths) {
      const url = new URL(`${proxy.replace(/\/+$/, '')}/publishers/${publisher}/offers/${offer}${path}`, document.baseURI);
      url.search = new URLSearchParams([['api-version', version]]).toString();
      const controller = new AbortController();
      const headers = { Accept: 'application/json', 'Content-Type': 'application/json' };
      const response = fetch(url.href, { headers, signal: controller.signal });
      response.catch(() => {});
      started.set(url.href, { response, controller });
    }
  } catch {}
};
globalThis.dashboardPrefetchNow = prefetch;
// Whether the proxy signs people in, asked while the code loads (src/sign_in.rs): the app
// fetches the header's account widget only where it does. Everything else (a dev server's
// page, a static host's 404) means nobody signs in here.
try {
  globalThis.dashboardMe = fetch(new URL('/auth/me', location.href), { headers: { Accept: 'application/json' } })
    .then(async (r) => ({ status: r.status, body: await r.text() }))
    .then((me) => {
      try {
        me.on = JSON.parse(me.body).signIn === true;
      } catch {
        me.on = false;
      }
      return me;
    })
    .catch(() => ({ status: 0, body: '', on: false }));
} catch {}
const spoken = (tag) => {
  const [primary, ...rest] = String(tag).trim().toLowerCase().split(/[-_]/);
  if (primary === 'zh') return rest.some((p) => ['hant', 'tw', 'hk', 'mo'].includes(p)) ? undefined : 'zh-CN';
  return { en: 'en', ru: 'ru', pt: 'pt-BR', it: 'it' }[primary];
};
let lang;
try {
  lang = spoken(localStorage.getItem('cpp-dashboard.language') ?? '');
} catch {}
lang ??= navigator.languages.map(spoken).find(Boolean) ?? 'en';
const words = WORDS[lang];
const line = (textContent, className = '') => Object.assign(document.createElement('p'), { textContent, className });
const status = Object.assign(document.createElement('div'), { className: 'boot-status', lang });
status.setAttribute('role', 'status');
status.append(line(words[0]));
document.body.append(status);
try {
  const tag = document.querySelector('script[data-app-js]');
  const code = 'cpp-dashboard.code-seen';
  try {
    if (localStorage.getItem(code) === tag.dataset.appWasm) prefetch();
  } catch {}
  const { default: init } = await import(tag.dataset.appJs);
  const loading = init({ module_or_path: tag.dataset.appWasm });
  try {
    new Intl.NumberFormat().format(1234.5);
    new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(0);
    new Intl.RelativeTimeFormat(undefined, { numeric: 'always' }).format(-2, 'day');
    new Intl.PluralRules().select(2);
  } catch {}
  const app = await loading;
  try {
    localStorage.setItem(code, tag.dataset.appWasm);
  } catch {}
  globalThis.dashboardWasmBytes = () => app.memory.buffer.byteLength;
} catch (error) {
  console.error('The dashboard could not start:', error);
  const reload = Object.assign(document.createElement('button'), { type: 'button', className: 'button', textContent: words[3] });
  reload.addEventListener('click', () => location.reload());
  status.setAttribute('role', 'alert');
  status.replaceChildren(line(words[1], 'boot-status__title'), line(words[2]), reload);
}

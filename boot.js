// The loader: see README, "Hosting the built app" and "Decisions". Shipped as written.
const WORDS = {
  en: ['Loading the dashboard…', 'The dashboard could not be loaded.', 'Its code did not arrive. Check your connection, then reload the page.', 'Reload'],
  ru: ['Загрузка панели…', 'Не удалось загрузить панель.', 'Её код не получен. Проверьте подключение и перезагрузите страницу.', 'Перезагрузить'],
  'zh-CN': ['正在加载仪表板…', '无法加载仪表板。', '仪表板代码未能送达。请检查网络连接，然后重新加载页面。', '重新加载'],
  'pt-BR': ['Carregando o painel…', 'Não foi possível carregar o painel.', 'O código dele não chegou. Verifique sua conexão e recarregue a página.', 'Recarregar'],
  it: ['Caricamento della dashboard…', 'Impossibile caricare la dashboard.', 'Il suo codice non è arrivato. Controlla la connessione, poi ricarica la pagina.', 'Ricarica'],
};
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
  const { default: init } = await import(tag.dataset.appJs);
  const loading = init({ module_or_path: tag.dataset.appWasm });
  try {
    new Intl.NumberFormat().format(1234.5);
    new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(0);
    new Intl.RelativeTimeFormat(undefined, { numeric: 'always' }).format(-2, 'day');
    new Intl.PluralRules().select(2);
  } catch {}
  const app = await loading;
  globalThis.dashboardWasmBytes = () => app.memory.buffer.byteLength;
} catch (error) {
  console.error('The dashboard could not start:', error);
  const reload = Object.assign(document.createElement('button'), { type: 'button', className: 'button', textContent: words[3] });
  reload.addEventListener('click', () => location.reload());
  status.setAttribute('role', 'alert');
  status.replaceChildren(line(words[1], 'boot-status__title'), line(words[2]), reload);
}

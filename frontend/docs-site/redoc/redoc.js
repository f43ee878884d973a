/* global Redoc */
// ReDoc renders one document at a time: ?api=<name> picks it (the links above it), auth-service first.
const apis = window.NOTIFY_APIS;
const wanted = new URLSearchParams(location.search).get('api');
const api = apis.find((a) => a.name === wanted) ?? apis[0];
const nav = document.getElementById('apis');
for (const a of apis) {
  const link = document.createElement('a');
  link.href = `/redoc?api=${encodeURIComponent(a.name)}`;
  link.textContent = a.name;
  if (a === api) {
    link.setAttribute('aria-current', 'page');
  }
  nav.append(' ', link);
}
document.title = `Notify API – ${api.name} – ReDoc`;
Redoc.init(api.url, { hideDownloadButton: false }, document.getElementById('redoc'));

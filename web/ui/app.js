// The station's browser UI: login, navigation between the screens, the API client with
// the session's CSRF token, keyboard shortcuts and status messages. Each screen is a module
// of its own (postroom.js, cases.js, search.js, archive.js, dashboard.js, digitise.js) that
// calls registerScreen; main.js imports them all, then calls boot(). No framework and no build
// step: the files are embedded in the station program as they are (web/embed_assets.cmake).

const screens = new Map();  // name -> {title, roles, key, render}
const shortcuts = [];       // {key, description, handler, screen}
let me = null;              // {user, csrf_token}
let current = null;         // the shown screen's name

// h('button', {class: 'primary', onclick: f}, 'Gem') builds an element; strings become
// text nodes, so nothing from the server is ever parsed as HTML.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function')
      el.addEventListener(k.slice(2), v);
    else if (k === 'class')
      el.className = v;
    else if (k === 'dataset')
      Object.assign(el.dataset, v);
    else if (v === true)
      el.setAttribute(k, '');
    else
      el.setAttribute(k, String(v));
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export class ApiError extends Error {
  // `field`: the request field the error is about, when the server names one.
  constructor(status, code, message, field) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field || null;
  }
}

// Calls the API; JSON in and out. Changes carry the CSRF token. A 401 shows the login.
export async function api(method, path, body) {
  const headers = {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && me) headers['X-CSRF-Token'] = me.csrf_token;
  const res = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body)
  });
  const type = res.headers.get('Content-Type') || '';
  const data = type.startsWith('application/json') ? await res.json() : await res.text();
  if (!res.ok) {
    const err = data && data.error ? data.error :
                                     {code: 'http_' + res.status, message: 'fejl ' + res.status};
    if (res.status === 401 && path !== '/api/login') {
      me = null;
      showLogin(err.message);
    }
    throw new ApiError(res.status, err.code, err.message, err.field);
  }
  return data;
}

// A message in the corner for a few seconds (errors stay longer); read by screen readers.
export function notify(text, kind = 'info') {
  const box = document.getElementById('status');
  const msg = h('div', {class: 'msg' + (kind === 'error' ? ' error' : '')}, text);
  box.append(msg);
  setTimeout(() => msg.remove(), kind === 'error' ? 9000 : 4000);
}

// Runs an async action and reports its error; returns its value or undefined.
export async function attempt(action) {
  try {
    return await action();
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return undefined;
    notify(e.message || String(e), 'error');
    return undefined;
  }
}

export function currentUser() {
  return me ? me.user : null;
}
export function hasRole(...roles) {
  return !!me && (me.user.role === 'administrator' || roles.includes(me.user.role));
}

// registerScreen('postrum', {title, roles, key: '1', render(main, params)}): a screen at
// #/postrum; `roles` empty means everyone; Alt+key opens it.
export function registerScreen(name, screen) {
  screens.set(name, screen);
}

// A keyboard shortcut; `screen` limits it to one screen. Keys as KeyboardEvent.key with
// "Alt+" or "Ctrl+" in front. Shortcuts do not fire while typing in a field unless
// `inFields` is set.
export function shortcut(key, description, handler, screen = null, inFields = false) {
  shortcuts.push({key, description, handler, screen, inFields});
}

// Date and number formats in Danish.
export function formatDate(iso) {
  if (!iso) return '';
  const d = new Date(iso.length === 10 ? iso + 'T00:00:00' : iso);
  return isNaN(d) ?
      iso :
      d.toLocaleDateString('da-DK', {day: 'numeric', month: 'short', year: 'numeric'});
}

// "Alt+j" whether or not Shift or Caps Lock is on: a letter with Ctrl or Alt is named in
// lower case, so each shortcut is registered (and listed under ?) once.
function keyName(ev) {
  const modified = ev.ctrlKey || ev.altKey;
  const key = modified && ev.key.length === 1 ? ev.key.toLowerCase() : ev.key;
  return (ev.ctrlKey ? 'Ctrl+' : '') + (ev.altKey ? 'Alt+' : '') + key;
}

document.addEventListener('keydown', (ev) => {
  const typing = ['INPUT', 'TEXTAREA', 'SELECT'].includes(ev.target.tagName);
  const name = keyName(ev);
  for (const s of shortcuts) {
    if (s.key !== name || (s.screen && s.screen !== current) || (typing && !s.inFields)) continue;
    ev.preventDefault();
    s.handler(ev);
    return;
  }
  if (!me) return;
  for (const [screenName, screen] of screens) {
    if (screen.key && name === 'Alt+' + screen.key && allowed(screen)) {
      ev.preventDefault();
      location.hash = '#/' + screenName;
      return;
    }
  }
  if (name === '?' && !typing) {
    ev.preventDefault();
    showHelp();
  }
});

function allowed(screen) {
  return !screen.roles || screen.roles.length === 0 || hasRole(...screen.roles);
}

function showHelp() {
  const dlg = h(
      'dialog', {'aria-label': 'Tastaturgenveje'}, h('h2', {}, 'Tastaturgenveje'),
      h('table', {},
        h('tbody', {},
          [...screens]
              .filter(([, s]) => s.key && allowed(s))
              .map(
                  ([, s]) =>
                      h('tr', {}, h('td', {}, h('kbd', {}, 'Alt+' + s.key)), h('td', {}, s.title))),
          shortcuts.filter(s => !s.screen || s.screen === current)
              .map(
                  s => h('tr', {}, h('td', {}, h('kbd', {}, s.key)), h('td', {}, s.description))))),
      h('p', {}, h('button', {onclick: () => dlg.close()}, 'Luk')));
  document.body.append(dlg);
  dlg.addEventListener('close', () => dlg.remove());
  dlg.showModal();
}

function showLogin(message) {
  document.getElementById('top').hidden = true;
  const main = document.getElementById('main');
  const error = h('p', {class: 'error-text', role: 'alert'}, message || '');
  const user =
      h('input', {id: 'login-user', name: 'username', autocomplete: 'username', required: true});
  const pass = h('input', {
    id: 'login-password',
    name: 'password',
    type: 'password',
    autocomplete: 'current-password',
    required: true
  });
  const form =
      h('form', {class: 'card login', 'aria-label': 'Log ind'},
        h('h1', {}, 'Log ind på modtagestationen'),
        h('label',
          { for: 'login-user'
          },
          'Brugernavn'),
        user,
        h('label',
          { for: 'login-password'
          },
          'Adgangskode'),
        pass, error, h('p', {}, h('button', {class: 'primary', type: 'submit'}, 'Log ind')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    error.textContent = '';
    try {
      me = await api('POST', '/api/login', {username: user.value, password: pass.value});
      pass.value = '';
      start();
    } catch (e) {
      error.textContent = e.message;
      pass.select();
    }
  });
  main.replaceChildren(form);
  user.focus();
}

function renderNav() {
  const nav = document.getElementById('nav');
  nav.replaceChildren(...[...screens]
                          .filter(([, s]) => s.nav !== false && allowed(s))
                          .map(
                              ([name, s]) =>
                                  h('a', {
                                    href: '#/' + name,
                                    'aria-current': name === current ? 'page' : null,
                                    title: s.key ? s.title + ' (Alt+' + s.key + ')' : s.title
                                  },
                                    s.title)));
  document.getElementById('who').textContent = me.user.display_name + ' · ' + me.user.role_danish;
}

// Where each role lands after login (an unknown or empty hash).
const HOME_SCREEN = {
  post_room: 'postrum',
  caseworker: 'sager',
  archivist: 'arkiv',
  manager: 'leder',
  administrator: 'postrum',
};

// The screen of the location hash: "#/sag/12" is screen "sag" with params ["12"].
async function route() {
  if (!me) return;
  const parts =
      location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  let name = parts[0];
  if (!screens.has(name) || !allowed(screens.get(name))) {
    // Each role starts on its own screen; otherwise the first it may open.
    const home = HOME_SCREEN[me.user.role];
    name = home && screens.has(home) && allowed(screens.get(home)) ?
        home :
        [...screens].find(([, s]) => s.nav !== false && allowed(s))?.[0];
    if (!name) return;
  }
  current = name;
  renderNav();
  const main = document.getElementById('main');
  main.replaceChildren(h('p', {class: 'muted'}, 'Henter …'));
  document.title = screens.get(name).title + ' · Modtagestation';
  try {
    await screens.get(name).render(main, parts.slice(1));
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 401)) {
      main.replaceChildren(h('p', {class: 'error-text', role: 'alert'}, e.message || String(e)));
    }
  }
}

function start() {
  document.getElementById('top').hidden = false;
  route();
}

window.addEventListener('hashchange', route);
document.getElementById('logout').addEventListener('click', async () => {
  await attempt(() => api('POST', '/api/logout'));
  me = null;
  showLogin('Du er logget ud.');
});

// Called by main.js once every screen has registered: resumes the session of the cookie,
// or shows the login.
export async function boot() {
  try {
    me = await api('GET', '/api/me');
    start();
  } catch (e) {
    if (!me) showLogin('');
  }
}

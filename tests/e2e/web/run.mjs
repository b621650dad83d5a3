// The web UI's end-to-end test (#9): Playwright (playwright-core, installed by the build
// into <build>/e2e-web) drives Debian's Chromium headless through the acceptance
// scenario against a real `station serve`:
//
//   node tests/e2e/web/run.mjs --station build/bin/station --build build
//        [--artifacts build/e2e-artifacts] [--chromium /usr/bin/chromium] [--keep]
//
// Setup as an administrator would do it, with the station's command line, in a temporary
// HOME: users (an administrator, a post-room user, a caseworker in the access group
// "boernesager" and one without it), the demo cases of scripts/demo-post.json (one of them
// restricted to that group), a shelf with a box in the archive, and the demo letters
// rendered by scripts/batchgen.py into a folder of the scan folder. Then `station serve`
// on a free port of 127.0.0.1 and the scenario, at 1366x768:
//
//   log in; import the batch from the scan folder; see the proposals (case and reasons);
//   a title the quality check refuses, then the corrected one; journalise; find the
//   document by a word of its text in "Søg"; place its original in a box in "Arkiv" and
//   find it with "Hvor er"; the caseworker without the group cannot see the restricted
//   case (not in "Sager", not in "Søg", #/sag/ID says it does not exist) while the one in
//   the group can; a change without the CSRF token is refused with 403.
//
// Controls are found as a user finds them, by the Danish labels and roles of
// web/UI-CONTRACT.md. A screenshot of every main screen lands in the artifacts folder; a
// failing step leaves FAIL-<step>.png and FAIL-<step>.txt (the page's text) there and its
// message names the step and what was on screen. The server's output is in server.log.
//
// Exit codes: 0 passed, 1 failed, 2 bad arguments.

import {spawn, spawnSync} from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import {createRequire} from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const source = path.resolve(here, '../../..');

// ---- arguments ----

function parseArgs(argv) {
  const opts = {artifacts: null, chromium: '/usr/bin/chromium', keep: false};
  for (let i = 0; i < argv.length; ++i) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) usage(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--station') opts.station = path.resolve(value());
    else if (a === '--build') opts.build = path.resolve(value());
    else if (a === '--artifacts') opts.artifacts = path.resolve(value());
    else if (a === '--chromium') opts.chromium = value();
    else if (a === '--keep') opts.keep = true;
    else usage(`unknown argument ${a}`);
  }
  if (!opts.station || !opts.build) usage('--station and --build are required');
  opts.artifacts = opts.artifacts || path.join(opts.build, 'e2e-artifacts');
  return opts;
}

function usage(problem) {
  console.error(`run.mjs: ${problem}\nusage: node run.mjs --station STATION --build BUILD ` +
                '[--artifacts DIR] [--chromium PATH] [--keep]');
  process.exit(2);
}

const opts = parseArgs(process.argv.slice(2));
const require = createRequire(path.join(opts.build, 'e2e-web', 'package.json'));
let chromium;
try {
  ({chromium} = require('playwright-core'));
} catch (e) {
  console.error(`run.mjs: playwright-core is not installed in ${opts.build}/e2e-web ` +
                `(the build runs npm ci there: cmake --build ${opts.build} --target ` +
                `e2e_web_deps): ${e.message}`);
  process.exit(1);
}

// ---- the station's command line in a temporary HOME ----

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'intake-e2e-web-'));
const work = path.join(home, 'work');
fs.mkdirSync(work);
const env = {
  ...process.env,
  HOME: home,
  XDG_DATA_HOME: path.join(home, '.local/share'),
  XDG_CONFIG_HOME: path.join(home, '.config'),
  LANG: 'C.UTF-8',
};
const dataDir = path.join(home, '.local/share/intake-station');
const scanFolder = path.join(dataDir, 'scan-to-folder');  // [station] scan_folder's default

function cli(args, input) {
  const r = spawnSync(opts.station, args, {env, input, encoding: 'utf8', timeout: 120000});
  if (r.status !== 0) {
    throw new Error(`station ${args.join(' ')} ended with ${r.status ?? r.signal}:\n` +
                    `${r.stderr}${r.stdout}`);
  }
  return r.stdout;
}

const password = () => 'e2e-' + crypto.randomBytes(12).toString('hex');
const users = {
  admin: {name: 'ada', password: password(), role: 'administrator', display: 'Ada Admin',
          groups: ['boernesager']},
  postroom: {name: 'pia', password: password(), role: 'postrum', display: 'Pia Post',
             groups: []},
  insider: {name: 'sara', password: password(), role: 'sagsbehandler', display: 'Sara Sand',
            groups: ['boernesager']},
  outsider: {name: 'bo', password: password(), role: 'sagsbehandler', display: 'Bo Berg',
             groups: []},
};

const specFile = path.join(source, 'scripts/demo-post.json');
const spec = JSON.parse(fs.readFileSync(specFile, 'utf8'));
const batchFolder = 'Morgenpost';
const box = 'K-2026-0001';

function setUp() {
  for (const u of Object.values(users)) {
    cli(['user', 'add', u.name, '--role', u.role, '--name', u.display,
         ...u.groups.flatMap(g => ['--group', g]), '--password-stdin'],
        u.password + '\n');
  }
  cli(['case', 'import', specFile]);
  cli(['archive', 'location', 'add', '--kind', 'site', '--name', 'Rådhuset', '--barcode',
       'S-01']);
  cli(['archive', 'location', 'add', '--kind', 'room', '--name', 'Arkivrum', '--barcode',
       'R-01', '--in', 'S-01']);
  cli(['archive', 'location', 'add', '--kind', 'shelf', '--name', 'Reol 1', '--barcode',
       'H-01', '--in', 'R-01']);
  cli(['archive', 'box', 'create', '--barcode', box, '--in', 'H-01']);
  const folder = path.join(scanFolder, batchFolder);
  fs.mkdirSync(folder, {recursive: true});
  const truthFile = path.join(work, 'truth.json');
  const gen = spawnSync('/usr/bin/python3',
                        [path.join(source, 'scripts/batchgen.py'), '--spec', specFile, '--out',
                         path.join(folder, 'post.tif'), '--truth', truthFile, '--mode',
                         'grey'],
                        {encoding: 'utf8', timeout: 300000});
  if (gen.status !== 0) throw new Error(`batchgen.py failed: ${gen.stderr}`);
  const truth = JSON.parse(fs.readFileSync(truthFile, 'utf8'));
  // The journal's ids of the cases (the UI's #/sag/ID), as the administrator sees them.
  truth.caseIds = spec.cases.map(
      c => String(JSON.parse(cli(['case', 'show', c.reference, '--json'])).id));
  return truth;
}

// A word of a letter's body that is not in its title, its addresses or any other letter:
// what a user remembers of a document. Letters only, at least 8 of them, so OCR and stemming agree.
function rememberedWord(truth, index) {
  const text = l => truth.pages.filter(p => p.letter === l).map(p => p.text).join('\n');
  const words = s => new Set(s.toLowerCase().match(/[a-zæøå]+/g) || []);
  const t = truth.letters[index];
  const title = words([t.expected_title, t.sender, ...(t.sender_address || []),
                       ...(t.recipient || [])].join(' '));
  const others = new Set();
  truth.letters.forEach((_, l) => {
    if (l !== index) words(text(l)).forEach(w => others.add(w));
  });
  const word = [...words(text(index))].find(
      w => w.length >= 8 && /^[a-z]+$/.test(w) && !title.has(w) && !others.has(w));
  if (!word) throw new Error(`letter ${index + 1} has no word to search for`);
  return word;
}

// ---- the server ----

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const {port} = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function startServer(port) {
  const log = fs.openSync(path.join(opts.artifacts, 'server.log'), 'w');
  const server = spawn(opts.station, ['serve', '--listen', `127.0.0.1:${port}`],
                       {env, stdio: ['ignore', log, log]});
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) break;
    try {
      const res = await fetch(base + '/api/me');
      if (res.status === 401) return {server, base};
    } catch {
      // not listening yet
    }
    await new Promise(r => setTimeout(r, 100));
  }
  server.kill('SIGTERM');
  throw new Error('station serve did not answer within 30 s:\n' +
                  fs.readFileSync(path.join(opts.artifacts, 'server.log'), 'utf8'));
}

// ---- steps, failures and screenshots ----

let page;
let current = 'setup';
const passed = [];

class StepFailure extends Error {}

async function screenText() {
  try {
    return (await page.locator('body').innerText({timeout: 2000})).trim();
  } catch {
    return '(the page could not be read)';
  }
}

function slug(name) {
  return name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

async function step(name, action) {
  current = name;
  const started = Date.now();
  try {
    await action();
  } catch (e) {
    const file = 'FAIL-' + slug(name);
    const text = page ? await screenText() : '(no page)';
    if (page) {
      await page.screenshot({path: path.join(opts.artifacts, file + '.png'), fullPage: true})
          .catch(() => {});
      fs.writeFileSync(path.join(opts.artifacts, file + '.txt'),
                       `step: ${name}\nurl: ${page.url()}\nerror: ${e.message}\n\n${text}\n`);
    }
    const shown = text.length > 1500 ? text.slice(0, 1500) + ' …' : text;
    throw new StepFailure(`step "${name}" failed: ${e.message}\n` +
                          `on screen (${page ? page.url() : 'no page'}):\n${shown}\n` +
                          `(screenshot and text: ${path.join(opts.artifacts, file)}.*)`);
  }
  passed.push(name);
  console.log(`ok   ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

function check(condition, message) {
  if (!condition) throw new Error(message);
}

async function shot(name) {
  await page.screenshot({path: path.join(opts.artifacts, name + '.png')});
}

// Polls `probe` (an async function returning a truthy value when done) until `ms` pass.
async function until(probe, ms, what) {
  const deadline = Date.now() + ms;
  let last;
  while (Date.now() < deadline) {
    try {
      last = await probe();
      if (last) return last;
    } catch (e) {
      last = e.message;
    }
    await page.waitForTimeout(200);
  }
  throw new Error(`${what} (waited ${ms / 1000} s${last ? '; last: ' + last : ''})`);
}

// ---- the shell ----

const nav = () => page.getByRole('navigation');

async function logIn(user) {
  await page.goto(base + '/');
  await page.getByLabel('Brugernavn', {exact: true}).fill(user.name);
  await page.getByLabel('Adgangskode', {exact: true}).fill(user.password);
  await page.getByRole('button', {name: 'Log ind', exact: true}).click();
  await nav().getByRole('link').first().waitFor({timeout: 10000});
  const who = await page.locator('#who').innerText();
  check(who.includes(user.display), `the header names "${who}", not ${user.display}`);
}

async function logOut() {
  await page.getByRole('button', {name: 'Log ud', exact: true}).click();
  await page.getByRole('button', {name: 'Log ind', exact: true}).waitFor({timeout: 10000});
}

async function open(link) {
  await nav().getByRole('link', {name: link, exact: true}).click();
  await page.waitForFunction(() => !document.querySelector('#main')?.textContent.includes(
                                 'Henter …'),
                             null, {timeout: 15000});
}

// ---- the scenario ----

let base;

async function scenario(truth) {
  const letter = truth.letters[0];          // journalised, searched, placed in the box
  const secret = truth.letters[1];          // on the restricted case
  const secretCase = spec.cases[1];
  check(secretCase.restricted === true, 'scripts/demo-post.json: case 2 must be restricted');
  const word = rememberedWord(truth, 0);
  const secretWord = rememberedWord(truth, 1);
  let docId;
  let secretCaseId;

  await step('log in as the administrator', async () => {
    await page.goto(base + '/');
    await page.getByLabel('Brugernavn', {exact: true}).waitFor({timeout: 10000});
    await shot('01-login');
    await logIn(users.admin);
  });

  await step('a wrong password is refused on the login form', async () => {
    await logOut();
    await page.getByLabel('Brugernavn', {exact: true}).fill(users.admin.name);
    await page.getByLabel('Adgangskode', {exact: true}).fill('forkert-kodeord-123');
    await page.getByRole('button', {name: 'Log ind', exact: true}).click();
    const alert = page.locator('form').getByRole('alert');
    await until(async () => (await alert.innerText()).trim(), 10000,
                'no refusal in the login form\'s role=alert');
    await logIn(users.admin);
  });

  await step('every main screen opens from the navigation', async () => {
    const screens = [['Postrum', '02-postrum'], ['Digitalisér', '03-digitaliser'],
                     ['Sager', '04-sager'], ['Søg', '05-soeg'], ['Arkiv', '06-arkiv'],
                     ['Ledelse', '07-ledelse']];
    for (const [link, file] of screens) {
      await open(link);
      const current = await nav().getByRole('link', {name: link, exact: true})
                          .getAttribute('aria-current');
      check(current === 'page', `"${link}" is not marked as the current page`);
      const alerts = await page.locator('#main [role=alert]').allInnerTexts();
      check(alerts.every(a => !a.trim()), `"${link}" shows an error: ${alerts.join(' | ')}`);
      await shot(file);
    }
  });

  await step('every change without the CSRF token is refused with 403', async () => {
    // Every route of the API reference that changes something and needs a login, with 1
    // for each {parameter}: the CSRF check comes before the handler, so nothing happens.
    const listed = await page.request.get(base + '/api/routes');
    check(listed.ok(), `GET /api/routes answered ${listed.status()}`);
    const changes = (await listed.json()).routes.filter(r => r.method !== 'GET' && !r.public);
    check(changes.some(r => r.path === '/api/logout'), 'no POST /api/logout in /api/routes');
    for (const r of changes) {
      const url = base + r.path.replace(/\{[^}]+\}/g, '1');
      const res = await page.request.fetch(url, {method: r.method, data: {}});
      check(res.status() === 403,
            `${r.method} ${r.path} without X-CSRF-Token answered ${res.status()}: ` +
                (await res.text()).slice(0, 200));
      const err = (await res.json()).error;
      check(err && err.code === 'csrf', `${r.method} ${r.path}: error ${JSON.stringify(err)}`);
    }
    const me = await page.request.get(base + '/api/me');
    check(me.status() === 200, `the session did not survive the refused changes (${me.status()})`);
    console.log(`     (${changes.length} change routes checked)`);
  });

  const region = n => page.getByRole('region', {name: `Dokument ${n}`, exact: true});

  await step('import the batch from the scan folder', async () => {
    await open('Postrum');
    const folder = page.getByLabel('Mappe i scan-mappen', {exact: true});
    const label = await until(async () => {
      const texts = await folder.locator('option').allInnerTexts();
      return texts.find(t => t.includes(batchFolder));
    }, 10000, `no "${batchFolder}" in "Mappe i scan-mappen"`);
    await folder.selectOption({label});
    await page.getByRole('button', {name: 'Hent batch', exact: true}).click();
    // The import OCRs every page: the batch view opens, or the batch appears in "Batches".
    await until(async () => {
      if (await region(1).count()) return true;
      const link = page.getByRole('table', {name: 'Batches'}).getByRole('link').first();
      if (await link.count()) {
        await link.click();
        await region(1).waitFor({timeout: 5000});
        return true;
      }
      return false;
    }, 240000, 'the imported batch\'s documents ("Dokument 1") did not appear');
    await page.getByRole('img', {name: 'Side 1', exact: true}).first().waitFor({timeout: 10000});
    const count = await page.getByRole('region', {name: /^Dokument \d+$/}).count();
    check(count === truth.letters.length,
          `${count} documents proposed; the batch has ${truth.letters.length} letters`);
  });

  await step('the proposals name the case and their reasons', async () => {
    for (let i = 0; i < truth.letters.length; ++i) {
      const r = region(i + 1);
      const expected = truth.letters[i].expected_case.reference;
      const proposed = await r.getByLabel('Sag', {exact: true}).inputValue();
      check(proposed.includes(expected),
            `"Dokument ${i + 1}" proposes case "${proposed}", expected ${expected}`);
      const text = await r.innerText();
      // The reason quotes where the case was found: the reference in the letter's text.
      check(/sagsnummer i brevet/.test(text),
            `"Dokument ${i + 1}" shows no reason for its proposal: ${text.slice(0, 400)}`);
    }
    await shot('08-postrum-batch');
  });

  await step('the quality check refuses a vague title', async () => {
    const r = region(1);
    await r.getByLabel('Titel', {exact: true}).fill('Diverse');
    const feedback = r.getByRole('status');
    const said = await until(async () => {
      const t = (await feedback.first().innerText()).trim();
      return t && !t.startsWith('Titlen er god') ? t : false;
    }, 10000, 'no refusal of the title "Diverse" in the document\'s role=status');
    check(/diverse|vag|sig|intet/i.test(said), `the refusal does not explain itself: ${said}`);
    await shot('09-title-refused');
  });

  await step('the corrected title is accepted', async () => {
    const r = region(1);
    await r.getByLabel('Titel', {exact: true}).fill(letter.expected_title);
    await until(async () => (await r.getByRole('status').first().innerText())
                                 .trim().startsWith('Titlen er god'),
                10000, `"${letter.expected_title}" is not accepted`);
  });

  await step('journalise the document', async () => {
    const r = region(1);
    await r.getByLabel('Originalen', {exact: true}).selectOption({label: 'Opbevares'});
    await r.getByRole('button', {name: 'Journalisér', exact: true}).click();
    await until(async () => /Journaliseret som \S+/.test(await r.innerText()), 60000,
                '"Dokument 1" does not say "Journaliseret som ..."');
    await shot('10-journalised');
    // The archive asks for the document's id in the journal (as `station archive place`).
    const res = await page.request.get(`${base}/api/cases/${truth.caseIds[0]}`);
    check(res.ok(), `GET /api/cases/${truth.caseIds[0]} answered ${res.status()}`);
    const docs = (await res.json()).documents || [];
    const doc = docs.find(d => d.title === letter.expected_title);
    check(doc, `case ${spec.cases[0].reference} has no document "${letter.expected_title}": ` +
                   JSON.stringify(docs.map(d => d.title)));
    docId = String(doc.id);
  });

  await step('journalise the letter on the restricted case', async () => {
    const r = region(2);
    const title = await r.getByLabel('Titel', {exact: true}).inputValue();
    if (!title.trim()) await r.getByLabel('Titel', {exact: true}).fill(secret.expected_title);
    await r.getByRole('button', {name: 'Journalisér', exact: true}).click();
    await until(async () => /Journaliseret som \S+/.test(await r.innerText()), 60000,
                '"Dokument 2" does not say "Journaliseret som ..."');
  });

  async function search(q) {
    await open('Søg');
    await page.getByLabel('Søgeord', {exact: true}).fill(q);
    const answered = page.waitForResponse(res => res.url().includes('/api/search'),
                                          {timeout: 30000});
    await page.getByRole('button', {name: 'Søg', exact: true}).click();
    await answered;
    await page.waitForTimeout(300);  // the list is drawn after the answer
    return page.getByRole('list', {name: 'Resultater'});
  }

  await step('find the document by a word of its text in Søg', async () => {
    const results = await search(word);
    await until(async () => (await results.innerText()).includes(letter.expected_title), 15000,
                `"Resultater" has no "${letter.expected_title}" for "${word}"`);
    const marked = await results.locator('mark').allInnerTexts();
    check(marked.some(m => m.toLowerCase().includes(word.slice(0, 6))),
          `no <mark> around "${word}" in the snippets (marked: ${marked.join(', ')})`);
    await shot('11-soeg-hit');
  });

  await step('the administrator in the group opens the restricted case', async () => {
    secretCaseId = truth.caseIds[1];
    await page.goto(`${base}/#/sag/${encodeURIComponent(secretCaseId)}`);
    await until(async () => (await page.locator('#main').innerText())
                                .includes(secretCase.reference),
                10000, `#/sag/${secretCaseId} does not show ${secretCase.reference}`);
    await shot('13-sag');
  });

  await step('the caseworker in the group sees the restricted case and its letter', async () => {
    await logOut();
    await logIn(users.insider);
    await open('Sager');
    await page.getByLabel('Find sag', {exact: true}).fill(secretCase.reference);
    const table = page.getByRole('table', {name: 'Sager'});
    await until(async () => (await table.innerText()).includes(secretCase.reference), 10000,
                `"Sager" has no ${secretCase.reference} for a member of the group`);
    const results = await search(secretWord);
    await until(async () => (await results.innerText()).includes(secret.expected_title),
                15000, `"Resultater" has no "${secret.expected_title}" for "${secretWord}"`);
  });

  await step('the caseworker without the group cannot see the restricted case', async () => {
    await logOut();
    await logIn(users.outsider);
    await open('Sager');
    const table = page.getByRole('table', {name: 'Sager'});
    await until(async () => (await table.innerText()).includes(spec.cases[0].reference), 10000,
                `"Sager" does not list the open case ${spec.cases[0].reference}`);
    check(!(await table.innerText()).includes(secretCase.reference),
          `"Sager" lists the restricted case ${secretCase.reference}`);
    await page.getByLabel('Find sag', {exact: true}).fill(secretCase.reference);
    await page.waitForTimeout(1000);
    const shown = await page.locator('#main').innerText();
    check(!shown.includes(secretCase.reference) || !shown.includes(secretCase.title),
          `"Find sag" shows the restricted case`);
    check(!shown.includes(secretCase.title), `"Sager" shows "${secretCase.title}"`);

    let results = await search(secretWord);
    check(!(await page.locator('#main').innerText()).includes(secret.expected_title),
          `"Søg" finds the restricted letter by "${secretWord}"`);
    results = await search(word);
    await until(async () => (await results.innerText()).includes(letter.expected_title), 15000,
                `"Søg" does not find the open letter by "${word}"`);
    await shot('14-soeg-uden-gruppe');

    await page.goto(`${base}/#/sag/${encodeURIComponent(secretCaseId)}`);
    await until(async () => /findes ikke/i.test(await page.locator('#main').innerText()), 10000,
                `#/sag/${secretCaseId} does not say "findes ikke"`);
    const text = await page.locator('#main').innerText();
    check(!text.includes(secretCase.title) && !text.includes(secret.expected_title),
          `#/sag/${secretCaseId} shows the restricted case's title`);
    const api = await page.request.get(`${base}/api/cases/${secretCaseId}`);
    check(api.status() === 404, `GET /api/cases/${secretCaseId} answered ${api.status()}`);
    await shot('15-sag-findes-ikke');
  });

  await step('place the original in a box in Arkiv', async () => {
    await logOut();
    await logIn(users.admin);
    await open('Arkiv');
    await page.getByLabel('Dokument', {exact: true}).fill(docId);
    await page.getByLabel('Kasse', {exact: true}).fill(box);
    await page.getByRole('button', {name: 'Placér', exact: true}).click();
    await until(async () => (await page.locator('#status').innerText()).trim() ||
                                (await page.locator('#main').innerText()).includes(box),
                10000, 'no confirmation of the placing');
  });

  await step('"Hvor er" finds the original in the box', async () => {
    await page.getByLabel('Dokument eller stregkode', {exact: true}).fill(docId);
    await page.getByRole('button', {name: 'Find', exact: true}).click();
    const where = page.getByRole('status', {name: 'Placering'});
    await until(async () => {
      const t = await where.innerText();
      return t.includes(box) && t.includes('Reol 1') ? t : false;
    }, 10000, `"Placering" does not name ${box} on "Reol 1"`);
    await shot('12-arkiv-hvor-er');
  });

  await step('the main screens with the journalised data', async () => {
    await open('Sager');
    await page.getByRole('table', {name: 'Sager', exact: true}).waitFor();
    await shot('20-sager-data');
    await open('Arkiv');
    await page.getByRole('tree').first().waitFor();
    await shot('21-arkiv-data');
    await open('Ledelse');
    for (const table of ['Venter efter alder', 'Titelkvalitet', 'Omjournaliseringer',
                         'Gennemløb pr. operatør']) {
      await page.getByRole('table', {name: table, exact: true}).waitFor();
    }
    await shot('22-ledelse-data');
    await open('Postrum');
    await page.getByRole('table', {name: 'Batches', exact: true}).waitFor();
    await shot('23-postrum-data');
  });

  await step('the post-room user logs in to the post room', async () => {
    await logOut();
    await logIn(users.postroom);
    await open('Postrum');
    await shot('16-postrum-postrum');
  });

  await step('the login screen shows no navigation and no "Log ud"', async () => {
    await logOut();
    await page.reload();
    await page.getByLabel('Brugernavn', {exact: true}).waitFor({timeout: 10000});
    check(!(await page.getByRole('button', {name: 'Log ud', exact: true}).isVisible()),
          '"Log ud" is visible before anyone is logged in (header#top[hidden] shown by CSS)');
    check(!(await nav().isVisible()), 'the navigation is visible before logging in');
  });
}

// ---- main ----

async function main() {
  fs.rmSync(opts.artifacts, {recursive: true, force: true});
  fs.mkdirSync(opts.artifacts, {recursive: true});
  let server;
  let browser;
  try {
    let truth;
    await step('set up users, cases, archive and the scanned batch with the command line',
               async () => {
                 truth = setUp();
               });
    const port = await freePort();
    ({server, base} = await startServer(port));
    browser = await chromium.launch({
      executablePath: opts.chromium,
      args: process.getuid && process.getuid() === 0 ? ['--no-sandbox'] : [],
    });
    const context = await browser.newContext({viewport: {width: 1366, height: 768},
                                              locale: 'da-DK'});
    page = await context.newPage();
    page.setDefaultTimeout(15000);
    const consoleLog = fs.createWriteStream(path.join(opts.artifacts, 'console.log'));
    page.on('console', m => consoleLog.write(`${m.type()}: ${m.text()}\n`));
    page.on('pageerror', e => consoleLog.write(`pageerror: ${e.message}\n`));
    await scenario(truth);
    console.log(`passed: ${passed.length} steps; screenshots in ${opts.artifacts}`);
    return 0;
  } catch (e) {
    console.error(e instanceof StepFailure ? e.message : `step "${current}" failed: ${e.stack}`);
    console.error(`passed before: ${passed.join('; ') || 'none'}`);
    return 1;
  } finally {
    if (browser) await browser.close().catch(() => {});
    if (server && server.exitCode === null) {
      server.kill('SIGTERM');
      await new Promise(r => server.once('exit', r));
    }
    if (!opts.keep) fs.rmSync(home, {recursive: true, force: true});
    else console.log(`kept ${home}`);
  }
}

process.exitCode = await main();

// The post room's intake panel: start a scan or pick up a scan-to-folder batch, with
// live progress. postroom.js places intakePanel() at the top of the batch list.
import {api, attempt, h, notify, shortcut} from '/app.js';

let uid = 0;
function field(label, control) {
  control.id = control.id || 'intake-' + (++uid);
  return h('span', {class: 'intake-field'}, h('label', {for: control.id
           }, label), ' ', control);
}

// A progress bar (role=progressbar, aria-valuenow = pages processed) with the text
// "N sider scannet, M behandlet" and the job's message.
export function progressBar(label) {
  const text = h('span', {class: 'intake-progress-text'});
  const fill = h('span', {class: 'intake-progress-fill'});
  const bar =
      h('div', {
        class: 'intake-progress',
        role: 'progressbar',
        'aria-label': label,
        'aria-valuemin': 0,
        'aria-valuenow': 0,
        hidden: true,
      },
        h('span', {class: 'intake-progress-track'}, fill), ' ', text);
  const message = h('div', {role: 'status', class: 'intake-message'});
  function show(job) {
    bar.hidden = false;
    bar.setAttribute('aria-valuenow', String(job.pages_processed));
    bar.setAttribute('aria-valuemax', String(Math.max(job.pages_scanned, 1)));
    bar.dataset.state = job.state;
    text.textContent = `${job.pages_scanned} sider scannet, ${job.pages_processed} behandlet` +
        (job.pages_failed ? `, ${job.pages_failed} med fejl` : '');
    fill.style.width =
        (job.pages_scanned ? 100 * job.pages_processed / job.pages_scanned : 0) + '%';
    message.className = 'intake-message' + (job.state === 'failed' ? ' bad' : '');
    message.textContent = job.state === 'failed' ? job.message :
        job.state === 'done'                     ? 'Færdig: batch ' + job.batch :
                                                   'Arbejder … (batch ' + job.batch + ')';
  }
  return {element: h('div', {}, bar, message), show};
}

// Polls GET /api/jobs/{id} every second until the job ends; calls onUpdate(job) each time.
// Stops when `element` leaves the page. Resolves with the last state.
export function watchJob(jobId, element, onUpdate) {
  return new Promise((resolve) => {
    const tick = async () => {
      if (!element.isConnected) return resolve(null);
      let job;
      try {
        job = await api('GET', '/api/jobs/' + jobId);
      } catch (e) {
        notify(e.message || String(e), 'error');
        return resolve(null);
      }
      onUpdate(job);
      if (job.state === 'running')
        setTimeout(tick, 1000);
      else
        resolve(job);
    };
    tick();
  });
}

// Returns the panel's element; `onBatch(batchId)` is called when a scan or import has
// made a batch (the post room then opens it).
export function intakePanel(onBatch) {
  const scanner = h('select', {});
  const profile = h('select', {});
  const start = h('button', {type: 'button', class: 'primary'}, 'Start scanning');
  const folder = h('select', {});
  const fetch = h('button', {type: 'button'}, 'Hent batch');
  const refresh =
      h('button', {type: 'button', title: 'Opdatér listen over scan-mappen'}, 'Opdatér');
  const progress = progressBar('Indlæsning');
  const panel =
      h('section', {class: 'card intake-panel', 'aria-label': 'Indlæsning'},
        h('div', {class: 'intake-row'}, h('strong', {}, 'Scan'), ' ', field('Scanner', scanner),
          ' ', field('Profil', profile), ' ', start),
        h('div', {class: 'intake-row'}, h('strong', {}, 'Hent fra scan-mappe'), ' ',
          field('Mappe i scan-mappen', folder), ' ', fetch, ' ', refresh),
        progress.element);

  async function loadScanners() {
    const data = await attempt(() => api('GET', '/api/scanners'));
    if (!data) return;
    scanner.replaceChildren(...data.devices.map(
        (d) => h('option', {value: d.name}, `${d.vendor} ${d.model} (${d.name})`)));
    if (!data.devices.length) {
      scanner.append(h('option', {value: ''}, 'Ingen scanner fundet'));
      if (data.device_error) notify(data.device_error, 'error');
    }
    profile.replaceChildren(...data.profiles.map(
        (p) =>
            h('option', {
              value: p.name,
              selected: p.name === data.default_profile,
            },
              `${p.name}: ${p.source}, ${p.mode}, ${p.dpi} dpi`)));
  }
  async function loadInbox() {
    const data = await attempt(() => api('GET', '/api/inbox'));
    if (!data) return;
    folder.replaceChildren(...data.entries.map(
        (e) =>
            h('option', {value: e.name},
              `${e.name} (${e.kind === 'folder' ? e.files + ' filer' : 'fil'})`)));
    if (!data.entries.length) folder.append(h('option', {value: ''}, 'Scan-mappen er tom'));
    fetch.disabled = !data.entries.length;
  }

  async function follow(started) {
    start.disabled = fetch.disabled = true;
    let announced = false;
    const job = await watchJob(started.job, panel, (j) => {
      progress.show(j);
      if (j.batch_ready && !announced) {
        announced = true;
        onBatch(j.batch);
      }
    });
    start.disabled = false;
    await loadInbox();
    if (job && job.state === 'failed') notify(job.message, 'error');
  }

  start.addEventListener('click', async () => {
    if (!scanner.value) return notify('Vælg en scanner', 'error');
    const started = await attempt(
        () => api(
            'POST', '/api/scans', {device: scanner.value, profile: profile.value || undefined}));
    if (started) await follow(started);
  });
  fetch.addEventListener('click', async () => {
    if (!folder.value) return;
    const started = await attempt(() => api('POST', '/api/imports', {folder: folder.value}));
    if (started) await follow(started);
  });
  refresh.addEventListener('click', loadInbox);
  loadScanners();
  loadInbox();
  return panel;
}

shortcut('Alt+s', 'Start scanning (postrum)', () => {
  const button = [...document.querySelectorAll('.intake-panel button.primary')][0];
  if (button && !button.disabled) button.click();
}, 'postrum', true);

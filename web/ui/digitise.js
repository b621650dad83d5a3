// The "Digitalisér" screen (#/digitaliser): a caseworker scans a special paper document
// (a photograph, a drawing, a handwritten note) straight onto one of their own open cases;
// it is journalised when the scan ends (POST /api/digitise, a background job).
import {api, attempt, h, notify, registerScreen, shortcut} from '/app.js';
import {progressBar, watchJob} from '/scan.js';

function labelled(label, control, id) {
  control.id = id;
  return h('div', {class: 'digitise-field'}, h('label', {for: id
           }, label), control);
}

function option(value, text, selected = false) {
  return h('option', {value, selected}, text);
}

let checkTimer = null;

registerScreen('digitaliser', {
  title: 'Digitalisér',
  key: '6',
  roles: ['caseworker'],
  async render(main) {
    const caseSelect = h('select', {required: true});
    const source =
        h('select', {}, option('flatbed', 'Planlejet (flatbed)', true),
          option('feeder', 'Arkføder (feeder)'));
    const mode =
        h('select', {}, option('color', 'Farve (fotografier og tegninger)', true),
          option('gray', 'Gråtoner'), option('lineart', 'Sort-hvid'));
    const device = h('select', {});
    const title = h('input', {type: 'text', autocomplete: 'off', size: 60, required: true});
    const titleFeedback = h('div', {role: 'status', class: 'digitise-title-check muted'});
    const description = h('textarea', {
      rows: 3,
      cols: 60,
      placeholder:
          'Hvad viser dokumentet? Kræves når siderne ikke har tekst (fotografier, tegninger)'
    });
    const original =
        h('select', {}, option('keep', 'Opbevares', true),
          option('return', 'Returneres til afsender'), option('pending', 'Afventer beslutning'));
    const box = h('input', {type: 'text', autocomplete: 'off', size: 20});
    const submit = h('button', {type: 'submit', class: 'primary'}, 'Digitalisér');
    const progress = progressBar('Digitalisering');
    const result = h('div', {role: 'status', class: 'digitise-result', 'aria-label': 'Resultat'});

    const form =
        h('form', {class: 'card digitise-form', 'aria-label': 'Digitalisér et dokument'},
          labelled('Min sag', caseSelect, 'dig-case'),
          h('div', {class: 'digitise-row'}, labelled('Kilde', source, 'dig-source'),
            labelled('Farve', mode, 'dig-mode'), labelled('Scanner', device, 'dig-device')),
          labelled('Titel', title, 'dig-title'), titleFeedback,
          labelled('Beskrivelse', description, 'dig-description'),
          h('div', {class: 'digitise-row'}, labelled('Originalen', original, 'dig-original'),
            labelled('Kasse', box, 'dig-box')),
          h('div', {}, submit), progress.element, result);
    main.replaceChildren(
        h('h1', {}, 'Digitalisér'),
        h('p', {class: 'muted'},
          'Scan et særligt papirdokument direkte ind på en af dine egne ' +
              'sager. Fotografier og tegninger scannes i farve og skal have en beskrivelse.'),
        form);

    const cases = await attempt(() => api('GET', '/api/digitise/cases'));
    if (cases) {
      caseSelect.replaceChildren(
          ...cases.cases.map((c) => option(String(c.id), `${c.reference}: ${c.title}`)));
      if (!cases.cases.length) caseSelect.append(option('', 'Du har ingen åbne sager'));
    }
    const scanners = await attempt(() => api('GET', '/api/scanners'));
    if (scanners) {
      device.replaceChildren(
          ...scanners.devices.map((d) => option(d.name, `${d.vendor} ${d.model} (${d.name})`)));
      if (!scanners.devices.length) device.append(option('', 'Ingen scanner fundet'));
    }

    // Live title feedback when the station has POST /api/title-check; otherwise the
    // title is checked when "Digitalisér" is pressed.
    title.addEventListener('input', () => {
      clearTimeout(checkTimer);
      checkTimer = setTimeout(async () => {
        if (!title.value.trim()) return titleFeedback.replaceChildren();
        try {
          const check = await api('POST', '/api/title-check', {
            title: title.value,
            description: description.value || undefined,
          });
          const problems = check.problems || [];
          titleFeedback.className = 'digitise-title-check ' + (problems.length ? 'bad' : 'ok');
          titleFeedback.textContent =
              problems.length ? problems.map((p) => p.message || p).join(' ') : 'Titlen er god';
        } catch (e) {
          titleFeedback.replaceChildren();  // no live check on this station
        }
      }, 300);
    });

    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      if (!caseSelect.value) return notify('Vælg en af dine sager', 'error');
      result.replaceChildren();
      const body = {
        case: Number(caseSelect.value),
        title: title.value,
        description: description.value.trim() || undefined,
        source: source.value,
        mode: mode.value,
        device: device.value || undefined,
        original: {disposition: original.value, box: box.value.trim() || undefined},
      };
      const started = await attempt(() => api('POST', '/api/digitise', body));
      if (!started) return;
      submit.disabled = true;
      const job = await watchJob(started.job, form, progress.show);
      submit.disabled = false;
      if (!job) return;
      if (job.state === 'done' && job.result && job.result.document) {
        const doc = job.result.document;
        result.className = 'digitise-result ok';
        result.replaceChildren(
            `Journaliseret som dokument ${doc.doc_number} på sag ` +
            `${job.result.case.reference}: ${doc.title}`);
        title.value = '';
        description.value = '';
        titleFeedback.replaceChildren();
      } else {
        result.className = 'digitise-result bad';
        result.replaceChildren(
            job.message,
            h('div', {class: 'muted'},
              `Siderne er gemt i batch ${job.batch}; ret og prøv ` +
                  'igen, eller journalisér batchen fra postrummet.'));
      }
    });
    title.focus();
  },
});

shortcut('Alt+d', 'Digitalisér (start scanningen)', () => {
  const button = document.querySelector('.digitise-form button[type=submit]');
  if (button && !button.disabled) button.click();
}, 'digitaliser', true);

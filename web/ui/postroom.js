// The "Postrum" screen (#/postrum, #/postrum/BATCH): the intake panel (scan.js), the
// batches waiting, and one batch with its proposed documents: pages, case, title (checked
// as the user types), the paper original, the page tools and journalising. Labels as
// web/UI-CONTRACT.md "Post room" says. While a batch's intake still runs, its pages appear
// live (polled every 2 s) and the proposal waits until the last page is analysed.
import {api, attempt, formatDate, h, hasRole, notify, registerScreen, shortcut} from '/app.js';
import {intakePanel} from '/scan.js';

const POLL_MS = 2000;
const TITLE_DEBOUNCE_MS = 350;
let pollTimer = null;  // the running batch's poll; stopped when the screen changes

function stopPolling() {
  if (pollTimer) clearTimeout(pollTimer);
  pollTimer = null;
}

function mayWork() {
  return hasRole('post_room', 'caseworker');
}

function batchPath(id) {
  return '/api/batches/' + encodeURIComponent(id);
}

// ---- the batch list ----

async function renderList(main) {
  const showAll = h('input', {type: 'checkbox', id: 'pr-all'});
  const tableBox = h('div', {}, h('p', {class: 'muted'}, 'Henter …'));
  const load = async () => {
    const data = await api('GET', '/api/batches' + (showAll.checked ? '?all=1' : ''));
    tableBox.replaceChildren(batchTable(data.batches));
  };
  showAll.addEventListener('change', () => attempt(load));
  // Scanning and the scan folder are the post room's (the intake routes' role).
  const panel = hasRole('post_room') ?
      intakePanel(batchId => location.hash = '#/postrum/' + encodeURIComponent(batchId)) :
      null;
  main.replaceChildren(
      h('h1', {}, 'Postrum'), panel,
      h('section', {class: 'card', 'aria-labelledby': 'pr-batches-h'},
        h('div', {class: 'row pr-list-head'}, h('h2', {id: 'pr-batches-h'}, 'Batches'),
          h('span', {class: 'pr-check'}, showAll,
            h('label', {for: 'pr-all', class: 'pr-inline'}, 'Vis også færdige'))),
        tableBox));
    await load();
}

function batchTable(batches) {
    if (!batches.length) return h('p', {class: 'muted'}, 'Ingen batches venter på journalisering.');
    return h(
        'table', {'aria-label': 'Batches'},
        h('thead', {},
          h('tr', {}, h('th', {}, 'Batch'), h('th', {}, 'Modtaget'), h('th', {}, 'Sider'),
            h('th', {}, 'Dokumenter'), h('th', {}, 'Venter'), h('th', {}, 'Tilstand'))),
        h('tbody', {}, batches.map(b => {
          if (b.error) {
            return h('tr', {}, h('td', {}, b.batch), h('td', {colspan: 5, class: 'bad'}, b.error));
          }
          const open = b.documents_open < 0 ? '–' : b.documents_open + ' af ' + b.documents;
          const waiting = b.waiting_working_days <= 0 ? 'i dag eller i går' :
                                                        b.waiting_working_days +
                  (b.waiting_working_days === 1 ? ' arbejdsdag' : ' arbejdsdage');
          return h(
              'tr', {},
              h('td', {},
                h('a', {href: '#/postrum/' + encodeURIComponent(b.batch)}, b.name || b.batch),
                b.name ? h('div', {class: 'muted small'}, b.batch) : null),
              h('td', {}, formatDate(b.received_date)), h('td', {}, String(b.pages)),
              h('td', {}, open),
              h('td', {}, waiting,
                b.late ? [' ', h('span', {class: 'badge bad'}, 'for sent')] : null),
              h('td', {}, stateBadge(b)));
        })));
}

function stateBadge(b) {
    const cls = {
      'indlæses': 'badge',
      'ikke foreslået': 'badge warn',
      'venter': 'badge warn',
      'journaliseret': 'badge ok',
      'fejl': 'badge bad'
    }[b.state] ||
        'badge';
    return h('span', {class: cls}, b.state || '');
}

// ---- one batch ----

// What the user typed, kept across a re-render after an edit: by the document's first page.
function collectTyped(root) {
    const typed = new Map();
    if (!root) return typed;
    for (const region of root.querySelectorAll('[data-first-page]')) {
      const values = {};
      for (const el of region.querySelectorAll('[data-field]')) values[el.dataset.field] = el.value;
      typed.set(region.dataset.firstPage, values);
    }
    return typed;
}

async function renderBatch(main, id) {
    const root = h('div', {class: 'pr-batch'});
    const state = {id, data: null, selected: null, root};
    main.replaceChildren(h('p', {}, h('a', {href: '#/postrum'}, '← Alle batches')), root);
    const data = await api('GET', batchPath(id));
    show(state, data, new Map());
}

function show(state, data, typed) {
    state.data = data;
    const {root} = state;
    const running = data.intake && data.intake.running;
    const pagesById = new Map(data.pages.map(p => [p.seq, p]));
    if (state.selected === null || !pagesById.has(state.selected)) {
      const firstOpen = data.documents.find(d => !d.journal) || data.documents[0];
      state.selected = firstOpen && firstOpen.pages.length ?
          firstOpen.pages[0] :
          (data.pages[0] ? data.pages[0].seq : null);
    }
    const viewer = h('figure', {class: 'pr-viewer', 'aria-label': 'Valgt side'});
    const select = seq => {
      state.selected = seq;
      const page = pagesById.get(seq);
      for (const t of root.querySelectorAll('.thumb'))
        t.setAttribute('aria-selected', String(Number(t.dataset.seq) === seq));
      viewer.replaceChildren(
          page ? h('img', {
            src: page.image_url + '?v=' + (page.rotation || 0),
            alt: 'Side ' + seq + ' i stor udgave'
          }) :
                 h('p', {class: 'muted'}, 'Vælg en side'),
          h('figcaption', {class: 'muted'}, page ? 'Side ' + seq : ''));
    };

    const header =
        h('div', {class: 'pr-head'}, h('h1', {}, 'Batch ' + (data.name || data.batch)),
          h('p', {class: 'muted'}, data.batch, ' · modtaget ', formatDate(data.received_date),
            ' · ', data.pages.length + ' sider',
            data.documents_open !== undefined ? ' · ' + data.documents_open + ' dokumenter venter' :
                                                ''),
          (data.warnings || []).map(w => h('span', {class: 'badge warn'}, w)));

    const parts = [header];
    if (running) {
      parts.push(progress(data));
      parts.push(
          h('section', {class: 'card', 'aria-label': 'Sider'}, h('h2', {}, 'Sider'),
            h('div', {class: 'thumbs'}, data.pages.map(p => thumb(p, select, null)))));
    } else {
      if (mayWork() && data.documents.some(d => !d.journal)) {
        parts.push(
            h('p', {class: 'row'},
              h('button', {type: 'button', onclick: () => journalAll(state)},
                'Journalisér alle klare'),
              h('span', {class: 'muted'},
                'Journaliserer de dokumenter hvor sagen er sikker og titlen god (Alt+J: ' +
                    'det dokument du står i)')));
      }
      for (const d of data.documents)
        parts.push(documentRegion(state, d, pagesById, select, typed));
      const loose = data.pages.filter(p => p.role && p.role !== 'document');
      if (loose.length) parts.push(loosePages(state, loose, select));
    }
    const layout = h('div', {class: 'pr-layout'}, h('div', {class: 'pr-docs'}, parts), viewer);
    root.replaceChildren(layout);
    select(state.selected);

    stopPolling();
    if (running) {
      pollTimer = setTimeout(async () => {
        if (!root.isConnected) return;
        const next = await attempt(() => api('GET', batchPath(state.id)));
        if (next && root.isConnected) show(state, next, new Map());
      }, POLL_MS);
    }
}

function progress(data) {
    const total = data.intake.pages;
    const done = data.intake.pages_analysed;
    return h(
        'div', {class: 'card'},
        h('div', {
          role: 'progressbar',
          'aria-label': 'Indlæsning',
          'aria-valuemin': 0,
          'aria-valuemax': Math.max(total, 1),
          'aria-valuenow': done,
          class: 'pr-progress'
        },
          h('div', {class: 'bar', style: 'width:' + (total ? (100 * done / total) : 0) + '%'})),
        h('p', {}, total + ' sider scannet, ' + done + ' behandlet'),
        h('p', {class: 'muted'},
          'Siderne vises mens de kommer. Forslaget til dokumenter kommer, når alle sider er behandlet.'));
}

function thumb(page, select, tools) {
    const img = h('img', {
      src: page.thumbnail_url + '?v=' + (page.rotation || 0),
      alt: 'Side ' + page.seq,
      loading: 'lazy'
    });
    const button =
        h('button', {
          type: 'button',
          class: 'thumb',
          'data-seq': page.seq,
          'aria-selected': 'false',
          title: 'Vis side ' + page.seq + ' stort',
          onclick: () => select(page.seq)
        },
          img);
    const marks = [];
    if (page.blank) marks.push(h('span', {class: 'badge'}, 'blank'));
    if (page.failed) marks.push(h('span', {class: 'badge bad'}, 'kunne ikke behandles'));
    if (page.rotation) marks.push(h('span', {class: 'badge'}, 'drejet ' + page.rotation + '°'));
    if (page.role === 'separator') marks.push(h('span', {class: 'badge'}, 'skilleark'));
    if (page.role === 'cover') marks.push(h('span', {class: 'badge'}, 'forsideark'));
    if (page.role === 'removed')
      marks.push(h('span', {class: 'badge warn'}, 'fjernet: ' + (page.removed_reason || '')));
    if (page.analysed === false) marks.push(h('span', {class: 'badge'}, 'behandles …'));
    return h('div', {class: 'pr-page'}, button, h('div', {class: 'pr-marks'}, marks), tools);
}

// Runs a plan edit and shows the batch it answers with.
async function edit(state, action, body) {
    const typed = collectTyped(state.root);
    const data = await attempt(() => api('POST', batchPath(state.id) + '/' + action, body));
    if (!data) return;
    if (data.detail) notify(data.detail);
    show(state, data, typed);
}

function pageTools(state, doc, seq, index) {
    if (!mayWork() || doc.journal) return null;
    return h(
        'div', {class: 'pr-tools'},
        index > 0 ? h('button', {
          type: 'button',
          title: 'Nyt dokument fra side ' + seq,
          onclick: () => edit(state, 'split', {before_page: seq, document: doc.number})
        },
                      'Del før denne side') :
                    null,
        h('button', {
          type: 'button',
          title: 'Drej side ' + seq + ' 90° med uret',
          onclick: () => edit(state, 'rotate', {page: seq, degrees: 90})
        },
          'Drej'),
        h('button', {
          type: 'button',
          title: 'Tag side ' + seq + ' ud af dokumentet (den bevares i batchen)',
          onclick: () => edit(state, 'remove', {page: seq, reason: 'fjernet i postrummet'})
        },
          'Fjern side'));
}

function loosePages(state, pages, select) {
    const docs = state.data.documents.filter(d => !d.journal);
    return h(
        'section', {class: 'card', 'aria-label': 'Øvrige sider'},
        h('h2', {}, 'Ark og fjernede sider'), h('div', {class: 'thumbs'}, pages.map(p => {
          const tools = p.role === 'removed' && mayWork() && docs.length ?
              h('div', {class: 'pr-tools'},
                h('button', {
                  type: 'button',
                  title: 'Læg side ' + p.seq + ' tilbage i dokumentet før den',
                  onclick: () => edit(state, 'restore', {page: p.seq})
                },
                  'Læg tilbage')) :
              null;
          return thumb(p, select, tools);
        })));
}

function field(id, label, control) {
    return h('div', {class: 'pr-field'}, h('label', {for: id
             }, label), control);
}

function documentRegion(state, doc, pagesById, select, typed) {
    const n = doc.number;
    const key = String(doc.pages[0] ?? '');
    const prior = typed.get(key) || {};
    const pid = 'pr-d' + n + '-';
    const region = h('section', {
      class: 'card pr-doc' + (doc.journal ? ' pr-done' : ''),
      role: 'region',
      'aria-label': 'Dokument ' + n,
      'data-first-page': key
    });
    const thumbs = h('div', {class: 'thumbs'}, doc.pages.map((seq, i) => {
      const page = pagesById.get(seq) || {seq, thumbnail_url: '', image_url: ''};
      return thumb(page, select, pageTools(state, doc, seq, i));
    }));
    const heading =
        h('h2', {}, 'Dokument ' + n,
          h('span', {class: 'muted small'},
            ' · ' + doc.pages.length + (doc.pages.length === 1 ? ' side' : ' sider')));
    if (doc.journal) {
      const j = doc.journal;
      region.append(
          heading,
          h('p', {class: 'ok'},
            j.restricted ? 'Journaliseret (på en sag du ikke har adgang til)' :
                           'Journaliseret som ' + j.doc_number + ' på sag ' + j.case_reference +
                    ': ' + j.title),
          thumbs);
      return region;
    }

    const proposed = doc.proposed_case;
    const cover = doc.cover;
    const caseInput = h('input', {
      id: pid + 'case',
      'data-field': 'case',
      list: pid + 'cands',
      autocomplete: 'off',
      value: prior.case ?? (proposed ? proposed.reference : (cover ? cover.reference : ''))
    });
    const candidates =
        h('datalist', {id: pid + 'cands'},
          doc.candidates.map(
              c =>
                  h('option', {value: c.reference},
                    c.title + ' (' + Math.round(c.confidence * 100) + ' %)')));
    const caseInfo = h('div', {class: 'pr-badges'});
    if (proposed) {
      caseInfo.append(
          h('span', {class: 'badge ok'},
            'Forslag: ' + proposed.system + ' ' + proposed.reference + ' · ' + proposed.title +
                ' (' + Math.round(proposed.confidence * 100) + ' %)'));
      for (const r of proposed.reasons || []) caseInfo.append(h('span', {class: 'badge'}, r));
    } else if (doc.candidates.length) {
      caseInfo.append(
          h('span', {class: 'badge warn'},
            'Ingen sikker sag: vælg blandt ' + doc.candidates.length +
                (doc.candidates.length === 1 ? ' kandidat' : ' kandidater')));
      for (const c of doc.candidates)
        caseInfo.append(
            h('span', {class: 'badge'},
              c.reference + ': ' + (c.reasons && c.reasons[0] ? c.reasons[0] : c.title)));
    } else {
      caseInfo.append(h('span', {class: 'badge warn'}, 'Ingen sag fundet: skriv sagsnummeret'));
    }
    for (const m of doc.party_messages || [])
      caseInfo.append(h('span', {class: doc.party_blocked ? 'badge bad' : 'badge warn'}, m));
    for (const w of doc.warnings || []) caseInfo.append(h('span', {class: 'badge warn'}, w));

    const title = h('input', {
      id: pid + 'title',
      'data-field': 'title',
      class: 'pr-wide',
      autocomplete: 'off',
      value: prior.title ?? doc.suggested_title ?? ''
    });
    const feedback = h('p', {role: 'status', class: 'pr-feedback', 'aria-live': 'polite'});
    const description = h('input', {
      id: pid + 'desc',
      'data-field': 'description',
      class: 'pr-wide',
      value: prior.description ?? ''
    });
    const docType = h('input', {
      id: pid + 'type',
      'data-field': 'doc_type',
      value: prior.doc_type ?? (doc.doc_type || (cover && cover.doc_type) || '')
    });
    const direction =
        h('select', {id: pid + 'dir', 'data-field': 'direction'},
          h('option', {value: 'in'}, 'Indgående'), h('option', {value: 'out'}, 'Udgående'),
          h('option', {value: 'internal'}, 'Internt'));
    if (prior.direction) direction.value = prior.direction;
    const original =
        h('select', {id: pid + 'orig', 'data-field': 'original'},
          h('option', {value: 'keep'}, 'Opbevares'),
          h('option', {value: 'return'}, 'Returneres til afsender'),
          h('option', {value: 'pending'}, 'Afventer beslutning'));
    if (prior.original) original.value = prior.original;
    const box = h('input', {
      id: pid + 'box',
      'data-field': 'box',
      autocomplete: 'off',
      placeholder: 'scan kassens stregkode',
      value: prior.box ?? ''
    });
    const override = doc.party_blocked ? h('input', {
      id: pid + 'override',
      'data-field': 'override',
      class: 'pr-wide',
      value: prior.override ?? ''
    }) :
                                         null;
    const result = h('p', {class: 'pr-result', role: 'alert'});
    const journalButton = h('button', {type: 'button', class: 'primary pr-journal'}, 'Journalisér');
    box.disabled = original.value !== 'keep';
    original.addEventListener('change', () => {
      box.disabled = original.value !== 'keep';
    });

    // A hand scanner types the barcode and Enter: Enter only moves on to "Journalisér".
    box.addEventListener('keydown', ev => {
      if (ev.key === 'Enter') {
        ev.preventDefault();
        journalButton.focus();
      }
    });
    for (const input of [caseInput, title, description, docType, override].filter(Boolean)) {
      input.addEventListener('keydown', ev => {
        if (ev.key === 'Enter') ev.preventDefault();
      });
    }

    // Live title feedback, debounced; the last answer wins.
    let titleTimer = null;
    let titleSeq = 0;
    const checkTitle = async () => {
      const mine = ++titleSeq;
      if (!title.value.trim()) {
        feedback.className = 'pr-feedback bad';
        feedback.textContent = 'Skriv en titel: hvad er dokumentet, fra hvem og hvornår';
        return;
      }
      const r = await attempt(() => api('POST', '/api/title-check', {
                                title: title.value,
                                description: description.value || undefined,
                                doc_type: docType.value || undefined
                              }));
      if (!r || mine !== titleSeq) return;
      feedback.className = 'pr-feedback ' + (r.ok ? 'ok' : 'bad');
      const changes = r.changes && r.changes.length ? ' (' + r.changes.join('; ') + ')' : '';
      feedback.textContent =
          r.ok ? 'Titlen er god' + changes : r.problems.map(p => p.message).join(' ') + changes;
    };
    const scheduleCheck = () => {
      clearTimeout(titleTimer);
      titleTimer = setTimeout(checkTitle, TITLE_DEBOUNCE_MS);
    };
    title.addEventListener('input', scheduleCheck);
    description.addEventListener('input', scheduleCheck);
    docType.addEventListener('change', scheduleCheck);

    journalButton.addEventListener('click', async () => {
      journalButton.disabled = true;
      result.className = 'pr-result';
      result.textContent = 'Journaliserer …';
      const body = {
        case: caseInput.value.trim() || undefined,
        title: title.value.trim() || undefined,
        description: description.value.trim() || undefined,
        doc_type: docType.value.trim() || undefined,
        direction: direction.value,
        override_party_reason: override && override.value.trim() ? override.value.trim() :
                                                                   undefined,
        original: {
          disposition: original.value,
          box: original.value === 'keep' && box.value.trim() ? box.value.trim() : undefined
        }
      };
      try {
        const r = await api('POST', batchPath(state.id) + '/documents/' + n + '/journal', body);
        result.className = 'pr-result ok';
        result.textContent = 'Journaliseret som ' + r.document.doc_number + ' på sag ' +
            r.case.reference + ': ' + r.document.title + (r.original ? '. ' + r.original : '');
        notify(
            'Dokument ' + n + ' er journaliseret som ' + r.document.doc_number + ' på sag ' +
            r.case.reference);
        for (const w of r.warnings || []) notify(w);
        for (const el of region.querySelectorAll('input, select, .pr-tools button'))
          el.disabled = true;
        journalButton.remove();
        region.classList.add('pr-done');
        const next = region.parentElement && [
          ...region.parentElement.querySelectorAll('.pr-doc:not(.pr-done) input[data-field="case"]')
        ][0];
        if (next) next.focus();
      } catch (e) {
        journalButton.disabled = false;
        result.className = 'pr-result bad';
        result.textContent = e.message || String(e);
        const target = {
          title,
          case: caseInput,
          description,
          override_party_reason: override,
          direction,
          original: original.value === 'keep' ? box : original
        }[e.field || guessField(e.message || '')];
        if (target) target.focus();
      }
    });

    const tools = mayWork() && state.data.documents.some(d => d.number === n + 1 && !d.journal) ?
        h('button', {type: 'button', onclick: () => edit(state, 'merge', {document: n})},
          'Sæt sammen med næste') :
        null;

    region.append(
        heading, thumbs,
        h('div', {class: 'pr-fields'}, field(pid + 'case', 'Sag', caseInput), candidates, caseInfo,
          field(pid + 'title', 'Titel', title), feedback,
          (doc.title_problems || []).length && !prior.title ?
              h('div', {class: 'pr-badges'},
                doc.title_problems.map(p => h('span', {class: 'badge warn'}, p))) :
              null,
          field(pid + 'desc', 'Beskrivelse', description),
          h('div', {class: 'row'}, field(pid + 'type', 'Dokumenttype', docType),
            field(pid + 'dir', 'Retning', direction), field(pid + 'orig', 'Originalen', original),
            field(pid + 'box', 'Kasse', box)),
          override ?
              field(pid + 'override', 'Begrundelse for at tilsidesætte partskontrollen', override) :
              null,
          mayWork() ? h('div', {class: 'row pr-actions'}, journalButton, tools) : null, result));
    if (title.value) checkTitle();
    return region;
}

// The field a refusal is about. The API names it (error.field); app.js's ApiError does not
// carry it yet, so the message decides.
function guessField(message) {
    if (/titlen/i.test(message)) return 'title';
    if (/partskontrollen/i.test(message)) return 'case';
    if (/kasse|placering/i.test(message)) return 'original';
    if (/beskrivelse/i.test(message)) return 'description';
    if (/sag/i.test(message)) return 'case';
    return '';
}

async function journalAll(state) {
    const typed = collectTyped(state.root);
    notify('Journaliserer de klare dokumenter …');
    const r = await attempt(() => api('POST', batchPath(state.id) + '/journal', {}));
    if (!r) return;
    notify(
        r.journalised.length + (r.journalised.length === 1 ? ' dokument' : ' dokumenter') +
        ' journaliseret; ' + r.left.length + ' kræver en afgørelse');
    const data = await attempt(() => api('GET', batchPath(state.id)));
    if (!data) return;
    show(state, data, typed);
    for (const left of r.left) {
      const region = state.root.querySelector('[aria-label="Dokument ' + left.document + '"]');
      const result = region && region.querySelector('.pr-result');
      if (result) {
        result.className = 'pr-result bad';
        result.textContent = left.message;
      }
    }
}

// Alt+J journalises the document the focus is in (else the first one still open).
function journalFocused() {
    const active = document.activeElement;
    let region = active && active.closest ? active.closest('.pr-doc') : null;
    if (!region || region.classList.contains('pr-done'))
      region = document.querySelector('.pr-doc:not(.pr-done)');
    const button = region && region.querySelector('.pr-journal');
    if (button && !button.disabled) button.click();
}
shortcut('Alt+j', 'Journalisér dokumentet du står i', journalFocused, 'postrum', true);

registerScreen('postrum', {
  title: 'Postrum',
  key: '1',
  roles: ['post_room', 'caseworker', 'manager'],
  async render(main, params) {
    stopPolling();
    if (params && params[0]) return renderBatch(main, params[0]);
    return renderList(main);
  },
});

// The "Sager" screens: the case list with "Find sag" (#/sager) and one case with its
// parties, documents, the originals' places, PDFs and notes (#/sag/ID). Everything from the
// server goes into the page as text through h(); nothing is parsed as HTML.
import {api, attempt, formatDate, h, hasRole, notify, registerScreen, shortcut} from '/app.js';

const PAGE = 50;
// A CPR-like number must never reach a URL (the server refuses it too): caught here first.
const CPR_LIKE = /\d{6}\s?[-‐–]?\s?\d{4}/;

let lastFind = '';  // the list's filter, kept while moving between the screens

function statusBadge(c) {
  const kind = c.status === 'open' ? 'ok' : c.status === 'closed' ? 'bad' : 'warn';
  return h('span', {class: 'badge ' + kind}, c.status_danish || c.status);
}

registerScreen('sager', {
  title: 'Sager',
  key: '2',
  roles: [],
  async render(main) {
    const find = h('input', {
      id: 'cases-find',
      type: 'search',
      autocomplete: 'off',
      value: lastFind,
      placeholder: 'sagsnummer eller titel'
    });
    const status =
        h('select', {id: 'cases-status'}, h('option', {value: ''}, 'Alle'),
          h('option', {value: 'open'}, 'Åben'), h('option', {value: 'dormant'}, 'Hvilende'),
          h('option', {value: 'closed'}, 'Lukket'));
    const body = h('tbody');
    const count = h('p', {class: 'muted', 'aria-live': 'polite'});
    const prev = h('button', {type: 'button'}, 'Forrige');
    const next = h('button', {type: 'button'}, 'Næste');
    let offset = 0;
    let seq = 0;

    async function load() {
      const q = find.value.trim();
      if (CPR_LIKE.test(q)) {
        notify(
            'Find sag søger på sagsnummer eller titel, ikke CPR-nummer. Brug Søg (Alt+3).',
            'error');
        return;
      }
      lastFind = find.value;
      const mine = ++seq;
      const params = new URLSearchParams({limit: String(PAGE), offset: String(offset)});
      if (q) params.set('q', q);
      if (status.value) params.set('status', status.value);
      const data = await attempt(() => api('GET', '/api/cases?' + params));
      if (!data || mine !== seq) return;
      body.replaceChildren(...data.cases.map(
          c =>
              h('tr', {}, h('td', {}, h('a', {href: '#/sag/' + c.id}, c.reference)),
                h('td', {}, c.title,
                  c.restricted ? [' ', h('span', {class: 'badge warn'}, 'fortrolig')] : null),
                h('td', {}, statusBadge(c)), h('td', {}, c.system),
                h('td', {}, c.caseworker || ''))));
      if (data.cases.length === 0) {
        body.append(h('tr', {}, h('td', {colspan: 5, class: 'muted'}, 'Ingen sager fundet.')));
      }
      const last = offset + data.cases.length;
      count.textContent = data.total === 0 ? '' :
                                             data.total + (data.total === 1 ? ' sag' : ' sager') +
              (data.total > data.cases.length ? ', viser ' + (offset + 1) + '–' + last : '');
      prev.disabled = offset === 0;
      next.disabled = last >= data.total;
    }

    let timer = null;
    find.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        offset = 0;
        load();
      }, 250);
    });
    find.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter') {
        ev.preventDefault();
        clearTimeout(timer);
        offset = 0;
        load();
      }
    });
    status.addEventListener('change', () => {
      offset = 0;
      load();
    });
    prev.addEventListener('click', () => {
      offset = Math.max(0, offset - PAGE);
      load();
    });
    next.addEventListener('click', () => {
      offset += PAGE;
      load();
    });

    main.replaceChildren(
        h('h1', {}, 'Sager'),
        h('div', {class: 'row card'},
          h('div', {},
            h('label',
              {for: 'cases-find'
              },
              'Find sag'),
            find),
          h('div', {},
            h('label',
              {for: 'cases-status'
              },
              'Status'),
            status)),
        h('table', {'aria-label': 'Sager', class: 'cases-table'},
          h('thead', {},
            h('tr', {}, h('th', {}, 'Sagsnummer'), h('th', {}, 'Titel'), h('th', {}, 'Status'),
              h('th', {}, 'System'), h('th', {}, 'Sagsbehandler'))),
          body),
        h('div', {class: 'row pager'}, count, prev, next));
    find.focus();
    await load();
  },
});

shortcut(
    '/', 'Gå til feltet Find sag', () => document.getElementById('cases-find')?.focus(), 'sager');

// The re-filing form under a document row (caseworkers and managers, `station refile`).
function refileForm(doc, onDone) {
  const to = h('input', {id: 'refile-to-' + doc.id, autocomplete: 'off', required: true});
  const reason = h('input', {id: 'refile-reason-' + doc.id, required: true, size: 40});
  const form =
      h('form', {class: 'row refile', 'aria-label': 'Omjournalisér dokument ' + doc.doc_number},
        h('div', {},
          h('label',
            {for: to.id
            },
            'Til sag'),
          to),
        h('div', {},
          h('label',
            {for: reason.id
            },
            'Begrundelse'),
          reason),
        h('button', {class: 'primary', type: 'submit'}, 'Flyt'),
        h('button', {type: 'button', onclick: () => form.remove()}, 'Fortryd'));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const done = await attempt(
        () =>
            api('POST', '/api/documents/' + doc.id + '/refile',
                {to: to.value.trim(), reason: reason.value}));
    if (done) {
      notify(done.message);
      onDone();
    }
  });
  setTimeout(() => to.focus(), 0);
  return form;
}

const caseScreen = {
  title: 'Sag',
  nav: false,
  roles: [],
  async render(main, params) {
    const id = params[0] || '';
    if (!/^[1-9][0-9]*$/.test(id)) {
      main.replaceChildren(
          h('p', {class: 'error-text', role: 'alert'}, 'Ukendt sag.'),
          h('p', {}, h('a', {href: '#/sager'}, 'Til sagslisten')));
      return;
    }
    const c = await api('GET', '/api/cases/' + id);
    document.title = 'Sag ' + c.reference + ' · Modtagestation';
    const preview =
        h('section', {class: 'card pdf-preview', 'aria-label': 'Forhåndsvisning', hidden: true});
    const canRefile = hasRole('caseworker', 'manager');

    function showPreview(doc) {
      preview.hidden = false;
      preview.replaceChildren(
          h('h2', {}, 'Dokument ' + doc.doc_number + ': ' + doc.title),
          h('object',
            {type: 'application/pdf', data: doc.pdf_url, 'aria-label': 'PDF af ' + doc.title},
            h('p', {}, 'Browseren kan ikke vise PDF her. ',
              h('a', {href: doc.pdf_url, target: '_blank', rel: 'noopener'}, 'Åbn PDF'))),
          h('p', {},
            h('button', {
              type: 'button',
              onclick: () => {
                preview.hidden = true;
                preview.replaceChildren();
              }
            },
              'Luk visning')));
    }

    const rows = c.documents.map(d => {
      const row = h(
          'tr', {}, h('td', {}, String(d.doc_number)),
          h('td', {}, formatDate(d.received_date || d.journal_date)),
          h('td', {}, d.direction_danish || d.direction),
          h('td', {}, d.title, d.doc_type ? [' ', h('span', {class: 'badge'}, d.doc_type)] : null),
          h('td', {}, String(d.page_count)), h('td', {}, d.original ? d.original.description : ''),
          h('td', {class: 'doc-actions'},
            h('a', {
              href: d.pdf_url,
              target: '_blank',
              rel: 'noopener',
              'aria-label': 'PDF af dokument ' + d.doc_number
            },
              'PDF'),
            ' ',
            h('button', {
              type: 'button',
              onclick: () => showPreview(d),
              'aria-label': 'Vis dokument ' + d.doc_number
            },
              'Vis'),
            canRefile ?
                [
                  ' ',
                  h('button', {
                    type: 'button',
                    'aria-label': 'Omjournalisér dokument ' + d.doc_number,
                    onclick: (ev) => {
                      const cell = ev.target.closest('td');
                      if (!cell.querySelector('form')) {
                        cell.append(refileForm(d, () => caseScreen.render(main, params)));
                      }
                    }
                  },
                    'Omjournalisér')
                ] :
                null));
      return row;
    });
    if (rows.length === 0) {
      rows.push(h('tr', {}, h('td', {colspan: 7, class: 'muted'}, 'Ingen dokumenter på sagen.')));
    }

    const facts = [
      ['Titel', c.title],
      ['Status', statusBadge(c)],
      ['System', c.system],
      c.caseworker ? ['Sagsbehandler', c.caseworker] : null,
      c.unit ? ['Enhed', c.unit] : null,
      c.kle_subject ? ['KLE', c.kle_subject + (c.kle_facet ? ' ' + c.kle_facet : '')] : null,
      c.restricted ?
          ['Adgang', 'fortrolig' + (c.access_group ? ', gruppen ' + c.access_group : '')] :
          null,
    ].filter(Boolean);

    main.replaceChildren(
        h('p', {}, h('a', {href: '#/sager'}, '← Sager')), h('h1', {}, 'Sag ' + c.reference),
        h('div', {class: 'split'},
          h('section', {class: 'card', 'aria-label': 'Sagen'},
            h('dl', {class: 'facts'}, facts.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]))),
          h('section', {class: 'card', 'aria-label': 'Parter'}, h('h2', {}, 'Parter'),
            c.parties.length === 0 ?
                h('p', {class: 'muted'}, 'Ingen parter.') :
                h('ul', {},
                  c.parties.map(
                      p =>
                          h('li', {}, p.name, ' (', p.kind_danish || p.kind,
                            p.number_masked ? ', ' + p.number_masked : '', '), ', p.role))))),
        h('h2', {}, 'Dokumenter'),
        h('table', {'aria-label': 'Dokumenter', class: 'docs-table'},
          h('thead', {},
            h('tr', {}, h('th', {}, 'Nr.'), h('th', {}, 'Dato'), h('th', {}, 'Retning'),
              h('th', {}, 'Titel'), h('th', {}, 'Sider'), h('th', {}, 'Originalen'),
              h('th', {}, 'PDF'))),
          h('tbody', {}, rows)),
        preview,
        c.notes.length === 0 ?
            null :
            h('section', {class: 'card', 'aria-label': 'Noter'}, h('h2', {}, 'Noter'),
              h('ul', {},
                c.notes.map(
                    n =>
                        h('li', {},
                          h('span', {class: 'muted'}, formatDate(n.time) + ' · ' + n.actor + ': '),
                          n.text)))));
  },
};
registerScreen('sag', caseScreen);

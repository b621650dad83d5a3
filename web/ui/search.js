// The "Søg" screen (#/soeg): full-text search in the journal (POST /api/search, so search
// words that may be CPR numbers never appear in a URL), with filters by case, received date
// and document type, results with the matched words marked, and paging. The snippet comes as
// parts flagged hit or not; the marks are built as <mark> elements around text nodes.
import {api, attempt, formatDate, h, registerScreen, shortcut} from '/app.js';

const PAGE = 20;
// The last search, shown again when the screen is opened again.
let last = null;  // {query, case, from, to, doc_type, offset}

function snippet(parts) {
  return h(
      'p', {class: 'snippet'}, (parts || []).map(p => (p.hit ? h('mark', {}, p.text) : p.text)));
}

function hitItem(hit) {
  const meta = [];
  if (hit.case_reference) meta.push('Sag ' + hit.case_reference + ', dok. nr. ' + hit.doc_number);
  if (hit.received_date) meta.push('modtaget ' + formatDate(hit.received_date));
  return h(
      'li', {class: 'hit'},
      h('div', {class: 'hit-head'},
        hit.case_id ? h('a', {href: '#/sag/' + hit.case_id, class: 'hit-title'}, hit.title) :
                      h('span', {class: 'hit-title'}, hit.title),
        ' ',
        h('a', {
          href: hit.pdf_url,
          target: '_blank',
          rel: 'noopener',
          'aria-label': 'PDF af ' + hit.title
        },
          'PDF')),
      h('div', {class: 'muted hit-meta'}, meta.join(' · ')), snippet(hit.snippet_parts));
}

registerScreen('soeg', {
  title: 'Søg',
  key: '3',
  roles: [],
  async render(main) {
    const field = (id, label, attrs = {}) => {
      const input = h('input', Object.assign({id, autocomplete: 'off'}, attrs));
      return [
        input,
        h('div', {},
          h('label',
            {for: id
            },
            label),
          input)
      ];
    };
    const [words, wordsBox] = field(
        'search-q', 'Søgeord',
        {type: 'search', size: 36, placeholder: 'ord, "flere ord", ord*, -ord'});
    const [caseRef, caseBox] = field('search-case', 'Sag', {size: 18});
    const [from, fromBox] = field('search-from', 'Fra dato', {type: 'date'});
    const [to, toBox] = field('search-to', 'Til dato', {type: 'date'});
    const [docType, typeBox] =
        field('search-type', 'Dokumenttype', {size: 12, list: 'search-types'});
    const types =
        h('datalist', {id: 'search-types'},
          ['brev', 'ansøgning', 'klage', 'notat', 'afgørelse'].map(t => h('option', {value: t})));
    const summary = h('p', {class: 'muted', 'aria-live': 'polite'});
    const list = h('ul', {class: 'results', 'aria-label': 'Resultater'});
    const prev = h('button', {type: 'button', disabled: true}, 'Forrige');
    const next = h('button', {type: 'button', disabled: true}, 'Næste');
    const form =
        h('form', {class: 'card search-form', role: 'search', 'aria-label': 'Søg i dokumenter'},
          h('div', {class: 'row'}, wordsBox, caseBox, fromBox, toBox, typeBox, types,
            h('button', {class: 'primary', type: 'submit'}, 'Søg')));

    async function run(request) {
      const body = {query: request.query, limit: PAGE, offset: request.offset};
      for (const k of ['case', 'from', 'to', 'doc_type'])
        if (request[k]) body[k] = request[k];
      summary.textContent = 'Søger …';
      const data = await attempt(() => api('POST', '/api/search', body));
      if (!data) {
        summary.textContent = '';
        return;
      }
      last = request;
      list.replaceChildren(...data.hits.map(hitItem));
      const shown = data.hits.length;
      if (data.total === 0) {
        summary.textContent = 'Ingen dokumenter fundet.';
      } else {
        summary.textContent = (data.total_exact ? '' : 'mindst ') + data.total +
            (data.total === 1 ? ' dokument fundet' : ' dokumenter fundet') +
            (data.total > shown ?
                 ', viser ' + (request.offset + 1) + '–' + (request.offset + shown) :
                 '') +
            (data.total_exact ? '' : '. Indsnævr søgningen med flere ord, en sag eller datoer.');
      }
      prev.disabled = request.offset === 0;
      next.disabled = request.offset + shown >= data.total;
    }

    function fromForm() {
      return {
        query: words.value.trim(),
        case: caseRef.value.trim(),
        from: from.value,
        to: to.value,
        doc_type: docType.value.trim(),
        offset: 0
      };
    }

    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const request = fromForm();
      if (!request.query) {
        summary.textContent = 'Skriv et eller flere søgeord.';
        words.focus();
        return;
      }
      run(request);
    });
    prev.addEventListener('click', () => {
      if (last) run(Object.assign({}, last, {offset: Math.max(0, last.offset - PAGE)}));
    });
    next.addEventListener('click', () => {
      if (last) run(Object.assign({}, last, {offset: last.offset + PAGE}));
    });

    main.replaceChildren(
        h('h1', {}, 'Søg'), form,
        h('section', {'aria-label': 'Søgeresultater'}, summary, list,
          h('div', {class: 'row pager'}, prev, next)));
    if (last) {
      words.value = last.query;
      caseRef.value = last.case || '';
      from.value = last.from || '';
      to.value = last.to || '';
      docType.value = last.doc_type || '';
      await run(last);
    }
    words.focus();
  },
});

shortcut('/', 'Gå til søgefeltet', () => {
  const field = document.getElementById('search-q');
  if (field) {
    field.focus();
    field.select();
  }
}, 'soeg');

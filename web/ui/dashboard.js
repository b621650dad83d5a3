// The manager's dashboard ("Ledelse", #/leder): batches waiting by working days since their
// received date (late ones marked), title-quality findings on journalised documents,
// re-filings and documents journalised per operator, each a table with a bar chart beside
// it (inline SVG). Figures from GET /api/dashboard?dage=N.
import {api, formatDate, h, registerScreen, shortcut} from '/app.js';

const SVG = 'http://www.w3.org/2000/svg';
let period = 30;  // days; kept while the screen is revisited

function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  for (const c of children) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

// A horizontal bar chart of rows {label, value, late}; `label` names it for screen readers.
function barChart(label, rows) {
  const width = 340, labelWidth = 130, valueWidth = 40, bar = 16, gap = 6;
  const max = Math.max(1, ...rows.map(r => r.value));
  const height = Math.max(1, rows.length) * (bar + gap) + gap;
  const chart = svg('svg', {
    class: 'dash-chart',
    role: 'img',
    'aria-label': label,
    width,
    height,
    viewBox: `0 0 ${width} ${height}`
  });
  chart.append(svg('title', {}, label));
  if (rows.length === 0) {
    chart.append(svg('text', {x: 0, y: 16, class: 'dash-chart-empty'}, 'Ingen data'));
    return chart;
  }
  const room = width - labelWidth - valueWidth;
  rows.forEach((r, i) => {
    const y = gap + i * (bar + gap);
    const w = Math.max(r.value > 0 ? 2 : 0, Math.round(room * r.value / max));
    const name = r.label.length > 18 ? r.label.slice(0, 17) + '…' : r.label;
    chart.append(
        svg('text', {x: 0, y: y + bar - 4, class: 'dash-chart-label'}, name), svg('rect', {
          x: labelWidth,
          y,
          width: w,
          height: bar,
          class: r.late ? 'dash-bar late' : 'dash-bar'
        }),
        svg('text', {x: labelWidth + w + 4, y: y + bar - 4, class: 'dash-chart-value'},
            String(r.value)));
  });
  return chart;
}

function table(caption, headings, rows) {
  return h(
      'table', {class: 'dash-table'}, h('caption', {}, caption),
      h('thead', {}, h('tr', {}, headings.map(t => h('th', {scope: 'col'}, t)))),
      h('tbody', {},
        rows.length ?
            rows :
            h('tr', {}, h('td', {colspan: headings.length, class: 'muted'}, 'Intet i perioden'))));
}

function section(heading, summary, tableEl, chart) {
  return h(
      'section', {class: 'card dash-section', 'aria-label': heading}, h('h2', {}, heading),
      summary ? h('p', {class: 'muted'}, summary) : null,
      h('div', {class: 'dash-row'}, h('div', {class: 'dash-table-box'}, tableEl),
        h('div', {class: 'dash-chart-box'}, chart)));
}

function ageText(days) {
  return days === 1 ? '1 arbejdsdag' : days + ' arbejdsdage';
}

function waitingSection(w) {
  const rows = w.by_age.map(
      a =>
          h('tr', {class: a.late ? 'dash-late' : null}, h('td', {}, ageText(a.working_days)),
            h('td', {}, a.batches), h('td', {}, a.documents), h('td', {}, a.pages),
            h('td', {},
              a.late ? h('span', {class: 'badge bad'}, 'For sent') :
                       h('span', {class: 'badge ok'}, 'Til tiden'))));
  const summary = w.batches === 0 ?
      'Ingen batches venter på journalisering.' :
      `${w.batches} batches med ${w.documents} dokumenter venter; ${w.late_batches} har ventet ` +
          `mere end ${ageText(w.max_working_days)} (${w.late_documents} dokumenter).`;
  const s = section(
      'Venter efter alder', summary,
      table('Venter efter alder', ['Ventetid', 'Batches', 'Dokumenter', 'Sider', 'Status'], rows),
      barChart(
          'Batches efter ventetid i arbejdsdage',
          w.by_age.map(a => ({label: ageText(a.working_days), value: a.batches, late: a.late}))));
  if (w.late.length) {
    s.append(table(
        'Forsinkede batches', ['Batch', 'Modtaget', 'Ventetid', 'Dokumenter'],
        w.late.map(
            b =>
                h('tr', {class: 'dash-late'},
                  h('td', {},
                    h('a', {href: '#/postrum/' + encodeURIComponent(b.batch)}, b.name || b.batch)),
                  h('td', {}, formatDate(b.received_date)), h('td', {}, ageText(b.working_days)),
                  h('td', {}, b.documents_open < 0 ? 'ikke foreslået' : b.documents_open)))));
  }
  return s;
}

function titlesSection(t) {
  const rows = t.findings.map(
      f =>
          h('tr', {}, h('td', {}, f.label), h('td', {}, f.documents),
            h('td', {},
              h('ul', {class: 'dash-examples'},
                f.examples.map(
                    e => h('li', {}, `${e.case} nr. ${e.number}: `, h('q', {}, e.title)))))));
  const summary = `${t.flagged} af ${t.checked} journaliserede dokumenter i perioden har ` +
      'titelfund.';
  return section(
      'Titelkvalitet', summary, table('Titelkvalitet', ['Fund', 'Dokumenter', 'Eksempler'], rows),
      barChart(
          'Dokumenter pr. titelfund', t.findings.map(f => ({label: f.label, value: f.documents}))));
}

function refilingsSection(m) {
  const rows = m.latest.map(
      r =>
          h('tr', {}, h('td', {}, formatDate(r.time)),
            h('td', {}, `${r.from_case} nr. ${r.from_number}`),
            h('td', {}, `${r.to_case} nr. ${r.to_number}`), h('td', {}, r.reason),
            h('td', {}, r.actor)));
  return section(
      'Omjournaliseringer', `${m.count} omjournaliseringer i perioden; de seneste vises.`,
      table('Omjournaliseringer', ['Dato', 'Fra', 'Til', 'Begrundelse', 'Af'], rows),
      barChart(
          'Omjournaliseringer pr. bruger',
          m.by_actor.map(a => ({label: a.actor, value: a.count}))));
}

function throughputSection(p) {
  const days = p.days.length;
  const rows = p.operators.map(
      o =>
          h('tr', {}, h('td', {}, o.actor), h('td', {}, o.total),
            h('td', {}, (o.total / days).toLocaleString('da-DK', {maximumFractionDigits: 1})),
            h('td', {}, o.per_day[days - 1])));
  return section(
      'Gennemløb pr. operatør',
      `${p.total} dokumenter journaliseret de seneste ${days} dage (fra ${formatDate(p.days[0])}).`,
      table('Gennemløb pr. operatør', ['Operatør', 'I alt', 'Gns. pr. dag', 'I dag'], rows),
      barChart(
          'Journaliserede dokumenter pr. operatør',
          p.operators.map(o => ({label: o.actor, value: o.total}))));
}

async function render(main) {
  const select =
      h('select', {id: 'dash-period'},
        [7, 30, 90, 365].map(d => h('option', {value: d, selected: d === period}, d + ' dage')));
  select.addEventListener('change', () => {
    period = Number(select.value);
    render(main);
  });
  const reload = h('button', {type: 'button', onclick: () => render(main)}, 'Opdatér');
  const head =
      h('div', {class: 'row dash-head'}, h('h1', {}, 'Ledelse'), h('div', {}, h('label', {for: 'dash-period'
                                                                   }, 'Periode'), select), reload);
  const f = await api('GET', '/api/dashboard?dage=' + period);
  main.replaceChildren(
      head,
      h('p', {class: 'muted'},
        `Opgjort ${formatDate(f.today)}; titler, omjournaliseringer og ` +
            `gennemløb for perioden fra ${formatDate(f.from)}.`),
      waitingSection(f.waiting), titlesSection(f.titles), refilingsSection(f.refilings),
      throughputSection(f.throughput));
}

shortcut('r', 'Opdatér overblikket', () => render(document.getElementById('main')), 'leder');

registerScreen('leder', {
  title: 'Ledelse',
  key: '5',
  roles: ['manager'],
  render,
});

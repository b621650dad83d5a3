// The "Arkiv" screen (#/arkiv): the archive of paper originals (web/api_archive.cc). The
// location tree (role=tree, arrow keys and Enter), the selected location's contents with
// its label and contents list as PDF, and the archivist's tools: place an original (also
// the post room's), where is it, move, lend, return, overdue loans, originals waiting for a
// box, new locations and boxes. Labels and roles as web/UI-CONTRACT.md says.
import {api, attempt, formatDate, h, hasRole, notify, registerScreen, shortcut} from '/app.js';

let view = null;  // the shown screen's elements and state; null when another screen shows

const enc = encodeURIComponent;

// A labelled field: returns [label, input].
function field(id, text, attrs = {}) {
  const input = h('input', Object.assign({id, name: id, autocomplete: 'off'}, attrs));
  return [
    h('label',
      {for: id
      },
      text),
    input
  ];
}

function wrap(...children) {
  return h('div', {}, ...children);
}

// A form with a heading; `onSubmit` runs on the button or Enter.
function section(title, id, body, button, onSubmit) {
  const form =
      h('form', {class: 'card archive-form', 'aria-labelledby': id}, h('h2', {id}, title),
        h('div', {class: 'row'}, ...body),
        h('p', {}, h('button', {class: 'primary', type: 'submit'}, button)));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    onSubmit();
  });
  return form;
}

function openPdf(path) {
  window.open(path, '_blank', 'noopener');
}

function isBox(loc) {
  return loc.kind === 'box' || loc.kind === 'folder';
}

// ---- the tree ----

// Builds the tree's items; every item knows its node, parent and child group.
function renderTree(locations) {
  const tree = h('ul', {role: 'tree', 'aria-label': 'Steder og kasser', class: 'archive-tree'});
  const items = [];
  const add = (list, parentEl, level, parentItem) => {
    for (const loc of list) {
      const hasChildren = loc.children && loc.children.length > 0;
      const count = loc.originals === null || loc.originals === undefined ?
          '' :
          ' · ' + loc.originals + (loc.originals === 1 ? ' original' : ' originaler');
      const flags = (loc.loan ? ' · udlånt' : '') + (loc.transferred ? ' · afleveret' : '');
      const li =
          h('li', {
            role: 'treeitem',
            'aria-level': level,
            'aria-selected': 'false',
            'aria-expanded': hasChildren ? (level <= 2 ? 'true' : 'false') : null,
            tabindex: '-1',
            dataset: {code: loc.barcode}
          },
            h('span', {class: 'archive-node'}, h('span', {class: 'archive-name'}, loc.name),
              h('span', {class: 'muted'},
                ' (' + loc.kind_danish + ', ' + loc.barcode + ')' + count + flags)));
      const item = {li, loc, parent: parentItem, group: null};
      items.push(item);
      li.addEventListener('click', (ev) => {
        ev.stopPropagation();
        focusItem(item);
        if (hasChildren && ev.target.closest('.archive-node') === li.firstChild &&
            item === view.selected) {
          toggle(item);
        }
        select(item);
      });
      parentEl.append(li);
      if (hasChildren) {
        item.group = h('ul', {role: 'group'});
        li.append(item.group);
        add(loc.children, item.group, level + 1, item);
      }
    }
  };
  add(locations, tree, 1, null);
  tree.addEventListener('keydown', (ev) => treeKey(ev, items));
  if (items.length > 0) items[0].li.tabIndex = 0;
  return {tree, items};
}

function visible(items) {
  return items.filter((it) => {
    for (let p = it.parent; p; p = p.parent) {
      if (p.li.getAttribute('aria-expanded') !== 'true') return false;
    }
    return true;
  });
}

function focusItem(item) {
  for (const it of view.items) it.li.tabIndex = -1;
  item.li.tabIndex = 0;
  item.li.focus();
}

function toggle(item, open) {
  if (!item.group) return;
  const now = item.li.getAttribute('aria-expanded') === 'true';
  item.li.setAttribute('aria-expanded', String(open === undefined ? !now : open));
}

function treeKey(ev, items) {
  const shown = visible(items);
  const current = shown.find((it) => it.li === document.activeElement) ||
      items.find((it) => it.li.contains(document.activeElement));
  if (!current) return;
  const i = shown.indexOf(current);
  let handled = true;
  switch (ev.key) {
    case 'ArrowDown':
      if (i + 1 < shown.length) focusItem(shown[i + 1]);
      break;
    case 'ArrowUp':
      if (i > 0) focusItem(shown[i - 1]);
      break;
    case 'ArrowRight':
      if (current.group) {
        if (current.li.getAttribute('aria-expanded') !== 'true')
          toggle(current, true);
        else
          focusItem(items.find((it) => it.parent === current));
      }
      break;
    case 'ArrowLeft':
      if (current.group && current.li.getAttribute('aria-expanded') === 'true')
        toggle(current, false);
      else if (current.parent)
        focusItem(current.parent);
      break;
    case 'Home':
      focusItem(shown[0]);
      break;
    case 'End':
      focusItem(shown[shown.length - 1]);
      break;
    case 'Enter':
    case ' ':
      select(current);
      break;
    default:
      handled = false;
  }
  if (handled) {
    ev.preventDefault();
    ev.stopPropagation();
  }
}

async function select(item) {
  for (const it of view.items) it.li.setAttribute('aria-selected', String(it === item));
  view.selected = item;
  view.selectedCode = item.loc.barcode;
  await showLocation(item.loc.barcode);
}

// ---- the selected location ----

async function showLocation(code) {
  const panel = view.detail;
  const loc = await attempt(() => api('GET', '/api/archive/locations/' + enc(code)));
  if (!loc) return;
  const kids = [
    h('h2', {id: 'archive-detail-title'},
      loc.name + ' (' + loc.kind_danish + ', ' + loc.barcode + ')'),
    h('p', {}, loc.path_text),
  ];
  if (loc.loan) {
    kids.push(h(
        'p', {class: 'warn'},
        'Udlånt til ' + loc.loan.borrower + ', afleveres senest ' + formatDate(loc.loan.due_date)));
  }
  if (loc.transferred) kids.push(h('p', {class: 'muted'}, 'Afleveret til stadsarkivet.'));
  const buttons =
      [h('button', {
        type: 'button',
        onclick: () => openPdf('/api/archive/locations/' + enc(loc.barcode) + '/label.pdf')
      },
         'Etiket (PDF)')];
  if (isBox(loc)) {
    buttons.push(
        h('button', {
          type: 'button',
          onclick: () => openPdf('/api/archive/boxes/' + enc(loc.barcode) + '/contents.pdf')
        },
          'Indholdsliste (PDF)'));
  }
  kids.push(h('p', {class: 'row'}, ...buttons));
  if (isBox(loc) || loc.originals > 0) {
    const contents =
        await attempt(() => api('GET', '/api/archive/boxes/' + enc(code) + '/contents'));
    if (contents) kids.push(contentsTable(contents.originals));
  }
  if (loc.recent_events && loc.recent_events.length) {
    kids.push(
        h('h3', {}, 'Seneste hændelser'),
        h('ul', {class: 'archive-events'}, loc.recent_events.map((e) => h('li', {}, e.summary))));
  }
  panel.replaceChildren(...kids);
  if (hasRole('archivist', 'post_room') && isBox(loc)) view.placeBox.value = loc.barcode;
  if (hasRole('archivist')) view.moveSubject.value = loc.barcode;
}

function contentsTable(originals) {
  if (!originals.length) return h('p', {class: 'muted'}, 'Ingen originaler i kassen.');
  return h(
      'table', {'aria-label': 'Indhold'},
      h('thead', {},
        h('tr', {}, h('th', {}, 'Sag'), h('th', {}, 'Nr.'), h('th', {}, 'Dokument'),
          h('th', {}, 'Titel'), h('th', {}, 'Modtaget'), h('th', {}, 'Udlån'))),
      h('tbody', {},
        originals.map(
            (o) =>
                h('tr', {}, h('td', {}, o.case_system + ' ' + o.case_reference),
                  h('td', {}, String(o.doc_number)), h('td', {}, String(o.document_id)),
                  h('td', {}, o.title), h('td', {}, formatDate(o.received_date)),
                  h('td', {},
                    o.loan ? o.loan.borrower + ' til ' + formatDate(o.loan.due_date) : '')))));
}

// ---- lists ----

function loansTable(label, loans, canReturn) {
  if (!loans.length) return h('p', {class: 'muted'}, 'Ingen.');
  return h(
      'table', {'aria-label': label},
      h('thead', {},
        h('tr', {}, h('th', {}, 'Udlånt'), h('th', {}, 'Låner'), h('th', {}, 'Afleveres senest'),
          h('th', {}, 'Dage over tid'), h('th', {}, 'Udlånt af'),
          canReturn ? h('th', {}, '') : null)),
      h('tbody', {},
        loans.map(
            (l) => h(
                'tr', {}, h('td', {}, l.subject), h('td', {}, l.borrower),
                h('td', {}, formatDate(l.due_date)),
                h('td', {class: l.overdue_days > 0 ? 'bad' : ''}, String(l.overdue_days)),
                h('td', {}, l.actor),
                canReturn ? h('td', {},
                              h('button', {
                                type: 'button',
                                'aria-label': 'Registrér returnering af ' + l.subject,
                                onclick: () => doReturn(
                                    l.document_id !== null ? String(l.document_id) : codeOfLoan(l))
                              },
                                'Tilbage')) :
                            null))));
}

// A box's loan names it "kasse CODE"; the code is the subject's last word.
function codeOfLoan(loan) {
  const words = loan.subject.split(' ');
  return words[words.length - 1];
}

function unplacedTable(originals) {
  if (!originals.length) return h('p', {class: 'muted'}, 'Ingen originaler venter på placering.');
  const canPlace = hasRole('archivist', 'post_room');
  return h(
      'table', {'aria-label': 'Ikke placeret'},
      h('thead', {},
        h('tr', {}, h('th', {}, 'Dokument'), h('th', {}, 'Sag'), h('th', {}, 'Titel'),
          h('th', {}, 'Modtaget'), canPlace ? h('th', {}, '') : null)),
      h('tbody', {},
        originals.map(
            (o) =>
                h('tr', {}, h('td', {}, String(o.document_id)),
                  h('td', {}, o.case_system + ' ' + o.case_reference + ' nr. ' + o.doc_number),
                  h('td', {}, o.title), h('td', {}, formatDate(o.received_date)),
                  canPlace ? h('td', {},
                               h('button', {
                                 type: 'button',
                                 'aria-label': 'Vælg dokument ' + o.document_id + ' til placering',
                                 onclick: () => {
                                   view.placeDoc.value = String(o.document_id);
                                   view.placeBox.focus();
                                 }
                               },
                                 'Vælg')) :
                             null))));
}

async function refresh() {
  if (!view) return;
  const [tree, overdue, unplaced, loans] = await Promise.all([
    attempt(() => api('GET', '/api/archive/locations')),
    attempt(() => api('GET', '/api/archive/overdue')),
    attempt(() => api('GET', '/api/archive/unplaced')),
    attempt(() => api('GET', '/api/archive/loans')),
  ]);
  if (!view) return;
  if (tree) {
    const open = new Set(view.items.filter((it) => it.li.getAttribute('aria-expanded') === 'true')
                             .map((it) => it.loc.barcode));
    const built = renderTree(tree.locations);
    if (view.items.length) {
      for (const it of built.items) {
        if (it.group) toggle(it, open.has(it.loc.barcode));
      }
    }
    view.items = built.items;
    view.treeBox.replaceChildren(
        tree.locations.length ?
            built.tree :
            h('p', {class: 'muted'}, 'Ingen steder eller kasser i arkivet endnu.'));
    const again = view.items.find((it) => it.loc.barcode === view.selectedCode);
    if (again) {
      again.li.setAttribute('aria-selected', 'true');
      view.selected = again;
      await showLocation(again.loc.barcode);
    }
  }
  const canReturn = hasRole('archivist');
  if (overdue)
    view.overdueBox.replaceChildren(loansTable('Udlån over tid', overdue.loans, canReturn));
  if (loans) view.loansBox.replaceChildren(loansTable('Alle udlån', loans, canReturn));
  if (unplaced) view.unplacedBox.replaceChildren(unplacedTable(unplaced));
}

// ---- actions ----

async function doPlace() {
  const doc = view.placeDoc.value.trim();
  const box = view.placeBox.value.trim();
  if (!doc || !box) {
    notify('Skriv dokumentets nummer og scan kassens stregkode.', 'error');
    (doc ? view.placeBox : view.placeDoc).focus();
    return;
  }
  const r = await attempt(() => api('POST', '/api/archive/place', {document: doc, box}));
  if (!r) return;
  notify(r.message);
  view.placeDoc.value = '';
  view.placeDoc.focus();
  await refresh();
}

async function doWhere() {
  const subject = view.whereInput.value.trim();
  if (!subject) {
    view.whereAnswer.replaceChildren('Skriv et dokumentnummer eller scan en stregkode.');
    return;
  }
  try {
    const r = await api('GET', '/api/archive/where/' + enc(subject));
    const kids = [h('strong', {}, r.text)];
    if (r.label) kids.push(h('div', {class: 'muted'}, r.label));
    if (r.loan) {
      kids.push(
          h('div', {},
            'Udlånt til ' + r.loan.borrower + ', afleveres senest ' + formatDate(r.loan.due_date)));
    }
    view.whereAnswer.replaceChildren(...kids);
  } catch (e) {
    view.whereAnswer.replaceChildren(h('span', {class: 'bad'}, e.message || String(e)));
  }
}

async function doMove() {
  const subject = view.moveSubject.value.trim();
  const to = view.moveTo.value.trim();
  const r = await attempt(() => api('POST', '/api/archive/move', {subject, to}));
  if (!r) return;
  notify(r.message);
  view.moveTo.value = '';
  await refresh();
}

async function doLend() {
  const body = {
    subject: view.lendSubject.value.trim(),
    borrower: view.lendBorrower.value.trim(),
    due: view.lendDue.value,
  };
  const r = await attempt(() => api('POST', '/api/archive/lend', body));
  if (!r) return;
  notify(r.message);
  view.lendSubject.value = '';
  view.lendBorrower.value = '';
  await refresh();
}

async function doReturn(subject) {
  const s = (subject !== undefined ? subject : view.returnSubject.value).trim();
  const r = await attempt(() => api('POST', '/api/archive/return', {subject: s}));
  if (!r) return;
  notify(r.message);
  view.returnSubject.value = '';
  await refresh();
}

async function doCreate() {
  const kind = view.newKind.value;
  const body = {
    name: view.newName.value.trim(),
    barcode: view.newCode.value.trim() || null,
    in: view.newIn.value.trim() || null,
  };
  let r;
  if (kind === 'kasse') {
    r = await attempt(() => api('POST', '/api/archive/boxes', body));
    if (!r) return;
    notify('Kasse oprettet: ' + r.map((b) => b.barcode).join(', '));
    openPdf('/api/archive/boxes/' + enc(r[0].barcode) + '/label.pdf');
  } else {
    r = await attempt(() => api('POST', '/api/archive/locations', Object.assign({kind}, body)));
    if (!r) return;
    notify('Oprettet: ' + r.name + ' (' + r.barcode + ')');
  }
  view.newName.value = '';
  view.newCode.value = '';
  await refresh();
}

// ---- the screen ----

function render(main) {
  const mayPlace = hasRole('archivist', 'post_room');
  const archivist = hasRole('archivist');
  view = {items: [], selected: null, selectedCode: view ? view.selectedCode : null};

  view.treeBox = h('div', {class: 'archive-tree-box'}, h('p', {class: 'muted'}, 'Henter …'));
  view.detail =
      h('section', {class: 'card', 'aria-labelledby': 'archive-detail-title'},
        h('h2', {id: 'archive-detail-title'}, 'Valgt sted'),
        h('p', {class: 'muted'}, 'Vælg et sted eller en kasse i træet (piletaster og Enter).'));

  // Hvor er
  const [whereLabel, whereInput] =
      field('archive-where', 'Dokument eller stregkode', {inputmode: 'text'});
  view.whereInput = whereInput;
  view.whereAnswer = h('div', {role: 'status', 'aria-label': 'Placering', class: 'archive-answer'});
  const whereForm =
      section('Hvor er', 'archive-where-title', [wrap(whereLabel, whereInput)], 'Find', doWhere);
  whereForm.append(view.whereAnswer);

  const forms = [whereForm];

  // Placér original
  if (mayPlace) {
    const [docLabel, docInput] = field('archive-place-doc', 'Dokument', {inputmode: 'numeric'});
    const [boxLabel, boxInput] = field('archive-place-box', 'Kasse');
    view.placeDoc = docInput;
    view.placeBox = boxInput;
    // A hand scanner types the box's code and Enter; Enter in "Dokument" goes on to "Kasse".
    docInput.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter' && !boxInput.value.trim()) {
        ev.preventDefault();
        boxInput.focus();
      }
    });
    forms.unshift(section(
        'Placér original', 'archive-place-title',
        [wrap(docLabel, docInput), wrap(boxLabel, boxInput)], 'Placér', doPlace));
  } else {
    view.placeDoc = h('input');
    view.placeBox = h('input');
  }

  if (archivist) {
    const [mvLabel, mvInput] =
        field('archive-move-subject', 'Flyttes', {placeholder: 'kassens eller stedets stregkode'});
    const [toLabel, toInput] = field('archive-move-to', 'Flyt til');
    view.moveSubject = mvInput;
    view.moveTo = toInput;
    forms.push(section(
        'Flyt kasse', 'archive-move-title', [wrap(mvLabel, mvInput), wrap(toLabel, toInput)],
        'Flyt', doMove));

    const [lsLabel, lsInput] =
        field('archive-lend-subject', 'Udlånes', {placeholder: 'dokumentnummer eller stregkode'});
    const [lbLabel, lbInput] = field('archive-lend-borrower', 'Låner');
    const [ldLabel, ldInput] = field('archive-lend-due', 'Afleveres senest', {type: 'date'});
    view.lendSubject = lsInput;
    view.lendBorrower = lbInput;
    view.lendDue = ldInput;
    forms.push(section(
        'Udlån', 'archive-lend-title',
        [wrap(lsLabel, lsInput), wrap(lbLabel, lbInput), wrap(ldLabel, ldInput)], 'Lån ud',
        doLend));

    const [rsLabel, rsInput] = field(
        'archive-return-subject', 'Returneres', {placeholder: 'dokumentnummer eller stregkode'});
    view.returnSubject = rsInput;
    forms.push(section(
        'Aflevering', 'archive-return-title', [wrap(rsLabel, rsInput)], 'Returnér',
        () => doReturn()));

    const kindLabel = h('label', {for: 'archive-new-kind'
    }, 'Slags');
    view.newKind = h('select', {id: 'archive-new-kind'}, [
      ['kasse', 'Kasse'], ['sted', 'Sted'], ['bygning', 'Bygning'], ['rum', 'Rum'],
      ['reol', 'Reol'], ['hylde', 'Hylde'], ['mappe', 'Mappe'], ['fjernarkiv', 'Fjernarkiv'],
      ['stadsarkiv', 'Stadsarkiv']
    ].map(([v, t]) => h('option', {value: v}, t)));
    const [nLabel, nInput] = field('archive-new-name', 'Navn');
    const [cLabel, cInput] = field('archive-new-code', 'Stregkode (valgfri)');
    const [iLabel, iInput] = field('archive-new-in', 'Står i');
    view.newName = nInput;
    view.newCode = cInput;
    view.newIn = iInput;
    forms.push(section(
        'Nyt sted eller ny kasse', 'archive-new-title',
        [
          wrap(kindLabel, view.newKind), wrap(nLabel, nInput), wrap(cLabel, cInput),
          wrap(iLabel, iInput)
        ],
        'Opret', doCreate));
  } else {
    view.moveSubject = h('input');
  }

  view.overdueBox = h('div', {});
  view.loansBox = h('div', {});
  view.unplacedBox = h('div', {});

  main.replaceChildren(
      h('h1', {}, 'Arkiv'),
      h('div', {class: 'split archive'},
        h('div', {},
          h('section', {class: 'card', 'aria-labelledby': 'archive-tree-title'},
            h('h2', {id: 'archive-tree-title'}, 'Steder og kasser'), view.treeBox),
          view.detail,
          h('section', {class: 'card', 'aria-labelledby': 'archive-overdue-title'},
            h('h2', {id: 'archive-overdue-title'}, 'Udlån over tid'), view.overdueBox),
          h('section', {class: 'card', 'aria-labelledby': 'archive-unplaced-title'},
            h('h2', {id: 'archive-unplaced-title'}, 'Originaler der venter på en kasse'),
            view.unplacedBox)),
        h('div', {}, ...forms)),
      h('section', {class: 'card', 'aria-labelledby': 'archive-loans-title'},
        h('h2', {id: 'archive-loans-title'}, 'Alle udlån'), view.loansBox));
  window.addEventListener('hashchange', () => {
    if (!location.hash.startsWith('#/arkiv')) view = null;
  }, {once: true});
  return refresh();
}

shortcut('Alt+p', 'Placér original: gå til feltet Dokument', () => {
  if (view && view.placeDoc.isConnected) view.placeDoc.focus();
}, 'arkiv', true);
shortcut('Alt+w', 'Hvor er: gå til feltet Dokument eller stregkode', () => {
  if (view) view.whereInput.focus();
}, 'arkiv', true);
shortcut('Alt+t', 'Gå til træet over steder og kasser', () => {
  if (view && view.items.length) focusItem(view.selected || view.items[0]);
}, 'arkiv', true);

registerScreen('arkiv', {
  title: 'Arkiv',
  key: '4',
  roles: [],
  render,
});

#include "storage/schema.h"

#include "base/log.h"
#include "storage/search.h"

namespace intake::storage {
namespace {

// Version 1: the journal's records.
constexpr const char kVersion1[] = R"sql(
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE cases (
  id             INTEGER PRIMARY KEY,
  system         TEXT NOT NULL,            -- the ESDH system, e.g. 'SBSYS'
  reference      TEXT NOT NULL,            -- as the ESDH writes it
  reference_norm TEXT NOT NULL,            -- normalised for lookups (case_ref.h)
  title          TEXT NOT NULL,
  status         TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'dormant', 'closed')),
  kle_subject    TEXT,                     -- 'NN.NN.NN'
  kle_facet      TEXT,                     -- 'G01'
  caseworker     TEXT,
  unit           TEXT,
  restricted     INTEGER NOT NULL DEFAULT 0 CHECK (restricted IN (0, 1)),
  access_group   TEXT,                     -- who may see a restricted case
  created        TEXT NOT NULL,            -- ISO 8601 UTC
  UNIQUE (system, reference_norm)
);
CREATE INDEX cases_by_reference ON cases (reference_norm);

CREATE TABLE parties (
  id        INTEGER PRIMARY KEY,
  kind      TEXT NOT NULL CHECK (kind IN ('person', 'company')),
  name      TEXT NOT NULL,
  id_hmac   TEXT UNIQUE,                   -- keyed HMAC-SHA256 of the CPR/CVR number (hex)
  id_sealed BLOB,                          -- the number, encrypted (libsodium secretbox)
  created   TEXT NOT NULL
);

CREATE TABLE case_parties (
  case_id  INTEGER NOT NULL REFERENCES cases (id),
  party_id INTEGER NOT NULL REFERENCES parties (id),
  role     TEXT NOT NULL,                  -- 'part', 'ansøger', 'klager', 'værge' ...
  PRIMARY KEY (case_id, party_id, role)
);
CREATE INDEX case_parties_by_party ON case_parties (party_id);

CREATE TABLE batches (
  id            TEXT PRIMARY KEY,          -- the spool's batch id
  name          TEXT,
  channel       TEXT NOT NULL,             -- 'scanner', 'folder', 'import', 'post', ...
  operator      TEXT NOT NULL,
  received_date TEXT NOT NULL,             -- YYYY-MM-DD, the post-opening date; immutable
  created       TEXT NOT NULL
);
CREATE TRIGGER batches_received_date_is_immutable
  BEFORE UPDATE OF received_date ON batches
  WHEN NEW.received_date IS NOT OLD.received_date
BEGIN
  SELECT RAISE(ABORT, 'modtagelsesdatoen kan ikke ændres');
END;

CREATE TABLE documents (
  id              INTEGER PRIMARY KEY,
  case_id         INTEGER REFERENCES cases (id),
  doc_number      INTEGER,                 -- running number on the case, set when journalised
  title           TEXT NOT NULL,
  description     TEXT,
  direction       TEXT NOT NULL CHECK (direction IN ('in', 'out', 'internal')),
  doc_type        TEXT,
  letter_date     TEXT,                    -- YYYY-MM-DD
  received_date   TEXT,                    -- YYYY-MM-DD, from the batch
  journal_date    TEXT,                    -- ISO 8601 UTC, set when journalised
  state           TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'journalised')),
  batch_id        TEXT REFERENCES batches (id),
  page_count      INTEGER NOT NULL DEFAULT 0,
  pdf_sha256      TEXT,                    -- the stored PDF/A in the file store
  idempotency_key TEXT UNIQUE,             -- the same pages journalised twice are one document
  created         TEXT NOT NULL,
  UNIQUE (case_id, doc_number),
  CHECK (state = 'draft' OR (case_id IS NOT NULL AND doc_number IS NOT NULL
                             AND journal_date IS NOT NULL))
);
CREATE INDEX documents_by_case ON documents (case_id, doc_number);
CREATE INDEX documents_by_received ON documents (received_date);
CREATE INDEX documents_by_sha ON documents (pdf_sha256);

CREATE TABLE pages (
  document_id INTEGER NOT NULL REFERENCES documents (id),
  page_no     INTEGER NOT NULL,
  batch_seq   INTEGER,                     -- the page in its spool batch
  blank       INTEGER NOT NULL DEFAULT 0,
  orientation INTEGER NOT NULL DEFAULT 0,
  skew        REAL NOT NULL DEFAULT 0,
  confidence  REAL,
  analysis    TEXT,                        -- the page analysis JSON
  PRIMARY KEY (document_id, page_no)
);

CREATE TABLE document_text (
  document_id INTEGER PRIMARY KEY REFERENCES documents (id),
  ocr_text    TEXT NOT NULL
);

CREATE TABLE files (
  sha256  TEXT PRIMARY KEY,                -- the name in the content-addressed store
  size    INTEGER NOT NULL,
  kind    TEXT NOT NULL,                   -- 'pdf'
  created TEXT NOT NULL
);

CREATE TABLE audit_log (
  id        INTEGER PRIMARY KEY,
  time      TEXT NOT NULL,
  actor     TEXT NOT NULL,
  action    TEXT NOT NULL,
  entity    TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  before    TEXT,                          -- JSON, or NULL for a creation
  after     TEXT,                          -- JSON, or NULL for a removal
  prev_hash TEXT NOT NULL,
  hash      TEXT NOT NULL
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'revisionsloggen kan ikke ændres');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'revisionsloggen kan ikke slettes');
END;
)sql";

// Version 2: full-text search over titles, descriptions and OCR text (SQLite FTS5).
// Danish letters are kept as they are (no diacritics folding: 'ø' is not 'o'); prefix
// indexes make 'bolig*' quick. The index is external-content over search_content, which
// triggers keep in step with documents and document_text.
constexpr const char kVersion2[] = R"sql(
CREATE TABLE search_content (
  rowid       INTEGER PRIMARY KEY,         -- documents.id
  title       TEXT NOT NULL,
  description TEXT,
  ocr_text    TEXT
);
CREATE VIRTUAL TABLE documents_fts USING fts5(
  title, description, ocr_text,
  content = 'search_content', content_rowid = 'rowid',
  tokenize = 'unicode61 remove_diacritics 0',
  prefix = '2 3 4'
);
CREATE TRIGGER search_content_ai AFTER INSERT ON search_content BEGIN
  INSERT INTO documents_fts (rowid, title, description, ocr_text)
  VALUES (new.rowid, new.title, new.description, new.ocr_text);
END;
CREATE TRIGGER search_content_ad AFTER DELETE ON search_content BEGIN
  INSERT INTO documents_fts (documents_fts, rowid, title, description, ocr_text)
  VALUES ('delete', old.rowid, old.title, old.description, old.ocr_text);
END;
CREATE TRIGGER search_content_au AFTER UPDATE ON search_content BEGIN
  INSERT INTO documents_fts (documents_fts, rowid, title, description, ocr_text)
  VALUES ('delete', old.rowid, old.title, old.description, old.ocr_text);
  INSERT INTO documents_fts (rowid, title, description, ocr_text)
  VALUES (new.rowid, new.title, new.description, new.ocr_text);
END;

CREATE TRIGGER documents_search_ai AFTER INSERT ON documents BEGIN
  INSERT INTO search_content (rowid, title, description, ocr_text)
  VALUES (new.id, new.title, new.description,
          (SELECT ocr_text FROM document_text WHERE document_id = new.id));
END;
CREATE TRIGGER documents_search_au AFTER UPDATE OF title, description ON documents BEGIN
  UPDATE search_content SET title = new.title, description = new.description
  WHERE rowid = new.id;
END;
CREATE TRIGGER document_text_ai AFTER INSERT ON document_text BEGIN
  UPDATE search_content SET ocr_text = new.ocr_text WHERE rowid = new.document_id;
END;
CREATE TRIGGER document_text_au AFTER UPDATE ON document_text BEGIN
  UPDATE search_content SET ocr_text = new.ocr_text WHERE rowid = new.document_id;
END;

-- Documents journalised under version 1 become searchable.
INSERT INTO search_content (rowid, title, description, ocr_text)
  SELECT d.id, d.title, d.description, t.ocr_text
  FROM documents d LEFT JOIN document_text t ON t.document_id = d.id;
)sql";

// Version 3: the search index reads its content from the journal's own rows instead of a
// copy. search_content becomes a view over documents and document_text (same name, same
// columns, same values, so the index built under version 2 stays valid and is not rebuilt),
// and triggers on documents and document_text feed documents_fts directly. Saves the second
// copy of every OCR text (about a third of the database). FTS5 needs the old values of a
// row to remove it from an external-content index, so every trigger that changes a row
// first deletes it with exactly the values it was indexed with.
constexpr const char kVersion3[] = R"sql(
DROP TRIGGER documents_search_ai;
DROP TRIGGER documents_search_au;
DROP TRIGGER document_text_ai;
DROP TRIGGER document_text_au;
DROP TRIGGER search_content_ai;
DROP TRIGGER search_content_ad;
DROP TRIGGER search_content_au;
DROP TABLE search_content;

CREATE VIEW search_content AS
  SELECT d.id AS rowid, d.title AS title, d.description AS description, t.ocr_text AS ocr_text
  FROM documents d LEFT JOIN document_text t ON t.document_id = d.id;

-- A document is indexed with its text when the text is already there (bulk loads insert
-- the text first), else with its title and description; the text trigger below adds it.
CREATE TRIGGER documents_fts_ai AFTER INSERT ON documents BEGIN
  INSERT INTO documents_fts (rowid, title, description, ocr_text)
  VALUES (new.id, new.title, new.description,
          (SELECT ocr_text FROM document_text WHERE document_id = new.id));
END;
CREATE TRIGGER documents_fts_au AFTER UPDATE OF id, title, description ON documents BEGIN
  INSERT INTO documents_fts (documents_fts, rowid, title, description, ocr_text)
  VALUES ('delete', old.id, old.title, old.description,
          (SELECT ocr_text FROM document_text WHERE document_id = old.id));
  INSERT INTO documents_fts (rowid, title, description, ocr_text)
  VALUES (new.id, new.title, new.description,
          (SELECT ocr_text FROM document_text WHERE document_id = new.id));
END;
CREATE TRIGGER documents_fts_ad AFTER DELETE ON documents BEGIN
  INSERT INTO documents_fts (documents_fts, rowid, title, description, ocr_text)
  VALUES ('delete', old.id, old.title, old.description,
          (SELECT ocr_text FROM document_text WHERE document_id = old.id));
END;
CREATE TRIGGER document_text_fts_ai AFTER INSERT ON document_text
WHEN EXISTS (SELECT 1 FROM documents WHERE id = new.document_id) BEGIN
  INSERT INTO documents_fts (documents_fts, rowid, title, description, ocr_text)
  SELECT 'delete', id, title, description, NULL FROM documents WHERE id = new.document_id;
  INSERT INTO documents_fts (rowid, title, description, ocr_text)
  SELECT id, title, description, new.ocr_text FROM documents WHERE id = new.document_id;
END;
CREATE TRIGGER document_text_fts_au AFTER UPDATE ON document_text
WHEN EXISTS (SELECT 1 FROM documents WHERE id IN (old.document_id, new.document_id)) BEGIN
  INSERT INTO documents_fts (documents_fts, rowid, title, description, ocr_text)
  SELECT 'delete', id, title, description, old.ocr_text FROM documents
  WHERE id = old.document_id;
  INSERT INTO documents_fts (documents_fts, rowid, title, description, ocr_text)
  SELECT 'delete', id, title, description, NULL FROM documents
  WHERE id = new.document_id AND new.document_id <> old.document_id;
  INSERT INTO documents_fts (rowid, title, description, ocr_text)
  SELECT id, title, description, NULL FROM documents
  WHERE id = old.document_id AND new.document_id <> old.document_id;
  INSERT INTO documents_fts (rowid, title, description, ocr_text)
  SELECT id, title, description, new.ocr_text FROM documents WHERE id = new.document_id;
END;
-- The words longer than the longest prefix index (4 characters), so that a prefix query
-- like 'kommu*' can be run as the OR of its few words instead of FTS5 merging the lists of
-- every matching word (storage/search.cc). Filled by triggers through intake_terms(), the
-- index's own tokenizer (registered on every connection by MigrateToCurrent); words are
-- never removed (a word no document has any more only matches nothing).
CREATE TABLE search_terms (term TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE VIRTUAL TABLE temp.migration_vocabulary USING fts5vocab(main, documents_fts, 'row');
INSERT INTO search_terms (term)
  SELECT term FROM temp.migration_vocabulary WHERE length(term) > 4;
DROP TABLE temp.migration_vocabulary;
CREATE TRIGGER documents_terms_ai AFTER INSERT ON documents BEGIN
  INSERT OR IGNORE INTO search_terms (term)
  SELECT value FROM json_each(intake_terms(new.title, new.description));
END;
CREATE TRIGGER documents_terms_au AFTER UPDATE OF title, description ON documents BEGIN
  INSERT OR IGNORE INTO search_terms (term)
  SELECT value FROM json_each(intake_terms(new.title, new.description));
END;
CREATE TRIGGER document_text_terms_ai AFTER INSERT ON document_text BEGIN
  INSERT OR IGNORE INTO search_terms (term)
  SELECT value FROM json_each(intake_terms(new.ocr_text));
END;
CREATE TRIGGER document_text_terms_au AFTER UPDATE OF ocr_text ON document_text BEGIN
  INSERT OR IGNORE INTO search_terms (term)
  SELECT value FROM json_each(intake_terms(new.ocr_text));
END;

-- Segments are merged outside the commits (storage/index_maintenance.h). FTS5 still
-- merges a level inside a commit when it reaches 'crisismerge' segments: 64 rather than 16,
-- so that a burst of commits without idle time merges every 64th commit, not every 16th.
INSERT INTO documents_fts (documents_fts, rank) VALUES ('automerge', 0);
INSERT INTO documents_fts (documents_fts, rank) VALUES ('crisismerge', 64);

CREATE TRIGGER document_text_fts_ad AFTER DELETE ON document_text
WHEN EXISTS (SELECT 1 FROM documents WHERE id = old.document_id) BEGIN
  INSERT INTO documents_fts (documents_fts, rowid, title, description, ocr_text)
  SELECT 'delete', id, title, description, old.ocr_text FROM documents
  WHERE id = old.document_id;
  INSERT INTO documents_fts (rowid, title, description, ocr_text)
  SELECT id, title, description, NULL FROM documents WHERE id = old.document_id;
END;
)sql";

// Version 4: an index of word pairs for phrase searches. FTS5 checks a phrase by reading
// the positions of each of its words in every document that has them all; for phrases of
// common words ("jeg har", "bor på") that meant reading most of the index (up to 140 ms
// at a million documents, bench/journal_bench.cc). search_pairs indexes every two adjacent
// words of a column as one token "first_second" (intake_pairs(), the main index's own
// tokenizer; '_' never occurs inside a main-index token), at the position of the pair, so
// the phrase "a b c" is exactly the phrase "a_b b_c" here and touches only the documents
// that have it. External content over a view that computes the pairs: nothing is stored
// twice, and 'rebuild' and 'integrity-check' work as for documents_fts. The triggers
// follow those of version 3, each deleting with exactly the values it indexed.
constexpr const char kVersion4[] = R"sql(
CREATE VIEW search_pairs_content AS
  SELECT d.id AS rowid, intake_pairs(d.title) AS title,
         intake_pairs(d.description) AS description, intake_pairs(t.ocr_text) AS ocr_text
  FROM documents d LEFT JOIN document_text t ON t.document_id = d.id;
CREATE VIRTUAL TABLE search_pairs USING fts5(
  title, description, ocr_text,
  content = 'search_pairs_content', content_rowid = 'rowid',
  tokenize = 'unicode61 remove_diacritics 0 tokenchars _'
);
-- The migration's fill runs as one bulk load (a large in-memory hash, merged as it goes);
-- afterwards the table is merged outside the commits like documents_fts.
INSERT INTO search_pairs (search_pairs, rank) VALUES ('hashsize', 67108864);
INSERT INTO search_pairs (search_pairs) VALUES ('rebuild');
INSERT INTO search_pairs (search_pairs, rank) VALUES ('hashsize', 1048576);
INSERT INTO search_pairs (search_pairs, rank) VALUES ('automerge', 0);
INSERT INTO search_pairs (search_pairs, rank) VALUES ('crisismerge', 64);

CREATE TRIGGER documents_pairs_ai AFTER INSERT ON documents BEGIN
  INSERT INTO search_pairs (rowid, title, description, ocr_text)
  VALUES (new.id, intake_pairs(new.title), intake_pairs(new.description),
          (SELECT intake_pairs(ocr_text) FROM document_text WHERE document_id = new.id));
END;
CREATE TRIGGER documents_pairs_au AFTER UPDATE OF id, title, description ON documents BEGIN
  INSERT INTO search_pairs (search_pairs, rowid, title, description, ocr_text)
  VALUES ('delete', old.id, intake_pairs(old.title), intake_pairs(old.description),
          (SELECT intake_pairs(ocr_text) FROM document_text WHERE document_id = old.id));
  INSERT INTO search_pairs (rowid, title, description, ocr_text)
  VALUES (new.id, intake_pairs(new.title), intake_pairs(new.description),
          (SELECT intake_pairs(ocr_text) FROM document_text WHERE document_id = new.id));
END;
CREATE TRIGGER documents_pairs_ad AFTER DELETE ON documents BEGIN
  INSERT INTO search_pairs (search_pairs, rowid, title, description, ocr_text)
  VALUES ('delete', old.id, intake_pairs(old.title), intake_pairs(old.description),
          (SELECT intake_pairs(ocr_text) FROM document_text WHERE document_id = old.id));
END;
CREATE TRIGGER document_text_pairs_ai AFTER INSERT ON document_text
WHEN EXISTS (SELECT 1 FROM documents WHERE id = new.document_id) BEGIN
  INSERT INTO search_pairs (search_pairs, rowid, title, description, ocr_text)
  SELECT 'delete', id, intake_pairs(title), intake_pairs(description), NULL
  FROM documents WHERE id = new.document_id;
  INSERT INTO search_pairs (rowid, title, description, ocr_text)
  SELECT id, intake_pairs(title), intake_pairs(description), intake_pairs(new.ocr_text)
  FROM documents WHERE id = new.document_id;
END;
CREATE TRIGGER document_text_pairs_au AFTER UPDATE ON document_text
WHEN EXISTS (SELECT 1 FROM documents WHERE id IN (old.document_id, new.document_id)) BEGIN
  INSERT INTO search_pairs (search_pairs, rowid, title, description, ocr_text)
  SELECT 'delete', id, intake_pairs(title), intake_pairs(description),
         intake_pairs(old.ocr_text)
  FROM documents WHERE id = old.document_id;
  INSERT INTO search_pairs (search_pairs, rowid, title, description, ocr_text)
  SELECT 'delete', id, intake_pairs(title), intake_pairs(description), NULL
  FROM documents WHERE id = new.document_id AND new.document_id <> old.document_id;
  INSERT INTO search_pairs (rowid, title, description, ocr_text)
  SELECT id, intake_pairs(title), intake_pairs(description), NULL
  FROM documents WHERE id = old.document_id AND new.document_id <> old.document_id;
  INSERT INTO search_pairs (rowid, title, description, ocr_text)
  SELECT id, intake_pairs(title), intake_pairs(description), intake_pairs(new.ocr_text)
  FROM documents WHERE id = new.document_id;
END;
CREATE TRIGGER document_text_pairs_ad AFTER DELETE ON document_text
WHEN EXISTS (SELECT 1 FROM documents WHERE id = old.document_id) BEGIN
  INSERT INTO search_pairs (search_pairs, rowid, title, description, ocr_text)
  SELECT 'delete', id, intake_pairs(title), intake_pairs(description),
         intake_pairs(old.ocr_text)
  FROM documents WHERE id = old.document_id;
  INSERT INTO search_pairs (rowid, title, description, ocr_text)
  SELECT id, intake_pairs(title), intake_pairs(description), NULL
  FROM documents WHERE id = old.document_id;
END;
)sql";

// Version 5: re-filing (omjournalisering, DOMAIN.md section 10, item 7) and case notes.
// A re-filed document keeps its row (its id, pages, text and file): its case_id and
// doc_number change, which the search indexes do not hold (they index title, description
// and text; search joins the case at query time), so no index is touched. The number it
// had stays taken on the old case through its document_moves row: the next number there is
// above both the documents' and the moved-away numbers (UNIQUE: a number leaves a case at
// most once), and the integrity check counts it as taken. Both tables are append-only, like
// the audit log: the trace of a re-filing cannot be edited away.
constexpr const char kVersion5[] = R"sql(
CREATE TABLE document_moves (
  id           INTEGER PRIMARY KEY,
  document_id  INTEGER NOT NULL REFERENCES documents (id),
  from_case_id INTEGER NOT NULL REFERENCES cases (id),
  from_number  INTEGER NOT NULL,           -- the running number it had on from_case_id
  to_case_id   INTEGER NOT NULL REFERENCES cases (id),
  to_number    INTEGER NOT NULL,           -- the running number it got on to_case_id
  reason       TEXT NOT NULL,
  actor        TEXT NOT NULL,
  time         TEXT NOT NULL,              -- ISO 8601 UTC
  UNIQUE (from_case_id, from_number),
  CHECK (from_case_id <> to_case_id)
);
CREATE INDEX document_moves_by_document ON document_moves (document_id, id);
CREATE TRIGGER document_moves_no_update BEFORE UPDATE ON document_moves
BEGIN
  SELECT RAISE(ABORT, 'en omjournalisering kan ikke ændres');
END;
CREATE TRIGGER document_moves_no_delete BEFORE DELETE ON document_moves
BEGIN
  SELECT RAISE(ABORT, 'en omjournalisering kan ikke slettes');
END;

CREATE TABLE case_notes (
  id          INTEGER PRIMARY KEY,
  case_id     INTEGER NOT NULL REFERENCES cases (id),
  document_id INTEGER REFERENCES documents (id),
  time        TEXT NOT NULL,               -- ISO 8601 UTC
  actor       TEXT NOT NULL,
  text        TEXT NOT NULL
);
CREATE INDEX case_notes_by_case ON case_notes (case_id, id);
CREATE TRIGGER case_notes_no_update BEFORE UPDATE ON case_notes
BEGIN
  SELECT RAISE(ABORT, 'en sagsnote kan ikke ændres');
END;
CREATE TRIGGER case_notes_no_delete BEFORE DELETE ON case_notes
BEGIN
  SELECT RAISE(ABORT, 'en sagsnote kan ikke slettes');
END;
)sql";

// Version 6: the archive registry of paper originals (storage/archive.h). Locations and
// events are append-only like the audit log: a location's current place, a document's box,
// loans, transfers and destructions are derived from the events (the newest event of a
// subject with `places` = 1 says where it is: target_id, or nowhere), so no history can be
// rewritten. Barcodes are unique (normalised, upper case). The partial indexes make
// `where` a handful of index lookups however large the journal grows.
constexpr const char kVersion6[] = R"sql(
CREATE TABLE archive_locations (
  id       INTEGER PRIMARY KEY,
  kind     TEXT NOT NULL CHECK (kind IN ('site', 'building', 'room', 'unit', 'shelf', 'box',
                                         'folder', 'offsite', 'city_archive')),
  barcode  TEXT NOT NULL UNIQUE,
  name     TEXT NOT NULL,
  note     TEXT,
  created  TEXT NOT NULL                   -- ISO 8601 UTC
);
CREATE TRIGGER archive_locations_no_update BEFORE UPDATE ON archive_locations
BEGIN
  SELECT RAISE(ABORT, 'en arkivplacering kan ikke ændres; registrér en hændelse');
END;
CREATE TRIGGER archive_locations_no_delete BEFORE DELETE ON archive_locations
BEGIN
  SELECT RAISE(ABORT, 'en arkivplacering kan ikke slettes');
END;

CREATE TABLE archive_events (
  id            INTEGER PRIMARY KEY,
  time          TEXT NOT NULL,             -- ISO 8601 UTC
  actor         TEXT NOT NULL,
  action        TEXT NOT NULL CHECK (action IN ('create', 'disposition', 'place', 'move',
                                                'lend', 'return', 'transfer', 'destroy')),
  document_id   INTEGER REFERENCES documents (id),
  location_id   INTEGER REFERENCES archive_locations (id),
  target_id     INTEGER REFERENCES archive_locations (id),
  places        INTEGER NOT NULL DEFAULT 0 CHECK (places IN (0, 1)),
  disposition   TEXT CHECK (disposition IN ('keep', 'return', 'destroy', 'pending')),
  borrower      TEXT,
  due_date      TEXT,
  approval_ref  TEXT,
  approval_date TEXT,
  method        TEXT,
  reference     TEXT,
  note          TEXT,
  CHECK ((document_id IS NULL) <> (location_id IS NULL)),
  CHECK (target_id IS NULL OR places = 1)
);
CREATE INDEX archive_events_by_document ON archive_events (document_id, id)
  WHERE document_id IS NOT NULL;
CREATE INDEX archive_events_by_location ON archive_events (location_id, id)
  WHERE location_id IS NOT NULL;
CREATE INDEX archive_events_by_target ON archive_events (target_id)
  WHERE target_id IS NOT NULL;
CREATE INDEX archive_events_lends ON archive_events (due_date, id)
  WHERE action = 'lend';
CREATE INDEX archive_events_unplaced ON archive_events (document_id)
  WHERE action = 'disposition' AND target_id IS NULL AND disposition <> 'return';
CREATE TRIGGER archive_events_no_update BEFORE UPDATE ON archive_events
BEGIN
  SELECT RAISE(ABORT, 'en arkivhændelse kan ikke ændres');
END;
CREATE TRIGGER archive_events_no_delete BEFORE DELETE ON archive_events
BEGIN
  SELECT RAISE(ABORT, 'en arkivhændelse kan ikke slettes');
END;
)sql";

// Version 7: the users of the web UI (storage/users.h). A user's password only as an
// Argon2id hash (libsodium's "$argon2id$..." string); a session only as the SHA-256 of its
// token; failed logins for the throttle with the typed name only as a SHA-256. User names
// are unique in any letter case (COLLATE NOCASE; stored in lower case). Sessions and
// login failures are operational state that expires, not records: unlike the audit log
// they are deleted. Every change to a user, and every login, failed login and logout, is
// in the audit log.
constexpr const char kVersion7[] = R"sql(
CREATE TABLE users (
  id               INTEGER PRIMARY KEY,
  username         TEXT NOT NULL UNIQUE COLLATE NOCASE
                     CHECK (length(username) BETWEEN 2 AND 64),
  display_name     TEXT NOT NULL,
  role             TEXT NOT NULL CHECK (role IN ('post_room', 'archivist', 'caseworker',
                                                 'manager', 'administrator')),
  groups           TEXT NOT NULL DEFAULT '[]',  -- JSON array of access groups
  password_hash    TEXT NOT NULL,               -- crypto_pwhash_str: "$argon2id$v=19$..."
  disabled         INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  created          TEXT NOT NULL,               -- ISO 8601 UTC
  password_changed TEXT NOT NULL                -- ISO 8601 UTC
);

CREATE TABLE sessions (
  id               INTEGER PRIMARY KEY,
  token_hash       TEXT NOT NULL UNIQUE,        -- hex SHA-256 of the hex token
  user_id          INTEGER NOT NULL REFERENCES users (id),
  csrf_token       TEXT NOT NULL,
  remote_address   TEXT NOT NULL,
  created          TEXT NOT NULL,               -- ISO 8601 UTC
  last_seen        TEXT NOT NULL,               -- ISO 8601 UTC
  absolute_expires TEXT NOT NULL                -- ISO 8601 UTC
);
CREATE INDEX sessions_by_user ON sessions (user_id);

CREATE TABLE login_failures (
  id             INTEGER PRIMARY KEY,
  time           TEXT NOT NULL,                 -- ISO 8601 UTC
  name_hash      TEXT NOT NULL,                 -- hex SHA-256 of the typed name, lower case
  remote_address TEXT NOT NULL
);
CREATE INDEX login_failures_by_name ON login_failures (name_hash, time);
CREATE INDEX login_failures_by_address ON login_failures (remote_address, time);
CREATE INDEX login_failures_by_time ON login_failures (time);
)sql";

// Version 8: indexes for the manager dashboard (web/api_dashboard.cc), which reads the
// documents journalised in a period and the journalisings per operator and day: without
// them both scan their whole table (30-50 ms each at 100,000 documents).
constexpr const char kVersion8[] = R"sql(
CREATE INDEX documents_by_journal_date ON documents (journal_date) WHERE state = 'journalised';
CREATE INDEX audit_log_by_action_time ON audit_log (action, time);
)sql";

}  // namespace

const std::vector<Migration>& Migrations() {
  static const std::vector<Migration> kMigrations = {{1, kVersion1}, {2, kVersion2}, {3, kVersion3},
                                                     {4, kVersion4}, {5, kVersion5}, {6, kVersion6},
                                                     {7, kVersion7}, {8, kVersion8}};
  return kMigrations;
}

Result<int> SchemaVersionOf(Database& db) {
  INTAKE_ASSIGN_OR_RETURN(
      Statement has_meta,
      db.Prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'"));
  INTAKE_ASSIGN_OR_RETURN(bool row, has_meta.Step());
  if (!row || has_meta.Int(0) == 0) return 0;
  INTAKE_ASSIGN_OR_RETURN(Statement version,
                          db.Prepare("SELECT value FROM meta WHERE key = 'schema_version'"));
  INTAKE_ASSIGN_OR_RETURN(bool found, version.Step());
  if (!found) {
    return Error(ErrorCode::kCorruption,
                 "journalen " + db.path() + " mangler sin versionsangivelse (meta.schema_version)");
  }
  return std::stoi(version.Text(0));
}

Result<int> MigrateToCurrent(Database& db) {
  INTAKE_RETURN_IF_ERROR(RegisterSearchFunctions(db));
  INTAKE_ASSIGN_OR_RETURN(const int found, SchemaVersionOf(db));
  if (found > kSchemaVersion) {
    // Newer code wrote it; use it only if it declares this code compatible.
    INTAKE_ASSIGN_OR_RETURN(Statement compat,
                            db.Prepare("SELECT value FROM meta WHERE key = 'compatible_version'"));
    INTAKE_ASSIGN_OR_RETURN(bool row, compat.Step());
    const int floor = row ? std::stoi(compat.Text(0)) : found;
    if (floor > kSchemaVersion) {
      return Error(ErrorCode::kFailedPrecondition,
                   "journalen " + db.path() + " har skemaversion " + std::to_string(found) +
                       ", som denne version af stationen (skemaversion " +
                       std::to_string(kSchemaVersion) + ") ikke kan bruge; opdatér stationen");
    }
    return found;
  }
  if (found == kSchemaVersion) return found;

  // Rebuilding a search index takes minutes on a large journal (version 4: about 5 minutes
  // for a million documents), so the wait is announced.
  if (found > 0) {
    log::Info("journalen " + db.path() + " opgraderes fra skemaversion " + std::to_string(found) +
              " til " + std::to_string(kSchemaVersion) +
              "; på en stor journal kan det tage nogle minutter");
  }
  Transaction t(db);
  INTAKE_RETURN_IF_ERROR(t.Begin());
  for (const Migration& m : Migrations()) {
    if (m.to <= found) continue;
    Status step = db.Execute(m.sql);
    if (!step) {
      return step.error().WithContext("opgradering af journalen til skemaversion " +
                                      std::to_string(m.to) + " mislykkedes");
    }
  }
  INTAKE_ASSIGN_OR_RETURN(Statement set,
                          db.Prepare("INSERT INTO meta (key, value) VALUES ('schema_version', ?1), "
                                     "('compatible_version', ?2) "
                                     "ON CONFLICT (key) DO UPDATE SET value = excluded.value"));
  INTAKE_RETURN_IF_ERROR(
      set.Bind(1, std::to_string(kSchemaVersion)).Bind(2, std::to_string(kSchemaVersion)).Run());
  INTAKE_RETURN_IF_ERROR(t.Commit());
  return found;
}

}  // namespace intake::storage

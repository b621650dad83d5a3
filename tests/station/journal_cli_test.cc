// `station case|doc|audit|db` in-process, on a temporary home directory (the journal lives
// in its default place under the XDG data directory).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <tuple>

#include "config/loader.h"
#include "station/cli.h"
#include "station/exit_code.h"
#include "station/journal_access.h"
#include "storage/database.h"
#include "tests/support/temp_dir.h"

namespace intake::station {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

class JournalCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_.home = home_.path();
    env_.hostname = "testvaert";
  }

  int RunCli(std::vector<std::string> args) {
    args.insert(args.begin(), "station");
    out_.str("");
    err_.str("");
    return station::Run(args, out_, err_, env_);
  }

  config::Config Config() const {
    config::Config cfg = config::Defaults();
    config::ResolveDefaults(cfg, env_);
    return cfg;
  }

  // The journal the commands use, opened directly (for documents and tampering).
  std::unique_ptr<storage::Journal> OpenJournal() {
    auto j = storage::OpenSqliteJournal(JournalOptionsFor(Config()));
    EXPECT_TRUE(j) << j.error().ToString();
    return j ? std::move(*j) : nullptr;
  }

  int AddCase(const std::string& reference, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"case", "add", "--system", "SBSYS", "--reference",
                                     reference, "--title", "Byggesag om carport på Hegnsvej 4"};
    args.insert(args.end(), extra.begin(), extra.end());
    return RunCli(args);
  }

  int64_t Journalise(const std::string& reference, const std::string& ocr_text) {
    auto journal = OpenJournal();
    auto c = journal->FindCaseByReference("SBSYS", reference, storage::Viewer::Everyone("t"));
    EXPECT_TRUE(c);
    storage::NewDocument d;
    d.case_id = c->id;
    d.title = "Ansøgning om byggetilladelse";
    d.received_date = "2026-11-25";
    d.pages = {storage::DocumentPage{1, 1, false, 0, 0.0, 92.0, R"({"words":9})"}};
    d.ocr_text = ocr_text;
    auto doc = journal->Journalise(d, "%PDF-1.7 " + ocr_text, storage::Actor{"test"});
    EXPECT_TRUE(doc) << doc.error().ToString();
    return doc ? doc->id : 0;
  }

  testing::ScopedTempDir home_;
  config::Environment env_;
  std::ostringstream out_;
  std::ostringstream err_;
};

TEST_F(JournalCliTest, CaseAddThenListAndShowWithThePartyMasked) {
  ASSERT_EQ(AddCase("27.24.00-G01-5-19", {"--kle", "27.24.00", "--facet", "G01",
                                          "--caseworker", "Bo Berg", "--party-cpr",
                                          "010190-1234", "--party-name", "Jens Hansen",
                                          "--role", "ansøger"}),
            kExitOk)
      << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("Sag oprettet: SBSYS 27.24.00-G01-5-19"));
  EXPECT_THAT(out_.str(), HasSubstr("Jens Hansen (010190-XXXX), ansøger"));
  EXPECT_THAT(out_.str(), Not(HasSubstr("1234")));

  ASSERT_EQ(RunCli({"case", "list"}), kExitOk) << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("SBSYS 27.24.00-G01-5-19  [åben]"));
  EXPECT_THAT(out_.str(), HasSubstr("1 sag."));

  ASSERT_EQ(RunCli({"case", "show", "27.24.00-g01-5-19"}), kExitOk) << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("Titel:          Byggesag om carport på Hegnsvej 4"));
  EXPECT_THAT(out_.str(), HasSubstr("Sagsbehandler:  Bo Berg"));
  EXPECT_THAT(out_.str(), HasSubstr("Jens Hansen (person, 010190-XXXX), ansøger"));
  EXPECT_THAT(out_.str(), HasSubstr("Dokumenter:     ingen"));
  EXPECT_THAT(out_.str(), Not(HasSubstr("1234")));

  ASSERT_EQ(RunCli({"case", "show", "27.24.00-G01-5-19", "--json"}), kExitOk);
  const auto j = nlohmann::json::parse(out_.str());
  EXPECT_EQ(j["reference"], "27.24.00-G01-5-19");
  EXPECT_EQ(j["kle_facet"], "G01");
  ASSERT_EQ(j["parties"].size(), 1u);
  EXPECT_EQ(j["parties"][0]["number_masked"], "010190-XXXX");
  EXPECT_EQ(j["documents"].size(), 0u);
}

TEST_F(JournalCliTest, TheNumberCanComeFromStandardInput) {
  std::istringstream input("13748136\n");
  std::streambuf* saved = std::cin.rdbuf(input.rdbuf());
  const int code = AddCase("27.24.00-G01-6-19", {"--party-cvr", "-", "--party-name",
                                                 "Tømrer ApS"});
  std::cin.rdbuf(saved);
  ASSERT_EQ(code, kExitOk) << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("Tømrer ApS (13748136), part"));
}

TEST_F(JournalCliTest, ListFiltersByStatusAndWritesJson) {
  ASSERT_EQ(AddCase("01.01.01-G01-1-24"), kExitOk);
  ASSERT_EQ(AddCase("01.01.01-G01-2-24", {"--status", "lukket"}), kExitOk) << err_.str();
  ASSERT_EQ(RunCli({"case", "list", "--status", "closed", "--json"}), kExitOk);
  const auto j = nlohmann::json::parse(out_.str());
  ASSERT_EQ(j.size(), 1u);
  EXPECT_EQ(j[0]["reference"], "01.01.01-G01-2-24");
  EXPECT_EQ(j[0]["status"], "closed");
  EXPECT_EQ(RunCli({"case", "list", "--status", "halvåben"}), kExitInput);
  EXPECT_THAT(err_.str(), HasSubstr("--status 'halvåben' er ukendt"));
}

TEST_F(JournalCliTest, ADuplicateReferenceIsAnInputError) {
  ASSERT_EQ(AddCase("27.24.00-G01-5-19"), kExitOk);
  EXPECT_EQ(AddCase("27.24.00-g01-5-19"), kExitInput);
  EXPECT_THAT(err_.str(), HasSubstr("findes allerede"));
}

TEST_F(JournalCliTest, AReferenceNotInTheSystemsFormatIsRefused) {
  EXPECT_EQ(AddCase("sag 17"), kExitInput);
  EXPECT_THAT(err_.str(), HasSubstr("har ikke formatet for SBSYS"));
  EXPECT_THAT(err_.str(), HasSubstr("27.24.00-G01-5-19"));  // the configured example
  // A system without a configured pattern takes any reference (it is opaque).
  EXPECT_EQ(RunCli({"case", "add", "--system", "F2", "--reference", "sag 17", "--title",
                    "Henvendelse om vejbelysning"}),
            kExitOk)
      << err_.str();
}

TEST_F(JournalCliTest, BadCaseInputIsReportedWithoutTheNumber) {
  EXPECT_EQ(AddCase("27.24.00-G01-5-19", {"--party-cpr", "010190-12"}), kExitInput);
  EXPECT_THAT(err_.str(), HasSubstr("--party-name mangler"));
  EXPECT_EQ(AddCase("27.24.00-G01-5-19", {"--party-cpr", "010190-12", "--party-name", "Jens"}),
            kExitInput);
  EXPECT_THAT(err_.str(), HasSubstr("CPR-nummeret skal have 10 cifre"));
  EXPECT_THAT(err_.str(), Not(HasSubstr("010190")));
  // Nothing was stored: the case and its party are one transaction.
  ASSERT_EQ(RunCli({"case", "list"}), kExitOk);
  EXPECT_THAT(out_.str(), HasSubstr("Ingen sager."));
  EXPECT_EQ(AddCase("27.24.00-G01-5-19", {"--status", "halvåben"}), kExitInput);
  EXPECT_EQ(AddCase("27.24.00-G01-5-19", {"--party-cpr", "0101901234", "--party-cvr",
                                          "13748136", "--party-name", "X"}),
            kExitUsage);
}

TEST_F(JournalCliTest, ShowOfAnUnknownCaseIsAnInputError) {
  EXPECT_EQ(RunCli({"case", "show", "99.99.99-G01-1-20"}), kExitInput);
  EXPECT_THAT(err_.str(), HasSubstr("sagen 99.99.99-G01-1-20 findes ikke"));
}

TEST_F(JournalCliTest, ARestrictedCaseIsHiddenFromOtherUsers) {
  ASSERT_EQ(AddCase("29.03.06-K02-1-24",
                    {"--restricted", "--group", "ingen-har-denne-gruppe-xyz"}),
            kExitOk)
      << err_.str();
  ASSERT_EQ(RunCli({"case", "list"}), kExitOk);
  if (::geteuid() == 0) {
    EXPECT_THAT(out_.str(), HasSubstr("(fortrolig)"));  // root sees every case
  } else {
    EXPECT_THAT(out_.str(), HasSubstr("Ingen sager."));
    EXPECT_EQ(RunCli({"case", "show", "29.03.06-K02-1-24"}), kExitInput);
  }
}

TEST_F(JournalCliTest, CaseAndDocShowSayWhereThePaperOriginalIsKept) {
  ASSERT_EQ(AddCase("27.24.00-G01-5-19"), kExitOk);
  const int64_t kept = Journalise("27.24.00-G01-5-19", "Skøde med original underskrift.");
  const int64_t digital = Journalise("27.24.00-G01-5-19", "Mail fra borger.");
  {
    auto journal = OpenJournal();
    storage::Archive& archive = journal->archive();
    const storage::Actor actor{"arkivar"};
    for (auto [kind, name, code, parent] :
         std::vector<std::tuple<storage::LocationKind, std::string, std::string, std::string>>{
             {storage::LocationKind::kSite, "Rådhuset", "RH", ""},
             {storage::LocationKind::kRoom, "Kælderarkiv", "RH-K", "RH"},
             {storage::LocationKind::kUnit, "Reol 12", "RH-K-12", "RH-K"},
             {storage::LocationKind::kShelf, "Hylde 3", "RH-K-12-3", "RH-K-12"},
             {storage::LocationKind::kBox, "", "K-2026-0345", "RH-K-12-3"}}) {
      storage::NewLocation n;
      n.kind = kind;
      n.name = name;
      n.barcode = code;
      if (!parent.empty()) n.parent_barcode = parent;
      ASSERT_TRUE(archive.AddLocation(n, actor));
    }
    auto placed = archive.Place(kept, "K-2026-0345", std::nullopt, actor);
    ASSERT_TRUE(placed) << placed.error().ToString();
  }
  ASSERT_EQ(RunCli({"case", "show", "27.24.00-G01-5-19"}), kExitOk) << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("Original opbevares: Rådhuset › Kælderarkiv › Reol 12 › "
                                    "Hylde 3 › Kasse K-2026-0345"));
  EXPECT_EQ(out_.str().find("Original"), out_.str().rfind("Original"));  // only the kept one
  ASSERT_EQ(RunCli({"case", "show", "27.24.00-G01-5-19", "--json"}), kExitOk);
  const auto c = nlohmann::json::parse(out_.str());
  EXPECT_EQ(c["documents"][0]["original"]["state"], "stored");
  EXPECT_EQ(c["documents"][0]["original"]["path"][4]["barcode"], "K-2026-0345");
  EXPECT_EQ(c["documents"][1]["original"]["state"], "no_original");
  ASSERT_EQ(RunCli({"doc", "show", std::to_string(kept)}), kExitOk);
  EXPECT_THAT(out_.str(), HasSubstr("Original opbevares: Rådhuset › Kælderarkiv"));
  ASSERT_EQ(RunCli({"doc", "show", std::to_string(digital)}), kExitOk);
  EXPECT_THAT(out_.str(), HasSubstr("Original: ingen papiroriginal registreret"));
}

TEST_F(JournalCliTest, DocShowPrintsTheDocumentAndMasksCprInItsText) {
  ASSERT_EQ(AddCase("27.24.00-G01-5-19"), kExitOk);
  const int64_t id = Journalise("27.24.00-G01-5-19", "Ansøger: Jens Hansen, CPR 010190-1234.");
  ASSERT_GT(id, 0);
  ASSERT_EQ(RunCli({"doc", "show", std::to_string(id), "--text"}), kExitOk) << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("nr. 1 på sag SBSYS 27.24.00-G01-5-19"));
  EXPECT_THAT(out_.str(), HasSubstr("Titel:          Ansøgning om byggetilladelse"));
  EXPECT_THAT(out_.str(), HasSubstr("Modtaget:       2026-11-25"));
  EXPECT_THAT(out_.str(), HasSubstr("CPR XXXXXX-XXXX"));
  EXPECT_THAT(out_.str(), Not(HasSubstr("010190-1234")));
  ASSERT_EQ(RunCli({"doc", "show", std::to_string(id), "--json"}), kExitOk);
  const auto j = nlohmann::json::parse(out_.str());
  EXPECT_EQ(j["doc_number"], 1);
  EXPECT_EQ(j["pages"][0]["analysis"]["words"], 9);
  EXPECT_TRUE(fs::exists(j["pdf_path"].get<std::string>()));
  EXPECT_THAT(j["ocr_text"].get<std::string>(), Not(HasSubstr("010190-1234")));
  ASSERT_EQ(RunCli({"case", "show", "27.24.00-G01-5-19"}), kExitOk);
  EXPECT_THAT(out_.str(), HasSubstr("1. Ansøgning om byggetilladelse  (indgående, 1 side"));
}

TEST_F(JournalCliTest, SearchFindsAJournalisedDocumentByAWordOfItsOcrTextAndMarksTheHit) {
  ASSERT_EQ(AddCase("27.24.00-G01-5-19"), kExitOk);
  ASSERT_GT(Journalise("27.24.00-G01-5-19",
                       "Vi ansøger om tilladelse til en carport med redskabsrum. CPR 010190-1234."),
            0);
  ASSERT_GT(Journalise("27.24.00-G01-5-19", "Klage over støj fra naboens varmepumpe."), 0);
  ASSERT_EQ(RunCli({"search", "redskabsrum"}), kExitOk) << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("1 dokument fundet"));
  EXPECT_THAT(out_.str(), HasSubstr("»redskabsrum«"));
  EXPECT_THAT(out_.str(), HasSubstr("sag 27.24.00-G01-5-19 nr. 1"));
  EXPECT_THAT(out_.str(), Not(HasSubstr("010190-1234")));

  ASSERT_EQ(RunCli({"search", "varme*", "--json"}), kExitOk) << err_.str();
  const auto j = nlohmann::json::parse(out_.str());
  ASSERT_EQ(j["hits"].size(), 1u);
  EXPECT_EQ(j["hits"][0]["doc_number"], 2);
  bool marked = false;
  for (const auto& part : j["hits"][0]["snippet_parts"]) {
    marked = marked || (part["hit"] == true && part["text"] == "varmepumpe");
  }
  EXPECT_TRUE(marked) << j.dump();

  ASSERT_EQ(RunCli({"search", "\"klage over\""}), kExitOk);
  EXPECT_THAT(out_.str(), HasSubstr("»Klage over« støj"));
  ASSERT_EQ(RunCli({"search", "ukendtord"}), kExitOk);
  EXPECT_THAT(out_.str(), HasSubstr("Ingen dokumenter fundet"));
}

TEST_F(JournalCliTest, SearchWithAnUnclosedQuoteIsAnInputErrorInDanish) {
  ASSERT_EQ(RunCli({"search", "\"klage over"}), kExitInput);
  EXPECT_THAT(err_.str(), HasSubstr("fejl:"));
  EXPECT_THAT(err_.str(), Not(HasSubstr("fts5")));
}

TEST_F(JournalCliTest, DocShowOfAnUnknownIdIsAnInputError) {
  EXPECT_EQ(RunCli({"doc", "show", "4711"}), kExitInput);
  EXPECT_THAT(err_.str(), HasSubstr("dokument nr. 4711 findes ikke"));
  EXPECT_EQ(RunCli({"doc", "show", "fire"}), kExitUsage);
}

TEST_F(JournalCliTest, AuditVerifyPassesThenFindsTamperingWithDataExitCode) {
  ASSERT_EQ(AddCase("27.24.00-G01-5-19"), kExitOk);
  ASSERT_EQ(AddCase("27.24.00-G01-6-19"), kExitOk);
  ASSERT_EQ(RunCli({"audit", "verify"}), kExitOk) << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("Revisionsloggen er intakt: 2 poster"));
  {
    auto raw = storage::Database::Open(Config().journal.database);
    ASSERT_TRUE(raw);
    ASSERT_TRUE((*raw)->Execute("DROP TRIGGER audit_log_no_update;"
                                "UPDATE audit_log SET after = '{}' WHERE id = 1"));
  }
  EXPECT_EQ(RunCli({"audit", "verify"}), kExitData);
  EXPECT_THAT(out_.str(), HasSubstr("post 1 er ændret"));
  EXPECT_THAT(err_.str(), HasSubstr("revisionsloggen er ikke intakt"));
  ASSERT_EQ(RunCli({"audit", "verify", "--json"}), kExitData);
  EXPECT_EQ(nlohmann::json::parse(out_.str())["ok"], false);
}

TEST_F(JournalCliTest, DbCheckPassesThenReportsAMissingFile) {
  ASSERT_EQ(AddCase("27.24.00-G01-5-19"), kExitOk);
  const int64_t id = Journalise("27.24.00-G01-5-19", "Kære kommune");
  ASSERT_GT(id, 0);
  ASSERT_EQ(RunCli({"db", "check"}), kExitOk) << err_.str() << out_.str();
  EXPECT_THAT(out_.str(), HasSubstr("Journalen er i orden: 1 dokumenter og 1 filer"));
  std::string pdf;
  {
    auto journal = OpenJournal();
    auto doc = journal->GetDocument(id, storage::Viewer::Everyone("t"));
    ASSERT_TRUE(doc);
    pdf = journal->PdfPath(doc->pdf_sha256);
  }
  ASSERT_TRUE(fs::remove(pdf));
  EXPECT_EQ(RunCli({"db", "check"}), kExitData);
  EXPECT_THAT(out_.str(), HasSubstr("dokument " + std::to_string(id)));
  EXPECT_THAT(out_.str(), HasSubstr("mangler i dokumentlageret"));
  EXPECT_THAT(err_.str(), HasSubstr("gendan"));
}

TEST_F(JournalCliTest, TheActorOptionNamesWhoChangedWhat) {
  ASSERT_EQ(RunCli({"--actor", "postrum-2", "case", "add", "--system", "SBSYS", "--reference",
                    "27.24.00-G01-5-19", "--title", "Byggesag om carport på Hegnsvej 4"}),
            kExitOk)
      << err_.str();
  auto journal = OpenJournal();
  auto c = journal->FindCaseByReference("SBSYS", "27.24.00-G01-5-19",
                                        storage::Viewer::Everyone("t"));
  ASSERT_TRUE(c);
  auto history = journal->History("case", std::to_string(c->id));
  ASSERT_TRUE(history);
  ASSERT_EQ(history->size(), 1u);
  EXPECT_EQ(history->front().actor, "postrum-2");
  EXPECT_EQ(RunCli({"--actor", "010190-1234", "case", "list"}), kExitInput);
}

TEST_F(JournalCliTest, BadBatchAndDocumentArgumentsAreClearInputErrors) {
  for (const char* ref :
       {"20261127-064336-2fe2", "20261127-064336-2fe2:", ":3", "b:x3", "b:1234567"}) {
    EXPECT_EQ(RunCli({"journal", ref}), kExitInput) << ref;
    EXPECT_THAT(err_.str(), HasSubstr("skal skrives BATCH:NR")) << ref;
  }
  EXPECT_EQ(RunCli({"journal", "20261127-064336-2fe2:1", "--direction", "sidelæns"}), kExitInput);
  EXPECT_THAT(err_.str(), HasSubstr("--direction"));
  EXPECT_EQ(RunCli({"journal", "20261127-064336-2fe2:1", "--original", "smid ud"}), kExitInput);
  EXPECT_THAT(err_.str(), HasSubstr("--original skal være keep"));
  EXPECT_EQ(RunCli({"batch", "journal", "20261127-064336-2fe2", "--original", "destroy"}),
            kExitInput);
  EXPECT_THAT(err_.str(), HasSubstr("for ét dokument ad gangen"));
  EXPECT_EQ(RunCli({"batch", "show", "20261127-064336-2fe2"}), kExitInput);
  EXPECT_THAT(err_.str(), HasSubstr("20261127-064336-2fe2"));
  EXPECT_EQ(RunCli({"refile", "1", "--to", "27.24.00-G01-5-19"}), kExitUsage);  // no reason
}

TEST_F(JournalCliTest, ADamagedJournalIsADataError) {
  const std::string db = Config().journal.database;
  testing::WriteFile(db, std::string(8192, 'Z'));
  EXPECT_EQ(RunCli({"case", "list"}), kExitData);
  EXPECT_THAT(err_.str(), HasSubstr("beskadiget"));
  EXPECT_THAT(err_.str(), HasSubstr(db));
}

}  // namespace
}  // namespace intake::station

// Issue #7's acceptance scenario, end to end through the command line (in-process, with
// the real page pipeline and Tesseract): a multi-page TIFF of generated letters for cases
// in a test journal — with cover sheets, separator sheets and neither, duplex blank backs,
// one letter upside down, one naming the CPR number of a citizen who is not a party of the
// case it claims — is imported, proposed and journalised. Every letter must land on its
// own case with a title that passes the title check, the mismatching letter must be
// blocked, and repeating the commands (even importing the same file again) files nothing
// twice.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "config/loader.h"
#include "station/cli.h"
#include "station/exit_code.h"
#include "station/journal_access.h"
#include "station/title_check.h"
#include "tests/support/run_command.h"
#include "tests/support/temp_dir.h"

namespace intake::station {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;

// Synthetic CPR numbers (valid dates, century digit and modulus 11) and a CVR number.
constexpr char kMette[] = "1103851005";
constexpr char kJens[] = "2304721009";
constexpr char kHanne[] = "0505911008";
constexpr char kOle[] = "1711601003";
constexpr char kKaren[] = "2902681003";
constexpr char kLise[] = "0808991004";
constexpr char kCvr[] = "31750008";

std::string Dashed(const std::string& cpr) { return cpr.substr(0, 6) + "-" + cpr.substr(6); }

class JournaliseEndToEndTest : public ::testing::Test {
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

  std::unique_ptr<storage::Journal> OpenJournal() {
    config::Config cfg = config::Defaults();
    config::ResolveDefaults(cfg, env_);
    auto j = storage::OpenSqliteJournal(JournalOptionsFor(cfg));
    EXPECT_TRUE(j) << j.error().ToString();
    return j ? std::move(*j) : nullptr;
  }

  // Renders page 1 of a station sheet PDF as a 300-dpi grey PNG, as a scanner would see it.
  std::string Rasterise(const std::string& pdf) {
    const std::string prefix = pdf.substr(0, pdf.size() - 4);
    auto r = testing::RunCommand(
        {"/usr/bin/pdftoppm", "-r", "300", "-gray", "-png", "-singlefile", pdf, prefix});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return prefix + ".png";
  }

  testing::ScopedTempDir home_;
  testing::ScopedTempDir work_;
  config::Environment env_;
  std::ostringstream out_;
  std::ostringstream err_;
};

json Case(const std::string& system, const std::string& reference, const std::string& title,
          const std::string& name, const std::string& number, bool company = false) {
  json party = {{"kind", company ? "company" : "person"}, {"name", name}, {"role", "part"}};
  party[company ? "cvr" : "cpr"] = number;
  // "parties" for `station case import`, "party" for the generator's spec.
  return {{"system", system}, {"reference", reference},          {"title", title},
          {"status", "open"}, {"parties", json::array({party})}, {"party", party}};
}

json Letter(const std::string& sender, const std::string& date_text, const std::string& kind,
            const std::string& subject, int case_index) {
  return {{"sender", sender},
          {"sender_address", {"Østergade 12", "8000 Aarhus C"}},
          {"place", "Aarhus"},
          {"date_text", date_text},
          {"doc_kind", kind},
          {"subject_marker", "Vedr.:"},
          {"subject", subject},
          {"reference_line", nullptr},
          {"cpr_line", nullptr},
          {"pages", 1},
          {"blank_backs", false},
          {"upside_down", false},
          {"before", nullptr},
          {"case", case_index}};
}

TEST_F(JournaliseEndToEndTest, EightLettersLandOnTheirCasesTheMismatchIsBlockedNothingTwice) {
  // ---- the test journal ----
  json cases = json::array(
      {Case("SBSYS", "27.24.00-G01-5-19", "Boligstøtte", "Mette Jensen", kMette),
       Case("SBSYS", "27.12.04-P20-3-26", "Hjemmehjælp", "Jens Hansen", kJens),
       Case("KK", "2026-0012345", "Parkeringstilladelse", "Hanne Nielsen", kHanne),
       Case("KK", "2026-0023456", "Byggetilladelse til carport", "Jensens VVS ApS", kCvr, true),
       Case("SBSYS", "32.18.00-G01-8-26", "Skoleskift", "Ole Larsen", kOle),
       Case("SBSYS", "15.00.00-A00-2-26", "Sygedagpenge", "Karen Poulsen", kKaren),
       Case("KK", "2026-0034567", "Handicapparkering", "Lise Holm", kLise)});
  const std::string cases_file = work_.Sub("cases.json");
  testing::WriteFile(cases_file, json{{"cases", cases}}.dump(2));
  ASSERT_EQ(RunCli({"case", "import", cases_file}), kExitOk) << err_.str() << out_.str();

  // ---- the station's own sheets, printed and "scanned" ----
  ASSERT_EQ(RunCli({"sheets", "cover", "--case", "27.24.00-G01-5-19", "--type", "klage", "--out",
                    work_.Sub("cover0.pdf")}),
            kExitOk)
      << err_.str();
  ASSERT_EQ(RunCli({"sheets", "cover", "--case", "2026-0023456", "--out", work_.Sub("cover3.pdf")}),
            kExitOk)
      << err_.str();
  ASSERT_EQ(RunCli({"sheets", "separator", "--out", work_.Sub("separator.pdf")}), kExitOk)
      << err_.str();
  const std::string cover0 = Rasterise(work_.Sub("cover0.pdf"));
  const std::string cover3 = Rasterise(work_.Sub("cover3.pdf"));
  const std::string separator = Rasterise(work_.Sub("separator.pdf"));

  // ---- the morning's post ----
  json letters = json::array();
  // 1. Cover sheet, two pages, duplex blank backs, no reference in the text.
  json l = Letter("Mette Jensen", "den 11. november 2026", "klage", "afslag på boligstøtte", 0);
  l["pages"] = 2;
  l["blank_backs"] = true;
  l["before"] = {{"image", cover0}, {"blank_back", true}};
  letters.push_back(l);
  // 2. Neither sheet: the reference and the citizen's CPR in the text.
  l = Letter("Jens Hansen", "12.11.2026", "ansøgning", "mere hjemmehjælp", 1);
  l["reference_line"] = "Jeres sagsnr.: 27.12.04-P20-3-26";
  l["cpr_line"] = "CPR-nr.: " + Dashed(kJens);
  letters.push_back(l);
  // 3. Separator sheet, upside down, a KK reference.
  l = Letter("Hanne Nielsen", "Kbh. d. 13/11-2026", "brev", "fornyelse af parkeringstilladelse", 2);
  l["reference_line"] = "Deres j.nr.: 2026-0012345";
  l["upside_down"] = true;
  l["before"] = {{"image", separator}, {"blank_back", false}};
  letters.push_back(l);
  // 4. Cover sheet for a company's case; the CVR in the text.
  l = Letter("Jensens VVS ApS", "16. november 2026", "indsigelse", "vilkår i byggetilladelsen", 3);
  l["cvr_line"] = std::string("CVR-nr.: ") + kCvr;
  l["before"] = {{"image", cover3}, {"blank_back", false}};
  letters.push_back(l);
  // 5. Neither sheet: a reference only, two pages numbered "Side k af n".
  l = Letter("Ole Larsen", "den 17. november 2026", "ansøgning", "skoleskift for min søn", 4);
  l["reference_line"] = "Jeres sagsnr.: 32.18.00-G01-8-26";
  l["pages"] = 2;
  letters.push_back(l);
  // 6. Separator sheet with a blank back; reference and CPR.
  l = Letter("Karen Poulsen", "18.11.26", "brev", "opfølgning på sygedagpenge", 5);
  l["reference_line"] = "Sagsnr.: 15.00.00-A00-2-26";
  l["cpr_line"] = "CPR-nr.: " + Dashed(kKaren);
  l["before"] = {{"image", separator}, {"blank_back", true}};
  letters.push_back(l);
  // 7. Neither sheet: reference only, with blank back.
  l = Letter("Lise Holm", "den 19. november 2026", "ansøgning", "handicapparkering ved boligen", 6);
  l["reference_line"] = "Jeres j.nr.: 2026-0034567";
  l["blank_backs"] = true;
  letters.push_back(l);
  // 8. The incident: Lise Holm's case reference, but Jens Hansen's CPR number.
  l = Letter("Jens Hansen", "den 20. november 2026", "klage", "ventetid på handicapparkering", 6);
  l["reference_line"] = "Jeres j.nr.: 2026-0034567";
  l["cpr_line"] = "CPR-nr.: " + Dashed(kJens);
  letters.push_back(l);

  const std::string spec_file = work_.Sub("spec.json");
  testing::WriteFile(spec_file,
                     json{{"seed", 7}, {"dpi", 300}, {"cases", cases}, {"letters", letters}}.dump(2));
  const std::string tiff = work_.Sub("post.tif");
  auto gen = testing::RunCommand({"/usr/bin/python3", INTAKE_SOURCE_DIR "/scripts/batchgen.py",
                                  "--spec", spec_file, "--out", tiff, "--truth",
                                  work_.Sub("truth.json")},
                                 {}, 300);
  ASSERT_EQ(gen.exit_code, 0) << gen.err;
  const json truth = json::parse(testing::ReadFile(work_.Sub("truth.json")));
  ASSERT_EQ(truth["letters"].size(), 8u);

  // ---- import and proposal ----
  ASSERT_EQ(RunCli({"import", tiff, "--received", "2026-11-23", "--batch", "Morgenpost"}),
            kExitOk)
      << err_.str() << out_.str();
  const std::string import_out = out_.str();
  std::smatch batch_match;
  ASSERT_TRUE(std::regex_search(import_out, batch_match,
                                std::regex(R"(Batch (\d{8}-\d{6}-[0-9a-f]{4}))")))
      << import_out;
  const std::string batch = batch_match[1].str();

  ASSERT_EQ(RunCli({"batch", "show", batch, "--json"}), kExitOk) << err_.str();
  const json shown = json::parse(out_.str());
  const json& docs = shown["documents"];
  ASSERT_EQ(docs.size(), 8u) << shown.dump(2);
  // The received date is the post-opening date; the batch has waited (the test runs later).
  EXPECT_EQ(shown["received_date"], "2026-11-23");

  // Each proposed document holds exactly its letter's frames (sheets are not documents;
  // blank backs are kept with their letter).
  for (size_t i = 0; i < 8; ++i) {
    std::vector<int> expected;
    for (const json& frame : truth["pages"]) {
      if (frame["role"] == "sheet") continue;
      // A sheet's blank back stays with the sheet.
      if (frame.contains("back_of") && frame["back_of"].is_number() &&
          truth["pages"][frame["back_of"].get<size_t>()]["role"] == "sheet") {
        continue;
      }
      if (frame["unit"] == static_cast<int>(i)) expected.push_back(frame["index"].get<int>() + 1);
    }
    EXPECT_EQ(docs[i]["pages"].get<std::vector<int>>(), expected) << "brev " << i + 1;
    for (const json& page : shown["pages"]) {
      EXPECT_TRUE(page["thumbnail"].is_string()) << page.dump();
    }
  }

  // The proposals: the right case wherever a cover sheet or a reference is present; the
  // incident letter is blocked by the party check.
  for (size_t i = 0; i < 8; ++i) {
    const json& d = docs[i];
    const std::string expected = truth["letters"][i]["expected_case"]["reference"];
    if (i == 7) {
      // The reference and the CPR number point at different cases: the station lists
      // the referenced case, warns and proposes nothing (or, proposing it, blocks it).
      std::vector<std::string> listed;
      for (const json& c : d["candidates"]) listed.push_back(c["reference"]);
      EXPECT_THAT(listed, ::testing::Contains(expected)) << d.dump(2);
      EXPECT_TRUE(d["proposed_case"].is_null() || d["party_blocked"].get<bool>()) << d.dump(2);
      EXPECT_FALSE(d["warnings"].empty()) << d.dump(2);
    } else {
      ASSERT_TRUE(d["proposed_case"].is_object()) << "brev " << i + 1 << ": " << d.dump(2);
      EXPECT_EQ(d["proposed_case"]["reference"], expected) << "brev " << i + 1;
    }
    EXPECT_TRUE(d["title_problems"].empty())
        << "brev " << i + 1 << ": " << d["suggested_title"] << " " << d["title_problems"];
    EXPECT_THAT(d["suggested_title"].get<std::string>(), Not(HasSubstr(kJens)));
  }
  EXPECT_FALSE(docs[6]["party_blocked"].get<bool>());
  EXPECT_THAT(out_.str(), Not(HasSubstr(kJens)));  // never a full CPR in the output

  // The operator's corrections go through the same plan: split a document and join it
  // again; an impossible split is refused and changes nothing.
  ASSERT_EQ(RunCli({"batch", "split", batch, "1", std::to_string(docs[0]["pages"][2].get<int>())}),
            kExitOk)
      << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("Dokument 9"));
  ASSERT_EQ(RunCli({"batch", "merge", batch, "1"}), kExitOk) << err_.str();
  EXPECT_THAT(out_.str(), Not(HasSubstr("Dokument 9")));
  EXPECT_EQ(RunCli({"batch", "split", batch, "1", std::to_string(docs[0]["pages"][0].get<int>())}),
            kExitInput);
  EXPECT_THAT(err_.str(), HasSubstr("allerede første side"));

  // Waiting since Monday 23 November: more than one working day, so the batch is late.
  ASSERT_EQ(RunCli({"batch", "list"}), kExitOk) << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr(batch));
  EXPECT_THAT(out_.str(), HasSubstr("FOR SENT"));

  // ---- journalising ----
  EXPECT_EQ(RunCli({"batch", "journal", batch}), kExitDegraded) << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("7 dokumenter journaliseret, 1 kræver en afgørelse"));
  // The paper originals are kept by default, waiting for a box (issue #8).
  EXPECT_THAT(out_.str(), HasSubstr("Original opbevares: skal opbevares, afventer placering"));
  EXPECT_THAT(err_.str(), HasSubstr("dokument 8 i batch " + batch));
  EXPECT_THAT(err_.str(), Not(HasSubstr(kJens)));

  // Filed explicitly on the case its reference names, the letter is blocked by the party
  // check: Jens Hansen is not a party of Lise Holm's case.
  const std::string incident = batch + ":8";
  EXPECT_EQ(RunCli({"journal", incident, "--case", "2026-0034567"}), kExitInput) << out_.str();
  EXPECT_THAT(err_.str(), HasSubstr("blokeret af partskontrollen"));
  EXPECT_THAT(err_.str(), HasSubstr("230472-XXXX"));
  EXPECT_THAT(err_.str(), Not(HasSubstr(kJens)));
  // The operator sees it is Jens Hansen's letter and files it on his case, and puts the
  // original in the post room's box of the day.
  {
    auto archive_journal = OpenJournal();
    ASSERT_NE(archive_journal, nullptr);
    storage::NewLocation box;
    box.kind = storage::LocationKind::kBox;
    box.barcode = "K-2026-0001";
    ASSERT_TRUE(archive_journal->archive().AddLocation(box, storage::Actor{"arkivar"}));
  }
  ASSERT_EQ(RunCli({"journal", incident, "--case", "27.12.04-P20-3-26", "--box", "k-2026-0001"}),
            kExitOk)
      << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("Original opbevares: Kasse K-2026-0001"));

  // Every letter on its right case, with a title that passes the title check.
  auto journal = OpenJournal();
  ASSERT_NE(journal, nullptr);
  const storage::Viewer all = storage::Viewer::Everyone("test");
  const config::Config cfg = config::Defaults();
  const std::vector<std::string> expected_cases = {
      "27.24.00-G01-5-19", "27.12.04-P20-3-26", "2026-0012345",      "2026-0023456",
      "32.18.00-G01-8-26", "15.00.00-A00-2-26", "2026-0034567",      "27.12.04-P20-3-26"};
  int total = 0;
  std::map<std::string, int> per_case;
  for (const std::string& ref : expected_cases) per_case[ref] += 1;
  for (const auto& [ref, count] : per_case) {
    auto c = journal->FindCaseByReference("", ref, all);
    ASSERT_TRUE(c) << ref;
    auto listed = journal->ListDocuments(c->id, all);
    ASSERT_TRUE(listed);
    EXPECT_EQ(static_cast<int>(listed->size()), count) << ref;
    for (const auto& d : *listed) {
      EXPECT_TRUE(CheckTitle(d.title, cfg.titles).accepted()) << d.title;
      EXPECT_EQ(d.received_date, "2026-11-23");
      ++total;
    }
  }
  EXPECT_EQ(total, 8);
  // The upside-down letter was turned: its text is searchable.
  ASSERT_EQ(RunCli({"search", "parkeringstilladelse", "--json"}), kExitOk) << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("2026-0012345"));

  // ---- repeated commands file nothing twice ----
  EXPECT_EQ(RunCli({"batch", "journal", batch}), kExitOk) << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("var allerede journaliseret"));
  EXPECT_EQ(RunCli({"journal", batch + ":1"}), kExitOk) << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("var allerede journaliseret"));
  // The same file imported again is a new batch whose documents are the ones filed already.
  ASSERT_EQ(RunCli({"import", tiff, "--received", "2026-11-23"}), kExitOk) << err_.str();
  std::smatch again;
  const std::string second_out = out_.str();
  ASSERT_TRUE(std::regex_search(second_out, again, std::regex(R"(Batch (\d{8}-\d{6}-[0-9a-f]{4}))")));
  const std::string batch2 = again[1].str();
  RunCli({"batch", "journal", batch2});
  int after = 0;
  for (const auto& [ref, count] : per_case) {
    auto c = journal->FindCaseByReference("", ref, all);
    after += static_cast<int>(journal->ListDocuments(c->id, all)->size());
  }
  EXPECT_EQ(after, 8);

  // In the second batch the incident letter again waits for the operator; filed on the
  // same case, it is the document already journalised. Then nothing waits any more.
  ASSERT_EQ(RunCli({"journal", batch2 + ":8", "--case", "27.12.04-P20-3-26"}), kExitOk)
      << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("var allerede journaliseret"));
  ASSERT_EQ(RunCli({"batch", "list"}), kExitOk) << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("Ingen batches venter")) << out_.str();

  // Re-filing: the document moves with its history; the old case keeps a note.
  auto mette = journal->FindCaseByReference("", "27.24.00-G01-5-19", all);
  auto hanne = journal->FindCaseByReference("", "2026-0012345", all);
  ASSERT_TRUE(mette && hanne);
  const int64_t moved = (*journal->ListDocuments(mette->id, all))[0].id;
  EXPECT_EQ(RunCli({"refile", std::to_string(moved), "--to", "2026-0012345"}), kExitUsage);
  ASSERT_EQ(RunCli({"refile", std::to_string(moved), "--to", "2026-0012345", "--reason",
                    "Fejl ved forsiden; brevet vedrører parkeringssagen"}),
            kExitOk)
      << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("er flyttet fra sag 27.24.00-G01-5-19"));
  EXPECT_TRUE(journal->ListDocuments(mette->id, all)->empty());
  EXPECT_EQ(journal->ListDocuments(hanne->id, all)->size(), 2u);
  auto notes = journal->CaseNotes(mette->id, all);
  ASSERT_TRUE(notes);
  ASSERT_EQ(notes->size(), 1u);
  EXPECT_THAT((*notes)[0].text, HasSubstr("parkeringssagen"));

  // The whole story is in the audit log, and it verifies.
  auto audit = journal->VerifyAudit();
  ASSERT_TRUE(audit);
  EXPECT_TRUE(audit->ok);
}

}  // namespace
}  // namespace intake::station

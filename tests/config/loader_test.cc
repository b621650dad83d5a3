#include "config/loader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "tests/support/temp_dir.h"

namespace intake::config {
namespace {

using ::testing::HasSubstr;

ParseOutcome Parse(const std::string& text) { return ParseConfig(text, "station.toml"); }

TEST(ConfigLoader, EmptyFileGivesTheDefaults) {
  ParseOutcome out = Parse("");
  ASSERT_TRUE(out.config) << out.issues.front().ToString();
  Config expected = Defaults();
  expected.source = "station.toml";
  EXPECT_EQ(*out.config, expected);
  EXPECT_EQ(out.config->scanner.profiles.size(), 2u);
  EXPECT_EQ(out.config->ocr.languages, "dan");
}

TEST(ConfigLoader, ReadsEverySection) {
  ParseOutcome out = Parse(R"(
[station]
id = "postrum-1"
data_dir = "/srv/intake"
log_level = "debug"
scan_folder = "/srv/scan"

[journal]
busy_timeout_ms = 2000

[ocr]
languages = "dan+eng"
workers = 2
max_pages_in_memory = 32
page_timeout_s = 60

[pdf]
image_mode = "bilevel"
photo_encoding = "lossless"
jpeg_quality = 60
photo_dpi = 150

[scanner]
default_profile = "post"

[scanner.profiles.post]
device = "fujitsu:fi-7160:1"
source = "duplex"
mode = "lineart"
dpi = 200

[case_numbers.SBSYS]
pattern = '\d{2}\.\d{2}\.\d{2}-[A-ZÆØÅ]\d{2}-\d+-\d{2}'
example = "27.24.00-Ø30-5-19"

[titles]
min_length = 20
vague = ["Brev", "Diverse"]

[cpr]
no_check_digit_dates = ["1960-01-01", 1962-01-01]
)");
  ASSERT_TRUE(out.config) << out.issues.front().ToString();
  const Config& c = *out.config;
  EXPECT_EQ(c.station.id, "postrum-1");
  EXPECT_EQ(c.station.data_dir, "/srv/intake");
  EXPECT_EQ(c.station.scan_folder, "/srv/scan");
  EXPECT_EQ(c.journal.busy_timeout_ms, 2000);
  EXPECT_EQ(c.ocr.languages, "dan+eng");
  EXPECT_EQ(c.ocr.workers, 2);
  EXPECT_EQ(c.pdf.image_mode, ImageMode::kBilevel);
  EXPECT_EQ(c.pdf.photo_encoding, PhotoEncoding::kLossless);
  EXPECT_EQ(c.pdf.jpeg_quality, 60);
  EXPECT_EQ(c.pdf.photo_dpi, 150);
  ASSERT_EQ(c.scanner.profiles.size(), 1u);  // given profiles replace the defaults
  EXPECT_EQ(c.scanner.profiles[0].name, "post");
  EXPECT_EQ(c.scanner.profiles[0].source, ScanSource::kDuplex);
  EXPECT_EQ(c.scanner.profiles[0].mode, ScanMode::kLineart);
  EXPECT_EQ(c.scanner.profiles[0].dpi, 200);
  ASSERT_EQ(c.case_numbers.size(), 1u);
  EXPECT_EQ(c.case_numbers[0].system, "SBSYS");
  EXPECT_EQ(c.titles.min_length, 20);
  EXPECT_EQ(c.titles.vague, (std::vector<std::string>{"Brev", "Diverse"}));
  EXPECT_EQ(c.titles.max_length, 250);  // untouched default
  EXPECT_EQ(c.cpr.no_check_digit_dates,
            (std::vector<std::string>{"1960-01-01", "1962-01-01"}));
}

// The acceptance case of issue #2: a misspelled key, a wrong type and an out-of-range dpi
// give three clear errors with their line numbers.
TEST(ConfigLoader, ReportsMisspelledKeyWrongTypeAndOutOfRangeDpiTogether) {
  ParseOutcome out = Parse(
      "[ocr]\n"                       // 1
      "workers = \"two\"\n"           // 2
      "\n"                            // 3
      "[scanner.profiles.post]\n"     // 4
      "sorce = \"duplex\"\n"          // 5
      "dpi = 5000\n");                // 6
  EXPECT_FALSE(out.config);
  ASSERT_EQ(out.issues.size(), 3u);
  EXPECT_EQ(out.issues[0].line, 2);
  EXPECT_EQ(out.issues[0].key, "ocr.workers");
  EXPECT_THAT(out.issues[0].message, HasSubstr("forventede heltal, fandt tekst \"two\""));
  EXPECT_EQ(out.issues[1].line, 5);
  EXPECT_EQ(out.issues[1].key, "scanner.profiles.post.sorce");
  EXPECT_THAT(out.issues[1].fix, HasSubstr("mente du \"source\""));
  EXPECT_EQ(out.issues[2].line, 6);
  EXPECT_EQ(out.issues[2].key, "scanner.profiles.post.dpi");
  EXPECT_THAT(out.issues[2].message, HasSubstr("5000 ligger uden for det tilladte område 75–1200"));
  EXPECT_EQ(out.issues[2].ToString().rfind("station.toml:6:7: scanner.profiles.post.dpi: ", 0),
            0u)
      << out.issues[2].ToString();
}

struct BadCase {
  const char* name;
  std::string toml;
  int line;             // expected line of the (only) issue
  std::string key;      // expected key
  std::string message;  // expected substring of message or fix
};

void PrintTo(const BadCase& c, std::ostream* os) { *os << c.name; }

class ConfigBadInputTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(ConfigBadInputTest, ReportsOneIssueWithLineKeyAndFix) {
  const BadCase& c = GetParam();
  ParseOutcome out = Parse(c.toml);
  EXPECT_FALSE(out.config);
  ASSERT_EQ(out.issues.size(), 1u) << out.issues.size() << " issues; first: "
                                   << (out.issues.empty() ? "" : out.issues[0].ToString());
  const ConfigIssue& issue = out.issues[0];
  EXPECT_EQ(issue.line, c.line) << issue.ToString();
  EXPECT_EQ(issue.key, c.key) << issue.ToString();
  EXPECT_THAT(issue.message + " " + issue.fix, HasSubstr(c.message)) << issue.ToString();
  EXPECT_FALSE(issue.fix.empty()) << issue.ToString();
  EXPECT_EQ(issue.file, "station.toml");
}

INSTANTIATE_TEST_SUITE_P(
    Table, ConfigBadInputTest,
    ::testing::Values(
        // Malformed TOML: syntax errors stop the parse and are reported with their line.
        BadCase{"unclosed_table", "[station]\n[ocr\nworkers = 1\n", 2, "", "ugyldig TOML"},
        BadCase{"missing_value", "[ocr]\nworkers =\n", 2, "", "ugyldig TOML"},
        BadCase{"duplicate_key", "[ocr]\nworkers = 1\nworkers = 2\n", 3, "", "ugyldig TOML"},
        BadCase{"bad_escape", "[station]\nid = \"a\\qb\"\n", 2, "", "ugyldig TOML"},
        BadCase{"unterminated_string", "[station]\nid = \"abc\n", 2, "", "ugyldig TOML"},
        BadCase{"invalid_utf8", "[station]\nid = \"\xff\xfe\"\n", 2, "", "ugyldig TOML"},
        BadCase{"bare_word", "[ocr]\nlanguages = dan\n", 2, "", "ugyldig TOML"},
        // Structure and unknown keys.
        BadCase{"unknown_section", "[ocrr]\nworkers = 1\n", 1, "ocrr", "mente du \"ocr\""},
        BadCase{"unknown_key_no_suggestion", "[station]\nfoo_bar_baz = 1\n", 2,
                "station.foo_bar_baz", "tilladte nøgler"},
        BadCase{"section_is_value", "ocr = 3\n", 1, "ocr", "forventede tabel"},
        BadCase{"profile_not_table", "[scanner.profiles]\npost = 3\n", 2,
                "scanner.profiles.post", "skal være en tabel"},
        BadCase{"profile_bad_name", "[scanner.profiles.Post]\ndpi = 300\n", 1,
                "scanner.profiles.Post", "ugyldigt profilnavn"},
        // Types.
        BadCase{"float_for_int", "[ocr]\nworkers = 2.5\n", 2, "ocr.workers", "decimaltal"},
        BadCase{"quoted_number", "[scanner.profiles.post]\ndpi = \"300\"\n", 2,
                "scanner.profiles.post.dpi", "uden anførselstegn"},
        BadCase{"bool_for_string", "[station]\nid = true\n", 2, "station.id", "fandt sand/falsk"},
        BadCase{"list_for_string", "[ocr]\nlanguages = [\"dan\"]\n", 2, "ocr.languages",
                "fandt liste"},
        BadCase{"list_element_type", "[titles]\nvague = [\"Brev\", 3]\n", 2, "titles.vague[1]",
                "forventede tekst"},
        // Ranges and enumerations.
        BadCase{"dpi_too_low", "[scanner.profiles.post]\ndpi = 10\n", 2,
                "scanner.profiles.post.dpi", "75–1200"},
        BadCase{"negative_workers", "[ocr]\nworkers = -1\n", 2, "ocr.workers", "0–64"},
        BadCase{"huge_int", "[journal]\nbusy_timeout_ms = 9999999999999\n", 2,
                "journal.busy_timeout_ms", "0–600000"},
        BadCase{"bad_mode", "[scanner.profiles.post]\nmode = \"grey\"\n", 2,
                "scanner.profiles.post.mode", "\"gray\""},
        BadCase{"bad_image_mode", "[pdf]\nimage_mode = \"grey\"\n", 2, "pdf.image_mode",
                "\"gray\""},
        BadCase{"jpeg_quality_too_high", "[pdf]\njpeg_quality = 100\n", 2, "pdf.jpeg_quality",
                "20–95"},
        BadCase{"bad_source", "[scanner.profiles.post]\nsource = \"adf\"\n", 2,
                "scanner.profiles.post.source", "\"feeder\""},
        BadCase{"bad_log_level", "[station]\nlog_level = \"verbose\"\n", 2, "station.log_level",
                "logniveau"},
        BadCase{"postgres_not_yet", "[journal]\nbackend = \"postgresql\"\n", 2,
                "journal.backend", "understøttes endnu ikke"},
        BadCase{"bad_station_id", "[station]\nid = \"post rum\"\n", 2, "station.id", "1–64 tegn"},
        BadCase{"relative_path", "[station]\ndata_dir = \"data\"\n", 2, "station.data_dir",
                "ikke absolut"},
        BadCase{"bad_languages", "[ocr]\nlanguages = \"dan+\"\n", 2, "ocr.languages",
                "adskilt af '+'"},
        BadCase{"bad_cpr_date", "[cpr]\nno_check_digit_dates = [\"1960-02-30\"]\n", 2,
                "cpr.no_check_digit_dates[0]", "ikke en gyldig dato"},
        BadCase{"bad_cpr_date_form", "[cpr]\nno_check_digit_dates = [\"1/1-1960\"]\n", 2,
                "cpr.no_check_digit_dates[0]", "ÅÅÅÅ-MM-DD"},
        BadCase{"min_over_max", "[titles]\nmin_length = 90\nmax_length = 50\n", 2,
                "titles.min_length", "større end max_length"},
        // Case-number patterns.
        BadCase{"pattern_syntax", "[case_numbers.KK]\npattern = '(\\d{4}'\n", 2,
                "case_numbers.KK.pattern", "ugyldigt regulært udtryk"},
        BadCase{"pattern_missing", "[case_numbers.KK]\nexample = \"1\"\n", 1,
                "case_numbers.KK.pattern", "mangler"},
        BadCase{"example_mismatch",
                "[case_numbers.KK]\npattern = '\\d{4}-\\d{7}'\nexample = \"2024-12\"\n", 3,
                "case_numbers.KK.example", "passer ikke"},
        // Cross-field.
        BadCase{"default_profile_missing",
                "[scanner]\ndefault_profile = \"nope\"\n", 2, "scanner.default_profile",
                "findes ikke"}),
    [](const ::testing::TestParamInfo<BadCase>& p) { return std::string(p.param.name); });

TEST(ConfigLoader, ArchiveSectionReadsDestructionTypesAndRefusesABadDefault) {
  ParseOutcome ok = Parse(
      "[archive]\n"
      "destruction_types = [\"kopi\", \"Brev\"]\n"
      "default_disposition = \"pending\"\n");
  ASSERT_TRUE(ok.config) << ok.issues.front().ToString();
  EXPECT_EQ(ok.config->archive.destruction_types, (std::vector<std::string>{"kopi", "Brev"}));
  EXPECT_EQ(ok.config->archive.default_disposition, "pending");
  EXPECT_TRUE(Defaults().archive.destruction_types.empty());

  ParseOutcome bad = Parse(
      "[archive]\n"
      "destruction_types = [\" \"]\n"
      "default_disposition = \"destroy\"\n");
  EXPECT_FALSE(bad.config);
  ASSERT_EQ(bad.issues.size(), 2u);
  EXPECT_EQ(bad.issues[0].key, "archive.destruction_types[0]");
  EXPECT_EQ(bad.issues[1].key, "archive.default_disposition");
  EXPECT_THAT(bad.issues[1].message, HasSubstr("\"keep\" eller \"pending\""));
}

TEST(ConfigLoader, ReportsEveryProblemNotOnlyTheFirst) {
  ParseOutcome out = Parse(
      "[station]\nlog_level = \"x\"\nid = \"a b\"\n[ocr]\nworkers = 99\nlanguage = \"dan\"\n");
  EXPECT_EQ(out.issues.size(), 4u);
  for (size_t i = 1; i < out.issues.size(); ++i) {
    EXPECT_LE(out.issues[i - 1].line, out.issues[i].line);  // in file order
  }
}

TEST(ConfigLoader, PrintedConfigurationParsesBackToTheSame) {
  Config c = Defaults();
  c.station.id = "post-1";
  c.station.data_dir = "/srv/intake";
  c.ocr.workers = 3;
  c.pdf.image_mode = ImageMode::kColor;
  c.pdf.photo_dpi = 300;
  c.scanner.profiles.push_back({"lys", "test:0", ScanSource::kFeeder, ScanMode::kColor, 600});
  c.titles.vague.push_back("Med 'citat' og \"dobbelt\"");
  c.case_numbers.push_back({"ØKO", R"(ØU \d{3}/\d{4})", "ØU 397/2005"});
  ParseOutcome out = Parse(ToToml(c));
  ASSERT_TRUE(out.config) << out.issues.front().ToString() << "\n" << ToToml(c);
  c.source = "station.toml";
  EXPECT_EQ(*out.config, c) << ToToml(*out.config) << "\n---\n" << ToToml(c);
}

TEST(ConfigLoader, CprDatesAcceptTomlDatesAndLeapDays) {
  ParseOutcome out = Parse("[cpr]\nno_check_digit_dates = [1960-01-01, \"2000-02-29\"]\n");
  ASSERT_TRUE(out.config);
  EXPECT_EQ(out.config->cpr.no_check_digit_dates,
            (std::vector<std::string>{"1960-01-01", "2000-02-29"}));
  EXPECT_FALSE(Parse("[cpr]\nno_check_digit_dates = [\"1900-02-29\"]\n").config);
}

TEST(ConfigLoader, LoadConfigFileReportsMissingFileAndDirectory) {
  testing::ScopedTempDir dir;
  ParseOutcome missing = LoadConfigFile(dir.Sub("nope.toml"));
  ASSERT_EQ(missing.issues.size(), 1u);
  EXPECT_EQ(missing.issues[0].line, 0);
  EXPECT_THAT(missing.issues[0].ToString(), HasSubstr("nope.toml: filen findes ikke"));
  ParseOutcome directory = LoadConfigFile(dir.path());
  ASSERT_EQ(directory.issues.size(), 1u);
  EXPECT_THAT(directory.issues[0].message, HasSubstr("mappe"));
}

TEST(ConfigLoader, LoadConfigFileRefusesHugeFiles) {
  testing::ScopedTempDir dir;
  testing::WriteFile(dir.Sub("big.toml"), std::string(2 << 20, '#'));
  ParseOutcome out = LoadConfigFile(dir.Sub("big.toml"));
  ASSERT_EQ(out.issues.size(), 1u);
  EXPECT_THAT(out.issues[0].message, HasSubstr("for stor"));
}

TEST(ConfigLoader, LoadConfigFileUsesThePathInIssues) {
  testing::ScopedTempDir dir;
  testing::WriteFile(dir.Sub("s.toml"), "[ocr]\nworkers = \"x\"\n");
  ParseOutcome out = LoadConfigFile(dir.Sub("s.toml"));
  ASSERT_EQ(out.issues.size(), 1u);
  EXPECT_EQ(out.issues[0].ToString().rfind(dir.Sub("s.toml") + ":2:", 0), 0u);
}

TEST(ConfigLoader, IssueTextMasksCprNumbers) {
  ParseOutcome out = Parse("[station]\nid = \"0101901234 x\"\n");
  ASSERT_EQ(out.issues.size(), 1u);
  EXPECT_THAT(out.issues[0].ToString(), ::testing::Not(HasSubstr("0101901234")));
}

TEST(ResolveDefaults, DerivesPathsFromXdgDataHome) {
  Environment env;
  env.home = "/home/anna";
  env.xdg_data_home = "/data/xdg";
  env.hostname = "post rum.kk.dk";
  Config c = Defaults();
  ResolveDefaults(c, env);
  EXPECT_EQ(c.station.data_dir, "/data/xdg/intake-station");
  EXPECT_EQ(c.journal.database, "/data/xdg/intake-station/journal.sqlite3");
  EXPECT_EQ(c.journal.file_store, "/data/xdg/intake-station/files");
  EXPECT_EQ(c.station.scan_folder, "/data/xdg/intake-station/scan-to-folder");
  EXPECT_EQ(c.station.id, "postrum.kk.dk");
}

TEST(ResolveDefaults, IgnoresRelativeXdgAndExpandsTilde) {
  Environment env;
  env.home = "/home/anna";
  env.xdg_data_home = "relative/path";
  Config c = Defaults();
  ResolveDefaults(c, env);
  EXPECT_EQ(c.station.data_dir, "/home/anna/.local/share/intake-station");
  EXPECT_EQ(c.station.id, "station");

  Config t = Defaults();
  t.station.data_dir = "~/intake";
  t.journal.database = "~/db/j.sqlite3";
  ResolveDefaults(t, env);
  EXPECT_EQ(t.station.data_dir, "/home/anna/intake");
  EXPECT_EQ(t.journal.database, "/home/anna/db/j.sqlite3");
  EXPECT_EQ(t.journal.file_store, "/home/anna/intake/files");
  EXPECT_EQ(t.station.scan_folder, "/home/anna/intake/scan-to-folder");

  Config u = Defaults();
  u.station.scan_folder = "~/scan";
  ResolveDefaults(u, env);
  EXPECT_EQ(u.station.scan_folder, "/home/anna/scan");
}

TEST(ConfigLoader, RefusesRelativeScanFolderNamingTheKey) {
  ParseOutcome out = Parse("[station]\nscan_folder = \"scan\"\n");
  ASSERT_FALSE(out.config);
  ASSERT_EQ(out.issues.size(), 1u);
  EXPECT_THAT(out.issues[0].ToString(), HasSubstr("station.scan_folder"));
}

TEST(FindConfigFile, PrefersOverrideThenXdgConfig) {
  testing::ScopedTempDir dir;
  Environment env;
  env.home = dir.path();
  EXPECT_EQ(FindConfigFile(env), std::nullopt);
  testing::WriteFile(dir.Sub(".config/intake-station/station.toml"), "");
  EXPECT_EQ(FindConfigFile(env), dir.Sub(".config/intake-station/station.toml"));
  env.config_override = "/x/y.toml";
  EXPECT_EQ(FindConfigFile(env), "/x/y.toml");
}

}  // namespace
}  // namespace intake::config

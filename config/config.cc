#include "config/config.h"

namespace intake::config {

std::string_view ScanSourceName(ScanSource source) {
  switch (source) {
    case ScanSource::kFlatbed: return "flatbed";
    case ScanSource::kFeeder: return "feeder";
    case ScanSource::kDuplex: return "duplex";
  }
  return "feeder";
}

std::string_view ScanModeName(ScanMode mode) {
  switch (mode) {
    case ScanMode::kLineart: return "lineart";
    case ScanMode::kGray: return "gray";
    case ScanMode::kColor: return "color";
  }
  return "gray";
}

std::string_view ImageModeName(ImageMode mode) {
  switch (mode) {
    case ImageMode::kAuto: return "auto";
    case ImageMode::kBilevel: return "bilevel";
    case ImageMode::kGray: return "gray";
    case ImageMode::kColor: return "color";
  }
  return "auto";
}

std::string_view PhotoEncodingName(PhotoEncoding enc) {
  switch (enc) {
    case PhotoEncoding::kJpeg: return "jpeg";
    case PhotoEncoding::kLossless: return "lossless";
  }
  return "jpeg";
}

Config Defaults() {
  Config c;
  c.scanner.profiles = {
      {"standard", "", ScanSource::kDuplex, ScanMode::kGray, 300},
      {"foto", "", ScanSource::kFlatbed, ScanMode::kColor, 300},
  };
  // DOMAIN.md section 3. The KK format is an assumption until confirmed locally.
  c.case_numbers = {
      {"SBSYS", R"(\d{2}\.\d{2}\.\d{2}-[A-ZÆØÅ]\d{2}-\d{1,7}-\d{2})", "27.24.00-G01-5-19"},
      {"KK", R"(20\d{2}-\d{7})", "2024-0123456"},
  };
  // DOMAIN.md section 8.
  c.titles.vague = {"Brev",        "Borgerbrev",       "Brev fra borger", "Henvendelse",
                    "Diverse",     "Scan",             "Scanning",        "Scannet dokument",
                    "Dokument",    "Uden titel",       "Test",            "Mail",
                    "Skrivelse",   "Post",             "Notat",           "Bilag",
                    "Kopi",        "Svar",             "Orientering",     "Sagen",
                    "Ansøgning",   "Klage"};
  c.titles.accepted_abbreviations = {
      "ca.",  "f.eks.", "fx",   "hhv.",  "m.fl.", "bl.a.", "kr.",  "j.nr.", "jnr.", "mht.",
      "mv.",  "pga.",   "ang.", "vedr.", "jf.",   "dvs.",  "evt.", "inkl.", "ekskl.", "nr.",
      "stk.", "pct.",   "tlf.", "att.",  "maks.", "CPR",   "CVR",  "KLE",   "BBR",  "EU",
      "kg",   "it"};
  c.titles.chat_shorthand = {"mvh", "pls", "asap", "fyi", "ok"};
  c.titles.strip_prefixes = {"SV:", "VS:", "Re:", "Fwd:", "Fw:", "AW:", "WG:"};
  // cpr.dk "Personnumre uden kontrolciffer", list of 10 May 2023.
  for (int year : {1960, 1962, 1964, 1965, 1966, 1967, 1969, 1970, 1974, 1975, 1978, 1980,
                   1981, 1982, 1983, 1984, 1985, 1986, 1987, 1988, 1989, 1990, 1991, 1992,
                   1994, 1995}) {
    c.cpr.no_check_digit_dates.push_back(std::to_string(year) + "-01-01");
  }
  return c;
}

const ScannerProfile* FindProfile(const Config& config, std::string_view name) {
  for (const auto& p : config.scanner.profiles) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

}  // namespace intake::config

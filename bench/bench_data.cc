#include "bench/bench_data.h"

#include <sys/stat.h>
#include <time.h>

#include <cstdio>
#include <optional>

#include "storage/database.h"

namespace intake::bench {

using storage::Database;
using storage::Statement;

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

const std::vector<std::string> kFirstNames = {
    "Jens",   "Søren",  "Mette",   "Hanne",   "Anne",    "Kirsten",  "Lars",   "Niels",
    "Jørgen", "Peter",  "Henrik",  "Susanne", "Lene",    "Morten",   "Mads",   "Frederikke",
    "Åse",    "Bjørn",  "Ole",     "Birthe",  "Inger",   "Poul",     "Karen",  "Kasper",
    "Sofie",  "Ida",    "Emma",    "Freja",   "Malthe",  "Asger",    "Torben", "Bent",
    "Grethe", "Else",   "Jytte",   "Dorte",   "Rasmus",  "Mikkel",   "Thomas", "Christian",
    "Maja",   "Louise", "Camilla", "Line",    "Signe",   "Ærø",      "Øjvind", "Gunnar",
    "Helle",  "Vibeke", "Anders",  "Jesper",  "Klaus",   "Flemming", "Steen",  "Knud",
    "Aase",   "Tove",   "Ulla",    "Yrsa",    "Laurits", "Villads",  "Bodil",  "Solveig",
    "Merete"};
const std::vector<std::string> kLastNames = {
    "Jensen",      "Nielsen",   "Hansen",    "Pedersen",     "Andersen",    "Christensen",
    "Larsen",      "Sørensen",  "Rasmussen", "Jørgensen",    "Petersen",    "Madsen",
    "Kristensen",  "Olsen",     "Thomsen",   "Christiansen", "Poulsen",     "Johansen",
    "Møller",      "Mortensen", "Østergård", "Kjærgaard",    "Bæk",         "Dalgaard",
    "Lund",        "Holm",      "Skov",      "Friis",        "Brøndum",     "Krogh",
    "Vestergaard", "Nørgaard",  "Damgaard",  "Lauridsen",    "Søndergaard", "Bech",
    "Frandsen",    "Knudsen",   "Mikkelsen", "Svendsen",     "Winther",     "Kjeldsen",
    "Abildgaard",  "Bøgh",      "Høj",       "Gravesen",     "Iversen",     "Juhl",
    "Lykke",       "Ravn",      "Thygesen",  "Ærenlund",     "Øberg"};
const std::vector<std::string> kStreetHeads = {
    "Birke",   "Ege",    "Bøge",   "Skov",   "Mølle",  "Kirke",    "Strand",
    "Enghave", "Blåbær", "Hyld",   "Rønne",  "Æble",   "Kastanje", "Lærke",
    "Solsort", "Grønne", "Nørre",  "Søndre", "Vester", "Øster",    "Kløver",
    "Hassel",  "Rose",   "Valmue", "Fasan",  "Ahorn",  "Pile",     "Hjorte"};
const std::vector<std::string> kStreetTails = {"vej",    "gade",   "allé",  "stræde", "parken",
                                               "toften", "vænget", "haven", "bakken", "høj"};
const std::vector<std::string> kCities = {
    "2300 København S", "2400 København NV", "2500 Valby",          "2600 Glostrup",
    "2700 Brønshøj",    "2720 Vanløse",      "2800 Kongens Lyngby", "2860 Søborg",
    "3000 Helsingør",   "3400 Hillerød",     "4000 Roskilde",       "4200 Slagelse",
    "4600 Køge",        "4700 Næstved",      "5000 Odense C",       "5700 Svendborg",
    "6000 Kolding",     "6700 Esbjerg",      "7100 Vejle",          "7400 Herning",
    "8000 Aarhus C",    "8210 Aarhus V",     "8600 Silkeborg",      "8700 Horsens",
    "8800 Viborg",      "9000 Aalborg",      "9800 Hjørring",       "3700 Rønne",
    "4800 Nykøbing F",  "6200 Aabenraa",     "2630 Taastrup",       "2650 Hvidovre",
    "2750 Ballerup",    "2770 Kastrup",      "2820 Gentofte"};
const std::vector<std::string> kMonths = {"januar",    "februar", "marts",    "april",
                                          "maj",       "juni",    "juli",     "august",
                                          "september", "oktober", "november", "december"};
const std::vector<std::string> kTopics = {"boligstøtte",
                                          "hjemmehjælp",
                                          "kontanthjælp",
                                          "sygedagpenge",
                                          "førtidspension",
                                          "handicapbil",
                                          "personligt tillæg",
                                          "enkeltydelse til tandbehandling",
                                          "fleksjob",
                                          "ressourceforløb",
                                          "byggetilladelse til carport",
                                          "byggetilladelse til tilbygning",
                                          "dispensation fra lokalplan",
                                          "hegnssyn",
                                          "parkeringslicens",
                                          "affaldsgebyr",
                                          "ejendomsskat",
                                          "skolevalg",
                                          "specialundervisning",
                                          "pladsanvisning i dagtilbud",
                                          "fritidspas",
                                          "befordringsgodtgørelse",
                                          "hjælpemidler",
                                          "boligændring",
                                          "ledsageordning",
                                          "tabt arbejdsfortjeneste",
                                          "merudgifter til voksne",
                                          "plejevederlag",
                                          "ældrebolig",
                                          "madservice",
                                          "genoptræning",
                                          "rehabilitering",
                                          "misbrugsbehandling",
                                          "økonomisk friplads",
                                          "særligt dyre enkeltanskaffelser",
                                          "flyttehjælp",
                                          "beboerindskudslån",
                                          "sygebehandling",
                                          "briller til barn",
                                          "kørekort til handicapbil",
                                          "vinterbeboelse",
                                          "træfældning",
                                          "støjgener fra naboejendom",
                                          "rottebekæmpelse",
                                          "vejbelysning",
                                          "snerydning",
                                          "udstykning",
                                          "jordforurening",
                                          "dræning af grund",
                                          "hundeluftning",
                                          "aflastningsplads",
                                          "plejebolig",
                                          "visitation til dagcenter",
                                          "botilbud",
                                          "mentorstøtte",
                                          "løntilskud",
                                          "virksomhedspraktik",
                                          "uddannelseshjælp",
                                          "integrationsydelse",
                                          "børnefaglig undersøgelse",
                                          "samvær",
                                          "underretning om barn",
                                          "forældrepålæg",
                                          "skolebuskort",
                                          "frit skolevalg",
                                          "SFO-plads",
                                          "klubkontingent",
                                          "aktindsigt i egen sag"};
const std::vector<std::string> kTitleTemplates = {"Brev fra borger af {D} om {T}",
                                                  "Klage over afgørelse om {T}",
                                                  "Ansøgning om {T}",
                                                  "Partshøring vedrørende {T}",
                                                  "Lægeerklæring vedrørende {T}",
                                                  "Afgørelse om {T}",
                                                  "Anmodning om aktindsigt vedrørende {T}",
                                                  "Notat om telefonsamtale om {T}",
                                                  "Indsigelse mod afslag på {T}",
                                                  "Svar på partshøring om {T}",
                                                  "Supplerende oplysninger til ansøgning om {T}",
                                                  "Henvendelse fra pårørende om {T}",
                                                  "Genoptagelse af sag om {T}",
                                                  "Rykker for svar om {T}",
                                                  "Kvittering for modtaget {T}",
                                                  "Brev fra advokat af {D} om {T}",
                                                  "Udtalelse fra egen læge om {T}",
                                                  "Oplysningsskema vedrørende {T}"};
const std::vector<std::string> kDocTypes = {"brev",          "klage",     "ansøgning",
                                            "notat",         "afgørelse", "partshøring",
                                            "lægeerklæring", "e-mail",    "aktindsigt"};
const std::vector<std::string> kDepartments = {"Borgerservice",
                                               "Jobcenter",
                                               "Social- og Sundhedsforvaltningen",
                                               "Teknik og Miljø",
                                               "Børne- og Ungdomsforvaltningen",
                                               "Ydelsesservice",
                                               "Visitationen",
                                               "Byggesager",
                                               "Pladsanvisningen",
                                               "Handicap og Psykiatri"};

namespace {

// The citizen a case is about, with a surname of their own: 50 × 20 × 10 × 10 = 100,000
// surnames built from Danish place-name parts ("Skovbjerggaard", "Brøndholmsen"), one per
// case up to 100,000 cases (the case number is spread over them by a multiplier coprime to
// 100,000). Most letters on a case come from its citizen, so each surname is a rare word:
// in the letters of one case, a handful of documents, as a real citizen's name is.
const std::vector<std::string> kNameHeads = {
    "Skov",  "Brønd",  "Kjær",   "Holm",   "Lund", "Dal",   "Bæk",  "Mølle",  "Fjord",  "Hede",
    "Sand",  "Stub",   "Ring",   "Ager",   "Lyng", "Birk",  "Ege",  "Hessel", "Grav",   "Vester",
    "Øster", "Nør",    "Sønder", "Mark",   "Toft", "Krog",  "Bro",  "Kirke",  "Strand", "Hav",
    "Vind",  "Sol",    "Rav",    "Ulv",    "Ørne", "Hjort", "Ræve", "Trane",  "Stor",   "Lille",
    "Ny",    "Gammel", "Lerche", "Bjerre", "Kol",  "Vad",   "Vang", "Ved",    "Å",      "Sø"};
const std::vector<std::string> kNameMiddles = {
    "bjerg", "dal", "gaard", "holm", "lund", "mose", "bæk", "høj", "strup", "rup",
    "sted",  "by",  "lev",   "toft", "skov", "hede", "vig", "næs", "ø",     "borg"};
const std::vector<std::string> kNameJoins = {"",   "s",   "e",  "in",  "ing",
                                             "el", "ert", "um", "ild", "ager"};
const std::vector<std::string> kNameTails = {"",     "sen",   "gaard", "holm",  "er",
                                             "mann", "feldt", "berg",  "strøm", "dahl"};

}  // namespace

std::string CitizenName(int64_t case_id) {
  const int64_t k = (case_id * 7919) % 100000;
  return kFirstNames[static_cast<size_t>(case_id) % kFirstNames.size()] + " " +
         kNameHeads[static_cast<size_t>(k % 50)] + kNameMiddles[static_cast<size_t>(k / 50 % 20)] +
         kNameJoins[static_cast<size_t>(k / 1000 % 10)] +
         kNameTails[static_cast<size_t>(k / 10000 % 10)];
}

std::string CaseReference(int64_t i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04lld-%07lld", static_cast<long long>(2019 + i % 8),
                static_cast<long long>(100000 + i));
  return buf;
}

std::string Fill(const std::string& tpl, Gen& g, const std::string& topic, int64_t day,
                 const std::string& reference) {
  std::string out;
  out.reserve(tpl.size() + 40);
  for (size_t i = 0; i < tpl.size(); ++i) {
    if (tpl[i] != '{' || i + 2 >= tpl.size() || tpl[i + 2] != '}') {
      out += tpl[i];
      continue;
    }
    switch (tpl[i + 1]) {
      case 'T':
        out += topic;
        break;
      case 'N':
        out += g.Pick(kFirstNames) + " " + g.Pick(kLastNames);
        break;
      case 'A':
        out += std::to_string(g.Uniform(2, 400) * 125);
        break;
      case 'D':
        out += LongDate(day - g.Uniform(0, 200));
        break;
      case 'S':
        out +=
            g.Pick(kStreetHeads) + g.Pick(kStreetTails) + " " + std::to_string(g.Uniform(1, 180));
        break;
      case 'C':
        out += g.Pick(kCities).substr(5);
        break;
      case 'W':
        out += std::to_string(g.Uniform(2, 30));
        break;
      case 'R':
        out += reference;
        break;
      case 'K':
        out += g.Pick(kFirstNames);
        break;
      case 'P':
        out += std::to_string(g.Uniform(20000000, 99999999));
        break;
      default:
        out += tpl.substr(i, 3);
        break;
    }
    i += 2;
  }
  return out;
}

// Days since 1970-01-01 → YYYY-MM-DD (civil-from-days, Howard Hinnant's algorithm).
Ymd FromDays(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return {static_cast<int>(yoe + era * 400 + (m <= 2)), m, d};
}
std::string IsoDate(int64_t days) {
  const Ymd t = FromDays(days);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", t.y, t.m, t.d);
  return buf;
}
std::string LongDate(int64_t days) {
  const Ymd t = FromDays(days);
  return std::to_string(t.d) + ". " + kMonths[static_cast<size_t>(t.m - 1)] + " " +
         std::to_string(t.y);
}

int64_t Today() { return static_cast<int64_t>(std::time(nullptr)) / 86400; }

Status InsertCases(Database& db, Gen& g, int64_t cases) {
  const std::vector<std::string> kGroups = {"familie-følsom", "jobcenter-følsom", "personale"};
  storage::Transaction t(db);
  INTAKE_RETURN_IF_ERROR(t.Begin());
  INTAKE_ASSIGN_OR_RETURN(
      Statement ins,
      db.Prepare(
          "INSERT INTO cases (id, system, reference, reference_norm, title, status, kle_subject, "
          "kle_facet, caseworker, unit, restricted, access_group, created) "
          "VALUES (?1, 'KK', ?2, ?2, ?3, ?4, ?5, 'G01', ?6, ?7, ?8, ?9, ?10)"));
  for (int64_t c = 1; c <= cases; ++c) {
    const bool restricted = g.Real() < 0.05;
    INTAKE_RETURN_IF_ERROR(ins.Reset());
    ins.Bind(1, c)
        .Bind(2, CaseReference(c))
        .Bind(3, "Sag om " + kTopics[g.Zipf(kTopics.size())])
        .Bind(4, g.Real() < 0.8 ? "open" : "closed")
        .Bind(5, "27." + std::to_string(10 + g.Uniform(0, 80)) + ".00")
        .Bind(6, g.Pick(kFirstNames) + " " + g.Pick(kLastNames))
        .Bind(7, g.Pick(kDepartments))
        .Bind(8, restricted ? 1 : 0)
        .Bind(9, restricted ? std::optional<std::string>(g.Pick(kGroups)) : std::nullopt)
        .Bind(10, IsoDate(kFirstDay + g.Uniform(0, 30)) + "T08:00:00Z");
    INTAKE_RETURN_IF_ERROR(ins.Run());
  }
  return t.Commit();
}

int64_t FileSize(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? static_cast<int64_t>(st.st_size) : 0;
}

std::string MetaValue(Database& db, const std::string& key) {
  auto st = db.Prepare("SELECT value FROM meta WHERE key = ?1");
  if (!st) return "";
  st->Bind(1, key);
  auto row = st->Step();
  return row && *row ? st->Text(0) : "";
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t k = static_cast<size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(k, v.size() - 1)];
}

}  // namespace intake::bench

#include "station/title_check.h"

#include <algorithm>
#include <regex>
#include <set>

#include "base/cpr_mask.h"
#include "base/danish_case.h"
#include "base/danish_date.h"
#include "base/danish_ids.h"

namespace intake::station {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

std::string Collapsed(std::string_view text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (IsSpace(c)) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

size_t Characters(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

bool HasDigit(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool IsLetterByte(char c) {
  const unsigned char u = static_cast<unsigned char>(c);
  return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || u >= 0x80;
}

std::string Quoted(std::string_view s) { return "«" + std::string(s) + "»"; }

// `word` without the punctuation around it that is never part of an abbreviation:
// quotes, brackets, commas, colons and semicolons (dots are kept).
std::string_view Bare(std::string_view word) {
  const std::string_view kEdge = "\"'()[]{},:;!?«»";
  while (!word.empty() && kEdge.find(word.front()) != std::string_view::npos) word.remove_prefix(1);
  while (!word.empty() && kEdge.find(word.back()) != std::string_view::npos) word.remove_suffix(1);
  return word;
}

// The title's words with their byte offsets (split at whitespace).
struct Word {
  std::string_view text;
  size_t begin;
};

std::vector<Word> Words(std::string_view title) {
  std::vector<Word> words;
  size_t i = 0;
  while (i < title.size()) {
    while (i < title.size() && IsSpace(title[i])) ++i;
    const size_t b = i;
    while (i < title.size() && !IsSpace(title[i])) ++i;
    if (i > b) words.push_back(Word{title.substr(b, i - b), b});
  }
  return words;
}

// Strips e-mail prefixes (repeatedly: "SV: VS: Fwd:") and a file extension.
std::string Clean(std::string_view raw, const config::TitleRules& rules,
                  std::vector<std::string>* changes) {
  std::string title = Collapsed(raw);
  for (bool stripped = true; stripped;) {
    stripped = false;
    const std::string low = LowerDanish(title);
    for (const std::string& prefix : rules.strip_prefixes) {
      const std::string p = LowerDanish(prefix);
      if (!p.empty() && low.compare(0, p.size(), p) == 0) {
        changes->push_back(Quoted(title.substr(0, p.size())) + " fjernet fra titlens begyndelse");
        title = Collapsed(title.substr(p.size()));
        stripped = true;
        break;
      }
    }
  }
  static const std::regex kExtension(
      R"(\.(pdf|tif|tiff|jpg|jpeg|png|gif|bmp|heic|docx?|odt|rtf|txt|msg|eml|xlsx?)$)",
      std::regex::icase);
  std::smatch m;
  if (std::regex_search(title, m, kExtension)) {
    changes->push_back("filendelsen " + Quoted(m.str()) + " fjernet");
    title = Collapsed(title.substr(0, static_cast<size_t>(m.position(0))));
  }
  return title;
}

// Words linking a document type to a date or a sender; trimmed before the vague check.
const std::set<std::string>& LinkingWords() {
  static const std::set<std::string> kWords = {"af", "fra",   "den",  "d.",   "om",  "til", "på",
                                               "i",  "vedr.", "vedr", "ang.", "ang", "-",   "–"};
  return kWords;
}

constexpr const char kExample[] =
    "fx «Brev fra Mette Jensen af 11. januar 2026 om klage over afslag på boligstøtte»";

}  // namespace

std::string_view TitleRuleName(TitleRule rule) {
  switch (rule) {
    case TitleRule::kTooShort:
      return "for_kort";
    case TitleRule::kTooLong:
      return "for_lang";
    case TitleRule::kVague:
      return "intetsigende";
    case TitleRule::kNoWords:
      return "uden_ord";
    case TitleRule::kFileName:
      return "filnavn";
    case TitleRule::kHomeMadeAbbreviation:
      return "hjemmelavet_forkortelse";
    case TitleRule::kMissingDot:
      return "manglende_punktum";
    case TitleRule::kChatShorthand:
      return "chatforkortelse";
    case TitleRule::kCprNumber:
      return "cpr_nummer";
    case TitleRule::kDescriptionRequired:
      return "beskrivelse_mangler";
  }
  return "ukendt";
}

TitleCheck CheckTitle(std::string_view raw, const config::TitleRules& rules,
                      const TitleContext& context) {
  TitleCheck check;
  check.title = Clean(raw, rules, &check.changes);
  const std::string& title = check.title;
  const auto problem = [&](TitleRule rule, std::string message) {
    check.problems.push_back(TitleProblem{rule, std::move(message)});
  };

  if (context.image_only && Collapsed(context.description).empty()) {
    problem(TitleRule::kDescriptionRequired,
            "dokumentet har ingen tekst (et foto eller en tegning): skriv en beskrivelse af, "
            "hvad det viser");
  }
  if (ContainsCprLike(title)) {
    // The title is never quoted back: it holds a CPR number.
    problem(TitleRule::kCprNumber,
            "titlen indeholder et CPR-nummer; en titel må aldrig indeholde CPR-numre (skriv fx "
            "borgerens navn i stedet)");
    return check;
  }
  const size_t chars = Characters(title);
  if (chars < static_cast<size_t>(rules.min_length)) {
    problem(TitleRule::kTooShort, "titlen er for kort (" + std::to_string(chars) +
                                      " tegn; mindst " + std::to_string(rules.min_length) +
                                      "): skriv hvad dokumentet er, hvem det er fra og om hvad, " +
                                      kExample);
  }
  if (chars > static_cast<size_t>(rules.max_length)) {
    problem(TitleRule::kTooLong, "titlen er for lang (" + std::to_string(chars) + " tegn; højst " +
                                     std::to_string(rules.max_length) +
                                     "): skriv det vigtigste i titlen og resten i beskrivelsen");
  }

  // Dates, with their "d." and weekday, are left out of the word rules.
  DateOptions date_options;
  date_options.reference = LocalToday();
  const std::vector<FoundDate> dates = FindDates(title, date_options);
  const auto in_date = [&](const Word& w) {
    return std::any_of(dates.begin(), dates.end(),
                       [&](const FoundDate& d) { return w.begin >= d.begin && w.begin < d.end; });
  };
  const std::vector<Word> words = Words(title);

  // File names: one word with an underscore and digits, or a camera or scanner name.
  static const std::regex kFileName(
      R"(^(img|dsc|dscn|dcim|pxl|scan|scanned|scanning|document|dokument|doc|image|billede|foto)[_ -]?\d+.*$|^[^ ]*_[^ ]*\d{3,}[^ ]*$)",
      std::regex::icase);
  if (std::regex_match(title, kFileName)) {
    problem(TitleRule::kFileName, Quoted(title) +
                                      " ligner et filnavn, ikke en titel: skriv hvad "
                                      "dokumentet er, " +
                                      kExample);
    return check;
  }

  // Only digits, dates and case numbers?
  std::vector<std::string> content;  // lower-case words outside dates, without punctuation
  for (const Word& w : words) {
    if (in_date(w) || HasDigit(w.text)) continue;
    std::string_view bare = Bare(w.text);
    if (std::none_of(bare.begin(), bare.end(), IsLetterByte)) continue;
    content.push_back(LowerDanish(bare));
  }
  if (content.empty()) {
    problem(TitleRule::kNoWords,
            "titlen består kun af tal, en dato eller et sagsnummer: skriv "
            "hvad dokumentet er, " +
                std::string(kExample));
    return check;
  }

  // Vague: the words left when linking words at either end are trimmed.
  {
    std::vector<std::string> core = content;
    for (std::string& w : core) {
      if (!w.empty() && w.back() == '.' && !LinkingWords().count(w)) w.pop_back();
    }
    const auto linking = [](const std::string& w) { return LinkingWords().count(w) > 0; };
    while (!core.empty() && linking(core.back())) core.pop_back();
    while (!core.empty() && linking(core.front())) core.erase(core.begin());
    // "<vague> fra borger(en)" says no more than the vague word.
    if (core.size() >= 3 && core[core.size() - 2] == "fra" &&
        (core.back() == "borger" || core.back() == "borgeren")) {
      core.resize(core.size() - 2);
    }
    std::string joined;
    for (const std::string& w : core) joined += (joined.empty() ? "" : " ") + w;
    for (const std::string& vague : rules.vague) {
      if (!joined.empty() && LowerDanish(vague) == joined) {
        problem(TitleRule::kVague, Quoted(title) +
                                       " siger ikke, hvad dokumentet handler om: "
                                       "skriv hvad, hvem og hvornår, " +
                                       kExample);
        break;
      }
    }
  }

  // Abbreviations, missing dots, chat shorthand.
  std::set<std::string> accepted;
  std::set<std::string> undotted;  // accepted abbreviations with dots, written without them
  for (const std::string& a : rules.accepted_abbreviations) {
    const std::string low = LowerDanish(a);
    accepted.insert(low);
    std::string bare;
    for (char c : low) {
      if (c != '.') bare += c;
    }
    if (bare != low && bare.size() >= 2) undotted.insert(bare);
  }
  for (const std::string& a : rules.accepted_abbreviations) undotted.erase(LowerDanish(a));
  std::set<std::string> chat;
  for (const std::string& c : rules.chat_shorthand) chat.insert(LowerDanish(c));
  std::set<std::string> reported;
  for (size_t k = 0; k < words.size(); ++k) {
    const Word& w = words[k];
    if (in_date(w) || HasDigit(w.text)) continue;
    const std::string_view bare = Bare(w.text);
    const std::string low = LowerDanish(bare);
    if (low.empty() || !reported.insert(low).second) continue;
    std::string letters_only = low;
    while (!letters_only.empty() && letters_only.back() == '.') letters_only.pop_back();
    if (chat.count(letters_only) > 0) {
      problem(TitleRule::kChatShorthand,
              Quoted(bare) + " hører ikke hjemme i en titel: skriv ordene helt ud");
      continue;
    }
    if (accepted.count(low) > 0) continue;
    if (undotted.count(low) > 0) {
      std::string proper;
      for (const std::string& a : rules.accepted_abbreviations) {
        std::string b;
        for (char c : LowerDanish(a)) {
          if (c != '.') b += c;
        }
        if (b == low) proper = a;
      }
      problem(TitleRule::kMissingDot, Quoted(bare) + " skrives " + Quoted(proper) +
                                          " (Retskrivningsordbogen), eller skriv ordet helt ud");
      continue;
    }
    const bool last = k + 1 == words.size();
    if (low.back() == '.' && !last) {
      const size_t letter_count = Characters(letters_only);
      const bool dots_inside = letters_only.find('.') != std::string::npos;
      // A capital with a dot is a person's initial ("Jens A. Hansen").
      const bool initial = letter_count == 1 && bare[0] >= 'A' && bare[0] <= 'Z';
      if (!initial && letter_count >= 1 && (letter_count <= 5 || dots_inside)) {
        problem(TitleRule::kHomeMadeAbbreviation,
                Quoted(bare) +
                    " er en forkortelse, som ikke er almindeligt kendt: skriv ordet "
                    "helt ud (kendte forkortelser som ca., f.eks., vedr. og j.nr. er "
                    "i orden)");
      }
    }
  }
  return check;
}

}  // namespace intake::station

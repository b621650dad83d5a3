// Suggested titles from the OCR text of letters (issue #7; DOMAIN.md sections 6-8). The
// letters are written for these tests in the shapes post rooms receive: citizens' letters,
// company letters and invoices, doctors' statements, printed e-mails, with OCR's extra
// spaces, capitals and broken words.
#include "station/title_suggest.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "base/cpr_mask.h"

namespace intake::station {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;
using ::testing::StartsWith;

DateOptions Dates() {
  DateOptions options;
  options.reference = std::chrono::year_month_day{std::chrono::year{2026}, std::chrono::month{1},
                                                  std::chrono::day{20}};
  return options;
}

const config::TitleRules& Rules() {
  static const config::TitleRules rules = config::Defaults().titles;
  return rules;
}

LetterFacts Read(const std::string& text) { return ReadLetterFacts(text, Dates()); }

// A citizen's complaint, the shape of the example.
constexpr char kComplaint[] =
    "Mette Jensen\n"
    "Østergade 12, 2. th.\n"
    "8000 Aarhus C\n"
    "\n"
    "Aarhus Kommune\n"
    "Borgerservice\n"
    "Rådhuspladsen 2\n"
    "8000 Aarhus C\n"
    "\n"
    "Aarhus, den 11. januar 2026\n"
    "\n"
    "Vedr.: Klage over afslag på boligstøtte\n"
    "\n"
    "Kære sagsbehandler\n"
    "\n"
    "Jeg modtog den 3. december 2025 jeres afgørelse, hvor I giver afslag på min\n"
    "ansøgning om boligstøtte. Jeg mener ikke, at min indkomst er opgjort rigtigt,\n"
    "da min datter er flyttet hjemmefra den 1. oktober 2025.\n"
    "\n"
    "Jeg beder jer derfor se på sagen igen.\n"
    "\n"
    "Med venlig hilsen\n"
    "\n"
    "Mette Jensen\n"
    "Østergade 12, 2. th.\n"
    "8000 Aarhus C\n";

TEST(TitleSuggest, ReadsTypeSenderDateAndSubjectOfACitizensComplaint) {
  const LetterFacts facts = Read(kComplaint);
  EXPECT_EQ(facts.doc_type, "Klage");
  EXPECT_EQ(facts.sender, "Mette Jensen");
  EXPECT_EQ(facts.letter_date, "2026-01-11");
  EXPECT_EQ(facts.subject, "klage over afslag på boligstøtte");
  ASSERT_THAT(facts.reasons, SizeIs(4));
  EXPECT_THAT(facts.reasons[0], HasSubstr("«Klage»"));
  EXPECT_THAT(facts.reasons[1], HasSubstr("efter «Med venlig hilsen»"));
  EXPECT_THAT(facts.reasons[2], HasSubstr("«Aarhus, den 11. januar 2026» (sted og dato)"));
  EXPECT_THAT(facts.reasons[3], HasSubstr("«Vedr.: »"));

  const TitleSuggestion s = SuggestTitle(facts, Rules());
  EXPECT_EQ(s.title, "Klage fra Mette Jensen af 11. januar 2026 om afslag på boligstøtte");
  EXPECT_TRUE(s.check.accepted());
  EXPECT_EQ(s.check.title, s.title);
  EXPECT_THAT(s.notes, IsEmpty());
}

TEST(TitleSuggest, AFieldLabelOnTheNextLineEndsTheSubject) {
  // Seen in generated doctors' statements: the patient line under the subject.
  const LetterFacts facts = Read(
      "Lægehuset Viborg\n\nViborg, den 9. oktober 2026\n\nVedr.: arbejdsevne og "
      "sygdomsforløb\nPatient: Tove Rasmussen\n\nPatienten har været i behandling.\n");
  EXPECT_EQ(facts.subject, "arbejdsevne og sygdomsforløb");
}

TEST(TitleSuggest, AnInformalReferenceLineEndsTheSubject) {
  // Found by the browser test's demo letters: "Jeres sagsnr.:" (the informal "your") under
  // the subject was read as its last word ("... om afslag på boligstøtte Jeres").
  const LetterFacts facts = Read(
      "Mette Jensen\nSkovvej 4\n8000 Aarhus C\n\nAarhus, den 18. november 2026\n\nVedr.: "
      "afslag på boligstøtte\nJeres sagsnr.: 27.12.00-A00-7-26\n\nJeg klager over afslaget.\n");
  EXPECT_EQ(facts.subject, "afslag på boligstøtte");
}

TEST(TitleSuggest, ReadsTheLetterDateInEveryFormOfDomainSection6) {
  const struct {
    const char* line;
    const char* iso;
  } kCases[] = {
      {"Aarhus, den 11. januar 2026", "2026-01-11"},
      {"Kbh. d. 11/1-2026", "2026-01-11"},
      {"Vejle, onsdag den 14. januar 2026", "2026-01-14"},
      {"d. 11. jan. 2026", "2026-01-11"},
      {"Odense 11.01.2026", "2026-01-11"},
      {"11.1.26", "2026-01-11"},
      {"Horsens 11-01-2026", "2026-01-11"},
      {"Aalborg, 11/1 2026", "2026-01-11"},
      {"2026-01-11", "2026-01-11"},
      {"Dato: 09.01.2026", "2026-01-09"},
      {"Randers, den 2. DECEMBER 2025", "2025-12-02"},
  };
  for (const auto& c : kCases) {
    const std::string text = std::string("Jens Hansen\nVestergade 3\n7100 Vejle\n\n") + c.line +
                             "\n\nVedr.: Ansøgning om tilskud til briller\n\nKære Vejle "
                             "Kommune\n\nJeg søger om tilskud.\n\nMvh\nJens Hansen\n";
    const LetterFacts facts = Read(text);
    EXPECT_EQ(facts.letter_date, c.iso) << c.line;
  }
}

TEST(TitleSuggest, ReadsEverySubjectMarkerInAnyLetterCase) {
  for (const char* marker : {"Vedr.:", "Vedr.", "Vedr:", "Vedrørende:", "Vedrørende",
                             "Ang.:", "Ang.", "Angående:", "Angående", "Emne:", "Emne",
                             "Om:", "VEDR.:", "VEDRØRENDE:", "ANGÅENDE:", "vedr .:", "EMNE :"}) {
    const std::string text = std::string(
                                 "Peter Holm\nSkovvej 1\n4000 Roskilde\n\nRoskilde, "
                                 "den 8. januar 2026\n\n") +
                             marker +
                             " Tilskud til   tandbehandling\n\nJeg vedlægger regningen fra "
                             "tandlægen.\n\nMed venlig hilsen\nPeter Holm\n";
    EXPECT_EQ(Read(text).subject, "tilskud til tandbehandling") << marker;
  }
  // "Om" opens sentences; without its colon it is no marker, and a marker word inside a
  // sentence is none either.
  EXPECT_EQ(Read("Om mandagen kommer hjemmehjælperen.\nDet angår min mor.\n").subject, "");
}

TEST(TitleSuggest, TakesTheSenderFromTheLinesAfterTheClosing) {
  const struct {
    const char* closing;
    const char* sender;
  } kCases[] = {
      {"Med venlig hilsen\n\nMette Jensen\nØstergade 12\n8000 Aarhus C\n", "Mette Jensen"},
      {"Mvh\nJens Hansen\n", "Jens Hansen"},
      {"Mvh. Jens Hansen\n", "Jens Hansen"},
      {"Venlig hilsen,\n\n~~~\nMETTE  JENSEN\nTlf. 12 34 56 78\n", "Mette Jensen"},
      {"Med venlige hilsner\n\nAnne-Marie Holm-Nielsen\n", "Anne-Marie Holm-Nielsen"},
      {"Med venlig hilsen\n\nAdvokat Hans A. Hansen\n", "Hans A. Hansen"},
      {"Med venlig hilsen\nReservelæge Ida Nørgaard\nRigshospitalet\n", "Rigshospitalet"},
      {"De bedste hilsner\nJytte\n", "Jytte"},
      {"MED VENLIG HILSEN\nKirsten Ørum Bæk\n", "Kirsten Ørum Bæk"},
  };
  for (const auto& c : kCases) {
    const std::string text = std::string(
                                 "Vejle, den 12. januar 2026\n\nVedr.: Støj fra "
                                 "genbrugspladsen\n\nKære Vejle Kommune\n\nDer er "
                                 "meget støj om natten.\n\n") +
                             c.closing;
    const LetterFacts facts = Read(text);
    EXPECT_EQ(facts.sender, c.sender) << c.closing;
    EXPECT_THAT(facts.reasons[1], HasSubstr("afsender fra linjen efter")) << c.closing;
  }
  // A role line alone is not a name.
  EXPECT_EQ(Read("Tak for hjælpen.\n\nMed venlig hilsen\n\nSagsbehandler\n").sender, "");
}

TEST(TitleSuggest, PrefersTheCompanyToThePersonSigningForIt) {
  const std::string text =
      "Jensens VVS ApS\n"
      "Industrivej 4\n"
      "8600 Silkeborg\n"
      "CVR-nr. 13748136\n"
      "\n"
      "FAKTURA\n"
      "\n"
      "Silkeborg Kommune\n"
      "Ejendomsservice\n"
      "\n"
      "Fakturadato: 05.01.2026\n"
      "Fakturanr.: 2026-0017\n"
      "\n"
      "Emne: Udskiftning af radiatorer på Lysbro Skole\n"
      "\n"
      "3 radiatorer à 4.200 kr. ............ 12.600,00 kr.\n"
      "Arbejdsløn ......................... 6.400,00 kr.\n"
      "I alt inkl. moms ................... 19.000,00 kr.\n"
      "\n"
      "Betales senest den 4. februar 2026.\n"
      "\n"
      "Med venlig hilsen\n"
      "Peter Jensen\n"
      "Jensens VVS ApS\n";
  const LetterFacts facts = Read(text);
  EXPECT_EQ(facts.sender, "Jensens VVS ApS");
  EXPECT_EQ(facts.doc_type, "Faktura");
  EXPECT_EQ(facts.letter_date, "2026-01-05");
  const TitleSuggestion s = SuggestTitle(facts, Rules());
  EXPECT_EQ(s.title,
            "Faktura fra Jensens VVS ApS af 5. januar 2026 om udskiftning af radiatorer på "
            "Lysbro Skole");
  EXPECT_TRUE(s.check.accepted());
}

TEST(TitleSuggest, LetterDateIsNotAReceivedStampOrALaterDateInTheBody) {
  // The stamp comes first in the OCR text, the letter date after it, body dates later.
  const std::string text =
      "MODTAGET 13 JAN. 2026\n"
      "Aarhus Kommune\n"
      "\n"
      "Lene Sørensen\n"
      "Bakkevej 7\n"
      "8210 Aarhus V\n"
      "\n"
      "Aarhus V, d. 9. januar 2026\n"
      "\n"
      "Ang.: Hjemmehjælp til min mor\n"
      "\n"
      "Kære Aarhus Kommune\n"
      "\n"
      "Min mor fik den 15. januar 2026 besked om, at hjælpen stopper.\n"
      "Hun har ikke fået svar på sin henvendelse fra den 2. november 2025.\n"
      "\n"
      "Mvh\n"
      "Lene Sørensen\n";
  const LetterFacts facts = Read(text);
  EXPECT_EQ(facts.letter_date, "2026-01-09");
  EXPECT_THAT(facts.reasons[2], AllOf(HasSubstr("«Aarhus V, d. 9. januar 2026»"),
                                      HasSubstr("ikke brevdatoen: «MODTAGET 13 JAN. 2026»")));
  // A date inside a sentence near the top of a short letter is the body's.
  EXPECT_EQ(Read("Kære Anders\n\nJeg skriver fordi I har stoppet min pension den 1. januar "
                 "2026.\nHvad skal jeg gøre?\n\nDe bedste hilsner\nJytte\n")
                .letter_date,
            std::nullopt);
  // A stamp split over two lines ("Modtaget" above the date) is a stamp too.
  const std::string split = "Modtaget\n14.01.26\n\nKære kommune\n\nTak.\n\nMvh\nLene Sørensen\n";
  EXPECT_EQ(Read(split).letter_date, std::nullopt);
}

TEST(TitleSuggest, OnlyAStampAndBodyDatesGiveNoLetterDate) {
  const std::string text =
      "Modt. 13.01.26\n"
      "\n"
      "Hans Nielsen\n"
      "Kirkevej 2\n"
      "5000 Odense C\n"
      "\n"
      "Odense Kommune\n"
      "Ældre og Handicap\n"
      "\n"
      "Vedr.: Ansøgning om rollator\n"
      "\n"
      "Kære Odense Kommune\n"
      "\n"
      "Jeg faldt i min have, og siden har jeg haft svært ved at gå.\n"
      "Lægen så på mit ben og sagde, at jeg skulle søge om en rollator.\n"
      "Jeg var til kontrol på sygehuset den 2. januar 2026 og fik samme råd.\n"
      "\n"
      "Med venlig hilsen\n"
      "Hans Nielsen\n";
  const LetterFacts facts = Read(text);
  EXPECT_EQ(facts.letter_date, std::nullopt);
  EXPECT_THAT(facts.reasons[2], AllOf(HasSubstr("ingen brevdato"), HasSubstr("«Modt. 13.01.26»")));
  const TitleSuggestion s = SuggestTitle(facts, Rules());
  EXPECT_EQ(s.title, "Ansøgning fra Hans Nielsen om rollator");
  EXPECT_TRUE(s.check.accepted());
}

TEST(TitleSuggest, RemovesCprNumbersFromTheSubjectAndNeverPutsOneInATitle) {
  for (const char* line : {"Vedr.: Ansøgning om boligstøtte, CPR-nr. 010190-1234",
                           "Vedr.: Ansøgning om boligstøtte (cpr.nr. 0101901234)",
                           "Vedr.: 010190-1234 ansøgning om boligstøtte",
                           "Vedr.: Ansøgning om boligstøtte - CPR: 01 01 90-1234",
                           "Vedr.: Ansøgning om boligstøtte, Personnummer: 01O190-1234",
                           "Vedr.: Ansøgning om boligstøtte 010190 1234"}) {
    const std::string text = std::string("Esbjerg, den 6. januar 2026\n\n") + line +
                             "\n\nKære kommune\n\nSe vedlagte.\n\nMvh\nSara Lund\n";
    const LetterFacts facts = Read(text);
    EXPECT_EQ(facts.subject, "ansøgning om boligstøtte") << line;
    EXPECT_THAT(facts.reasons[3], HasSubstr("CPR-nummer fjernet")) << line;
    for (const std::string& r : facts.reasons) EXPECT_FALSE(ContainsCprLike(r)) << r;
    const TitleSuggestion s = SuggestTitle(facts, Rules());
    EXPECT_FALSE(ContainsCprLike(s.title)) << line;
    EXPECT_EQ(s.title, "Ansøgning fra Sara Lund af 6. januar 2026 om boligstøtte");
    EXPECT_TRUE(s.check.accepted()) << line;
  }
  // Facts that hold a CPR number anyway (typed by hand) lose that part.
  LetterFacts facts;
  facts.doc_type = "Klage";
  facts.sender = "Sara Lund";
  facts.letter_date = "2026-01-06";
  facts.subject = "afslag til 010190-1234";
  const TitleSuggestion s = SuggestTitle(facts, Rules());
  EXPECT_EQ(s.title, "Klage fra Sara Lund af 6. januar 2026");
  EXPECT_THAT(s.notes, testing::Contains(HasSubstr("CPR-nummer")));
}

TEST(TitleSuggest, RemovesCaseAndReferenceNumbersButKeepsAmountsAndDates) {
  const struct {
    const char* line;
    const char* subject;
  } kCases[] = {
      {"Vedr.: Klage over afgørelse om handicapbil (sagsnr. 27.24.00-G01-5-19)",
       "klage over afgørelse om handicapbil"},
      {"Vedr.: Deres j.nr. 2024-0123456 - tilskud til briller", "tilskud til briller"},
      {"Ang.: Bevilling af hjælpemiddel 27.24.00-G01-5-19", "bevilling af hjælpemiddel"},
      {"Vedr.: Afslag på hjælp i sag 27.24.00-G01-5-19", "afslag på hjælp"},
      {"Vedr.: Tilskud til briller på 4.500 kr.", "tilskud til briller på 4.500 kr."},
      {"Vedr.: Jeres brev af 3.12.2025 om hjemmehjælp", "jeres brev af 3.12.2025 om hjemmehjælp"},
      {"Emne: SV: VS: Spørgsmål til skoleåret 2025-2026", "spørgsmål til skoleåret 2025-2026"},
  };
  for (const auto& c : kCases) {
    const std::string text = std::string("Kolding, den 7. januar 2026\n\n") + c.line +
                             "\n\nKære kommune\n\nTak.\n\nMvh\nOle Bach\n";
    EXPECT_EQ(Read(text).subject, c.subject) << c.line;
  }
}

TEST(TitleSuggest, ShortensALongSubjectAtAWordBoundaryToTheMaximumLength) {
  const std::string text =
      "Skive, den 12. januar 2026\n\n"
      "Vedr.: Ansøgning om merudgifter til befordring, særlig kost, medicin og\n"
      "håndkøbsmedicin samt fodterapi for min søn, der har diabetes type 1\n"
      "\n"
      "Kære Skive Kommune\n\nSe vedlagte.\n\nMed venlig hilsen\nKarina Mikkelsen\n";
  config::TitleRules rules = Rules();
  rules.max_length = 80;
  const TitleSuggestion s = SuggestTitle(Read(text), rules);
  EXPECT_LE(s.title.size(), 100u);  // bytes; characters below
  size_t characters = 0;
  for (char c : s.title) characters += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  EXPECT_LE(characters, 80u);
  EXPECT_THAT(s.title, StartsWith("Ansøgning fra Karina Mikkelsen af 12. januar 2026 om "
                                  "merudgifter til befordring"));
  // Cut between words, with no dangling comma or "og" left.
  const std::string full_subject =
      "merudgifter til befordring, særlig kost, medicin og håndkøbsmedicin samt fodterapi for "
      "min søn, der har diabetes type 1";
  const std::string kept = s.title.substr(s.title.find(" om ") + 4);
  EXPECT_EQ(full_subject.compare(0, kept.size(), kept), 0) << kept;
  ASSERT_LT(kept.size(), full_subject.size());
  EXPECT_TRUE(full_subject[kept.size()] == ',' || full_subject[kept.size()] == ' ');
  EXPECT_THAT(kept, Not(testing::EndsWith(" og")));
  EXPECT_THAT(s.notes, testing::Contains(HasSubstr("forkortet ved et ordskel")));
  EXPECT_TRUE(s.check.accepted()) << s.check.problems[0].message;

  // The default 250 characters need no cut.
  EXPECT_THAT(SuggestTitle(Read(text), Rules()).notes, IsEmpty());
}

TEST(TitleSuggest, LeavesOutMissingPartsGracefully) {
  // No subject: type, sender and date still tell what it is.
  const std::string no_subject =
      "Aarhus, den 11. januar 2026\n\nKære Aarhus Kommune\n\nHermed lidt om min situation.\n"
      "Jeg har det bedre nu.\n\nMed venlig hilsen\n\nMette Jensen\nØstergade 12\n";
  const TitleSuggestion a = SuggestTitle(Read(no_subject), Rules());
  EXPECT_EQ(a.title, "Brev fra Mette Jensen af 11. januar 2026");
  EXPECT_TRUE(a.check.accepted());
  EXPECT_THAT(a.facts.reasons[3], HasSubstr("intet emne"));

  // No sender and no date.
  const std::string no_sender =
      "Vedr.: Klage over støj fra naboens hund\n\nHunden gør hver "
      "nat fra kl. 23.\n";
  const TitleSuggestion b = SuggestTitle(Read(no_sender), Rules());
  EXPECT_EQ(b.title, "Klage om støj fra naboens hund");
  EXPECT_TRUE(b.check.accepted());
  EXPECT_THAT(b.facts.reasons[1], HasSubstr("ingen afsender"));
  EXPECT_THAT(b.facts.reasons[2], HasSubstr("ingen brevdato"));

  // Nothing known: the suggestion is refused, with the check's reasons kept for the operator.
  const TitleSuggestion c = SuggestTitle(Read("Hej\n\nTak for sidst.\n"), Rules());
  EXPECT_EQ(c.title, "Brev");
  EXPECT_FALSE(c.check.accepted());
  bool vague_or_short = false;
  for (const TitleProblem& p : c.check.problems) {
    vague_or_short |= p.rule == TitleRule::kVague || p.rule == TitleRule::kTooShort;
  }
  EXPECT_TRUE(vague_or_short);

  // "Klage" with a date only is vague: the check says so.
  LetterFacts only_type;
  only_type.doc_type = "Klage";
  only_type.letter_date = "2026-01-11";
  const TitleSuggestion d = SuggestTitle(only_type, Rules());
  EXPECT_EQ(d.title, "Klage af 11. januar 2026");
  ASSERT_FALSE(d.check.accepted());
  EXPECT_EQ(d.check.problems[0].rule, TitleRule::kVague);
}

TEST(TitleSuggest, JoinsASubjectBrokenOverLinesAndAtAHyphen) {
  // Extra spaces, a mis-cased marker, a word broken at the line end; the continuation stops
  // at the reference line.
  const std::string text =
      "Viborg, den 5. januar 2026\n"
      "\n"
      "VEDR. :  Ansøgning om tilskud til bolig-\n"
      "indretning og  hjælpemidler\n"
      "Deres ref.: 12/3456\n"
      "\n"
      "Kære Viborg Kommune\n\nSe vedlagte.\n\nMvh\nBo Winther\n";
  EXPECT_EQ(Read(text).subject, "ansøgning om tilskud til boligindretning og hjælpemidler");
  // A hyphen after a capital belongs to the word ("CPR-kort"); before "og" it is a
  // shortened compound ("bolig- og erhvervsstøtte").
  EXPECT_EQ(Read("Vedr.: Udgifter til CPR-\nkort og bolig-\nog erhvervsstøtte\n").subject,
            "udgifter til CPR-kort og bolig- og erhvervsstøtte");
  // The continuation stops at the reference line; a blank line ends it too.
  const std::string blank =
      "Vedr.: Klage over\nafslag på boligstøtte\n\nJeg er ikke enig i afgørelsen.\n";
  EXPECT_EQ(Read(blank).subject, "klage over afslag på boligstøtte");
  // "Vedr.:" alone on its line: the subject is on the next line.
  EXPECT_EQ(Read("Vedr.:\nTandbehandling af min datter\n\nTak.\n").subject,
            "tandbehandling af min datter");
}

TEST(TitleSuggest, KeepsTheCapitalOfNamesAndAcronymsAndLowersSubjectsInCapitals) {
  const auto subject_of = [](const std::string& line) {
    return Read("Silkeborg, den 2. januar 2026\n\n" + line +
                "\n\nJeg skriver fordi Lysbro Skole ikke har svaret. Min søn går på Lysbro "
                "Skole.\n\nMvh\nEva Lind\n")
        .subject;
  };
  EXPECT_EQ(subject_of("Vedr.: Aarhus Kommunes afgørelse om hjemmehjælp"),
            "Aarhus Kommunes afgørelse om hjemmehjælp");
  EXPECT_EQ(subject_of("Vedr.: BBR-meddelelse for Skovvej 4"), "BBR-meddelelse for Skovvej 4");
  EXPECT_EQ(subject_of("Vedr.: SU til min søn"), "SU til min søn");
  EXPECT_EQ(subject_of("Vedr.: Lysbro, transport til skolen"), "Lysbro, transport til skolen");
  EXPECT_EQ(subject_of("Vedr.: Transport til skolen"), "transport til skolen");
  EXPECT_EQ(subject_of("VEDR.: KLAGE OVER AFSLAG PÅ BOLIGSTØTTE"),
            "klage over afslag på boligstøtte");
  EXPECT_EQ(subject_of("Vedr.: Ønske om skoleskift"), "ønske om skoleskift");
}

TEST(TitleSuggest, FindsTheTypeInTheTextWhenTheSubjectDoesNotSayIt) {
  const auto type_of = [](const std::string& body) {
    return Read("Hobro, den 4. januar 2026\n\nVedr.: Min datters skolegang\n\nKære kommune\n\n" +
                body + "\n\nMvh\nTina Krog\n")
        .doc_type;
  };
  EXPECT_EQ(type_of("Jeg vil hermed klage over, at min datter ikke får støtte."), "Klage");
  EXPECT_EQ(type_of("Jeg ansøger om, at min datter får en støttelærer."), "Ansøgning");
  EXPECT_EQ(type_of("Jeg gør indsigelse mod den plan, I har lagt."), "Indsigelse");
  EXPECT_EQ(type_of("Jeg anker hermed afgørelsen.\nAnken sendes også til Ankestyrelsen."), "Anke");
  // Words naming an enclosure do not make a cover letter one ("vedlagt lægeerklæring").
  EXPECT_EQ(type_of("Hun er syg igen.\nJeg sender mere, når jeg har det.\nDet tager tid.\n"
                    "Hun skal til lægen i næste uge.\nJeg sender også en lægeerklæring fra "
                    "hendes egen læge."),
            "Brev");
  const LetterFacts facts = Read(
      "Hobro, den 4. januar 2026\n\nKære kommune\n\nJeg vil klage "
      "over sagsbehandlingen.\n\nMvh\nTina Krog\n");
  EXPECT_EQ(facts.doc_type, "Klage");
  EXPECT_THAT(facts.reasons[0], HasSubstr("fra ordet «klage» i brevets tekst"));
}

TEST(TitleSuggest, ReadsTheSenderFromTheLetterheadButNotTheReceivingAuthority) {
  const std::string text =
      "Aarhus Kommune\n"
      "Borgerservice\n"
      "Rådhuspladsen 2\n"
      "8000 Aarhus C\n"
      "\n"
      "Jens Hansen\n"
      "Vestergade 3\n"
      "8000 Aarhus C\n"
      "\n"
      "Aarhus, 8. januar 2026\n"
      "\n"
      "Emne: Parkeringstilladelse til handicapbil\n"
      "\n"
      "Jeg har fået ny bil og skal have en ny tilladelse.\n"
      "Jens\n";
  const LetterFacts facts = Read(text);
  EXPECT_EQ(facts.sender, "Jens Hansen");
  EXPECT_THAT(facts.reasons[1], HasSubstr("brevhovedets første linje"));
  // A printed e-mail names its sender on the "Fra:" line.
  const std::string mail =
      "Fra: Louise Friis <louise.friis@example.dk>\n"
      "Sendt: 10. januar 2026 21:14\n"
      "Til: post@kommune.dk\n"
      "Emne: SV: Kørsel til dagtilbud\n"
      "\n"
      "Hej\n\nKan min søn få kørsel igen?\n\nMvh Louise\n";
  const LetterFacts m = Read(mail);
  EXPECT_EQ(m.sender, "Louise Friis");
  EXPECT_EQ(m.subject, "kørsel til dagtilbud");
  EXPECT_EQ(SuggestTitle(m, Rules()).title, "Brev fra Louise Friis om kørsel til dagtilbud");
}

TEST(TitleSuggest, AcceptsAnyBytesWithoutInventingFacts) {
  const std::string garbage("\xff\xfe\x00\x01Vedr.:\xc3\n\n\xe2\x80\nMvh\n\xc3\x28\n", 20);
  for (const std::string& text : {std::string(), std::string("\n\n\n"), garbage,
                                  std::string(2000, '-'), std::string("Vedr.: ") + "(((()))"}) {
    const LetterFacts facts = Read(text);
    EXPECT_EQ(facts.doc_type, "Brev");
    EXPECT_EQ(facts.sender, "");
    EXPECT_EQ(facts.letter_date, std::nullopt);
    EXPECT_EQ(facts.subject, "");
    EXPECT_THAT(facts.reasons, SizeIs(4));
    EXPECT_FALSE(SuggestTitle(facts, Rules()).check.accepted());
  }
}

// Twenty letters of the kinds a post room receives, with the title a caseworker would write.
struct Letter {
  const char* text;
  const char* title;
};

const std::vector<Letter>& TwentyLetters() {
  static const std::vector<Letter> kLetters = {
      {kComplaint, "Klage fra Mette Jensen af 11. januar 2026 om afslag på boligstøtte"},
      // 2: application, short date, Mvh.
      {"Jens Hansen\nVestergade 3\n7100 Vejle\n\nVejle 11.01.2026\n\nVedr.: Ansøgning om "
       "tilskud til briller\n\nKære Vejle Kommune\n\nJeg søger hermed om tilskud til nye "
       "briller, da mine gamle er gået i stykker. Tilbud fra optikeren er vedlagt.\n\nMvh\n"
       "Jens Hansen\n",
       "Ansøgning fra Jens Hansen af 11. januar 2026 om tilskud til briller"},
      // 3: doctor's statement from a clinic.
      {"Lægerne i Kongensgade\nKongensgade 10\n6700 Esbjerg\n\nLÆGEERKLÆRING\n\nEsbjerg, den "
       "7. januar 2026\n\nAng.: Mette Jensen, CPR-nr. 010190-1234\n\nUndertegnede har "
       "undersøgt patienten den 5. januar 2026.\nPatienten har kroniske smerter i ryggen og "
       "kan ikke løfte mere end 5 kg.\n\nMed venlig hilsen\n\nOverlæge Anders Mørk\nLægerne "
       "i Kongensgade\n",
       "Lægeerklæring fra Lægerne i Kongensgade af 7. januar 2026 om Mette Jensen"},
      // 4: invoice.
      {"Jensens VVS ApS\nIndustrivej 4\n8600 Silkeborg\n\nFAKTURA\n\nFakturadato: "
       "05.01.2026\nFakturanr.: 2026-0017\n\nEmne: Udskiftning af radiatorer på Lysbro "
       "Skole\n\nI alt inkl. moms 19.000,00 kr.\nBetales senest den 4. februar 2026.\n\nMed "
       "venlig hilsen\nPeter Jensen\nJensens VVS ApS\n",
       "Faktura fra Jensens VVS ApS af 5. januar 2026 om udskiftning af radiatorer på Lysbro "
       "Skole"},
      // 5: partshøringssvar with a case number.
      {"Karen Holm\nLærkevej 8\n9000 Aalborg\n\nAalborg, den 14. januar 2026\n\nVedrørende: "
       "Partshøring om nedsættelse af boligstøtte, sagsnr. 2025-0045123\n\nJeg har modtaget "
       "jeres brev af 2. januar 2026. Jeg er ikke enig i, at min husstandsindkomst er steget, "
       "for min søn er flyttet.\n\nVenlig hilsen\nKaren Holm\n",
       "Partshøringssvar fra Karen Holm af 14. januar 2026 om nedsættelse af boligstøtte"},
      // 6: anke, capitals, stamp.
      {"MODTAGET 16 JAN. 2026\n\nPOUL ERIKSEN\nSTRANDVEJEN 40\n3000 HELSINGØR\n\nHelsingør, "
       "den 12. januar 2026\n\nVEDR.: ANKE AF AFGØRELSE OM FØRTIDSPENSION\n\nJeg anker hermed "
       "kommunens afgørelse af 18. december 2025.\n\nMED VENLIG HILSEN\nPOUL ERIKSEN\n",
       "Anke fra Poul Eriksen af 12. januar 2026 om afgørelse om førtidspension"},
      // 7: indsigelse about a building permit.
      {"Birgitte og Ole Kristensen\nHegnsvej 6\n4600 Køge\n\nKøge, den 9. januar 2026\n\n"
       "Emne: Indsigelse mod byggetilladelse til carport på Hegnsvej 4\n\nVi gør indsigelse, "
       "fordi carporten står tæt på skellet.\n\nMed venlig hilsen\n\nBirgitte og Ole "
       "Kristensen\n",
       "Indsigelse fra Birgitte og Ole Kristensen af 9. januar 2026 om byggetilladelse til "
       "carport på Hegnsvej 4"},
      // 8: printed e-mail.
      {"Fra: Louise Friis <louise.friis@example.dk>\nSendt: 10. januar 2026 21:14\nTil: "
       "post@kommune.dk\nEmne: SV: Kørsel til dagtilbud\n\nHej\n\nKan min søn få kørsel til "
       "børnehaven igen efter nytår?\n\nMvh Louise\n",
       "Brev fra Louise Friis om kørsel til dagtilbud"},
      // 9: no marker, a heading above the salutation.
      {"Anna Berg\nParkvej 14\n2800 Kongens Lyngby\n\nLyngby, den 6. januar 2026\n\nFlytning "
       "til plejebolig\n\nKære Lyngby-Taarbæk Kommune\n\nMin mand kan ikke længere bo hjemme. "
       "Vi ønsker en plejebolig tæt på Lyngby.\n\nMed venlig hilsen\nAnna Berg\n",
       "Brev fra Anna Berg af 6. januar 2026 om flytning til plejebolig"},
      // 10: opsigelse from a company, "Kbh. d." date.
      {"Nordic Rengøring A/S\nValby Langgade 100\n2500 Valby\n\nKbh. d. 8/1-2026\n\nVedr.: "
       "Opsigelse af rengøringsaftale for Valby Bibliotek\n\nHermed opsiger vi aftalen til "
       "udløb 31. marts 2026.\n\nVenlig hilsen\n\nNordic Rengøring A/S\nSusanne Dahl\n",
       "Opsigelse fra Nordic Rengøring A/S af 8. januar 2026 om rengøringsaftale for Valby "
       "Bibliotek"},
      // 11: anmodning om aktindsigt.
      {"Henrik Juul\nMøllevej 2\n8800 Viborg\n\nViborg, 13. januar 2026\n\nVedr.: "
       "Aktindsigt i min sag om jobafklaring\n\nJeg anmoder om aktindsigt i alle dokumenter "
       "i min sag.\n\nMvh\nHenrik Juul\n",
       "Anmodning fra Henrik Juul af 13. januar 2026 om aktindsigt i min sag om jobafklaring"},
      // 12: OCR noise: extra spaces, hyphenation, mis-cased marker.
      {"Fatima  Hassan\nNørregade 21,  1.\n5000 Odense C\n\nOdense  C,  den 10. januar  "
       "2026\n\nVEDR.:  Ansøgning om  hjælp til  tand-\nbehandling\n\nKære Odense "
       "Kommune\n\nJeg har ondt i tænderne og har ikke råd til tandlæge.\n\nMed venlig  "
       "hilsen\n\nFatima  Hassan\n",
       "Ansøgning fra Fatima Hassan af 10. januar 2026 om hjælp til tandbehandling"},
      // 13: complaint with a case number in the subject and a later body date.
      {"Morten Lund\nSøvej 9\n8700 Horsens\n\nHorsens, den 15. januar 2026\n\nVedr.: Klage "
       "over afgørelse om handicapbil (j.nr. 27.24.00-G01-5-19)\n\nI skrev den 19. januar "
       "2026 at jeg ikke kan få bil. Det er forkert.\n\nMed venlig hilsen\nMorten Lund\n",
       "Klage fra Morten Lund af 15. januar 2026 om afgørelse om handicapbil"},
      // 14: a lawyer's letter.
      {"Advokatfirmaet Holm & Co\nAmaliegade 22\n1256 København K\n\nKøbenhavn, den 12. "
       "januar 2026\n\nDeres ref.: 2025-0031245\n\nVedrørende: Vores klient Peter Ravn – "
       "klage over tvangsbøder\n\nPå vegne af vores klient klager vi over tvangsbøderne.\n\n"
       "Med venlig hilsen\n\nAdvokat Lise Holm\nAdvokatfirmaet Holm & Co\n",
       "Klage fra Advokatfirmaet Holm & Co af 12. januar 2026 om vores klient Peter Ravn – "
       "klage over tvangsbøder"},
      // 15: a handwritten-style short letter, "d. 11. jan. 2026", no subject.
      {"d. 11. jan. 2026\n\nTil kommunen\n\nJeg vil gerne klage over at skraldet ikke bliver "
       "hentet på Bøgevej.\nDet har stået i tre uger.\n\nHilsen\nGrethe Vang\nBøgevej 3\n",
       "Klage fra Grethe Vang af 11. januar 2026"},
      // 16: kvittering from a pharmacy.
      {"Apoteket Trøjborg\nTordenskjoldsgade 30\n8200 Aarhus N\n\nKVITTERING\n\nDato: "
       "08.01.2026\n\nVedr.: Køb af medicin til Hans Nielsen\n\nBeløb 312,50 kr.\nBetalt "
       "kontant.\n\nMed venlig hilsen\nApoteket Trøjborg\n",
       "Kvittering fra Apoteket Trøjborg af 8. januar 2026 om køb af medicin til Hans Nielsen"},
      // 17: a board of a housing association.
      {"Boligforeningen Ringgården\nNyvej 1\n8000 Aarhus C\n\nAarhus, den 5. januar 2026\n\n"
       "Emne: Husorden og støj i opgang 3\n\nVi skriver til kommunen, fordi der er problemer "
       "med en lejer.\n\nMed venlig hilsen\nBestyrelsen\nBoligforeningen Ringgården\n",
       "Brev fra Boligforeningen Ringgården af 5. januar 2026 om husorden og støj i opgang 3"},
      // 18: form-like, ISO date, Om:.
      {"Sofie Lind\nAvej 2\n9000 Aalborg\n\n2026-01-09\n\nOm: Ændring af "
       "betalingsaftale for daginstitution\n\nJeg vil gerne betale over 6 rater i stedet.\n\n"
       "Mvh\nSofie Lind\n",
       "Brev fra Sofie Lind af 9. januar 2026 om ændring af betalingsaftale for "
       "daginstitution"},
      // 19: fuldmagt.
      {"FULDMAGT\n\nUndertegnede Erik Bang giver hermed min datter Lone Bang fuldmagt til at "
       "handle på mine vegne over for kommunen.\n\nGentofte, den 3. januar 2026\n\nMed venlig "
       "hilsen\nErik Bang\n",
       "Fuldmagt fra Erik Bang af 3. januar 2026"},
      // 20: a letter with no closing, no marker, only a stamp: the type alone is vague.
      {"MODTAGET\n19 JAN. 2026\n\nHej\n\nJeg har flyttet mig og vil have post på den nye "
       "adresse.\nTak\n",
       "Brev"},
  };
  return kLetters;
}

TEST(TitleSuggest, SuggestedTitlesOfTypicalLettersPassTheCheckUnchanged) {
  int accepted = 0;
  const std::vector<Letter>& letters = TwentyLetters();
  for (size_t k = 0; k < letters.size(); ++k) {
    const TitleSuggestion s = SuggestTitle(Read(letters[k].text), Rules());
    EXPECT_EQ(s.title, letters[k].title) << "letter " << k + 1;
    EXPECT_FALSE(ContainsCprLike(s.title)) << "letter " << k + 1;
    if (s.check.accepted() && s.check.title == s.title) ++accepted;
  }
  const double share = static_cast<double>(accepted) / static_cast<double>(letters.size());
  std::cout << "suggested titles accepted unchanged by CheckTitle: " << accepted << "/"
            << letters.size() << "\n";
  ::testing::Test::RecordProperty("accepted_unchanged", accepted);
  // Floor: 18 of 20. Letter 20 has no sender, date or subject and must be refused ("Brev");
  // one more may fall short as the letters grow, never more.
  EXPECT_GE(share, 0.9);
}

}  // namespace
}  // namespace intake::station

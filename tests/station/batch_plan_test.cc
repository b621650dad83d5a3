#include "station/batch_plan.h"

#include <gtest/gtest.h>

#include <fstream>

#include "tests/support/temp_dir.h"

namespace intake::station {
namespace {

const char kLetterOpening[] =
    "Mette Jensen\nØstergade 12\n8000 Aarhus C\n\nAarhus Kommune\nBorgerservice\n\n"
    "Aarhus, den 11. januar 2026\n\nVedr.: klage over afslag på boligstøtte\n\n"
    "Jeg klager hermed over afgørelsen.\n";
const char kContinuation[] = "afgørelsen bør derfor ændres.\n\nMed venlig hilsen\nMette Jensen\n";

PageFacts Text(int seq, std::string text) {
  PageFacts f;
  f.seq = seq;
  f.text = std::move(text);
  return f;
}

PageFacts Blank(int seq) {
  PageFacts f;
  f.seq = seq;
  f.blank = true;
  return f;
}

PageFacts Separator(int seq) {
  PageFacts f;
  f.seq = seq;
  f.sheet_kind = PageFacts::Sheet::kSeparator;
  return f;
}

PageFacts Cover(int seq, std::string reference) {
  PageFacts f;
  f.seq = seq;
  f.sheet_kind = PageFacts::Sheet::kCover;
  f.cover_system = "SBSYS";
  f.cover_reference = std::move(reference);
  return f;
}

std::vector<std::vector<int>> Pages(const BatchPlan& plan) {
  std::vector<std::vector<int>> out;
  for (const PlanDocument& d : plan.documents) out.push_back(d.pages);
  return out;
}

TEST(BatchPlanTest, SheetsSplitAndBlankBacksStayWithTheirDocumentOrSheet) {
  const BatchPlan plan = ProposeSplit(
      "b1", {Cover(1, "27.24.00-G01-5-19"), Blank(2), Text(3, kLetterOpening), Blank(4),
             Text(5, kContinuation), Blank(6), Separator(7), Blank(8), Text(9, kLetterOpening)});
  EXPECT_EQ(Pages(plan), (std::vector<std::vector<int>>{{3, 4, 5, 6}, {9}}));
  EXPECT_EQ(plan.documents[0].cover_reference, "27.24.00-G01-5-19");
  EXPECT_EQ(plan.FindPage(1)->role, PageRole::kCover);
  EXPECT_EQ(plan.FindPage(2)->role, PageRole::kCover);  // the cover's blank back
  EXPECT_EQ(plan.FindPage(8)->role, PageRole::kSeparator);
  EXPECT_TRUE(plan.FindPage(4)->blank);
  EXPECT_EQ(plan.TextPages(plan.documents[0]), 2);
}

TEST(BatchPlanTest, ALetterOpeningStartsANewDocumentWithoutSheets) {
  const BatchPlan plan =
      ProposeSplit("b1", {Text(1, kLetterOpening), Text(2, kContinuation),
                          Text(3, kLetterOpening), Text(4, kLetterOpening)});
  EXPECT_EQ(Pages(plan), (std::vector<std::vector<int>>{{1, 2}, {3}, {4}}));
  EXPECT_NE(plan.documents[1].start_reason.find("nyt brev"), std::string::npos);
}

TEST(BatchPlanTest, PrintedPageNumbersDecideOverTheOpening) {
  const std::string page2 = std::string(kLetterOpening) + "\nSide 2 af 2\n";
  const std::string page1 = std::string(kContinuation) + "\nSide 1 af 3\n";
  const BatchPlan plan =
      ProposeSplit("b1", {Text(1, kLetterOpening), Text(2, page2), Text(3, page1)});
  EXPECT_EQ(Pages(plan), (std::vector<std::vector<int>>{{1, 2}, {3}}));
  EXPECT_EQ(PrintedPageNumber("Side 3 af 2"), std::nullopt);
  EXPECT_EQ(PrintedPageNumber("side 2/3"), std::make_pair(2, 3));
}

TEST(BatchPlanTest, AFailedPageStaysInTheDocumentWithAWarning) {
  PageFacts failed = Text(2, "");
  failed.failed = true;
  const BatchPlan plan = ProposeSplit("b1", {Text(1, kLetterOpening), failed});
  ASSERT_EQ(plan.documents.size(), 1u);
  EXPECT_EQ(plan.documents[0].pages, (std::vector<int>{1, 2}));
  ASSERT_EQ(plan.documents[0].warnings.size(), 1u);
  EXPECT_NE(plan.documents[0].warnings[0].find("side 2"), std::string::npos);
}

TEST(BatchPlanTest, EditsKeepEveryPageOnceAndAreRecorded) {
  BatchPlan plan = ProposeSplit(
      "b1", {Text(1, kLetterOpening), Text(2, kContinuation), Text(3, kContinuation)});
  ASSERT_TRUE(SplitBefore(plan, 1, 3, "anna"));
  EXPECT_EQ(Pages(plan), (std::vector<std::vector<int>>{{1, 2}, {3}}));
  ASSERT_TRUE(MovePage(plan, 2, 2, 1, "anna"));
  EXPECT_EQ(Pages(plan), (std::vector<std::vector<int>>{{1}, {2, 3}}));
  ASSERT_TRUE(MergeWithNext(plan, 1, "anna"));
  EXPECT_EQ(Pages(plan), (std::vector<std::vector<int>>{{1, 2, 3}}));
  ASSERT_TRUE(RotatePage(plan, 2, 90, "anna"));
  ASSERT_TRUE(RotatePage(plan, 2, 270, "anna"));
  EXPECT_EQ(plan.FindPage(2)->rotation, 0);
  ASSERT_TRUE(RemovePage(plan, 3, "dobbeltscannet", "anna"));
  EXPECT_EQ(Pages(plan), (std::vector<std::vector<int>>{{1, 2}}));
  EXPECT_EQ(plan.FindPage(3)->role, PageRole::kRemoved);
  EXPECT_EQ(plan.FindPage(3)->removed_reason, "dobbeltscannet");
  ASSERT_TRUE(RestorePage(plan, 3, 1, "anna"));
  EXPECT_EQ(Pages(plan), (std::vector<std::vector<int>>{{1, 2, 3}}));
  EXPECT_EQ(plan.history.size(), 7u);
  EXPECT_EQ(plan.history.front().actor, "anna");
}

TEST(BatchPlanTest, EditsRefuseBadInputAndChangeNothing) {
  BatchPlan plan = ProposeSplit("b1", {Text(1, kLetterOpening), Text(2, kContinuation)});
  const std::string before = PlanToJson(plan);
  EXPECT_EQ(SplitBefore(plan, 1, 1, "a").error().code(),
            ErrorCode::kInvalidArgument);  // first page
  EXPECT_EQ(SplitBefore(plan, 9, 1, "a").error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(MergeWithNext(plan, 1, "a").error().code(), ErrorCode::kInvalidArgument);  // the last
  EXPECT_EQ(RotatePage(plan, 1, 45, "a").error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(RemovePage(plan, 1, "  ", "a").error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(MovePage(plan, 1, 1, 7, "a").error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(RestorePage(plan, 1, 1, "a").error().code(), ErrorCode::kFailedPrecondition);
  EXPECT_EQ(PlanToJson(plan), before);
}

TEST(BatchPlanTest, AJournalisedDocumentCannotBeEdited) {
  BatchPlan plan = ProposeSplit("b1", {Text(1, kLetterOpening), Text(2, kContinuation),
                                       Text(3, kLetterOpening)});
  plan.documents[0].journal_document_id = 17;
  EXPECT_EQ(SplitBefore(plan, 1, 2, "a").error().code(), ErrorCode::kFailedPrecondition);
  EXPECT_EQ(MergeWithNext(plan, 1, "a").error().code(), ErrorCode::kFailedPrecondition);
  EXPECT_EQ(MovePage(plan, 3, 1, 0, "a").error().code(), ErrorCode::kFailedPrecondition);
  EXPECT_EQ(RemovePage(plan, 2, "fejl", "a").error().code(), ErrorCode::kFailedPrecondition);
  EXPECT_EQ(RotatePage(plan, 1, 180, "a").error().code(), ErrorCode::kFailedPrecondition);
}

TEST(BatchPlanTest, JsonRoundTripAndDamagedPlansAreRefusedNamingTheFile) {
  BatchPlan plan = ProposeSplit("b1", {Cover(1, "2024-0123456"), Text(2, kLetterOpening)});
  plan.documents[0].candidates.push_back({7, "KK", "2024-0123456", "Sag", "open", 1.0, {"forside"}});
  plan.documents[0].proposed_case_id = 7;
  plan.documents[0].letter_date = "2026-01-11";
  ASSERT_TRUE(RotatePage(plan, 2, 180, "a"));
  const std::string json = PlanToJson(plan);
  auto back = PlanFromJson(json, "plan.json");
  ASSERT_TRUE(static_cast<bool>(back)) << back.error().message();
  EXPECT_EQ(PlanToJson(*back), json);

  for (const char* damaged :
       {"", "[]", "{\"format\": 2}", "{\"format\": 1, \"batch\": \"b\"}",
        "{\"format\":1,\"batch\":\"b\",\"pages\":[{\"seq\":1,\"role\":\"x\",\"blank\":false}],"
        "\"documents\":[]}",
        "{\"format\":1,\"batch\":\"b\",\"pages\":[],\"documents\":[{\"number\":1,\"pages\":[4]}]}"}) {
    auto r = PlanFromJson(damaged, "/spool/b/plan.json");
    ASSERT_FALSE(static_cast<bool>(r)) << damaged;
    EXPECT_EQ(r.error().code(), ErrorCode::kCorruption);
    EXPECT_NE(r.error().message().find("/spool/b/plan.json"), std::string::npos);
  }
}

TEST(BatchPlanTest, SaveAndLoadThroughTheBatchFolder) {
  testing::ScopedTempDir dir;
  EXPECT_EQ(LoadPlan(dir.path()).error().code(), ErrorCode::kNotFound);
  BatchPlan plan = ProposeSplit("b1", {Text(1, kLetterOpening)});
  ASSERT_TRUE(SavePlan(dir.path(), plan));
  auto loaded = LoadPlan(dir.path());
  ASSERT_TRUE(static_cast<bool>(loaded));
  EXPECT_EQ(loaded->documents.size(), 1u);
}

}  // namespace
}  // namespace intake::station

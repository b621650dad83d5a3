// Option helpers of the SANE frontend: the source/mode tables with names from real
// backends, nearest allowed values, and typed setting by name on a fake device.
#include "hardware/sane_options.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/hardware/fake_sane_api.h"

namespace intake::hardware {
namespace {

using config::ScanMode;
using config::ScanSource;
using testing::FakeOption;
using testing::FakeSaneApi;
using ::testing::HasSubstr;

struct SourceCase {
  const char* backend;
  std::vector<std::string> offered;
  std::optional<std::string> flatbed, feeder, duplex;
};

class MatchSourceTest : public ::testing::TestWithParam<SourceCase> {};

TEST_P(MatchSourceTest, PicksTheDevicesEntryForEachSource) {
  const SourceCase& c = GetParam();
  EXPECT_EQ(MatchSource(c.offered, ScanSource::kFlatbed), c.flatbed) << c.backend;
  EXPECT_EQ(MatchSource(c.offered, ScanSource::kFeeder), c.feeder) << c.backend;
  EXPECT_EQ(MatchSource(c.offered, ScanSource::kDuplex), c.duplex) << c.backend;
}

INSTANTIATE_TEST_SUITE_P(
    RealBackends, MatchSourceTest,
    ::testing::Values(
        SourceCase{"fujitsu",
                   {"ADF Front", "ADF Back", "ADF Duplex"},
                   std::nullopt,
                   "ADF Front",
                   "ADF Duplex"},
        SourceCase{"canon_dr",
                   {"Flatbed", "ADF Front", "ADF Back", "ADF Duplex"},
                   "Flatbed",
                   "ADF Front",
                   "ADF Duplex"},
        SourceCase{"airscan", {"Flatbed", "ADF", "ADF Duplex"}, "Flatbed", "ADF", "ADF Duplex"},
        SourceCase{"epson2",
                   {"Flatbed", "Automatic Document Feeder"},
                   "Flatbed",
                   "Automatic Document Feeder",
                   std::nullopt},
        SourceCase{"hpaio", {"Flatbed", "ADF", "Duplex"}, "Flatbed", "ADF", "Duplex"},
        SourceCase{"pixma",
                   {"Flatbed", "Automatic Document Feeder", "ADF Duplex"},
                   "Flatbed",
                   "Automatic Document Feeder",
                   "ADF Duplex"},
        SourceCase{"brother4",
                   {"FlatBed", "Automatic Document Feeder(left aligned)",
                    "Automatic Document Feeder(left aligned,Duplex)",
                    "Automatic Document Feeder(centrally aligned)",
                    "Automatic Document Feeder(centrally aligned,Duplex)"},
                   "FlatBed",
                   "Automatic Document Feeder(left aligned)",
                   "Automatic Document Feeder(left aligned,Duplex)"},
        SourceCase{"test",
                   {"Flatbed", "Automatic Document Feeder"},
                   "Flatbed",
                   "Automatic Document Feeder",
                   std::nullopt},
        // An exact name wins over an earlier partial one.
        SourceCase{"exact", {"ADF Rear Tray", "ADF"}, std::nullopt, "ADF", std::nullopt},
        SourceCase{
            "none", {"Transparency Unit", "Negative"}, std::nullopt, std::nullopt, std::nullopt}));

struct ModeCase {
  const char* backend;
  std::vector<std::string> offered;
  std::optional<std::string> lineart, gray, color;
};

class MatchModeTest : public ::testing::TestWithParam<ModeCase> {};

TEST_P(MatchModeTest, PicksTheDevicesEntryForEachMode) {
  const ModeCase& c = GetParam();
  EXPECT_EQ(MatchMode(c.offered, ScanMode::kLineart), c.lineart) << c.backend;
  EXPECT_EQ(MatchMode(c.offered, ScanMode::kGray), c.gray) << c.backend;
  EXPECT_EQ(MatchMode(c.offered, ScanMode::kColor), c.color) << c.backend;
}

INSTANTIATE_TEST_SUITE_P(
    RealBackends, MatchModeTest,
    ::testing::Values(
        ModeCase{"hpaio", {"Lineart", "Gray", "Color"}, "Lineart", "Gray", "Color"},
        ModeCase{"fujitsu", {"Lineart", "Halftone", "Gray", "Color"}, "Lineart", "Gray", "Color"},
        ModeCase{"epson2", {"Binary", "Gray", "Color"}, "Binary", "Gray", "Color"},
        ModeCase{"brother4",
                 {"Black & White", "Gray[Error Diffusion]", "True Gray", "24bit Color",
                  "24bit Color[Fast]"},
                 "Black & White",
                 "True Gray",
                 "24bit Color"},
        ModeCase{"test", {"Gray", "Color"}, std::nullopt, "Gray", "Color"},
        ModeCase{"british",
                 {"Black and white", "Greyscale", "Colour"},
                 "Black and white",
                 "Greyscale",
                 "Colour"},
        ModeCase{"only dithered",
                 {"Halftone", "Gray[Error Diffusion]"},
                 std::nullopt,
                 "Gray[Error Diffusion]",
                 std::nullopt}));

SANE_Option_Descriptor NumberDescriptor(SANE_Value_Type type) {
  SANE_Option_Descriptor d{};
  d.name = "n";
  d.type = type;
  d.size = sizeof(SANE_Word);
  d.cap = SANE_CAP_SOFT_SELECT | SANE_CAP_SOFT_DETECT;
  return d;
}

TEST(NearestAllowedTest, WordListPicksClosestAndTiesGoUp) {
  SANE_Option_Descriptor d = NumberDescriptor(SANE_TYPE_INT);
  const SANE_Word list[] = {4, 75, 150, 300, 600};
  d.constraint_type = SANE_CONSTRAINT_WORD_LIST;
  d.constraint.word_list = list;
  EXPECT_EQ(NearestAllowed(d, 200), 150);
  EXPECT_EQ(NearestAllowed(d, 250), 300);
  EXPECT_EQ(NearestAllowed(d, 225), 300);  // a tie: the larger
  EXPECT_EQ(NearestAllowed(d, 5000), 600);
  EXPECT_EQ(NearestAllowed(d, 1), 75);
}

TEST(NearestAllowedTest, IntRangeSnapsToQuantumInsideBounds) {
  SANE_Option_Descriptor d = NumberDescriptor(SANE_TYPE_INT);
  const SANE_Range range{50, 610, 25};
  d.constraint_type = SANE_CONSTRAINT_RANGE;
  d.constraint.range = &range;
  EXPECT_EQ(NearestAllowed(d, 310), 300);
  EXPECT_EQ(NearestAllowed(d, 313), 325);
  EXPECT_EQ(NearestAllowed(d, 10), 50);
  EXPECT_EQ(NearestAllowed(d, 700), 600);  // 610 is not on the grid: the last step below
}

TEST(NearestAllowedTest, FixedRangeKeepsFractions) {
  SANE_Option_Descriptor d = NumberDescriptor(SANE_TYPE_FIXED);
  const SANE_Range range{SANE_FIX(0.0), SANE_FIX(215.9), 0};
  d.constraint_type = SANE_CONSTRAINT_RANGE;
  d.constraint.range = &range;
  EXPECT_NEAR(NearestAllowed(d, 100.25), 100.25, 1e-4);
  EXPECT_NEAR(NearestAllowed(d, 400), 215.9, 1e-4);
  const auto bounds = NumericBounds(d);
  ASSERT_TRUE(bounds);
  EXPECT_NEAR(bounds->second, 215.9, 1e-4);
}

TEST(NearestAllowedTest, UnconstrainedOptionKeepsTheValue) {
  EXPECT_EQ(NearestAllowed(NumberDescriptor(SANE_TYPE_INT), 123), 123);
  EXPECT_FALSE(NumericBounds(NumberDescriptor(SANE_TYPE_INT)));
}

class SetOptionTest : public ::testing::Test {
 protected:
  SetOptionTest() {
    api_.AddDevice("fake:opt", "V", "M", "flatbed scanner");
    FakeOption flag;
    flag.name = "three-pass";
    flag.type = SANE_TYPE_BOOL;
    api_.AddOption(flag);
    FakeOption picture;
    picture.name = "test-picture";
    picture.type = SANE_TYPE_STRING;
    picture.size = 16;
    picture.strings = {"Solid black", "Solid white"};
    picture.text = "Solid black";
    api_.AddOption(picture);
    FakeOption fixed;
    fixed.name = "resolution";
    fixed.type = SANE_TYPE_FIXED;
    fixed.range = SANE_Range{SANE_FIX(1), SANE_FIX(1200), SANE_FIX(1)};
    fixed.word = SANE_FIX(100);
    api_.AddOption(fixed);
    FakeOption inactive;
    inactive.name = "three-pass-order";
    inactive.type = SANE_TYPE_STRING;
    inactive.size = 8;
    inactive.cap |= SANE_CAP_INACTIVE;
    api_.AddOption(inactive);
    FakeOption readonly;
    readonly.name = "button-state";
    readonly.cap = SANE_CAP_SOFT_DETECT;
    api_.AddOption(readonly);
    FakeOption array;
    array.name = "gamma-table";
    array.size = 4 * sizeof(SANE_Word);
    api_.AddOption(array);
    auto library = SaneLibrary::Acquire(api_);
    EXPECT_TRUE(library);
    auto device = SaneDevice::Open(*library, "fake:opt");
    EXPECT_TRUE(device);
    device_ = std::move(*device);
  }
  FakeSaneApi api_;
  std::unique_ptr<SaneDevice> device_;
};

TEST_F(SetOptionTest, FixedOptionReceivesFixedPointNotInteger) {
  auto dpi = SetNumberOption(*device_, "resolution", 300);
  ASSERT_TRUE(dpi) << dpi.error().ToString();
  EXPECT_EQ(*dpi, 300);
  EXPECT_EQ(api_.FindOption("resolution")->word, SANE_FIX(300));
}

TEST_F(SetOptionTest, TextValuesFollowTheOptionType) {
  ASSERT_TRUE(SetOptionFromText(*device_, "three-pass", "yes"));
  EXPECT_EQ(api_.FindOption("three-pass")->word, SANE_TRUE);
  ASSERT_TRUE(SetOptionFromText(*device_, "test-picture", "solid WHITE"));
  EXPECT_EQ(api_.FindOption("test-picture")->text, "Solid white");  // the device's spelling
  ASSERT_TRUE(SetOptionFromText(*device_, "resolution", "72.5"));
  EXPECT_EQ(api_.FindOption("resolution")->word, SANE_FIX(73));  // quantum 1
}

TEST_F(SetOptionTest, BadValuesAreRefusedWithTheOptionName) {
  auto not_bool = SetOptionFromText(*device_, "three-pass", "maybe");
  ASSERT_FALSE(not_bool);
  EXPECT_EQ(not_bool.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(not_bool.error().message(), HasSubstr("\"three-pass\""));

  auto not_listed = SetOptionFromText(*device_, "test-picture", "Grid");
  ASSERT_FALSE(not_listed);
  EXPECT_THAT(not_listed.error().message(), HasSubstr("\"Solid black\", \"Solid white\""));

  auto not_number = SetOptionFromText(*device_, "resolution", "300dpi");
  ASSERT_FALSE(not_number);
  EXPECT_THAT(not_number.error().message(), HasSubstr("ikke et tal"));

  auto too_long = SetStringOption(*device_, "three-pass-order", "RGB");
  ASSERT_FALSE(too_long);  // inactive
  EXPECT_THAT(too_long.error().message(), HasSubstr("ikke aktiv"));
}

TEST_F(SetOptionTest, UnknownReadOnlyAndArrayOptionsAreRefused) {
  auto unknown = SetOptionFromText(*device_, "no-such-option", "1");
  ASSERT_FALSE(unknown);
  EXPECT_THAT(unknown.error().message(), HasSubstr("har ikke denne indstilling"));
  auto readonly = SetNumberOption(*device_, "button-state", 1);
  ASSERT_FALSE(readonly);
  EXPECT_THAT(readonly.error().message(), HasSubstr("kun ændres på selve scanneren"));
  auto array = SetNumberOption(*device_, "gamma-table", 1);
  ASSERT_FALSE(array);
  EXPECT_THAT(array.error().message(), HasSubstr("liste af tal"));
  EXPECT_TRUE(api_.sets.empty());
}

}  // namespace
}  // namespace intake::hardware

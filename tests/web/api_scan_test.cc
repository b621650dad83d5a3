// The intake API (web/api_scan.cc, web/intake_jobs.h): scanners, scans with the fake
// scanner (including a paper jam), scan-to-folder pick-up, job progress and the
// caseworker's digitising onto their own case. OCR is off (the null engine), so every
// scanned page is image-only.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "hardware/fake_scanner.h"
#include "station/batch_plan.h"
#include "station/pipeline_setup.h"
#include "tests/web/web_fixture.h"
#include "web/intake_jobs.h"

namespace intake::web {
namespace {

namespace fs = std::filesystem;
using storage::Role;
using ::testing::HasSubstr;

// A text-like page: a few black bars, so it is not blank.
hardware::RawFrame Frame() {
  hardware::RawFrame f;
  f.width = 620;
  f.height = 400;
  f.depth = 8;
  f.channels = 1;
  f.bytes_per_line = 620;
  f.pixels.assign(static_cast<size_t>(f.bytes_per_line) * f.height, 255);
  for (int line = 0; line < 4; ++line) {
    for (int y = 60 + line * 70; y < 80 + line * 70; ++y) {
      for (int x = 40; x < 500; ++x) f.pixels[static_cast<size_t>(y) * 620 + x] = 0;
    }
  }
  return f;
}

class ScanApiTest : public WebFixture {
 protected:
  void SetUp() override {
    WebFixture::SetUp();
    fake_ = std::make_shared<hardware::FakeScanner>();
    std::shared_ptr<hardware::FakeScanner> fake = fake_;
    state().jobs->SetScannerFactory([fake] { return fake; });
    state().jobs->SetEngineFactory(station::MakeEngineFactory("", /*no_ocr=*/true));
    AddUser("post", Role::kPostRoom);
    AddUser("anna", Role::kCaseworker);
    AddUser("bo", Role::kCaseworker);
    std::lock_guard lock(state().lock);
    anna_case_ = AddCase("27.24.00-G01-5-19", "anna", false);
    bo_case_ = AddCase("27.24.00-G01-6-19", "bo", false);
    secret_case_ = AddCase("27.24.00-G01-7-19", "anna", true);
  }

  int64_t AddCase(const std::string& reference, const std::string& caseworker, bool restricted) {
    storage::NewCase c;
    c.system = "SBSYS";
    c.reference = reference;
    c.title = "Byggesag om tilbygning på matrikel 12a";
    c.caseworker = caseworker;
    c.restricted = restricted;
    if (restricted) c.access_group = "hemmelig";
    auto added = state().journal->AddCase(c, storage::Actor{"test"});
    EXPECT_TRUE(added) << added.error().ToString();
    return added ? added->id : 0;
  }

  // Polls the job until it is no longer running (at most 60 s).
  nlohmann::json WaitForJob(const TestSession& s, int64_t id) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    for (;;) {
      TestReply r = Get(&s, "/api/jobs/" + std::to_string(id));
      EXPECT_EQ(r.status, 200) << r.body;
      if (r.status != 200 || r.json.value("state", "") != "running" ||
          std::chrono::steady_clock::now() > deadline) {
        return r.json;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }

  std::string ScanFolder() { return state().config.station.scan_folder; }

  int SpooledPages(const std::string& batch) {
    std::lock_guard lock(state().lock);
    auto record = state().spool->Load(batch);
    EXPECT_TRUE(record) << record.error().ToString();
    return record ? static_cast<int>(record->pages.size()) : -1;
  }

  nlohmann::json Digitise(int64_t case_id, const std::optional<std::string>& description) {
    nlohmann::json body{
        {"case", case_id},     {"title", "Fotografi af skel mod nabogrunden, matrikel 12a"},
        {"source", "flatbed"}, {"mode", "color"},
        {"device", "fake:0"},  {"original", {{"disposition", "keep"}}}};
    if (description) body["description"] = *description;
    return body;
  }

  std::shared_ptr<hardware::FakeScanner> fake_;
  int64_t anna_case_ = 0;
  int64_t bo_case_ = 0;
  int64_t secret_case_ = 0;
};

TEST_F(ScanApiTest, ListsScannersAndConfiguredProfiles) {
  TestSession s = Login("post");
  TestReply r = Get(&s, "/api/scanners");
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_EQ(r.json["devices"].size(), 1u);
  EXPECT_EQ(r.json["devices"][0]["name"], "fake:0");
  EXPECT_EQ(r.json["default_profile"], state().config.scanner.default_profile);
  ASSERT_EQ(r.json["profiles"].size(), state().config.scanner.profiles.size());
  EXPECT_EQ(r.json["profiles"][0]["name"], state().config.scanner.profiles[0].name);
  EXPECT_EQ(r.json["sources"], nlohmann::json({"flatbed", "feeder", "duplex"}));
  EXPECT_TRUE(r.json["device_error"].is_null());
}

TEST_F(ScanApiTest, ImportsAFolderFromTheScanFolderIntoAProposedBatch) {
  const std::string folder = ScanFolder() + "/morgenpost";
  fs::create_directories(folder);
  for (const char* page : {"p001.png", "p002.png", "p003.png"}) {
    fs::copy_file(std::string(INTAKE_TEST_PAGES_DIR) + "/" + page, folder + "/" + page);
  }
  TestSession s = Login("post");
  TestReply inbox = Get(&s, "/api/inbox");
  ASSERT_EQ(inbox.status, 200) << inbox.body;
  ASSERT_EQ(inbox.json["entries"].size(), 1u);
  EXPECT_EQ(inbox.json["entries"][0]["name"], "morgenpost");
  EXPECT_EQ(inbox.json["entries"][0]["kind"], "folder");
  EXPECT_EQ(inbox.json["entries"][0]["files"], 3);

  TestReply started = Post(&s, "/api/imports", {{"folder", "morgenpost"}});
  ASSERT_EQ(started.status, 202) << started.body;
  const std::string batch = started.json["batch"];
  nlohmann::json job = WaitForJob(s, started.json["job"]);
  EXPECT_EQ(job["state"], "done") << job.dump();
  EXPECT_EQ(job["kind"], "import");
  EXPECT_EQ(job["batch"], batch);
  EXPECT_EQ(job["pages_scanned"], 3);
  EXPECT_EQ(job["pages_processed"], 3);
  EXPECT_EQ(job["pages_failed"], 0);
  EXPECT_TRUE(job["batch_ready"].get<bool>());
  EXPECT_EQ(SpooledPages(batch), 3);
  // The proposal is made: the batch's plan is saved beside its pages.
  auto plan = station::LoadPlan(state().spool->BatchDir(batch));
  ASSERT_TRUE(plan) << plan.error().ToString();
  EXPECT_FALSE(plan->documents.empty());
  // The folder left the listing, so it is not picked up twice.
  EXPECT_FALSE(fs::exists(folder));
  EXPECT_TRUE(fs::exists(ScanFolder() + "/.imported/morgenpost/p001.png"));
  EXPECT_TRUE(Get(&s, "/api/inbox").json["entries"].empty());
  EXPECT_EQ(Post(&s, "/api/imports", {{"folder", "morgenpost"}}).status, 404);
}

TEST_F(ScanApiTest, PaperJamKeepsThePagesBeforeItAndFailsTheJobWithTheDanishMessage) {
  fake_->AddPages(5, Frame());
  fake_->AddFault(3, Error(ErrorCode::kDeviceError,
                           "Papirstop ved ark 4. Fjern papiret, læg arkene fra ark 4 i igen."));
  TestSession s = Login("post");
  TestReply started = Post(&s, "/api/scans", {{"device", "fake:0"}, {"source", "feeder"}});
  ASSERT_EQ(started.status, 202) << started.body;
  nlohmann::json job = WaitForJob(s, started.json["job"]);
  EXPECT_EQ(job["state"], "failed");
  EXPECT_THAT(job["message"].get<std::string>(), HasSubstr("Papirstop ved ark 4"));
  EXPECT_EQ(job["pages_scanned"], 3);
  EXPECT_EQ(job["pages_processed"], 3);
  EXPECT_EQ(job["last_complete_sheet"], 3);
  EXPECT_EQ(job["reload_from_sheet"], 4);
  EXPECT_TRUE(job["batch_ready"].get<bool>());
  EXPECT_EQ(SpooledPages(started.json["batch"]), 3);
  ASSERT_EQ(fake_->batches_started().size(), 1u);
  EXPECT_EQ(fake_->batches_started()[0].device, "fake:0");
  EXPECT_EQ(fake_->batches_started()[0].source, config::ScanSource::kFeeder);
}

TEST_F(ScanApiTest, ReportsProgressAndAllowsOneScanAtATimePerDevice) {
  fake_->AddPages(4, Frame());
  fake_->SetPace(std::chrono::milliseconds(150));
  TestSession s = Login("post");
  TestReply started = Post(&s, "/api/scans",
                           {{"device", "fake:0"},
                            {"source", "duplex"},
                            {"mode", "lineart"},
                            {"batch_name", "Morgenpost"}});
  ASSERT_EQ(started.status, 202) << started.body;
  TestReply second = Post(&s, "/api/scans", {{"device", "fake:0"}});
  EXPECT_EQ(second.status, 409) << second.body;
  EXPECT_THAT(second.json["error"]["message"].get<std::string>(), HasSubstr("fake:0"));
  TestReply list = Get(&s, "/api/jobs");
  ASSERT_EQ(list.status, 200);
  ASSERT_EQ(list.json["jobs"].size(), 1u);
  EXPECT_EQ(list.json["jobs"][0]["id"], started.json["job"]);
  EXPECT_EQ(list.json["jobs"][0]["user"], "post");

  nlohmann::json job = WaitForJob(s, started.json["job"]);
  EXPECT_EQ(job["state"], "done") << job.dump();
  EXPECT_EQ(job["kind"], "scan");
  EXPECT_EQ(job["source"], "fake:0");
  EXPECT_EQ(job["pages_scanned"], 4);
  EXPECT_EQ(job["pages_processed"], 4);
  EXPECT_EQ(job["pages_failed"], 0);
  EXPECT_EQ(job["message"], "");
  EXPECT_TRUE(job["batch_ready"].get<bool>());
  EXPECT_EQ(fake_->batches_started()[0].mode, config::ScanMode::kLineart);
  // The device is free again.
  fake_->AddPages(1, Frame());
  EXPECT_EQ(Post(&s, "/api/scans", {{"device", "fake:0"}}).status, 202);
}

TEST_F(ScanApiTest, ImportRefusesNamesOutsideTheScanFolder) {
  testing::ScopedTempDir outside;
  fs::create_directories(outside.Sub("hemmeligt"));
  fs::copy_file(std::string(INTAKE_TEST_PAGES_DIR) + "/p001.png",
                outside.Sub("hemmeligt/p001.png"));
  fs::create_directories(ScanFolder() + "/a/b");
  fs::create_directories(ScanFolder() + "/.hidden");
  fs::create_directory_symlink(outside.Sub("hemmeligt"), ScanFolder() + "/ud");
  TestSession s = Login("post");
  const std::vector<std::string> names = {
      "../x", "a/b", ".hidden", "ud", "..", "", std::string("a\0b", 3), "/etc"};
  for (const std::string& name : names) {
    TestReply r = Post(&s, "/api/imports", {{"folder", name}});
    EXPECT_EQ(r.status, 400) << name << ": " << r.body;
    EXPECT_THAT(r.json["error"]["message"].get<std::string>(), HasSubstr("\"folder\"")) << name;
  }
  EXPECT_EQ(Post(&s, "/api/imports", {{"folder", "findes-ikke"}}).status, 404);
  // Nothing moved.
  EXPECT_TRUE(fs::exists(outside.Sub("hemmeligt/p001.png")));
  EXPECT_TRUE(fs::is_symlink(ScanFolder() + "/ud"));
  EXPECT_TRUE(Get(&s, "/api/jobs").json["jobs"].empty());
}

TEST_F(ScanApiTest, RefusesMalformedAndWronglyTypedBodies) {
  TestSession s = Login("post");
  for (const char* path : {"/api/scans", "/api/imports", "/api/digitise"}) {
    TestReply r = Send("POST", &s, path, "{\"folder\": ");
    EXPECT_EQ(r.status, 400) << path << ": " << r.body;
  }
  TestReply typed = Post(&s, "/api/imports", {{"folder", 5}});
  EXPECT_EQ(typed.status, 400);
  EXPECT_THAT(typed.json["error"]["message"].get<std::string>(), HasSubstr("folder"));
  TestReply source = Post(&s, "/api/scans", {{"device", "fake:0"}, {"source", "tromle"}});
  EXPECT_EQ(source.status, 400);
  EXPECT_THAT(source.json["error"]["message"].get<std::string>(), HasSubstr("source"));
  TestReply profile = Post(&s, "/api/scans", {{"profile", "findes-ikke"}});
  EXPECT_EQ(profile.status, 400);
  EXPECT_EQ(Get(&s, "/api/jobs/abc").status, 400);
  EXPECT_EQ(Get(&s, "/api/jobs/999").status, 404);
  EXPECT_EQ(fake_->batches_started().size(), 0u);
}

TEST_F(ScanApiTest, RequiresALoginAndTheRightRole) {
  for (const char* path : {"/api/scanners", "/api/inbox", "/api/jobs", "/api/jobs/1"}) {
    EXPECT_EQ(Get(nullptr, path).status, 401) << path;
  }
  EXPECT_EQ(Post(nullptr, "/api/scans", {{"device", "fake:0"}}).status, 401);
  EXPECT_EQ(Post(nullptr, "/api/digitise", Digitise(anna_case_, "Et foto")).status, 401);
  TestSession post = Login("post");
  EXPECT_EQ(Post(&post, "/api/digitise", Digitise(anna_case_, "Et foto")).status, 403);
  TestSession anna = Login("anna");
  EXPECT_EQ(Post(&anna, "/api/scans", {{"device", "fake:0"}}).status, 403);
  EXPECT_EQ(Post(&anna, "/api/imports", {{"folder", "x"}}).status, 403);
  EXPECT_EQ(fake_->batches_started().size(), 0u);
}

TEST_F(ScanApiTest, CaseworkerDigitisesOntoOwnCaseAndItIsJournalised) {
  fake_->AddPages(1, Frame());
  TestSession anna = Login("anna");
  TestReply cases = Get(&anna, "/api/digitise/cases");
  ASSERT_EQ(cases.status, 200) << cases.body;
  ASSERT_EQ(cases.json["cases"].size(), 1u);  // not bo's, not the restricted one
  EXPECT_EQ(cases.json["cases"][0]["reference"], "27.24.00-G01-5-19");

  TestReply started =
      Post(&anna, "/api/digitise", Digitise(anna_case_, "Farvefotografi af skelpælen mod nord"));
  ASSERT_EQ(started.status, 202) << started.body;
  nlohmann::json job = WaitForJob(anna, started.json["job"]);
  ASSERT_EQ(job["state"], "done") << job.dump();
  EXPECT_EQ(job["kind"], "digitise");
  const nlohmann::json& result = job["result"];
  EXPECT_EQ(result["case"]["reference"], "27.24.00-G01-5-19");
  EXPECT_EQ(result["document"]["title"], "Fotografi af skel mod nabogrunden, matrikel 12a");
  EXPECT_EQ(result["document"]["doc_number"], 1);
  ASSERT_EQ(fake_->batches_started().size(), 1u);
  EXPECT_EQ(fake_->batches_started()[0].mode, config::ScanMode::kColor);
  EXPECT_EQ(fake_->batches_started()[0].source, config::ScanSource::kFlatbed);
  // In the audit log under the caseworker.
  std::lock_guard lock(state().lock);
  auto history =
      state().journal->History("document", std::to_string(result["document"]["id"].get<int64_t>()));
  ASSERT_TRUE(history) << history.error().ToString();
  ASSERT_FALSE(history->empty());
  EXPECT_EQ(history->front().actor, "anna");
}

TEST_F(ScanApiTest, DigitisingOntoAnotherCaseworkersCaseIsRefused) {
  fake_->AddPages(1, Frame());
  TestSession anna = Login("anna");
  TestReply other = Post(&anna, "/api/digitise", Digitise(bo_case_, "Et foto af skellet"));
  EXPECT_EQ(other.status, 403) << other.body;
  // A restricted case anna may not read is as missing as one that does not exist.
  TestSession bo = Login("bo");
  TestReply secret = Post(&bo, "/api/digitise", Digitise(secret_case_, "Et foto af skellet"));
  EXPECT_EQ(secret.status, 404) << secret.body;
  TestReply missing = Post(&bo, "/api/digitise", Digitise(99999, "Et foto af skellet"));
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(secret.json["error"]["message"].get<std::string>().find("27.24.00-G01-7-19"),
            std::string::npos);
  EXPECT_EQ(fake_->batches_started().size(), 0u);
}

TEST_F(ScanApiTest, ImageOnlyDocumentWithoutDescriptionIsRefusedAndItsPagesKept) {
  fake_->AddPages(1, Frame());
  TestSession anna = Login("anna");
  TestReply started = Post(&anna, "/api/digitise", Digitise(anna_case_, std::nullopt));
  ASSERT_EQ(started.status, 202) << started.body;
  nlohmann::json job = WaitForJob(anna, started.json["job"]);
  EXPECT_EQ(job["state"], "failed") << job.dump();
  EXPECT_THAT(job["message"].get<std::string>(), HasSubstr("beskrivelse"));
  EXPECT_EQ(job["result"]["batch"], started.json["batch"]);
  EXPECT_TRUE(job["result"]["refused"].contains("message"));
  EXPECT_EQ(SpooledPages(started.json["batch"]), 1);
  // Another caseworker does not see anna's digitising.
  TestSession bo = Login("bo");
  EXPECT_EQ(Get(&bo, "/api/jobs/" + std::to_string(started.json["job"].get<int64_t>())).status,
            404);
  EXPECT_TRUE(Get(&bo, "/api/jobs").json["jobs"].empty());
}

TEST_F(ScanApiTest, DigitiseChecksTitleAndFieldsBeforeScanning) {
  TestSession anna = Login("anna");
  nlohmann::json vague = Digitise(anna_case_, "Et foto");
  vague["title"] = "Brev";
  TestReply r = Post(&anna, "/api/digitise", vague);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_THAT(r.json["error"]["message"].get<std::string>(), HasSubstr("\"title\""));
  nlohmann::json no_mode = Digitise(anna_case_, "Et foto");
  no_mode.erase("mode");
  EXPECT_EQ(Post(&anna, "/api/digitise", no_mode).status, 400);
  nlohmann::json bad_original = Digitise(anna_case_, "Et foto");
  bad_original["original"] = {{"disposition", "smid ud"}};
  TestReply o = Post(&anna, "/api/digitise", bad_original);
  EXPECT_EQ(o.status, 400);
  EXPECT_THAT(o.json["error"]["message"].get<std::string>(), HasSubstr("original.disposition"));
  nlohmann::json bad_case = Digitise(anna_case_, "Et foto");
  bad_case["case"] = true;
  EXPECT_EQ(Post(&anna, "/api/digitise", bad_case).status, 400);
  EXPECT_EQ(fake_->batches_started().size(), 0u);
}

}  // namespace
}  // namespace intake::web

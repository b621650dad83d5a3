#include "storage/page_spool.h"

#include <fcntl.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <random>
#include <regex>
#include <set>
#include <sstream>

#include "base/atomic_file.h"
#include "base/sha256.h"

namespace intake::storage {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

Error IoError(const std::string& context, int err) {
  return Error(ErrorCode::kIOError, FromErrno(context, err).message());
}

// The current UTC time as ISO 8601 ("2026-11-26T15:30:12Z") or compact ("20261126-153012").
std::string UtcNow(bool compact = false) {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  if (compact) {
    std::strftime(buf, sizeof buf, "%Y%m%d-%H%M%S", &tm);
  } else {
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  }
  return buf;
}

std::string NewBatchId() {
  std::random_device rd;
  char suffix[8];
  // The suffix always holds a letter: with four decimal digits, "HHMMSS-NNNN" would have
  // the shape of a CPR number, and the CPR masking in logs and messages would hide the
  // batch id (and the journal would refuse it as a name holding a CPR number).
  do {
    std::snprintf(suffix, sizeof suffix, "%04x", static_cast<unsigned>(rd() & 0xFFFF));
  } while (std::string_view(suffix).find_first_of("abcdef") == std::string_view::npos);
  return UtcNow(true) + "-" + suffix;
}

bool ValidBatchId(const std::string& id) {
  static const std::regex kId(R"(\d{8}-\d{6}-[0-9a-f]{4})");
  return std::regex_match(id, kId);
}

json PageToJson(const SpooledPage& p) {
  return {{"event", "page"}, {"seq", p.seq},       {"sheet", p.sheet},
          {"side", p.side},  {"file", p.file},     {"file_page", p.file_page},
          {"sha256", p.sha256}, {"source", p.source}, {"dpi", p.dpi}};
}

SpooledPage PageFromJson(const json& j) {
  SpooledPage p;
  p.seq = j.at("seq").get<int>();
  p.sheet = j.value("sheet", 0);
  p.side = j.value("side", "front");
  p.file = j.at("file").get<std::string>();
  p.file_page = j.value("file_page", 0);
  p.sha256 = j.value("sha256", "");
  p.source = j.value("source", "");
  p.dpi = j.value("dpi", 0);
  return p;
}

bool SafeFileName(const std::string& name) {
  return !name.empty() && name.find('/') == std::string::npos && name[0] != '.';
}

}  // namespace

int BatchRecord::next_sheet() const {
  if (reload_from_sheet) return *reload_from_sheet;
  int max_sheet = 0;
  for (const auto& p : pages) max_sheet = std::max(max_sheet, p.sheet);
  return max_sheet + 1;
}

Result<PageSpool> PageSpool::Open(std::string root) {
  std::error_code ec;
  fs::create_directories(root, ec);
  if (ec) return IoError("kan ikke oprette mappen til scannede sider " + root, ec.value());
  return PageSpool(std::move(root));
}

Result<std::string> PageSpool::CreateBatch(const BatchInfo& info) {
  std::string id = NewBatchId();
  std::error_code ec;
  for (int attempt = 0; fs::exists(BatchDir(id), ec) && attempt < 10; ++attempt) id = NewBatchId();
  if (!fs::create_directory(BatchDir(id), ec)) {
    return IoError("kan ikke oprette batchmappen " + BatchDir(id), ec ? ec.value() : EEXIST);
  }
  const json batch = {{"id", id},
                      {"created", UtcNow()},
                      {"name", info.name},
                      {"channel", info.channel},
                      {"device", info.device},
                      {"operator", info.operator_name},
                      {"received_date", info.received_date},
                      {"format", 1}};
  INTAKE_RETURN_IF_ERROR(WriteFileAtomically(BatchDir(id) + "/batch.json", batch.dump(2) + "\n"));
  INTAKE_RETURN_IF_ERROR(WriteFileAtomically(BatchDir(id) + "/events.log", ""));
  INTAKE_RETURN_IF_ERROR(SyncDirectory(root_));
  return id;
}

Status PageSpool::Append(const std::string& batch, std::string_view json_line) {
  const std::string path = BatchDir(batch) + "/events.log";
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  if (fd < 0) return IoError("kan ikke åbne " + path, errno);
  std::string line(json_line);
  line += '\n';
  size_t done = 0;
  while (done < line.size()) {
    const ssize_t n = ::write(fd, line.data() + done, line.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int err = errno;
      ::close(fd);
      return IoError("kan ikke skrive i " + path, err);
    }
    done += static_cast<size_t>(n);
  }
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0) return IoError("kan ikke gemme " + path + " på disken", err);
  return OkStatus();
}

Result<int> PageSpool::NextSeq(const std::string& batch) const {
  INTAKE_ASSIGN_OR_RETURN(BatchRecord record, Load(batch));
  int seq = 0;
  for (const auto& p : record.pages) seq = std::max(seq, p.seq);
  // Orphan files (a crash after the file, before its event) keep their numbers.
  std::error_code ec;
  static const std::regex kPageFile(R"((\d{6})\.\w+)");
  for (const auto& entry : fs::directory_iterator(BatchDir(batch), ec)) {
    std::smatch m;
    const std::string name = entry.path().filename().string();
    if (std::regex_match(name, m, kPageFile)) seq = std::max(seq, std::stoi(m[1].str()));
  }
  return seq + 1;
}

Result<SpooledPage> PageSpool::AddPage(const std::string& batch, SpooledPage page,
                                       std::string_view bytes, std::string_view extension) {
  if (!ValidBatchId(batch)) return Error(ErrorCode::kInvalidArgument, "ugyldigt batch-id " + batch);
  INTAKE_ASSIGN_OR_RETURN(page.seq, NextSeq(batch));
  char name[32];
  std::snprintf(name, sizeof name, "%06d.", page.seq);
  page.file = std::string(name) + std::string(extension);
  page.file_page = 0;
  page.sha256 = Sha256Hex(bytes);
  // The file first, then its event: a crash in between leaves an orphan, never a record
  // of a page that is not there.
  INTAKE_RETURN_IF_ERROR(WriteFileAtomically(PathOf(batch, page.file), bytes));
  INTAKE_RETURN_IF_ERROR(Append(batch, PageToJson(page).dump()));
  return page;
}

Result<std::string> PageSpool::AddFile(const std::string& batch, std::string_view bytes,
                                       std::string_view extension) {
  if (!ValidBatchId(batch)) return Error(ErrorCode::kInvalidArgument, "ugyldigt batch-id " + batch);
  const std::string sha = Sha256Hex(bytes);
  const std::string name = "src-" + sha.substr(0, 16) + "." + std::string(extension);
  std::error_code ec;
  if (!fs::exists(PathOf(batch, name), ec)) {
    INTAKE_RETURN_IF_ERROR(WriteFileAtomically(PathOf(batch, name), bytes));
  }
  return name;
}

Result<SpooledPage> PageSpool::AddPageOfFile(const std::string& batch, SpooledPage page) {
  if (!SafeFileName(page.file)) {
    return Error(ErrorCode::kInvalidArgument, "ugyldigt filnavn " + page.file);
  }
  INTAKE_ASSIGN_OR_RETURN(page.seq, NextSeq(batch));
  if (page.sha256.empty()) {
    INTAKE_ASSIGN_OR_RETURN(page.sha256, Sha256OfFile(PathOf(batch, page.file)));
  }
  INTAKE_RETURN_IF_ERROR(Append(batch, PageToJson(page).dump()));
  return page;
}

Status PageSpool::RecordFault(const std::string& batch, const SpoolFault& f) {
  return Append(batch, json{{"event", "fault"},
                            {"code", f.code},
                            {"message", f.message},
                            {"last_complete_sheet", f.last_complete_sheet},
                            {"reload_from_sheet", f.reload_from_sheet},
                            {"time", UtcNow()}}
                           .dump());
}

Status PageSpool::RecordResume(const std::string& batch, int first_sheet) {
  return Append(batch, json{{"event", "resumed"},
                            {"first_sheet", first_sheet},
                            {"time", UtcNow()}}
                           .dump());
}

Status PageSpool::RecordSourceDone(const std::string& batch, const std::string& source) {
  return Append(batch, json{{"event", "source_done"}, {"source", source}}.dump());
}

Status PageSpool::Close(const std::string& batch) {
  return Append(batch, json{{"event", "closed"}, {"time", UtcNow()}}.dump());
}

Status PageSpool::SaveAnalysis(const std::string& batch, int seq, std::string_view text) {
  char name[32];
  std::snprintf(name, sizeof name, "%06d.json", seq);
  return WriteFileAtomically(PathOf(batch, name), text);
}

std::optional<std::string> PageSpool::LoadAnalysis(const std::string& batch, int seq) const {
  char name[32];
  std::snprintf(name, sizeof name, "%06d.json", seq);
  std::ifstream in(PathOf(batch, name), std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

Result<BatchRecord> PageSpool::Load(const std::string& batch) const {
  if (!ValidBatchId(batch)) {
    return Error(ErrorCode::kNotFound, "batch " + batch + " findes ikke (ugyldigt id)");
  }
  std::error_code ec;
  if (!fs::is_directory(BatchDir(batch), ec)) {
    return Error(ErrorCode::kNotFound, "batch " + batch + " findes ikke i " + root_);
  }
  BatchRecord r;
  r.id = batch;
  {
    std::ifstream in(BatchDir(batch) + "/batch.json");
    json j = json::parse(in, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      return Error(ErrorCode::kCorruption, "batch " + batch + ": batch.json er beskadiget");
    }
    r.created = j.value("created", "");
    r.info.name = j.value("name", "");
    r.info.channel = j.value("channel", "");
    r.info.device = j.value("device", "");
    r.info.operator_name = j.value("operator", "");
    r.info.received_date = j.value("received_date", "");
  }
  std::ifstream events(BatchDir(batch) + "/events.log", std::ios::binary);
  std::string all((std::istreambuf_iterator<char>(events)), std::istreambuf_iterator<char>());
  size_t start = 0;
  int line_no = 0;
  while (start < all.size()) {
    size_t end = all.find('\n', start);
    const bool torn = end == std::string::npos;
    const std::string line = all.substr(start, torn ? std::string::npos : end - start);
    start = torn ? all.size() : end + 1;
    ++line_no;
    if (line.empty()) continue;
    json j = json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("event")) {
      r.problems.push_back(torn ? "den sidste hændelse i events.log blev kun delvist skrevet "
                                  "(nedbrud under skrivning) og er sprunget over"
                                : "linje " + std::to_string(line_no) +
                                      " i events.log kan ikke læses og er sprunget over");
      continue;
    }
    const std::string ev = j["event"].get<std::string>();
    try {
      if (ev == "page") {
        r.pages.push_back(PageFromJson(j));
      } else if (ev == "fault") {
        r.faults.push_back({j.value("code", ""), j.value("message", ""),
                            j.value("last_complete_sheet", 0), j.value("reload_from_sheet", 0)});
        r.reload_from_sheet = r.faults.back().reload_from_sheet;
      } else if (ev == "resumed") {
        const int first = j.value("first_sheet", 1);
        r.resumed_at.push_back(first);
        r.reload_from_sheet.reset();
        // The operator reloaded sheets from `first` on: pages of those sheets stored before
        // (the front of a sheet whose back jammed) are scanned again and superseded.
        auto moved = std::stable_partition(r.pages.begin(), r.pages.end(),
                                           [&](const SpooledPage& p) { return p.sheet < first; });
        r.superseded.insert(r.superseded.end(), moved, r.pages.end());
        r.pages.erase(moved, r.pages.end());
      } else if (ev == "source_done") {
        r.sources_done.push_back(j.value("source", ""));
      } else if (ev == "closed") {
        r.closed = true;
      }
    } catch (const json::exception&) {
      r.problems.push_back("linje " + std::to_string(line_no) + " i events.log mangler felter");
    }
  }
  // Files without an event: a crash between storing a page and recording it.
  std::set<std::string> referenced;
  for (const auto& p : r.pages) referenced.insert(p.file);
  for (const auto& p : r.superseded) referenced.insert(p.file);
  static const std::regex kPageFile(R"(\d{6}\.(png|tif|tiff|jpg|pdf|pnm))");
  for (const auto& entry : fs::directory_iterator(BatchDir(batch), ec)) {
    const std::string name = entry.path().filename().string();
    if (std::regex_match(name, kPageFile) && referenced.count(name) == 0) {
      r.problems.push_back("filen " + name + " har ingen hændelse (nedbrud efter at siden blev "
                           "gemt); den er bevaret, men ikke med i batchen");
    }
  }
  return r;
}

Result<std::vector<std::string>> PageSpool::ListBatches() const {
  std::vector<std::string> ids;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(root_, ec)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_directory() && ValidBatchId(name)) ids.push_back(name);
  }
  if (ec) return IoError("kan ikke læse mappen " + root_, ec.value());
  std::sort(ids.begin(), ids.end());
  return ids;
}

}  // namespace intake::storage

// Generated journal data shared by the C++ benchmarks (journal_bench, archive_bench): a
// seeded random source, Danish name, address, topic and title pools, dates, case
// references and the cases table's bulk load, plus small measuring helpers. Everything is
// deterministic for a seed, so a benchmark can regenerate the same journal.
//
// Thread-safety: the pools are immutable; a Gen belongs to one thread.
#ifndef INTAKE_BENCH_BENCH_DATA_H_
#define INTAKE_BENCH_BENCH_DATA_H_

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "base/result.h"

namespace intake::storage {
class Database;
}

namespace intake::bench {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::duration d);
// CPU time of this thread: on a machine shared with other work, less disturbed than the
// wall-clock time.
double ThreadCpuSeconds();

// ---- pools ----
extern const std::vector<std::string> kFirstNames;
extern const std::vector<std::string> kLastNames;
extern const std::vector<std::string> kStreetHeads;
extern const std::vector<std::string> kStreetTails;
extern const std::vector<std::string> kCities;  // "2300 København S"
extern const std::vector<std::string> kMonths;  // "januar" ...
// Topics, most frequent first (drawn with Zipf-like weights).
extern const std::vector<std::string> kTopics;
extern const std::vector<std::string> kTitleTemplates;  // with {D} and {T} (Fill)
extern const std::vector<std::string> kDocTypes;
extern const std::vector<std::string> kDepartments;

class Gen {
 public:
  explicit Gen(uint64_t seed) : rng_(seed) {}
  uint64_t Next() { return rng_(); }
  int64_t Uniform(int64_t lo, int64_t hi) {  // inclusive
    return lo + static_cast<int64_t>(rng_() % static_cast<uint64_t>(hi - lo + 1));
  }
  double Real() { return static_cast<double>(rng_() >> 11) * 0x1.0p-53; }
  template <typename T>
  const T& Pick(const std::vector<T>& v) {
    return v[static_cast<size_t>(Uniform(0, static_cast<int64_t>(v.size()) - 1))];
  }
  // Index with weight 1/(i+1): a few topics dominate, as in real post.
  size_t Zipf(size_t n) {
    if (zipf_cdf_.size() != n) {
      zipf_cdf_.assign(n, 0);
      double sum = 0;
      for (size_t i = 0; i < n; ++i) zipf_cdf_[i] = (sum += 1.0 / static_cast<double>(i + 1));
      for (double& c : zipf_cdf_) c /= sum;
    }
    const double r = Real();
    return static_cast<size_t>(std::lower_bound(zipf_cdf_.begin(), zipf_cdf_.end(), r) -
                               zipf_cdf_.begin());
  }
  std::string Hex(int chars) {
    static const char kDigits[] = "0123456789abcdef";
    std::string s;
    for (int i = 0; i < chars; ++i) s += kDigits[rng_() & 15];
    return s;
  }

 private:
  std::mt19937_64 rng_;
  std::vector<double> zipf_cdf_;
};

// ---- dates: days since 1970-01-01 ----
struct Ymd {
  int y, m, d;
};
Ymd FromDays(int64_t days);
std::string IsoDate(int64_t days);   // "2026-11-27"
std::string LongDate(int64_t days);  // "27. november 2026"
// Today (UTC) in days since 1970-01-01.
int64_t Today();
inline constexpr int64_t kFirstDay = 17897;  // 2019-01-01
inline constexpr int64_t kLastDay = 20787;   // 2026-11-30

// The citizen a case is about, with a surname of their own (rare words, as citizens' names
// are): "Mette Skovbjerggaard".
std::string CitizenName(int64_t case_id);
// The generated case's reference in the KK system: "2020-0100001".
std::string CaseReference(int64_t case_id);
// `tpl` with its placeholders filled: {T} topic, {N} a name, {A} an amount, {D} a date
// around `day`, {S} an address, {C} a city, {W} a number of weeks, {R} `reference`, {K} a
// child's first name, {P} a phone number.
std::string Fill(const std::string& tpl, Gen& g, const std::string& topic, int64_t day,
                 const std::string& reference);

// Inserts cases 1..`cases` in one transaction: KK references (CaseReference), titles from
// kTopics, 80 % open, 5 % restricted to one of three access groups ("familie-følsom",
// "jobcenter-følsom", "personale"). Draws from `g` in a fixed order.
Status InsertCases(storage::Database& db, Gen& g, int64_t cases);

// ---- measuring ----
int64_t FileSize(const std::string& path);  // 0 when absent
// meta.value for `key`, "" when absent.
std::string MetaValue(storage::Database& db, const std::string& key);
// The value at fraction `p` (0..1) of the sorted values; 0 for none.
double Percentile(std::vector<double> v, double p);

}  // namespace intake::bench

#endif  // INTAKE_BENCH_BENCH_DATA_H_

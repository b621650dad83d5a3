// ocr_engine_bench: times TesseractEngine on page images (bench/README.md).
//
//   ocr_engine_bench [--languages dan] [--dpi 300] [--reps 3] [--threads 1] [--depth keep|1|8]
//                    [--no-invert] [--reference page.txt] [--text-out out.txt] IMAGE
//
// Prints the time to create an engine, the wall-clock and thread CPU time of Recognize()
// per page (minimum and median of --reps runs), the words, lines, mean confidence and, with
// --reference, the character error rate. With --threads N, N engines on N threads each read
// the page --reps times and the throughput in pages per minute is printed as well.
#include <leptonica/allheaders.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "ocr/leptonica_handles.h"
#include "ocr/tesseract_engine.h"
#include "tests/support/text_metrics.h"

namespace {

using intake::ocr::OcrResult;
using intake::ocr::PixPtr;
using intake::ocr::TesseractEngine;
using intake::ocr::TesseractOptions;
using Clock = std::chrono::steady_clock;

struct Args {
  TesseractOptions options;
  int dpi = 300;
  int reps = 3;
  int threads = 1;
  std::string depth = "keep";
  std::string reference;
  std::string text_out;
  std::string image;
};

double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

int Usage() {
  std::fprintf(stderr,
               "usage: ocr_engine_bench [--languages L] [--dpi N] [--reps N] [--threads N] "
               "[--depth keep|1|8] [--no-invert] [--reference FILE] [--text-out FILE] IMAGE\n");
  return 2;
}

bool Parse(int argc, char** argv, Args* args) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&](std::string* out) {
      if (i + 1 >= argc) return false;
      *out = argv[++i];
      return true;
    };
    std::string v;
    if (a == "--languages") {
      if (!value(&args->options.languages)) return false;
    } else if (a == "--dpi") {
      if (!value(&v)) return false;
      args->dpi = std::atoi(v.c_str());
    } else if (a == "--reps") {
      if (!value(&v)) return false;
      args->reps = std::max(1, std::atoi(v.c_str()));
    } else if (a == "--threads") {
      if (!value(&v)) return false;
      args->threads = std::max(1, std::atoi(v.c_str()));
    } else if (a == "--depth") {
      if (!value(&args->depth)) return false;
    } else if (a == "--no-invert") {
      args->options.read_inverted_text = false;
    } else if (a == "--reference") {
      if (!value(&args->reference)) return false;
    } else if (a == "--text-out") {
      if (!value(&args->text_out)) return false;
    } else if (!a.empty() && a[0] != '-' && args->image.empty()) {
      args->image = a;
    } else {
      return false;
    }
  }
  return !args->image.empty() &&
         (args->depth == "keep" || args->depth == "1" || args->depth == "8");
}

PixPtr LoadPage(const Args& args) {
  PixPtr pix(pixRead(args.image.c_str()));
  if (pix == nullptr) return pix;
  if (pixGetColormap(pix.get()) != nullptr) {
    pix.reset(pixRemoveColormap(pix.get(), REMOVE_CMAP_BASED_ON_SRC));
  }
  if (args.depth == "8" && pixGetDepth(pix.get()) != 8) {
    pix.reset(pixConvertTo8(pix.get(), 0));
  } else if (args.depth == "1" && pixGetDepth(pix.get()) != 1) {
    pix.reset(pixConvertTo1(pix.get(), 128));
  }
  return pix;
}

}  // namespace

int main(int argc, char** argv) {
  Args args;
  if (!Parse(argc, argv, &args)) return Usage();
  PixPtr page = LoadPage(args);
  if (page == nullptr) {
    std::fprintf(stderr, "cannot read %s\n", args.image.c_str());
    return 1;
  }
  std::printf("image %s: %d x %d px, %d bpp, %d dpi; languages %s, invert %s\n", args.image.c_str(),
              pixGetWidth(page.get()), pixGetHeight(page.get()), pixGetDepth(page.get()), args.dpi,
              args.options.languages.c_str(), args.options.read_inverted_text ? "on" : "off");

  const Clock::time_point create_start = Clock::now();
  auto engine = TesseractEngine::Create(args.options);
  if (!engine.has_value()) {
    std::fprintf(stderr, "%s\n", engine.error().ToString().c_str());
    return 1;
  }
  std::printf("engine %s created in %.2f s\n", (*engine)->Describe().c_str(),
              Seconds(Clock::now() - create_start));

  // One engine, one thread: time per page.
  std::vector<double> wall, cpu;
  OcrResult last;
  for (int r = 0; r < args.reps; ++r) {
    const double cpu_start = ThreadCpuSeconds();
    const Clock::time_point start = Clock::now();
    auto result = (*engine)->Recognize(page.get(), args.dpi, start + std::chrono::hours(1));
    wall.push_back(Seconds(Clock::now() - start));
    cpu.push_back(ThreadCpuSeconds() - cpu_start);
    if (!result.has_value()) {
      std::fprintf(stderr, "%s\n", result.error().ToString().c_str());
      return 1;
    }
    last = std::move(*result);
  }
  std::printf("recognize, %d run(s): wall min %.2f s median %.2f s; cpu min %.2f s median %.2f s\n",
              args.reps, *std::min_element(wall.begin(), wall.end()), Median(wall),
              *std::min_element(cpu.begin(), cpu.end()), Median(cpu));
  std::printf("result: %zu words, %zu lines, mean confidence %.0f\n", last.words.size(),
              last.lines.size(), last.mean_confidence);
  if (!args.reference.empty()) {
    std::ifstream in(args.reference, std::ios::binary);
    std::stringstream reference;
    reference << in.rdbuf();
    std::printf("CER vs %s: %.2f%%\n", args.reference.c_str(),
                100 * intake::testing::CharacterErrorRate(reference.str(), last.text));
  }
  if (!args.text_out.empty()) std::ofstream(args.text_out, std::ios::binary) << last.text;

  // N engines on N threads: throughput.
  if (args.threads > 1) {
    std::vector<std::thread> workers;
    std::vector<int> failures(args.threads, 0);
    const Clock::time_point start = Clock::now();
    for (int t = 0; t < args.threads; ++t) {
      workers.emplace_back([&, t] {
        auto own = TesseractEngine::Create(args.options);
        if (!own.has_value()) {
          failures[t] = args.reps;
          return;
        }
        for (int r = 0; r < args.reps; ++r) {
          if (!(*own)->Recognize(page.get(), args.dpi, Clock::now() + std::chrono::hours(1))) {
            ++failures[t];
          }
        }
      });
    }
    for (std::thread& w : workers) w.join();
    const double elapsed = Seconds(Clock::now() - start);
    const int pages = args.threads * args.reps;
    int failed = 0;
    for (int f : failures) failed += f;
    std::printf(
        "%d threads x %d pages (engine creation included): %.1f s, %.1f pages/min, "
        "%d failed\n",
        args.threads, args.reps, elapsed, 60.0 * pages / elapsed, failed);
  }
  return 0;
}

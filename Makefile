# The two entry points (README): `make run` and `make test`. Both install the Debian
# packages listed in scripts/deps.txt when missing, then configure and build with CMake.
#
#   make run             build and run the station on its embedded defaults
#   make test            build, then run every test (unit, integration, e2e)
#   make test-sanitize   AddressSanitizer + UndefinedBehaviorSanitizer build of the C++ unit tests,
#                        run (the Python self-tests and the layering check run in `make test`)
#   make build           only build (build/bin/station)
#   make format          clang-format every source file
#   make bench           build, then the OCR, PDF/A and scanner benchmarks (bench/README.md; not tests)
#   make bench-web       build with the C++ benchmarks, then `station serve` on 100,000 generated
#                        documents against a static-file peer (bench/web_bench.py)

BUILD_DIR      ?= build
SANITIZE_DIR   ?= build-sanitize
JOBS           ?= $(shell nproc)
CMAKE_FLAGS    ?=
CTEST_FLAGS    ?=
BENCH_FLAGS    ?=

.PHONY: all deps configure build run test test-sanitize format clean bench bench-web

all: build

deps:
	@scripts/install-deps.sh

$(BUILD_DIR)/build.ninja: CMakeLists.txt | deps
	@cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS) >/dev/null

configure: deps $(BUILD_DIR)/build.ninja

build: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS)

run: build
	@scripts/run-demo.sh $(BUILD_DIR)/bin/station

test: build
	@cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) $(CTEST_FLAGS)

test-sanitize: deps
	@cmake -S . -B $(SANITIZE_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DINTAKE_SANITIZE=ON \
	  $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(SANITIZE_DIR) -j $(JOBS) --target unit_tests
	@cd $(SANITIZE_DIR) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --output-on-failure -j $(JOBS) -L unit -E '_selftest$$|^layering_check$$' $(CTEST_FLAGS)

bench: build
	@scripts/install-deps.sh scripts/deps-bench.txt
	@/usr/bin/python3 bench/ocr_bench.py --station $(BUILD_DIR)/bin/station $(BENCH_FLAGS)
	@/usr/bin/python3 bench/pdf_bench.py --station $(BUILD_DIR)/bin/station
	@/usr/bin/python3 bench/scan_bench.py --station $(BUILD_DIR)/bin/station --build $(BUILD_DIR)

bench-web: deps
	@cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release -DINTAKE_BUILD_BENCH=ON \
	  $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD_DIR) -j $(JOBS) --target station journal_bench
	@/usr/bin/python3 bench/web_bench.py --station $(BUILD_DIR)/bin/station \
	  --journal-bench $(BUILD_DIR)/bench/journal_bench $(BENCH_FLAGS)

format:
	@git ls-files '*.h' '*.cc' | xargs clang-format -i

clean:
	@rm -rf $(BUILD_DIR) $(SANITIZE_DIR)

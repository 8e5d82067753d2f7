# The two commands of README.md. Both install what is missing first (scripts/install-deps.sh).
BUILD_DIR ?= build
DB ?= ./data/leadproc.db
JOBS ?= 2

# ccache: paths relative to the checkout, so a fresh clone elsewhere reuses the cache.
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := 1

.PHONY: all deps test-deps fuzz-deps build run test test-sanitize fuzz clean format

all: build

deps:
	@bash scripts/install-deps.sh

# What only the tests need on top (Chromium and Node.js for the web UI's browser tests).
test-deps:
	@bash scripts/install-deps.sh --test

$(BUILD_DIR)/build.ninja:
	cmake -S . -B $(BUILD_DIR) -G Ninja

build: deps $(BUILD_DIR)/build.ninja
	ninja -C $(BUILD_DIR) -j $(JOBS)

# Serves leadproc on 127.0.0.1:8080 from ./data/leadproc.db with demo data.
run: build
	@mkdir -p $(dir $(DB))
	$(BUILD_DIR)/leadproc --database-url sqlite:$(DB) demo-data
	$(BUILD_DIR)/leadproc --database-url sqlite:$(DB) serve

# Every test: domain, storage contract, HTTP API (SQLite and PostgreSQL), UI.
test: test-deps build
	@bash scripts/run-tests.sh $(BUILD_DIR)

# The domain, storage and SQLite API suites again, built with AddressSanitizer and
# UndefinedBehaviorSanitizer in their own directory (docs/testing.md).
SANITIZE_DIR ?= build-asan
SANITIZE_TESTS ?= ^(domain|storage|api_sqlite)$$

$(SANITIZE_DIR)/build.ninja:
	cmake -S . -B $(SANITIZE_DIR) -G Ninja -DLEADPROC_SANITIZE=ON -DLEADPROC_TCMALLOC=OFF

test-sanitize: test-deps $(SANITIZE_DIR)/build.ninja
	ninja -C $(SANITIZE_DIR) -j $(JOBS) domain_tests storage_tests api_tests leadproc
	@bash scripts/run-sanitized-tests.sh $(SANITIZE_DIR) '$(SANITIZE_TESTS)'

# The libFuzzer targets of fuzz/ (clang), FUZZ_SECONDS each: `FUZZ_SECONDS=300 make fuzz`.
FUZZ_DIR ?= build-fuzz
FUZZ_SECONDS ?= 20

fuzz-deps:
	@bash scripts/install-deps.sh --fuzz

$(FUZZ_DIR)/build.ninja:
	CC=clang-14 CXX=clang++-14 cmake -S . -B $(FUZZ_DIR) -G Ninja -DLEADPROC_FUZZ=ON \
	  -DLEADPROC_TCMALLOC=OFF

fuzz: deps fuzz-deps $(FUZZ_DIR)/build.ninja
	ninja -C $(FUZZ_DIR) -j $(JOBS) fuzz
	@bash scripts/run-fuzz.sh $(FUZZ_DIR) $(FUZZ_SECONDS)

format:
	clang-format -i $$(git ls-files '*.cpp' '*.h')

clean:
	rm -rf $(BUILD_DIR) $(SANITIZE_DIR) $(FUZZ_DIR)

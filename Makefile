# The two commands of README.md. Both install what is missing first (scripts/install-deps.sh).
BUILD_DIR ?= build
DB ?= ./data/leadproc.db
JOBS ?= 2

# ccache: paths relative to the checkout, so a fresh clone elsewhere reuses the cache.
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := 1

.PHONY: all deps test-deps build run test clean format

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

format:
	clang-format -i $$(git ls-files '*.cpp' '*.h')

clean:
	rm -rf $(BUILD_DIR)

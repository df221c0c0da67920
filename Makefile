# Kubarium: `make run` serves the playground, `make test` runs every test.
# Both install whatever this machine is missing first, and skip what is already there.

# ---- Pinned tool versions: the one place to change them. ------------------------------------
TRUNK_VERSION      := 0.21.14
# wasm-opt from npm's binaryen; Trunk.toml's [tools] wasm_opt must say version_$(BINARYEN_MAJOR).
BINARYEN_VERSION   := 132.0.0
PLAYWRIGHT_VERSION := 1.65.2
# The wasm-bindgen CLI must equal the library version in Cargo.lock (pinned with `=` in
# Cargo.toml), so it is read from there rather than written twice.
WASM_BINDGEN_VERSION := $(shell sed -n '/^name = "wasm-bindgen"$$/{n;s/^version = "\(.*\)"/\1/p;}' Cargo.lock)
BINARYEN_MAJOR     := $(firstword $(subst ., ,$(BINARYEN_VERSION)))
# ----------------------------------------------------------------------------------------------

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

TOOLS_DIR := $(CURDIR)/.tools
NODE_DIR  := $(TOOLS_DIR)/node
export PATH := $(NODE_DIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
# Nothing is fetched at build or test time except from package registries.
export TRUNK_SKIP_VERSION_CHECK := true
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1
export CHROMIUM_PATH ?= /usr/bin/chromium
export CHROMEDRIVER ?= /usr/bin/chromedriver
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PORT ?= 8080

.PHONY: help run test summary tools dist check-pins lint native-test wasm-test e2e bench measure clean

help:
	@echo "make run    install what is missing, build, serve the playground on 127.0.0.1"
	@echo "make test   install what is missing, then every check and test"
	@echo "make dist   build the static site into dist/ (relative paths, any sub-path)"
	@echo "make bench  criterion benchmarks (native, release)"
	@echo "make measure  first paint, frame draw time and size of the built page"

# ---- Installs: each checks the exact version first, so a second run takes seconds. -----------
tools: .tools/wasm32 .tools/trunk-$(TRUNK_VERSION) .tools/wasm-bindgen-$(WASM_BINDGEN_VERSION) \
       .tools/node-$(BINARYEN_VERSION)-$(PLAYWRIGHT_VERSION) .tools/chromium check-pins

.tools/wasm32:
	@mkdir -p .tools
	@rustup target list --installed | grep -qx wasm32-unknown-unknown \
	  || rustup target add wasm32-unknown-unknown
	@touch $@

.tools/trunk-$(TRUNK_VERSION):
	@mkdir -p .tools
	@trunk --version 2>/dev/null | grep -qx 'trunk $(TRUNK_VERSION)' \
	  || cargo install trunk --version $(TRUNK_VERSION) --locked
	@touch $@

# Without --locked: the CLI's own lockfile names a crate version the registry no longer has.
.tools/wasm-bindgen-$(WASM_BINDGEN_VERSION):
	@mkdir -p .tools
	@test -n "$(WASM_BINDGEN_VERSION)" || { echo "wasm-bindgen not found in Cargo.lock"; exit 1; }
	@wasm-bindgen --version 2>/dev/null | grep -qx 'wasm-bindgen $(WASM_BINDGEN_VERSION)' \
	  && wasm-bindgen-test-runner --version >/dev/null 2>&1 \
	  || cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION)
	@touch $@

.tools/node-$(BINARYEN_VERSION)-$(PLAYWRIGHT_VERSION):
	@mkdir -p $(NODE_DIR)
	@npm install --prefix $(NODE_DIR) --no-audit --no-fund --save-exact \
	  binaryen@$(BINARYEN_VERSION) playwright-core@$(PLAYWRIGHT_VERSION) >/dev/null
	@wasm-opt --version | grep -q 'version $(BINARYEN_MAJOR)'
	@touch $@

.tools/chromium:
	@mkdir -p .tools
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null \
	  || { $(SUDO) apt-get update -qq \
	       && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium chromium-driver; }
	@touch $@

# Trunk must find exactly these versions locally, or it would try to download its own.
check-pins:
	@grep -qx 'wasm_bindgen = "$(WASM_BINDGEN_VERSION)"' Trunk.toml \
	  || { echo "Trunk.toml [tools] wasm_bindgen must be $(WASM_BINDGEN_VERSION)"; exit 1; }
	@grep -qx 'wasm_opt = "version_$(BINARYEN_MAJOR)"' Trunk.toml \
	  || { echo "Trunk.toml [tools] wasm_opt must be version_$(BINARYEN_MAJOR)"; exit 1; }

# ---- Build and serve. ------------------------------------------------------------------------
dist: tools
	cargo fetch --locked
	trunk build --release

run: dist
	@node tests/e2e/serve.mjs dist $(PORT)

# ---- Tests. ----------------------------------------------------------------------------------
LOGS := target/test-logs

test: tools
	@trunk tools show
	@rm -rf $(LOGS) && mkdir -p $(LOGS)
	$(MAKE) --no-print-directory lint native-test wasm-test dist e2e
	@$(MAKE) --no-print-directory summary

# One line a runner, added up from its own summary lines, then the total.
summary:
	@echo; echo "== summary =="
	@awk '/^test result:/ { p += $$4; f += $$6; n++ } \
	  END { printf "cargo test: %d passed, %d failed (%d test binaries)\n", p, f, n }' $(LOGS)/native.log
	@awk '/^test result:/ { p += $$4; f += $$6 } \
	  END { printf "wasm tests: %d passed, %d failed\n", p, f }' $(LOGS)/wasm.log
	@awk '/^# pass / { p = $$3 } /^# fail / { f = $$3 } \
	  END { printf "playwright: %d passed, %d failed\n", p, f }' $(LOGS)/e2e.log
	@cat $(LOGS)/*.log | awk '/^test result:/ { p += $$4; f += $$6 } \
	  /^# pass / { p += $$3 } /^# fail / { f += $$3 } END { printf "total: %d passed, %d failed\n", p, f }'

lint:
	cargo fmt --all -- --check
	cargo clippy --all-targets --locked -- -D warnings
	cargo clippy --all-targets --locked --target wasm32-unknown-unknown -- -D warnings

native-test:
	@mkdir -p $(LOGS)
	cargo test --locked 2>&1 | tee $(LOGS)/native.log

# Browser tests of the wasm build, in headless Chromium through wasm-bindgen-test-runner.
wasm-test:
	@mkdir -p $(LOGS)
	cargo test --locked --target wasm32-unknown-unknown --test browser 2>&1 | tee $(LOGS)/wasm.log

# End-to-end: Playwright drives Chromium against dist/ served on a free loopback port.
e2e:
	@mkdir -p $(LOGS)
	node --test --test-concurrency=1 tests/e2e/*.test.mjs 2>&1 | tee $(LOGS)/e2e.log

bench:
	cargo bench --locked

# Page measurements (first paint, frame draw time, gzipped size); SCENARIO=query for others.
measure: dist
	node tests/e2e/measure.mjs $(SCENARIO)

clean:
	rm -rf dist target .tools

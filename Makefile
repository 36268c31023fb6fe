# c360 — see README.md. Targets: all check docs asan valgrind fuzz bench install uninstall clean.
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share/c360
MANDIR ?= $(PREFIX)/share/man
DOCDIR ?= $(PREFIX)/share/doc/c360
CC ?= cc
CFLAGS ?= -O2 -g
BUILD ?= build
# Compiled on every core (one after another the sources took ~30 s of ./setup on 2 cores); a -jN
# on the command line wins, a sub-make shares its parent's jobs; the suites of check run one at a
# time whatever -j (one recipe).
ifeq ($(MAKELEVEL),0)
MAKEFLAGS += -j$(shell nproc 2>/dev/null || echo 1)
endif

WARN := -std=c11 -Wall -Wextra -Wmissing-prototypes -Wstrict-prototypes -Wwrite-strings
PKGS := libcmark-gfm cairo libpng zlib sqlite3
OPENED := libcurl libmicrohttpd pangocairo	# their headers only: opened when first needed (generator/dynlib.c)
C360_CPPFLAGS := -D_GNU_SOURCE -DC360_DATADIR='"$(DATADIR)"' -Igenerator $(shell pkg-config --cflags $(PKGS) $(OPENED))
C360_LIBS := $(shell pkg-config --libs $(PKGS)) -lcmark-gfm-extensions -lcsv -lunistring -lxxhash -lpthread -lm
# libxxhash's x86 dispatch (the same hashes, AVX2 or AVX-512 where the CPU has them), if it has one
C360_CPPFLAGS += $(shell printf '\043include <xxh_x86dispatch.h>\nint main(void) { return (int)XXH3_128bits_dispatch("", 0).low64; }\n' | \
	$(CC) -x c -o /dev/null - -lxxhash 2>/dev/null && echo -DC360_XXH_DISPATCH)

SRC := $(wildcard generator/*.c)
OBJ := $(SRC:generator/%.c=$(BUILD)/%.o)
CORE := $(filter-out $(BUILD)/main.o,$(OBJ))
UNIT := $(patsubst tests/unit/%.c,$(BUILD)/%,$(wildcard tests/unit/test_*.c))
BIN ?= c360

all: $(BIN)

$(BIN): $(OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(OBJ) $(C360_LIBS) $(LDLIBS)

$(BUILD)/%.o: generator/%.c generator/c360.h | $(BUILD)
	$(CC) $(WARN) $(C360_CPPFLAGS) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/test_%: tests/unit/test_%.c tests/unit/harness.h tests/unit/cache_file.h $(CORE) | $(BUILD)
	$(CC) $(WARN) -Wno-missing-field-initializers -DTEST_DIR='"$(BUILD)"' $(C360_CPPFLAGS) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(CORE) $(C360_LIBS) -lcmocka $(LDLIBS)

# The Mustache spec's cases, read from a file tests/mustache/convert.mjs writes (tests/mustache.sh).
$(BUILD)/mustache_spec: tests/mustache/spec.c $(CORE) | $(BUILD)
	$(CC) $(WARN) $(C360_CPPFLAGS) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(CORE) $(C360_LIBS) $(LDLIBS)

# csv-spectrum's files read by the CSV reader, one line of JSON a file (tests/csv.sh).
$(BUILD)/csv_spectrum: tests/csv/spectrum.c $(CORE) | $(BUILD)
	$(CC) $(WARN) $(C360_CPPFLAGS) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(CORE) $(C360_LIBS) $(LDLIBS)

$(BUILD):
	mkdir -p $@

# The whole suite: unit tests, then the command-line, golden and bad-input tests, then the site
# and the preview server (C360_BROWSER=0 skips their Chromium parts). Tests on the tutorial
# exports are skipped, and say so, where they are absent.
check: $(BIN) $(UNIT) $(BUILD)/mustache_spec $(BUILD)/csv_spectrum
	@for t in $(UNIT); do echo "== $$t"; TZ=UTC ./$$t || exit 1; done
	@TZ=UTC SPEC_DRIVER=$(BUILD)/mustache_spec tests/mustache.sh
	@TZ=UTC CSV_DRIVER=$(BUILD)/csv_spectrum tests/csv.sh
	@TZ=UTC C360=$(CURDIR)/$(BIN) tests/cli.sh
	@TZ=UTC C360=$(CURDIR)/$(BIN) tests/render.sh
	@TZ=UTC C360=$(CURDIR)/$(BIN) tests/site.sh
	@TZ=UTC C360=$(CURDIR)/$(BIN) tests/exports.sh
	@TZ=UTC C360=$(CURDIR)/$(BIN) tests/pages.sh
	@TZ=UTC C360=$(CURDIR)/$(BIN) tests/rebuild.sh
	@TZ=UTC C360=$(CURDIR)/$(BIN) tests/modes.sh
	@TZ=UTC C360=$(CURDIR)/$(BIN) tests/ux.sh
	@TZ=UTC C360=$(CURDIR)/$(BIN) timeout 300 tests/serve.sh
	@TZ=UTC C360=$(CURDIR)/$(BIN) tests/hostile.sh

# docs/templates.md is printed from the table of page variables the code checks pages with.
docs: $(BIN)
	./$(BIN) help templates >docs/templates.md

# The same suite under AddressSanitizer and UndefinedBehaviorSanitizer, built by clang: its
# UBSan checks pointer arithmetic that gcc's lets pass (a sentinel read at key[-1] did).
ASAN_CC ?= clang
asan:
	ASAN_OPTIONS=exitcode=86 UBSAN_OPTIONS=print_stacktrace=1 LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
		$(MAKE) check BUILD=build-asan BIN=build-asan/c360 \
		CC=$(ASAN_CC) CFLAGS="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"

# Every suite but the browser's, each c360 run under memcheck (an error exits 99).
VALGRIND_C360 = TZ=UTC C360="valgrind -q --error-exitcode=99 --leak-check=full --suppressions=$(CURDIR)/tests/valgrind.supp $(CURDIR)/$(BIN)"
valgrind: $(BIN) $(UNIT)
	@for t in $(UNIT); do TZ=UTC valgrind -q --error-exitcode=1 --leak-check=full --suppressions=tests/valgrind.supp ./$$t || exit 1; done
	@$(VALGRIND_C360) BIG=0 tests/cli.sh
	@$(VALGRIND_C360) BIG=0 tests/render.sh
	@$(VALGRIND_C360) C360_BROWSER=0 tests/site.sh
	@$(VALGRIND_C360) BIG=0 tests/pages.sh
	@$(VALGRIND_C360) tests/rebuild.sh
	@$(VALGRIND_C360) tests/modes.sh
	@$(VALGRIND_C360) tests/exports.sh
	@$(VALGRIND_C360) C360_BROWSER=0 tests/serve.sh
	@$(VALGRIND_C360) BIG=0 HOSTILE_TIMEOUT=3600 tests/hostile.sh

# libFuzzer targets (clang), each run FUZZ_SECONDS on its seed corpus; the ingest corpus also
# gets the fixture's files, and the tutorial's where they are. c360's sources are compiled once
# for all of them (each fuzzer compiled them all again: ten minutes of CI's half hour).
FUZZERS := ingest values silver template markdown config gold reader cache keyed mail serve search mailbody pdf tz
FUZZ_SECONDS ?= 60
# libFuzzer's seed: 0 picks one; CI fixes it (its run differs only by how many inputs a
# machine tries in FUZZ_SECONDS)
FUZZ_SEED ?= 0
FUZZ_CFLAGS := -g -O1 -fno-sanitize-recover=undefined $(C360_CPPFLAGS)
FUZZ_OBJ := $(patsubst generator/%.c,build-fuzz/obj/%.o,$(filter-out generator/main.c,$(SRC)))
build-fuzz/obj/%.o: generator/%.c generator/c360.h
	@mkdir -p $(@D)
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link,address,undefined -c -o $@ $<
# kept, not deleted as intermediates, so that a fuzzer rebuilt compiles only what changed
.SECONDARY: $(FUZZ_OBJ)
build-fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/unit/cache_file.h $(FUZZ_OBJ)
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer,address,undefined -o $@ $< $(FUZZ_OBJ) $(C360_LIBS) $(FUZZ_LDFLAGS)
# fuzz_pdf checks each text the PDF draws on its way to text.c
build-fuzz/fuzz_pdf: FUZZ_LDFLAGS = -Wl,--wrap=text_show,--wrap=text_measure
fuzz: $(FUZZERS:%=build-fuzz/fuzz_%)
	mkdir -p build-fuzz/corpus_ingest	# the fixture's files go there whichever FUZZERS run
	for f in $(FUZZERS); do mkdir -p build-fuzz/corpus_$$f && cp tests/fuzz/corpus/$$f/* build-fuzz/corpus_$$f/; done
	for f in tests/golden/fixture/in/*.csv; do cp $$f build-fuzz/corpus_ingest/fixture-$${f##*/}; done
	cp $${C360_TUTORIAL:-../shared/data/tutorial}/*.csv build-fuzz/corpus_ingest/ 2>/dev/null || true
	for f in $(FUZZERS); do \
		build-fuzz/fuzz_$$f -max_total_time=$(FUZZ_SECONDS) -seed=$(FUZZ_SEED) -max_len=65536 -artifact_prefix=build-fuzz/ \
			build-fuzz/corpus_$$f || exit 1; \
	done

# make bench BENCH_SIZES="10000 100000" BENCH_RUNS=1: the sizes of customers, and runs of each.
BENCH_SIZES ?= 10000 100000 1000000
BENCH_RUNS ?= 3
bench: $(BIN)
	BENCH_SIZES="$(BENCH_SIZES)" BENCH_RUNS="$(BENCH_RUNS)" tests/bench.sh ./$(BIN)

install: $(BIN)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/data/sample $(DESTDIR)$(DATADIR)/templates \
		$(DESTDIR)$(DATADIR)/themes/default $(DESTDIR)$(DATADIR)/assets $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(DOCDIR)
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/c360
	install -m 644 data/sample/*.csv $(DESTDIR)$(DATADIR)/data/sample
	install -m 644 templates/*.md templates/*.html $(DESTDIR)$(DATADIR)/templates
	install -m 644 themes/default/* $(DESTDIR)$(DATADIR)/themes/default
	install -m 644 assets/*.js $(DESTDIR)$(DATADIR)/assets
	install -m 644 c360.1 $(DESTDIR)$(MANDIR)/man1/c360.1
	install -d $(DESTDIR)$(DOCDIR)/docs $(addprefix $(DESTDIR)$(DOCDIR)/,$(wildcard examples/*/))
	install -m 644 README.md $(DESTDIR)$(DOCDIR)
	install -m 644 docs/*.md $(DESTDIR)$(DOCDIR)/docs
	install -m 644 examples/README.md $(DESTDIR)$(DOCDIR)/examples
	for d in examples/*/; do install -m 644 $$d* $(DESTDIR)$(DOCDIR)/$$d; done

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/c360 $(DESTDIR)$(MANDIR)/man1/c360.1
	rm -rf $(DESTDIR)$(DATADIR) $(DESTDIR)$(DOCDIR)

clean:
	rm -rf build build-asan build-fuzz c360 site

.PHONY: all check docs asan valgrind fuzz bench install uninstall clean

# angka - build, test, run. One STAGES list; every binary, test and install
# rule is derived from it. `make SANITIZE=address,undefined test` builds into
# build-san/ with the sanitizers.

STAGES = ingest normalize dedup trend indicators chart sae garis

PREFIX ?= /usr/local
DESTDIR ?=
CC ?= cc
WERROR ?= -Werror

ifeq ($(SANITIZE),)
BUILD = build
SANFLAGS =
else
BUILD = build-san
SANFLAGS = -fsanitize=$(SANITIZE) -fno-sanitize-recover=all -fno-omit-frame-pointer -g
endif

PKGS = gsl zlib libisal inih nettle minizip expat
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

CPPFLAGS += -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -D_GNU_SOURCE -Istages/common
WARN = -Wall -Wextra -Wpedantic -Wstrict-prototypes -Wmissing-prototypes \
       -Wold-style-definition -Wwrite-strings -Wpointer-arith -Wvla \
       -Wformat=2 -Wno-format-nonliteral -fno-common $(WERROR)
CFLAGS ?= -O2 -g
ALL_CFLAGS = -std=c11 $(WARN) $(CFLAGS) $(SANFLAGS) $(PKG_CFLAGS) -MMD -MP
LDLIBS = -lcsv -lreadstat $(PKG_LIBS) -lpthread -lm

LIB_SRC = $(wildcard stages/common/*.c)
LIB_OBJ = $(LIB_SRC:%.c=$(BUILD)/%.o)
LIB = $(BUILD)/libangka.a

BINS = $(STAGES:%=$(BUILD)/angka-%) $(BUILD)/angka
UNIT_SRC = $(wildcard tests/unit/test_*.c)
UNIT_BINS = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

# Man pages: angka(1) and angka-<stage>(1) from each program's --help
# (help2man), angka.ini(5) written by hand in docs/.
DESC_angka = run the angka poverty-statistics pipeline from one config file
DESC_angka-ingest = read raw extracts into canonical CSV
DESC_angka-normalize = validate and normalize canonical rows of one kind
DESC_angka-dedup = find every person and household once, with an audit trail
DESC_angka-indicators = poverty, registry and programme indicators with design-based SEs
DESC_angka-trend = history, changes and trend of poverty indicators
DESC_angka-chart = publication charts through gnuplot
DESC_angka-sae = small-area estimates by the Fay-Herriot model
DESC_angka-garis = poverty lines from consumption by the basic-needs method
MANS = $(patsubst $(BUILD)/%,$(BUILD)/man/%.1,$(BINS))

.PHONY: all run test test-slurm test-engines man unit cases bench national fixtures install clean fuzz deps check-deps

all: $(BINS)

# `make V=1` shows the full commands.
ifeq ($(V),1)
Q =
else
Q = @
endif

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

$(LIB): $(LIB_OBJ)
	@rm -f $@
	$(Q)ar rcs $@ $^

# One rule per stage: every .c in stages/<stage>/ plus the library.
define STAGE_RULE
$(BUILD)/angka-$(1): $$(patsubst %.c,$(BUILD)/%.o,$$(wildcard stages/$(1)/*.c)) $(LIB)
	@$(if $(Q),echo "  LINK    $$@")
	$(Q)$$(CC) $$(ALL_CFLAGS) -o $$@ $$^ $$(LDLIBS)
endef
$(foreach s,$(STAGES),$(eval $(call STAGE_RULE,$(s))))

# The driver: pipeline/*.c over the library.
$(BUILD)/angka: $(patsubst %.c,$(BUILD)/%.o,$(wildcard pipeline/*.c)) $(LIB)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDLIBS)

# Unit tests link the stage logic (not main.c) and the library. -MF/-MT:
# compiled and linked in one step, gcc would write only the last header
# into the .d file, so an edit of tests/fuzz/*.h rebuilt nothing.
STAGE_LOGIC_OBJ = $(foreach s,$(STAGES),$(patsubst %.c,$(BUILD)/%.o,$(filter-out stages/$(s)/main.c,$(wildcard stages/$(s)/*.c))))
$(BUILD)/tests/%: tests/unit/%.c $(STAGE_LOGIC_OBJ) $(LIB)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(CPPFLAGS) -Itests/unit $(foreach s,$(STAGES),-Istages/$(s)) $(ALL_CFLAGS) -MF $@.d -MT $@ -o $@ $^ $(LDLIBS)

# Fault-injection shim for the driver's write-failure test (never sanitized:
# it is preloaded into other processes).
$(BUILD)/tests/libfailwrite.so: tests/shim/failwrite.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) -std=c11 -O2 -Wall -Wextra $(WERROR) -fPIC -shared -o $@ $< -ldl

# The attack on the shared pseudonymized extract (tests/check-pseudonym.sh;
# a test tool, never sanitized: it only reads).
$(BUILD)/tests/pseudo-attack: tests/tools/pseudo_attack.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) -std=c11 -O2 $(WARN) $(PKG_CFLAGS) -D_POSIX_C_SOURCE=200809L -o $@ $< $(PKG_LIBS)

# Dependencies: installed on demand by make run / make test.
check-deps:
	@scripts/install-deps.sh --check >/dev/null 2>&1 || scripts/install-deps.sh

deps:
	scripts/install-deps.sh

run: check-deps
	$(MAKE) all
	$(BUILD)/angka run -c config/balangan.ini
	@scripts/show-outputs.sh out

test: check-deps
	$(MAKE) all $(UNIT_BINS) $(BUILD)/tests/libfailwrite.so $(BUILD)/tests/pseudo-attack
	tests/run-tests.sh $(BUILD)

# The engines on a one-node Slurm (root; slurm-wlm and munge installed
# here): check-engines.sh with --engine slurm too. Not in make test: a run
# through Slurm waits for the scheduler (~30 s a run here).
test-slurm: check-deps
	@scripts/install-deps.sh --slurm --check >/dev/null 2>&1 || scripts/install-deps.sh --slurm || \
		echo "test-slurm: Slurm not installed: check-engines.sh skips it"
	$(MAKE) all
	ANGKA_TEST_SLURM=1 sh tests/check-engines.sh $(BUILD)

# Every engine (root; installs slurm-wlm, munge and openssh-server): the
# fixture config with kill -9 of running tasks on local, parallel and a
# one-node Slurm (check-engines.sh), then the small national synthetic
# configuration on local, parallel, parallel over ssh to localhost
# (scripts/ssh-local.sh) and Slurm, the published trees compared
# (engines-national.sh). About 6 to 10 minutes here: not in make test.
# An engine whose packages cannot be installed or whose daemons do not
# start is skipped with a message (the issue: Slurm "when the one-node
# cluster starts").
test-engines: check-deps
	@scripts/install-deps.sh --engines --check >/dev/null 2>&1 || scripts/install-deps.sh --engines || \
		echo "test-engines: Slurm or the OpenSSH server not installed: their parts are skipped"
	$(MAKE) all
	ANGKA_TEST_SLURM=1 ANGKA_TEST_KILL=1 sh tests/check-engines.sh $(BUILD)
	ANGKA_TEST_SLURM=1 ANGKA_TEST_SSH=1 sh tests/engines-national.sh $(BUILD)

# Benchmarks (never part of make test): ingest vs zcat and bare libcsv;
# ingest | normalize | dedup at national scale; indicators vs R survey;
# sae on 514 kabupaten x 5 covariates.
bench: check-deps
	$(MAKE) all
	scripts/bench.sh $(BUILD)
	scripts/bench-pipeline.sh $(BUILD)
	scripts/bench-indicators.sh $(BUILD)
	scripts/bench-sae.sh $(BUILD)
	scripts/bench-shard.sh $(BUILD)
	NATIONAL_DIR=$(NATIONAL_DIR) NATIONAL_ROWS=$(NATIONAL_ROWS) \
	NATIONAL_HH=$(NATIONAL_HH) scripts/national.sh $(BUILD)

# The national synthetic configuration (scripts/national.sh): SUSENAS for
# 514 kabupaten over NATIONAL_YEARS with matching lines and published
# tables, a DTKS extract of NATIONAL_ROWS rows with the fixture's defects,
# generated in NATIONAL_DIR (outside the repository) and run; the time and
# peak memory of every stage in NATIONAL_DIR/results-national.md.
NATIONAL_DIR ?= /tmp/angka-national
NATIONAL_ROWS ?= 1000000
NATIONAL_HH ?= 60
NATIONAL_YEARS ?= 2019 2024
national: check-deps
	$(MAKE) all
	NATIONAL_DIR=$(NATIONAL_DIR) NATIONAL_ROWS=$(NATIONAL_ROWS) \
	NATIONAL_HH=$(NATIONAL_HH) NATIONAL_YEARS="$(NATIONAL_YEARS)" \
	scripts/national.sh $(BUILD)

fixtures:
	@mkdir -p $(BUILD)
	$(CC) -std=c11 -O2 $(WARN) -D_POSIX_C_SOURCE=200809L -o $(BUILD)/gen-fixtures scripts/gen-fixtures.c -lm
	$(BUILD)/gen-fixtures fixtures/ref fixtures

fuzz:
	tests/fuzz/build.sh

$(BUILD)/man/%.1: $(BUILD)/%
	@mkdir -p $(dir $@)
	$(Q)help2man --no-info --name="$(DESC_$*)" --output=$@ $<

man: $(MANS)

install: check-deps
	$(MAKE) all man
	$(MAKE) install-files

install-files:
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(PREFIX)/share/man/man5
	install -m 0755 $(BINS) $(DESTDIR)$(PREFIX)/bin/
	install -m 0644 $(MANS) $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 0644 docs/angka.ini.5 $(DESTDIR)$(PREFIX)/share/man/man5/

clean:
	rm -rf build build-san out

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

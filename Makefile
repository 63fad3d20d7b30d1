# hcptui: build, test and install.  See README.md.
#
# Sources are found by folder, so a new file needs no edit here:
#   common/*.c  generic helpers shared by every layer      -> build/libcommon.a
#   sim/*.c     the management-cluster simulator (library) -> build/libsim.a   (sim/main.c -> build/hcpsim)
#   client/*.c  kubeconfig, transport, list/watch, store   -> build/libclient.a
#   views/*.c   the panes, as tables over the store        -> build/libviews.a
#   tui/*.c     terminal, loop, widgets, keymaps           -> build/libtui.a   (tui/main.c -> build/hcptui)
#   tests/unit/test_*.c  one cmocka binary each            -> build/tests/test_*

PREFIX  ?= /usr/local
DESTDIR ?=
CC      ?= cc
PKG_CONFIG ?= pkg-config
PKGS    := ncursesw libcurl libcjson yaml-0.1 openssl libmicrohttpd gnutls cmocka

PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)

OPT     ?= -O2
WARN    := -Wall -Wextra -Wformat=2 -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wvla -Werror
CFLAGS  += -std=c11 -D_GNU_SOURCE -g $(OPT) $(WARN) -I. $(PKG_CFLAGS) -MMD -MP
LDLIBS  += $(PKG_LIBS) -lpthread -lm

B := build
LAYERS := common sim client views tui

src_of = $(filter-out $(1)/main.c,$(wildcard $(1)/*.c))
obj_of = $(patsubst %.c,$(B)/obj/%.o,$(call src_of,$(1)))

LIB_common := $(B)/libcommon.a
LIB_sim    := $(B)/libsim.a
LIB_client := $(B)/libclient.a
LIB_views  := $(B)/libviews.a
LIB_tui    := $(B)/libtui.a
# Link order: higher layers first (static archives resolve left to right).
ALL_LIBS := $(LIB_tui) $(LIB_views) $(LIB_client) $(LIB_sim) $(LIB_common)

UNIT_SRCS  := $(wildcard tests/unit/test_*.c)
UNIT_BINS  := $(patsubst tests/unit/%.c,$(B)/tests/%,$(UNIT_SRCS))
TOOL_SRCS  := $(wildcard tests/tools/*.c)
TOOL_BINS  := $(patsubst tests/tools/%.c,$(B)/tools/%,$(TOOL_SRCS))
BENCH_SRCS := $(wildcard tests/bench/*.c)
BENCH_BINS := $(patsubst tests/bench/%.c,$(B)/bench/%,$(BENCH_SRCS))

.PHONY: all test unit integration demo bench asan install clean deps check-pkgs
.DEFAULT_GOAL := all

all: $(B)/hcptui $(B)/hcpsim $(UNIT_BINS) $(TOOL_BINS)

define layer_rules
$(LIB_$(1)): $(call obj_of,$(1))
	@mkdir -p $$(@D)
	@rm -f $$@.$$$$$$$$
	$$(AR) rcs $$@.$$$$$$$$ $$^ && mv -f $$@.$$$$$$$$ $$@
endef
$(foreach l,$(LAYERS),$(eval $(call layer_rules,$(l))))

# An empty layer still yields an (empty) archive so that links work while it grows.
$(B)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c -o $@ $<

$(B)/hcptui: $(B)/obj/tui/main.o $(ALL_LIBS)
	$(CC) $(LDFLAGS) -o $@ $< $(ALL_LIBS) $(LDLIBS)

$(B)/hcpsim: $(B)/obj/sim/main.o $(LIB_sim) $(LIB_common)
	$(CC) $(LDFLAGS) -o $@ $< $(LIB_sim) $(LIB_common) $(LDLIBS)

$(B)/tests/%: tests/unit/%.c $(ALL_LIBS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $< $(ALL_LIBS) $(LDLIBS)

$(B)/tools/%: tests/tools/%.c $(ALL_LIBS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $< $(ALL_LIBS) $(LDLIBS)

$(B)/bench/%: tests/bench/%.c $(ALL_LIBS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $< $(ALL_LIBS) $(LDLIBS)

# Installs what a fresh Debian machine lacks (as root), or says the one line to run.
deps:
	@sh tests/deps.sh

test: deps
	@$(MAKE) --no-print-directory all
	@sh tests/run.sh $(B)

unit: all
	@sh tests/run.sh $(B) unit

integration: all
	@sh tests/run.sh $(B) integration

demo: deps
	@$(MAKE) --no-print-directory all
	$(B)/hcptui --demo

bench: deps
	@$(MAKE) --no-print-directory all $(BENCH_BINS)
	@sh tests/bench/run.sh $(B)

# AddressSanitizer + UBSan: a separate tree, then the whole test suite on it.
asan: deps
	@$(MAKE) --no-print-directory B=build-asan OPT="-O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined" \
		LDFLAGS="-fsanitize=address,undefined" all
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp sh tests/run.sh build-asan

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/hcptui/keymaps
	install -m 0755 $(B)/hcptui $(B)/hcpsim $(DESTDIR)$(PREFIX)/bin/
	if [ -f docs/hcptui.1 ]; then install -m 0644 docs/hcptui.1 $(DESTDIR)$(PREFIX)/share/man/man1/; fi
	for f in keymaps/*.keymap; do [ -f "$$f" ] && install -m 0644 "$$f" $(DESTDIR)$(PREFIX)/share/hcptui/keymaps/ || true; done

clean:
	rm -rf build build-asan

-include $(shell find $(B)/obj -name '*.d' 2>/dev/null)

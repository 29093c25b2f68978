# pprofkit - plain Makefile. `make`, `make check`, `make install`, `make bench`, `make fuzz`.
PREFIX ?= /usr/local
DESTDIR ?=
LIBDIR ?= $(PREFIX)/lib
# Run after installing into the system (no DESTDIR) as root, so that programs linked with
# -lpprofkit find libpprofkit.so.0 at once. LDCONFIG=: skips it.
LDCONFIG ?= ldconfig
BASH_COMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSH_COMPDIR ?= $(PREFIX)/share/zsh/site-functions
CC ?= cc
PKGS := libprotobuf-c zlib libcgraph libgvc libpcre2-8 re2
# Headers only: libcurl is loaded (dlopen) by lib/driver/fetch_url.c when a URL is fetched.
HDR_PKGS := libcurl
EXTRA_LIBS := -liberty -pthread -lstdc++
# The command alone: line editing in the (pprof) shell.
CMD_PKGS := libedit
# A missing library names the Debian package that provides it (README's first command has all).
DEB_libprotobuf-c := libprotobuf-c-dev
DEB_zlib := zlib1g-dev
DEB_libcgraph := libgraphviz-dev
DEB_libgvc := libgraphviz-dev
DEB_libpcre2-8 := libpcre2-dev
DEB_libcurl := libcurl4-openssl-dev
DEB_libedit := libedit-dev
DEB_re2 := libre2-dev
# The web UI (web/, -http and html) is linked into the command only, not into the library.
WEB_PKGS := libmicrohttpd
DEB_libmicrohttpd := libmicrohttpd-dev
ifeq ($(filter clean format,$(MAKECMDGOALS)),)
ifeq ($(shell command -v pkg-config),)
$(error pkg-config not found: apt-get install pkg-config)
endif
MISSING_DEBS := $(sort $(foreach p,$(PKGS) $(HDR_PKGS) $(CMD_PKGS) $(WEB_PKGS),$(if $(shell pkg-config --exists $(p) && echo y),,$(or $(DEB_$(p)),$(p)-dev))) \
	$(if $(wildcard /usr/include/libiberty/demangle.h),,libiberty-dev))
ifneq ($(MISSING_DEBS),)
$(error missing build dependencies: apt-get install $(MISSING_DEBS))
endif
endif
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) $(HDR_PKGS))
PKG_LIBS := $(shell pkg-config --libs $(PKGS))
CMD_LIBS := $(shell pkg-config --libs $(CMD_PKGS))
WEB_CFLAGS := $(shell pkg-config --cflags $(WEB_PKGS))
WEB_LIBS := $(shell pkg-config --libs $(WEB_PKGS))
WARN := -Wall -Wextra -Werror -Wno-unused-parameter
OPT ?= -O2 -g
CFLAGS_ALL = -std=gnu11 $(OPT) $(WARN) -fPIC -fvisibility=hidden -DPK_BUILDING_LIBRARY \
	-Ilib -Iproto $(PKG_CFLAGS) $(CPPFLAGS) $(CFLAGS)
# The one C++ file (lib/go/re2shim.cc, RE2 behind a C interface): same warnings and options.
CXXFLAGS_ALL = -std=c++17 $(OPT) $(WARN) -fPIC -fvisibility=hidden -DPK_BUILDING_LIBRARY \
	-Ilib $(PKG_CFLAGS) $(CPPFLAGS) $(CXXFLAGS)
SAN := -fsanitize=address,undefined,float-cast-overflow -fno-sanitize-recover=all -fno-omit-frame-pointer

B ?= build
LIB_SRC := $(sort $(wildcard lib/*/*.c)) proto/profile.pb-c.c
LIB_CXX_SRC := $(sort $(wildcard lib/*/*.cc))
CMD_SRC := $(sort $(wildcard cmd/*.c))
UNIT_SRC := $(sort $(wildcard tests/unit/*.c))
WEB_SRC := $(sort $(wildcard web/*.c))
WEB_UI := $(sort $(wildcard web/ui/*))
LIB_OBJ := $(patsubst %.c,$(B)/%.o,$(LIB_SRC)) $(patsubst %.cc,$(B)/%.o,$(LIB_CXX_SRC))
CMD_OBJ := $(patsubst %.c,$(B)/%.o,$(CMD_SRC))
UNIT_OBJ := $(patsubst %.c,$(B)/%.o,$(UNIT_SRC))
WEB_OBJ := $(patsubst %.c,$(B)/%.o,$(WEB_SRC)) $(B)/web/assets.o
SOVER := 0

.PHONY: all check check-build check-fast deb deb-check asan install uninstall clean proto bench fuzz format
all: pprofkit lib/libpprofkit.a lib/libpprofkit.so

# Everything is built under build/; ./pprofkit and lib/libpprofkit.* are symbolic links to the
# default build's files (the command-line contract's paths), never copies.
pprofkit: $(B)/pprofkit
	ln -sfn $(B)/pprofkit $@
lib/libpprofkit.a: $(B)/libpprofkit.a
	ln -sfn ../$(B)/libpprofkit.a $@
lib/libpprofkit.so: $(B)/libpprofkit.so.$(SOVER)
	ln -sfn ../$(B)/libpprofkit.so.$(SOVER) $@.$(SOVER) && ln -sfn libpprofkit.so.$(SOVER) $@

# What --version says the build linked (cmd/version.c): each required library with its
# version, and the optional ones. An optional library is added as
#   ifneq ($(shell pkg-config --exists libfoo && echo y),)
#   OPTIONAL_PKGS += libfoo   # and its -D, cflags and libs
#   endif
# and --version lists it.
OPTIONAL_PKGS ?=
# libdeflate: gzip input inflated in one call, ~2.5x zlib, and proto output deflated in one call,
# ~2.1x zlib at the same level (lib/profile/inflate_fast.c).
ifneq ($(shell pkg-config --exists libdeflate && echo y),)
OPTIONAL_PKGS += libdeflate
PKG_CFLAGS += -DPK_HAVE_LIBDEFLATE $(shell pkg-config --cflags libdeflate)
PKG_LIBS += $(shell pkg-config --libs libdeflate)
endif
built_list = $(subst $(eval) ,$(comma) ,$(strip $(foreach p,$(1),$(p)-$(shell pkg-config --modversion $(p)))))
comma := ,
$(B)/cmd/version.o: CFLAGS_ALL += -DPK_BUILT_WITH='"$(call built_list,$(PKGS) $(WEB_PKGS)), libiberty"' \
	-DPK_BUILT_OPTIONAL='"$(call built_list,$(OPTIONAL_PKGS))"'
$(B)/cmd/version.o: Makefile

$(B)/%.o: %.c $(wildcard lib/*.h lib/*/*.h) proto/profile.pb-c.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -MMD -MP -c $< -o $@
$(B)/%.o: %.cc $(wildcard lib/*/*.h)
	@mkdir -p $(dir $@)
	$(CXX) $(CXXFLAGS_ALL) -MMD -MP -c $< -o $@
# cmd/ includes web/web.h (the front end's two entry points); web/ includes only pprofkit.h and
# its own headers. The front end's files (web/ui/) become C arrays (web/embed).
$(CMD_OBJ): CFLAGS_ALL += -I.
$(B)/web/%.o: web/%.c lib/pprofkit.h $(wildcard web/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(WEB_CFLAGS) -MMD -MP -c $< -o $@
$(B)/web/assets.c: web/embed $(WEB_UI)
	@mkdir -p $(dir $@)
	web/embed $@ $(WEB_UI)
$(B)/web/assets.o: $(B)/web/assets.c web/view.h
	$(CC) $(CFLAGS_ALL) -Iweb -c $< -o $@
$(B)/proto/profile.pb-c.o: proto/profile.pb-c.c proto/profile.pb-c.h
	@mkdir -p $(dir $@)
	$(CC) $(filter-out -Wextra,$(CFLAGS_ALL)) -c $< -o $@

$(B)/libpprofkit.a: $(LIB_OBJ)
	rm -f $@ && ar rcs $@ $^
$(B)/libpprofkit.so.$(SOVER): $(LIB_OBJ)
	$(CC) -shared -Wl,-soname,libpprofkit.so.$(SOVER) $(CFLAGS_ALL) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) $(EXTRA_LIBS) -lm
$(B)/pprofkit: $(CMD_OBJ) $(WEB_OBJ) $(B)/libpprofkit.a
	$(CC) $(CFLAGS_ALL) $(LDFLAGS) -o $@ $(CMD_OBJ) $(WEB_OBJ) $(B)/libpprofkit.a $(PKG_LIBS) \
		$(EXTRA_LIBS) $(CMD_LIBS) $(WEB_LIBS) -lm
$(B)/unit-tests: $(UNIT_OBJ) $(B)/libpprofkit.a
	$(CC) $(CFLAGS_ALL) $(LDFLAGS) -o $@ $(UNIT_OBJ) $(B)/libpprofkit.a $(PKG_LIBS) $(EXTRA_LIBS) -lm
# Replay drivers of the fuzz targets (tests/fuzz): LLVMFuzzerTestOneInput over files, any compiler.
FUZZ_TARGETS := decode report tagfilter merge regex text
$(B)/fuzz-replay-%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c $(wildcard tests/fuzz/*.h) $(B)/libpprofkit.a
	$(CC) $(CFLAGS_ALL) -Itests/fuzz -DPK_SRCDIR='"$(CURDIR)"' $(LDFLAGS) -o $@ $< tests/fuzz/replay.c \
		$(B)/libpprofkit.a $(PKG_LIBS) $(EXTRA_LIBS) -lm
$(B)/header-test: tests/header.c lib/pprofkit.h
	$(CC) -std=c99 -pedantic -Wall -Wextra -Werror -Ilib -c tests/header.c -o $@
# examples/: built as a user builds them (the public header only, C99), linked statically here;
# tests/install links them against an installed library through pkg-config.
EXAMPLES := $(patsubst examples/%.c,%,$(wildcard examples/*.c))
$(B)/example-%: examples/%.c lib/pprofkit.h $(B)/libpprofkit.a
	$(CC) -std=c99 -Wall -Wextra -Werror $(OPT) -Ilib $(LDFLAGS) -o $@ $< $(B)/libpprofkit.a \
		$(PKG_LIBS) $(EXTRA_LIBS) -lm

-include $(shell find $(B) -name '*.d' 2>/dev/null)

# The sanitizer build: same sources, ASan + UBSan, arena allocations tracked one by one.
asan:
	$(MAKE) --no-print-directory B=build/asan OPT="-O1 -g $(SAN) -DPK_ARENA_DEBUG" \
		LDFLAGS="$(SAN)" build/asan/pprofkit build/asan/unit-tests build/asan/header-test \
		$(patsubst %,build/asan/example-%,$(EXAMPLES)) \
		$(patsubst %,build/asan/fuzz-replay-%,$(FUZZ_TARGETS))

# Every suite on the normal build and on the sanitizer build, side by side (tests/run-all);
# the last line is the total. Both builds are made in parallel, on every CPU, even without -j.
FUZZ_REPLAY = $(patsubst %,$(B)/fuzz-replay-%,$(FUZZ_TARGETS))
EXAMPLE_BIN = $(patsubst %,$(B)/example-%,$(EXAMPLES))
NPROC := $(shell nproc 2>/dev/null || echo 2)
PAR = $(if $(findstring jobserver,$(MAKEFLAGS)),,-j$(NPROC))
check:
	@$(MAKE) --no-print-directory $(PAR) check-build
	@tests/run-all build build/asan
check-build: all $(B)/unit-tests $(B)/header-test $(FUZZ_REPLAY) $(EXAMPLE_BIN) asan

check-fast: all $(B)/unit-tests $(B)/header-test $(FUZZ_REPLAY) $(EXAMPLE_BIN)
	@tests/run-all build

proto:
	cd proto && protoc-c --c_out=. profile.proto

bench: all
	@bench/run

fuzz:
	@tests/fuzz/run $(FUZZ_SECONDS)

format:
	clang-format -i lib/*.h lib/*/*.c lib/*/*.h cmd/*.c cmd/*.h web/*.c web/*.h tests/unit/*.c tests/unit/*.h tests/fuzz/*.c \
		tests/fuzz/*.h tests/header.c bench/*.c

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(LIBDIR) $(DESTDIR)$(PREFIX)/include \
		$(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(LIBDIR)/pkgconfig \
		$(DESTDIR)$(BASH_COMPDIR) $(DESTDIR)$(ZSH_COMPDIR)
	install -m 755 pprofkit $(DESTDIR)$(PREFIX)/bin/pprofkit
	install -m 644 lib/libpprofkit.a $(DESTDIR)$(LIBDIR)/libpprofkit.a
	install -m 755 lib/libpprofkit.so.$(SOVER) $(DESTDIR)$(LIBDIR)/libpprofkit.so.$(SOVER)
	ln -sf libpprofkit.so.$(SOVER) $(DESTDIR)$(LIBDIR)/libpprofkit.so
	install -m 644 lib/pprofkit.h $(DESTDIR)$(PREFIX)/include/pprofkit.h
	install -m 644 man/pprofkit.1 $(DESTDIR)$(PREFIX)/share/man/man1/pprofkit.1
	install -m 644 completions/pprofkit.bash $(DESTDIR)$(BASH_COMPDIR)/pprofkit
	install -m 644 completions/_pprofkit $(DESTDIR)$(ZSH_COMPDIR)/_pprofkit
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@LIBDIR@|$(LIBDIR)|g' \
		-e 's|@VERSION@|'"$$(sed -n 's/#define PK_VERSION_STRING "\(.*\)"/\1/p' lib/pprofkit.h)"'|' \
		-e 's|@LIBS_PRIVATE@|$(strip $(PKG_LIBS) $(EXTRA_LIBS) -lm)|' \
		pprofkit.pc.in > $(DESTDIR)$(LIBDIR)/pkgconfig/pprofkit.pc
	@if [ -z "$(DESTDIR)" ] && [ "$$(id -u)" = 0 ]; then \
		echo "$(LDCONFIG)" && $(LDCONFIG); \
	elif [ -z "$(DESTDIR)" ]; then \
		echo "note: not root, so ldconfig was not run: programs linked with -lpprofkit need" \
			"LD_LIBRARY_PATH=$(LIBDIR) until root runs ldconfig"; \
	fi

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/pprofkit $(DESTDIR)$(LIBDIR)/libpprofkit.* \
		$(DESTDIR)$(PREFIX)/include/pprofkit.h $(DESTDIR)$(PREFIX)/share/man/man1/pprofkit.1 \
		$(DESTDIR)$(LIBDIR)/pkgconfig/pprofkit.pc $(DESTDIR)$(BASH_COMPDIR)/pprofkit \
		$(DESTDIR)$(ZSH_COMPDIR)/_pprofkit

# The Debian packages (debian/), built from a copy of the tracked and new files in build/deb/src
# (dpkg-buildpackage cleans its tree), written to build/deb/. Needs dpkg-dev, debhelper, fakeroot
# (and lintian for tests/deb/run).
deb:
	rm -rf build/deb && mkdir -p build/deb/src
	git ls-files -co --exclude-standard -z | xargs -0 cp --parents -t build/deb/src
	cd build/deb/src && dpkg-buildpackage -us -uc -b
	@ls build/deb/*.deb
# The packages built, checked with lintian, installed into a scratch root and exercised
# (tests/deb/run; a minute or more, so not part of `make check`: .ci/run runs it after it).
deb-check:
	@tests/deb/run

clean:
	rm -rf build pprofkit lib/libpprofkit.a lib/libpprofkit.so*

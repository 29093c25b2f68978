# pprofkit - plain Makefile. `make`, `make check`, `make install`, `make bench`, `make fuzz`.
PREFIX ?= /usr/local
DESTDIR ?=
CC ?= cc
PKGS := libprotobuf-c zlib libcgraph libgvc libpcre2-8 re2
EXTRA_LIBS := -liberty -lstdc++
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS))
PKG_LIBS := $(shell pkg-config --libs $(PKGS))
WARN := -Wall -Wextra -Werror -Wno-unused-parameter
OPT ?= -O2 -g
CFLAGS_ALL = -std=gnu11 $(OPT) $(WARN) -fPIC -fvisibility=hidden -DPK_BUILDING_LIBRARY \
	-Ilib -Iproto $(PKG_CFLAGS) $(CFLAGS)
# The one C++ file (lib/go/re2shim.cc, RE2 behind a C interface): same warnings and options.
CXXFLAGS_ALL = -std=c++17 $(OPT) $(WARN) -fPIC -fvisibility=hidden -DPK_BUILDING_LIBRARY \
	-Ilib $(PKG_CFLAGS) $(CXXFLAGS)
SAN := -fsanitize=address,undefined,float-cast-overflow -fno-sanitize-recover=all -fno-omit-frame-pointer

B ?= build
LIB_SRC := $(sort $(wildcard lib/*/*.c)) proto/profile.pb-c.c
LIB_CXX_SRC := $(sort $(wildcard lib/*/*.cc))
CMD_SRC := $(sort $(wildcard cmd/*.c))
UNIT_SRC := $(sort $(wildcard tests/unit/*.c))
LIB_OBJ := $(patsubst %.c,$(B)/%.o,$(LIB_SRC)) $(patsubst %.cc,$(B)/%.o,$(LIB_CXX_SRC))
CMD_OBJ := $(patsubst %.c,$(B)/%.o,$(CMD_SRC))
UNIT_OBJ := $(patsubst %.c,$(B)/%.o,$(UNIT_SRC))
SOVER := 0

.PHONY: all check check-fast asan install uninstall clean proto bench fuzz format
all: pprofkit lib/libpprofkit.a lib/libpprofkit.so

# The top-level artefacts are copies of the default build's.
# Copied through a temporary name and renamed, so a running ./pprofkit is never overwritten.
pprofkit: $(B)/pprofkit
	cp $< $@.tmp && mv -f $@.tmp $@
lib/libpprofkit.a: $(B)/libpprofkit.a
	cp $< $@.tmp && mv -f $@.tmp $@
lib/libpprofkit.so: $(B)/libpprofkit.so.$(SOVER)
	cp $< $@.$(SOVER).tmp && mv -f $@.$(SOVER).tmp $@.$(SOVER) && ln -sf libpprofkit.so.$(SOVER) $@

$(B)/%.o: %.c $(wildcard lib/*.h lib/*/*.h) proto/profile.pb-c.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -MMD -c $< -o $@
$(B)/%.o: %.cc $(wildcard lib/*/*.h)
	@mkdir -p $(dir $@)
	$(CXX) $(CXXFLAGS_ALL) -MMD -c $< -o $@
$(B)/proto/profile.pb-c.o: proto/profile.pb-c.c proto/profile.pb-c.h
	@mkdir -p $(dir $@)
	$(CC) $(filter-out -Wextra,$(CFLAGS_ALL)) -c $< -o $@

$(B)/libpprofkit.a: $(LIB_OBJ)
	rm -f $@ && ar rcs $@ $^
$(B)/libpprofkit.so.$(SOVER): $(LIB_OBJ)
	$(CC) -shared -Wl,-soname,libpprofkit.so.$(SOVER) $(CFLAGS_ALL) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) $(EXTRA_LIBS) -lm
$(B)/pprofkit: $(CMD_OBJ) $(B)/libpprofkit.a
	$(CC) $(CFLAGS_ALL) $(LDFLAGS) -o $@ $(CMD_OBJ) $(B)/libpprofkit.a $(PKG_LIBS) $(EXTRA_LIBS) -lm
$(B)/unit-tests: $(UNIT_OBJ) $(B)/libpprofkit.a
	$(CC) $(CFLAGS_ALL) $(LDFLAGS) -o $@ $(UNIT_OBJ) $(B)/libpprofkit.a $(PKG_LIBS) $(EXTRA_LIBS) -lm
# Replay drivers of the fuzz targets (tests/fuzz): LLVMFuzzerTestOneInput over files, any compiler.
FUZZ_TARGETS := decode report tagfilter merge regex
$(B)/fuzz-replay-%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c $(wildcard tests/fuzz/*.h) $(B)/libpprofkit.a
	$(CC) $(CFLAGS_ALL) -Itests/fuzz -DPK_SRCDIR='"$(CURDIR)"' $(LDFLAGS) -o $@ $< tests/fuzz/replay.c \
		$(B)/libpprofkit.a $(PKG_LIBS) $(EXTRA_LIBS) -lm
$(B)/header-test: tests/header.c lib/pprofkit.h
	$(CC) -std=c99 -pedantic -Wall -Wextra -Werror -Ilib -c tests/header.c -o $@

-include $(shell find $(B) -name '*.d' 2>/dev/null)

# The sanitizer build: same sources, ASan + UBSan, arena allocations tracked one by one.
asan:
	$(MAKE) --no-print-directory B=build/asan OPT="-O1 -g $(SAN) -DPK_ARENA_DEBUG" \
		LDFLAGS="$(SAN)" build/asan/pprofkit build/asan/unit-tests build/asan/header-test \
		$(patsubst %,build/asan/fuzz-replay-%,$(FUZZ_TARGETS))

# Every suite on the normal build, then on the sanitizer build; the last line is the total.
FUZZ_REPLAY = $(patsubst %,$(B)/fuzz-replay-%,$(FUZZ_TARGETS))
check: all $(B)/unit-tests $(B)/header-test $(FUZZ_REPLAY) asan
	@tests/run-all build build/asan

check-fast: all $(B)/unit-tests $(B)/header-test $(FUZZ_REPLAY)
	@tests/run-all build

proto:
	cd proto && protoc-c --c_out=. profile.proto

bench: all
	@bench/run

fuzz:
	@tests/fuzz/run $(FUZZ_SECONDS)

format:
	clang-format -i lib/*.h lib/*/*.c lib/*/*.h cmd/*.c cmd/*.h tests/unit/*.c tests/unit/*.h tests/fuzz/*.c \
		tests/fuzz/*.h tests/header.c bench/*.c

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/include \
		$(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/lib/pkgconfig
	install -m 755 pprofkit $(DESTDIR)$(PREFIX)/bin/pprofkit
	install -m 644 lib/libpprofkit.a $(DESTDIR)$(PREFIX)/lib/libpprofkit.a
	install -m 755 lib/libpprofkit.so.$(SOVER) $(DESTDIR)$(PREFIX)/lib/libpprofkit.so.$(SOVER)
	ln -sf libpprofkit.so.$(SOVER) $(DESTDIR)$(PREFIX)/lib/libpprofkit.so
	install -m 644 lib/pprofkit.h $(DESTDIR)$(PREFIX)/include/pprofkit.h
	install -m 644 man/pprofkit.1 $(DESTDIR)$(PREFIX)/share/man/man1/pprofkit.1
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|'"$$(sed -n 's/#define PK_VERSION_STRING "\(.*\)"/\1/p' lib/pprofkit.h)"'|' \
		-e 's|@REQUIRES@|$(PKGS)|' pprofkit.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/pprofkit.pc

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/pprofkit $(DESTDIR)$(PREFIX)/lib/libpprofkit.* \
		$(DESTDIR)$(PREFIX)/include/pprofkit.h $(DESTDIR)$(PREFIX)/share/man/man1/pprofkit.1 \
		$(DESTDIR)$(PREFIX)/lib/pkgconfig/pprofkit.pc

clean:
	rm -rf build pprofkit lib/libpprofkit.a lib/libpprofkit.so*

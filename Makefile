# vmmanager - see README.md. Settings live in config.mk.
include config.mk

CORE_SRC = $(wildcard src/core/*.c)
RUNTIME_SRC = $(wildcard src/runtime/*.c)
SHARED_SRC = $(wildcard src/shared/*.c)
UI_SRC = $(wildcard src/ui/*.c)
BACKEND_SRC = $(wildcard src/backend/*.c)
# What the unit tests link: the core, the runtime and the shared helpers
# plus the backend's pure data and XML code; the fake backend stands in
# for libvirt.c.
UNIT_SRC = $(wildcard tests/unit/*.c) $(CORE_SRC) $(RUNTIME_SRC) $(SHARED_SRC) src/backend/vmdata.c \
	src/backend/disktype.c src/backend/xml.c src/backend/xml_edit.c src/backend/xml_snapext.c src/backend/xml_clone.c \
	src/backend/cloneplan.c src/backend/revertplan.c src/backend/xml_snap.c
# The program's own files beside main.c: --print, --list.
TOP_SRC = $(filter-out src/main.c,$(wildcard src/*.c))
DRIVER_SRC = $(wildcard tests/driver/*.c) $(TOP_SRC) $(CORE_SRC) $(RUNTIME_SRC) $(SHARED_SRC) $(BACKEND_SRC)
E2E_SRC = $(wildcard tests/e2e/*.c) $(CORE_SRC) $(RUNTIME_SRC) $(SHARED_SRC) $(BACKEND_SRC)
E2E_CHAIN_SRC = $(wildcard tests/e2e/chain/*.c) $(TOP_SRC) $(CORE_SRC) $(RUNTIME_SRC) $(SHARED_SRC) $(BACKEND_SRC)
# Fuzz targets (tests/fuzz): each links what it tests with a driver, the
# stand-alone one (make check) or libFuzzer (make fuzz, with clang).
FUZZ_TARGETS = xml_read xml_roundtrip config textesc wrap
FUZZ_LIB_SRC = tests/fuzz/fuzz_util.c src/shared/util.c src/core/utf8.c src/core/config.c \
	src/core/textesc.c src/core/wrap.c src/backend/vmdata.c src/backend/xml.c src/backend/xml_edit.c
PROG_SRC = src/main.c $(TOP_SRC) $(CORE_SRC) $(RUNTIME_SRC) $(SHARED_SRC) $(UI_SRC) $(BACKEND_SRC)

OBJ = build/obj
SAN = build/san
SANFLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

ALL_CFLAGS = $(VMM_CPPFLAGS) $(NCURSES_CFLAGS) $(LIBVIRT_CFLAGS) $(VMM_CFLAGS)
LIBS = $(NCURSES_LIBS) $(LIBVIRT_LIBS)
objs = $(patsubst %.c,$(1)/%.o,$(2))

all: vmmanager

vmmanager: $(call objs,$(OBJ),$(PROG_SRC))
	$(CC) -o $@ $^ $(VMM_LDFLAGS) $(LIBS)

# Before anything is compiled: a missing compiler, pkg-config or library
# is one apt-get line (scripts/deps.sh), not a compiler error.
build-deps:
	@CC='$(CC)' PKG_CONFIG='$(PKG_CONFIG)' sh scripts/deps.sh build

$(OBJ)/%.o: %.c | build-deps
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(TEST_CFLAGS) -MMD -MP -c -o $@ $<

# The sanitizer build is also the warnings gate: -Werror.
$(SAN)/%.o: %.c | build-deps
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(TEST_CFLAGS) $(SANFLAGS) -Werror -MMD -MP -c -o $@ $<

$(OBJ)/tests/%.o $(SAN)/tests/%.o: TEST_CFLAGS = $(CMOCKA_CFLAGS)

$(OBJ)/test_unit: $(call objs,$(OBJ),$(UNIT_SRC))
	$(CC) -o $@ $^ $(VMM_LDFLAGS) $(LIBVIRT_LIBS) $(CMOCKA_LIBS)
$(OBJ)/test_driver: $(call objs,$(OBJ),$(DRIVER_SRC))
	$(CC) -o $@ $^ $(VMM_LDFLAGS) $(LIBVIRT_LIBS) $(CMOCKA_LIBS)
$(OBJ)/test_e2e: $(call objs,$(OBJ),$(E2E_SRC))
	$(CC) -o $@ $^ $(VMM_LDFLAGS) $(LIBVIRT_LIBS) $(CMOCKA_LIBS)
$(OBJ)/test_e2e_chain: $(call objs,$(OBJ),$(E2E_CHAIN_SRC))
	$(CC) -o $@ $^ $(VMM_LDFLAGS) $(LIBVIRT_LIBS) $(CMOCKA_LIBS)
$(SAN)/test_unit: $(call objs,$(SAN),$(UNIT_SRC))
	$(CC) $(SANFLAGS) -o $@ $^ $(VMM_LDFLAGS) $(LIBVIRT_LIBS) $(CMOCKA_LIBS)
$(SAN)/test_driver: $(call objs,$(SAN),$(DRIVER_SRC))
	$(CC) $(SANFLAGS) -o $@ $^ $(VMM_LDFLAGS) $(LIBVIRT_LIBS) $(CMOCKA_LIBS)
$(SAN)/vmmanager: $(call objs,$(SAN),$(PROG_SRC))
	$(CC) $(SANFLAGS) -o $@ $^ $(VMM_LDFLAGS) $(LIBS)

$(SAN)/fuzz_%: $(SAN)/tests/fuzz/fuzz_%.o $(SAN)/tests/fuzz/driver.o $(call objs,$(SAN),$(FUZZ_LIB_SRC))
	$(CC) $(SANFLAGS) -o $@ $^ $(VMM_LDFLAGS) $(LIBVIRT_LIBS)

# libFuzzer builds, with clang, in a folder of their own.
LF = build/libfuzzer
LFFLAGS = -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
$(LF)/%.o: %.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(ALL_CFLAGS) $(LFFLAGS) -MMD -MP -c -o $@ $<
$(LF)/fuzz_%: $(LF)/tests/fuzz/fuzz_%.o $(call objs,$(LF),$(FUZZ_LIB_SRC))
	$(FUZZ_CC) -fsanitize=fuzzer,address,undefined -o $@ $^ $(VMM_LDFLAGS) $(LIBVIRT_LIBS)

FUZZ_BINS = $(patsubst %,$(SAN)/fuzz_%,$(FUZZ_TARGETS))
.SECONDARY: $(patsubst %,$(SAN)/tests/fuzz/fuzz_%.o,$(FUZZ_TARGETS)) \
	$(patsubst %,$(LF)/tests/fuzz/fuzz_%.o,$(FUZZ_TARGETS))
TESTS = $(OBJ)/test_unit $(OBJ)/test_driver $(OBJ)/test_e2e $(OBJ)/test_e2e_chain \
	$(SAN)/test_unit $(SAN)/test_driver $(SAN)/vmmanager $(FUZZ_BINS)
tests: vmmanager $(TESTS)

deps:
	@sh scripts/deps.sh demo

deps-check:
	@sh scripts/deps.sh check

demo: deps
	$(MAKE) all
	./vmmanager --demo

check: deps-check
	$(MAKE) -j$$(nproc 2>/dev/null || echo 2) tests
	sh tests/run.sh

# Each safety rule broken on purpose (tests/mutants/*.patch) in a scratch
# copy of the tree: the tests must notice. `make check` runs the quick ones.
mutants: deps-check
	sh tests/mutants/run.sh

# Every fuzz target for FUZZ_SECONDS each (default 60): with libFuzzer
# when clang is installed, else with the stand-alone driver.
FUZZ_CC = clang
FUZZ_SECONDS = 60
fuzz: deps-check
	@if command -v $(FUZZ_CC) >/dev/null 2>&1; then \
		$(MAKE) $(patsubst %,$(LF)/fuzz_%,$(FUZZ_TARGETS)) && \
		sh tests/fuzz/run.sh $(FUZZ_SECONDS) libfuzzer; \
	else \
		$(MAKE) $(FUZZ_BINS) && sh tests/fuzz/run.sh $(FUZZ_SECONDS); \
	fi

# Performance against virsh on a private daemon (bench/README.md): ratios,
# not timed tests.
bench: deps-check
	$(MAKE) vmmanager
	bash bench/run.sh

install: all
	mkdir -p $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(MANPREFIX)/man1 $(DESTDIR)$(DATADIR) $(DESTDIR)$(COMPLETIONDIR)
	cp -f vmmanager $(DESTDIR)$(PREFIX)/bin/vmmanager
	chmod 755 $(DESTDIR)$(PREFIX)/bin/vmmanager
	sed 's/VERSION/$(VERSION)/g' vmmanager.1 > $(DESTDIR)$(MANPREFIX)/man1/vmmanager.1
	chmod 644 $(DESTDIR)$(MANPREFIX)/man1/vmmanager.1
	cp -f data/demo.xml $(DESTDIR)$(DATADIR)/demo.xml
	chmod 644 $(DESTDIR)$(DATADIR)/demo.xml
	cp -f scripts/vmmanager.bash-completion $(DESTDIR)$(COMPLETIONDIR)/vmmanager
	chmod 644 $(DESTDIR)$(COMPLETIONDIR)/vmmanager

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/vmmanager $(DESTDIR)$(MANPREFIX)/man1/vmmanager.1
	rm -f $(DESTDIR)$(DATADIR)/demo.xml $(DESTDIR)$(COMPLETIONDIR)/vmmanager
	-rmdir $(DESTDIR)$(DATADIR)

# A Debian package (README.md, "Debian package"): dpkg-buildpackage on a
# copy of the committed tree in build/deb, from debian/; the .deb lands in
# build/deb. The tree's own build/ is left alone.
DEB_DIR = build/deb
deb:
	@sh scripts/deps.sh deb
	rm -rf $(DEB_DIR)
	mkdir -p $(DEB_DIR)/vmmanager-$(VERSION)
	@# The working tree as it is (tracked and new files, not ignored ones).
	if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then \
		git ls-files -z --cached --others --exclude-standard | \
			xargs -0 sh -c 'for f; do [ -f "$$f" ] && printf "%s\n" "$$f"; done' sh | \
			tar -cf - -T - | tar -C $(DEB_DIR)/vmmanager-$(VERSION) -xf -; \
	else \
		tar --exclude=./build -cf - . | tar -C $(DEB_DIR)/vmmanager-$(VERSION) -xf -; \
	fi
	cd $(DEB_DIR)/vmmanager-$(VERSION) && dpkg-buildpackage -us -uc -b
	@ls $(DEB_DIR)/*.deb

dist:
	git archive --format=tar.gz --prefix=vmmanager-$(VERSION)/ -o vmmanager-$(VERSION).tar.gz HEAD

clean:
	rm -rf build vmmanager vmmanager-$(VERSION).tar.gz

-include $(shell find build -name '*.d' 2>/dev/null)

.PHONY: all build-deps tests deps deps-check demo check mutants fuzz bench install uninstall deb dist clean

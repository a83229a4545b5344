# ossffi: `make` builds the library, `make demo` shows an upload with a callback, `make test` runs
# every test (CI runs exactly that through .ci/run).

CARGO   ?= cargo
PREFIX  ?= /usr/local
LIBDIR  ?= $(PREFIX)/lib
INCDIR  ?= $(PREFIX)/include
# Cargo's output directory: CARGO_TARGET_DIR when set, as cargo itself does, else target/.
TARGET_DIR := $(abspath $(or $(CARGO_TARGET_DIR),target))
RELEASE := $(TARGET_DIR)/release
EXAMPLES := target/examples
VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n1)
# What a static link of libossffi.a needs besides the archive (rustc --print native-static-libs).
STATIC_LIBS := -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc

.PHONY: all test demo install clean tools fuzz

all:
	$(CARGO) build --release -p ossffi
	ln -sf libossffi.so $(RELEASE)/$(SONAME)

tools:
	@bash scripts/ensure-tools.sh

# The unit tests of the pure helpers that run under Miri (undefined behaviour, the C API's pointer
# helpers included): percent/base64/hex encoding, CRC-64 and its combine, the checkpoint record's
# writer and reader, JSON text, the signing string builders. Fast, and no sockets or files (Miri's
# isolation stays on). The skipped test feeds 5,000 bytes through CRC-64 in pieces, 20 s under Miri.
MIRI_TESTS := encoding:: crc64:: transfer::checkpoint:: ffi::util:: callback::json_text:: \
	signing::v4::tests::canonical_ signing::v4::tests::scope_ signing::v1::tests::resource_ \
	signing::v1::tests::sub_resource signing::tests::signed_headers \
	--skip crc64::tests::crc64_update_continues_a_running_crc

test: tools
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	$(CARGO) test --workspace
	@echo "== Miri: the pure helpers' unit tests"
	$(CARGO) +nightly miri test -p ossffi --lib -- $(MIRI_TESTS)
	$(CARGO) build --workspace
	@echo "== the fuzz targets still compile (fuzz/, run them with make fuzz)"
	$(CARGO) check --manifest-path fuzz/Cargo.toml --target-dir target --locked --no-default-features --bins
	@echo "== the official Python SDK (alibabacloud-oss-v2) against the emulator"
	OSSFFI_EMULATOR_BIN=$(TARGET_DIR)/debug/ossffi-emulator bash emulator/tests/python/run.sh
	@echo "== libossffi.so from Python through ctypes"
	OSSFFI_EMULATOR_BIN=$(TARGET_DIR)/debug/ossffi-emulator OSSFFI_LIBRARY=$(TARGET_DIR)/debug/libossffi.so \
	    bash emulator/tests/python/run.sh $(CURDIR)/tests/python
	@echo "== a real browser: headless Chromium uploads through examples_c/upload_page_server.c"
	OSSFFI_EMULATOR_BIN=$(TARGET_DIR)/debug/ossffi-emulator OSSFFI_LIBRARY=$(TARGET_DIR)/debug/libossffi.so \
	    OSSFFI_TEST_OUTPUT=$(CURDIR)/target/test-output bash emulator/tests/python/run.sh $(CURDIR)/tests/browser
	@echo "== screenshots of the finished pages: $(CURDIR)/target/test-output/browser/"

CFLAGS_EXAMPLE := -std=c99 -Wall -Wextra -O2 -Iinclude
CXXFLAGS_EXAMPLE := -std=c++11 -Wall -Wextra -O2 -Iinclude

demo: tools
	$(CARGO) build --release -p ossffi -p ossffi-emulator
	@mkdir -p $(EXAMPLES)
	cc $(CFLAGS_EXAMPLE) examples_c/callback_headers.c $(RELEASE)/libossffi.a $(STATIC_LIBS) -o $(EXAMPLES)/callback_headers
	cc $(CFLAGS_EXAMPLE) examples_c/callback_server.c $(RELEASE)/libossffi.a $(STATIC_LIBS) -o $(EXAMPLES)/callback_server
	cc $(CFLAGS_EXAMPLE) examples_c/put_callback.c $(RELEASE)/libossffi.a $(STATIC_LIBS) -o $(EXAMPLES)/put_callback
	cc $(CFLAGS_EXAMPLE) examples_c/presign_put.c $(RELEASE)/libossffi.a $(STATIC_LIBS) -o $(EXAMPLES)/presign_put
	cc $(CFLAGS_EXAMPLE) -pthread examples_c/upload_page_server.c $(RELEASE)/libossffi.a $(STATIC_LIBS) -o $(EXAMPLES)/upload_page_server
	c++ $(CXXFLAGS_EXAMPLE) examples_c/put_callback.cpp $(RELEASE)/libossffi.a $(STATIC_LIBS) -o $(EXAMPLES)/put_callback_cpp
	@echo
	@bash scripts/demo.sh

# `make install [PREFIX=/usr/local] [LIBDIR=...] [INCDIR=...] [DESTDIR=...]` builds the release
# library and installs it as distributions ship one: the versioned libossffi.so.X.Y.Z, the
# libossffi.so.X link its SONAME names, the libossffi.so link the linker finds, libossffi.a,
# the headers, pkg-config files and a CMake package (README.md, "Install, link and upgrade").
# `make install-files LIBSRC=dir` installs the libraries already built in dir instead (the install
# test in tests/install.rs installs the debug build `cargo test` made).
LIBSRC   ?= $(RELEASE)
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
CMAKEDIR ?= $(LIBDIR)/cmake/ossffi
SONAME   := libossffi.so.$(word 1,$(subst ., ,$(VERSION)))
LIBFILE  := libossffi.so.$(VERSION)
empty :=
space := $(empty) $(empty)

define install-files
	install -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCDIR)/ossffi $(DESTDIR)$(PKGCONFIGDIR) $(DESTDIR)$(CMAKEDIR)
	install -m 644 $(LIBSRC)/libossffi.a $(DESTDIR)$(LIBDIR)/
	install -m 755 $(LIBSRC)/libossffi.so $(DESTDIR)$(LIBDIR)/$(LIBFILE)
	ln -sf $(LIBFILE) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libossffi.so
	install -m 644 include/ossffi.h $(DESTDIR)$(INCDIR)/
	cd include && find alibabacloud -name '*.h' -exec install -D -m 644 {} $(DESTDIR)$(INCDIR)/{} \;
	install -m 644 include/ossffi/callback_verifier.hpp include/ossffi/post_policy.hpp $(DESTDIR)$(INCDIR)/ossffi/
	sed -e 's|@PREFIX@|$(PREFIX)|; s|@LIBDIR@|$(LIBDIR)|; s|@INCDIR@|$(INCDIR)|; s|@VERSION@|$(VERSION)|; s|@STATIC_LIBS@|$(STATIC_LIBS)|' \
	    ossffi.pc.in > $(DESTDIR)$(PKGCONFIGDIR)/ossffi.pc
	sed -e 's|@PREFIX@|$(PREFIX)|; s|@LIBDIR@|$(LIBDIR)|; s|@INCDIR@|$(INCDIR)|; s|@VERSION@|$(VERSION)|; s|@STATIC_LIBS@|$(STATIC_LIBS)|' \
	    ossffi-static.pc.in > $(DESTDIR)$(PKGCONFIGDIR)/ossffi-static.pc
	sed -e 's|@VERSION@|$(VERSION)|; s|@SONAME@|$(SONAME)|g; s|@LIBFILE@|$(LIBFILE)|g' \
	    -e 's|@CMAKE_TO_LIBDIR@|$(shell realpath -m --relative-to=$(CMAKEDIR) $(LIBDIR))|' \
	    -e 's|@CMAKE_TO_INCDIR@|$(shell realpath -m --relative-to=$(CMAKEDIR) $(INCDIR))|' \
	    -e 's|@CMAKE_STATIC_LIBS@|$(subst $(space),;,$(patsubst -l%,%,$(STATIC_LIBS)))|' \
	    cmake/ossffi-config.cmake.in > $(DESTDIR)$(CMAKEDIR)/ossffi-config.cmake
	sed -e 's|@VERSION@|$(VERSION)|; s|@SIZEOF_VOID_P@|'"$$(($$(getconf LONG_BIT) / 8))"'|g' \
	    cmake/ossffi-config-version.cmake.in > $(DESTDIR)$(CMAKEDIR)/ossffi-config-version.cmake
endef

.PHONY: install-files uninstall
install: all
	$(install-files)

install-files:
	$(install-files)

uninstall:
	rm -f $(DESTDIR)$(LIBDIR)/libossffi.a $(DESTDIR)$(LIBDIR)/libossffi.so $(DESTDIR)$(LIBDIR)/$(SONAME) \
	    $(DESTDIR)$(LIBDIR)/$(LIBFILE) $(DESTDIR)$(INCDIR)/ossffi.h \
	    $(DESTDIR)$(INCDIR)/ossffi/callback_verifier.hpp $(DESTDIR)$(INCDIR)/ossffi/post_policy.hpp \
	    $(DESTDIR)$(PKGCONFIGDIR)/ossffi.pc $(DESTDIR)$(PKGCONFIGDIR)/ossffi-static.pc \
	    $(DESTDIR)$(CMAKEDIR)/ossffi-config.cmake $(DESTDIR)$(CMAKEDIR)/ossffi-config-version.cmake
	cd include && find alibabacloud -name '*.h' -exec rm -f $(DESTDIR)$(INCDIR)/{} \;
	-rmdir $(DESTDIR)$(INCDIR)/ossffi $(DESTDIR)$(CMAKEDIR) 2>/dev/null

clean:
	$(CARGO) clean

# `make bench`: ossffi against curl, Alibaba's official Python SDK and a raw-socket floor, all
# uploading to one release `ossffi-emulator --sink` (bench/run.py; results in BENCHMARKS.md).
.PHONY: bench
bench: tools
	$(CARGO) build --release -p ossffi -p ossffi-emulator
	python3 bench/run.py

# `make fuzz`: every fuzz target for FUZZ_SECONDS (default 60) each, with nightly and cargo-fuzz
# (installed when missing); FUZZ_TARGETS="a b" runs only those. See fuzz/README.md.
fuzz:
	bash scripts/fuzz.sh

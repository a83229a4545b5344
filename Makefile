# ossffi: `make` builds the library, `make demo` shows an upload with a callback, `make test` runs
# every test (CI runs exactly that through .ci/run).

CARGO   ?= cargo
PREFIX  ?= /usr/local
LIBDIR  ?= $(PREFIX)/lib
INCDIR  ?= $(PREFIX)/include
RELEASE := target/release
EXAMPLES := target/examples
VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n1)
# What a static link of libossffi.a needs besides the archive (rustc --print native-static-libs).
STATIC_LIBS := -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc

.PHONY: all test demo install clean tools

all:
	$(CARGO) build --release -p ossffi

tools:
	@bash scripts/ensure-tools.sh

test: tools
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	$(CARGO) test --workspace
	$(CARGO) build --workspace
	@echo "== the official Python SDK (alibabacloud-oss-v2) against the emulator"
	OSSFFI_EMULATOR_BIN=$(CURDIR)/target/debug/ossffi-emulator bash emulator/tests/python/run.sh
	@echo "== libossffi.so from Python through ctypes"
	OSSFFI_EMULATOR_BIN=$(CURDIR)/target/debug/ossffi-emulator OSSFFI_LIBRARY=$(CURDIR)/target/debug/libossffi.so \
	    bash emulator/tests/python/run.sh $(CURDIR)/tests/python
	@echo "== a real browser: headless Chromium uploads through examples_c/upload_page_server.c"
	OSSFFI_EMULATOR_BIN=$(CURDIR)/target/debug/ossffi-emulator OSSFFI_LIBRARY=$(CURDIR)/target/debug/libossffi.so \
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

install: all
	install -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCDIR) $(DESTDIR)$(LIBDIR)/pkgconfig
	install -m 644 $(RELEASE)/libossffi.a $(DESTDIR)$(LIBDIR)/
	install -m 755 $(RELEASE)/libossffi.so $(DESTDIR)$(LIBDIR)/
	install -m 644 include/ossffi.h $(DESTDIR)$(INCDIR)/
	install -d $(DESTDIR)$(INCDIR)/ossffi
	cd include && find alibabacloud -name '*.h' -exec install -D -m 644 {} $(DESTDIR)$(INCDIR)/{} \;
	install -m 644 include/ossffi/callback_verifier.hpp include/ossffi/post_policy.hpp $(DESTDIR)$(INCDIR)/ossffi/
	sed -e 's|@PREFIX@|$(PREFIX)|; s|@LIBDIR@|$(LIBDIR)|; s|@INCDIR@|$(INCDIR)|; s|@VERSION@|$(VERSION)|; s|@STATIC_LIBS@|$(STATIC_LIBS)|' \
	    ossffi.pc.in > $(DESTDIR)$(LIBDIR)/pkgconfig/ossffi.pc

clean:
	$(CARGO) clean

# `make bench`: ossffi against curl, Alibaba's official Python SDK and a raw-socket floor, all
# uploading to one release `ossffi-emulator --sink` (bench/run.py; results in BENCHMARKS.md).
.PHONY: bench
bench: tools
	$(CARGO) build --release -p ossffi -p ossffi-emulator
	python3 bench/run.py

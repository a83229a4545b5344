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

demo: all
	@mkdir -p $(EXAMPLES)
	cc -std=c99 -Wall -Wextra -O2 -Iinclude examples_c/callback_headers.c \
	   $(RELEASE)/libossffi.a $(STATIC_LIBS) -o $(EXAMPLES)/callback_headers
	@echo
	@$(EXAMPLES)/callback_headers

install: all
	install -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCDIR) $(DESTDIR)$(LIBDIR)/pkgconfig
	install -m 644 $(RELEASE)/libossffi.a $(DESTDIR)$(LIBDIR)/
	install -m 755 $(RELEASE)/libossffi.so $(DESTDIR)$(LIBDIR)/
	install -m 644 include/ossffi.h $(DESTDIR)$(INCDIR)/
	sed -e 's|@PREFIX@|$(PREFIX)|; s|@LIBDIR@|$(LIBDIR)|; s|@INCDIR@|$(INCDIR)|; s|@VERSION@|$(VERSION)|; s|@STATIC_LIBS@|$(STATIC_LIBS)|' \
	    ossffi.pc.in > $(DESTDIR)$(LIBDIR)/pkgconfig/ossffi.pc

clean:
	$(CARGO) clean

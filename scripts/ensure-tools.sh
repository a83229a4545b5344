#!/usr/bin/env bash
# Makes sure the tools `make test` (Chromium, Node.js and npm for the browser test included) and
# `make demo` (curl) need are on this machine: installs missing ones with apt-get
# when running as root on Debian, otherwise says exactly what to install.
set -euo pipefail

declare -A package_for=(
  [cc]=gcc [c++]=g++ [valgrind]=valgrind [nm]=binutils [python3]=python3 [openssl]=openssl [curl]=curl
  [chromium]=chromium [node]=nodejs [npm]=npm
  # tests/install.rs: building against the installed library with CMake and with pkg-config.
  [cmake]=cmake [pkg-config]=pkg-config [readelf]=binutils [ldd]=libc-bin
)
missing=()
for tool in "${!package_for[@]}"; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
  missing+=(python3-venv)
  package_for[python3-venv]=python3-venv
fi
# The browser test's playwright-core needs Node.js 20 or later; Debian 12's own nodejs is 18.
check_node_version() {
  local major
  major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
  if [ "$major" -lt 20 ]; then
    echo "make: the browser test needs Node.js 20 or later (playwright-core); this node is $(node --version 2>/dev/null || echo missing)" >&2
    exit 1
  fi
}

# make test runs the pure helpers' unit tests under Miri: the nightly toolchain with its miri and
# rust-src components (cargo miri builds its own sysroot from rust-src). rustup adds what is missing.
ensure_miri() {
  if cargo +nightly miri --version >/dev/null 2>&1 \
    && rustup +nightly component list --installed 2>/dev/null | grep -q '^rust-src'; then
    return
  fi
  if ! command -v rustup >/dev/null 2>&1; then
    echo "make: the Miri tests need rustup's nightly toolchain with miri and rust-src (https://rustup.rs, then: rustup toolchain install nightly --component miri,rust-src)" >&2
    exit 1
  fi
  echo "make: installing the nightly toolchain's miri and rust-src (needed by the Miri tests)"
  # An installed nightly only gains the components (`toolchain install` would also update it).
  if rustup run nightly rustc --version >/dev/null 2>&1; then
    add_miri=(rustup component add --toolchain nightly miri rust-src)
  else
    add_miri=(rustup toolchain install nightly --profile minimal --component miri,rust-src)
  fi
  if ! "${add_miri[@]}"; then
    echo "make: could not install nightly with miri and rust-src; the Miri tests cannot run (try: rustup toolchain install nightly --component miri,rust-src)" >&2
    exit 1
  fi
}
ensure_miri

if [ ${#missing[@]} -eq 0 ]; then
  check_node_version
  exit 0
fi

packages=()
for tool in "${missing[@]}"; do packages+=("${package_for[$tool]}"); done
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "make: installing ${packages[*]} (needed by the tests: ${missing[*]})"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
else
  echo "make: the tests need ${missing[*]}; install the packages ${packages[*]} (e.g. sudo apt-get install ${packages[*]})" >&2
  exit 1
fi
check_node_version

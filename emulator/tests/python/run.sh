#!/usr/bin/env bash
# Runs the official-SDK tests against the emulator binary in $OSSFFI_EMULATOR_BIN.
# The virtualenv lives at $VENV (default: .venv at the repository root) and is only
# reinstalled when requirements.txt changes. Extra arguments go to pytest.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
venv="${VENV:-$repo/.venv}"
python="${PYTHON:-python3}"

if [[ -z "${OSSFFI_EMULATOR_BIN:-}" ]]; then
    echo "run.sh: set OSSFFI_EMULATOR_BIN to the ossffi-emulator binary (cargo build -p ossffi-emulator)" >&2
    exit 2
fi
if [[ ! -x "$OSSFFI_EMULATOR_BIN" ]]; then
    echo "run.sh: OSSFFI_EMULATOR_BIN=$OSSFFI_EMULATOR_BIN is not an executable file" >&2
    exit 2
fi

if [[ ! -x "$venv/bin/python" ]]; then
    "$python" -m venv "$venv"
fi
stamp="$venv/.ossffi-requirements.sha256"
wanted="$(sha256sum "$here/requirements.txt" | cut -d' ' -f1)"
if [[ "$(cat "$stamp" 2>/dev/null || true)" != "$wanted" ]]; then
    "$venv/bin/python" -m pip install --disable-pip-version-check --quiet -r "$here/requirements.txt"
    echo "$wanted" > "$stamp"
fi

export OSSFFI_EMULATOR_BIN
# Keep __pycache__ out of the source tree.
export PYTHONDONTWRITEBYTECODE=1
cd "$here"
# With no arguments, the tests here; a caller may name other test directories instead.
exec "$venv/bin/python" -m pytest -p no:cacheprovider "${@:-.}"

#!/usr/bin/env bash
# make demo: a whole upload-callback round trip on this machine. Starts ossffi-emulator (a local
# OSS) and examples_c/callback_server (an application server that verifies OSS's signature),
# then uploads with the C++ example (written in the official SDK's style), the C example, and a
# plain `curl -T` to a presigned URL that carries the callback, and shows what the receiver got
# and what each uploader got back.
set -euo pipefail
cd "$(dirname "$0")/.."

release="${CARGO_TARGET_DIR:-target}/release"
examples=target/examples
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# Waits until FILE has at least N lines (a server announcing itself), or fails.
wait_for_lines() {
  local file=$1 n=$2 what=$3
  for _ in $(seq 1 200); do
    [ "$(wc -l < "$file")" -ge "$n" ] && return 0
    sleep 0.05
  done
  echo "demo: $what did not start; its output:" >&2
  cat "$file" "$file.err" >&2 2>/dev/null || true
  exit 1
}

"$release/ossffi-emulator" --listen 127.0.0.1:0 --region cn-hangzhou --bucket demo-bucket \
  --access-key-id demo-access-key-id --access-key-secret demo-access-key-secret \
  > "$work/emulator" 2> "$work/emulator.err" &
pids+=($!)
wait_for_lines "$work/emulator" 2 "ossffi-emulator"
oss_address=$(sed -n 1p "$work/emulator")
key_url=$(sed -n 2p "$work/emulator" | sed 's/^public key: //')

"$examples/callback_server" --listen 127.0.0.1:0 --allow-key-url-prefix "$key_url" \
  > "$work/receiver" 2> "$work/receiver.err" &
pids+=($!)
wait_for_lines "$work/receiver" 1 "callback_server"
receiver_address=$(sed -n 1p "$work/receiver")

export OSS_ENDPOINT="http://$oss_address" OSS_REGION=cn-hangzhou OSS_BUCKET=demo-bucket
export OSS_ACCESS_KEY_ID=demo-access-key-id OSS_ACCESS_KEY_SECRET=demo-access-key-secret
export OSS_CALLBACK_URL="http://$receiver_address/oss/callback"

echo "ossffi-emulator (a local OSS) listens on $oss_address; it signs callbacks with $key_url"
echo "callback_server (the application server) listens on $receiver_address and verifies each callback"
echo

echo "== 0. The upload-callback headers ossffi builds (byte-equal to the official C++ SDK's)"
"$examples/callback_headers" | tail -n +3

echo "== 1. C++: examples_c/put_callback.cpp, written for the official OSS C++ SDK"
OSS_OBJECT_KEY=demo/from-cpp.txt "$examples/put_callback_cpp"
echo

echo "== 2. C: examples_c/put_callback.c uploads a file"
printf 'Hello from ossffi, %s\n' "$(date -u +%FT%TZ)" > "$work/hello.txt"
OSS_OBJECT_KEY=demo/hello.txt "$examples/put_callback" "$work/hello.txt"
echo

echo "== 3. curl: a presigned PUT URL with the callback signed in (examples_c/presign_put.c), no credentials"
url=$("$examples/presign_put" demo/by-url.txt)
echo "$url" | sed 's/Signature=[^&]*/Signature=.../; s/x-oss-signature=[^&]*/x-oss-signature=.../'
printf 'Uploaded through a presigned URL, %s\n' "$(date -u +%FT%TZ)" > "$work/by-url.txt"
printf '  curl -T by-url.txt URL answered: '
curl -sS --fail-with-body -T "$work/by-url.txt" "$url"
echo
echo

echo "== 4. What the callback server received (it verified OSS's RSA signature on each)"
sleep 0.2
tail -n +2 "$work/receiver"

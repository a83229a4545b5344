"""Helpers for the official-SDK tests: starting the emulator binary, a verifying callback
receiver, SDK clients and callback parameters.

The emulator is started from $OSSFFI_EMULATOR_BIN with port 0; its first line of output
names the bound address. The receiver is a real HTTP server that checks every
callback the way OSS's documentation tells application servers to: fetch the public key named
by x-oss-pub-key-url and verify the RSA-MD5 signature before answering.
"""

import base64
import json
import os
import re
import socket
import subprocess
import threading
import time
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import alibabacloud_oss_v2 as oss
import pytest
from Crypto.Hash import MD5
from Crypto.PublicKey import RSA
from Crypto.Signature import pkcs1_15

ACCESS_KEY_ID = "LTAI5tEmulatorTestKey"
ACCESS_KEY_SECRET = "emulator-test-secret-0123456789"
BUCKET = "sdk-test-bucket"
REGION = "cn-hangzhou"
START_TIMEOUT = 20.0


class Emulator:
    def __init__(self, host, port, process, public_key_url):
        self.host = host
        self.port = port
        self.process = process
        self.endpoint = f"http://{host}:{port}"
        # Where callback receivers fetch the key the emulator signs callbacks with.
        self.public_key_url = public_key_url


def _read_line(process, timeout):
    """The emulator's next stdout line, or a failure naming what it printed instead."""
    result = {}

    def read():
        result["line"] = process.stdout.readline()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(timeout)
    line = result.get("line")
    if not line:
        process.kill()
        pytest.fail(f"the emulator printed no line within {timeout} s (exit code {process.poll()})")
    return line


def _drain(stream):
    # Keep reading so the emulator never blocks on a full stdout pipe.
    for _ in iter(stream.readline, ""):
        pass


def start_emulator(*extra_args):
    """Starts the emulator binary with extra flags; the caller stops it with stop_emulator."""
    binary = os.environ.get("OSSFFI_EMULATOR_BIN")
    if not binary:
        pytest.fail("OSSFFI_EMULATOR_BIN is not set; run the tests through run.sh")
    process = subprocess.Popen(
        [
            binary,
            "--listen", "127.0.0.1:0",
            "--access-key-id", ACCESS_KEY_ID,
            "--access-key-secret", ACCESS_KEY_SECRET,
            "--region", REGION,
            "--bucket", BUCKET,
            *extra_args,
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    line = _read_line(process, START_TIMEOUT)
    match = re.search(r"(\d+\.\d+\.\d+\.\d+):(\d+)", line)
    if not match:
        process.kill()
        pytest.fail(f"the emulator's first line names no address: {line!r}")
    host, port = match.group(1), int(match.group(2))
    key_line = _read_line(process, START_TIMEOUT)
    if not key_line.startswith("public key: "):
        process.kill()
        pytest.fail(f"the emulator's second line names no public key URL: {key_line!r}")
    threading.Thread(target=_drain, args=(process.stdout,), daemon=True).start()
    _wait_until_listening(host, port, process)
    return Emulator(host, port, process, key_line[len("public key: "):].strip())


def stop_emulator(emulator):
    emulator.process.terminate()
    try:
        emulator.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        emulator.process.kill()
        emulator.process.wait()


def _wait_until_listening(host, port, process):
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the emulator exited with code {process.returncode}")
        try:
            socket.create_connection((host, port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    process.kill()
    pytest.fail(f"the emulator did not accept connections on {host}:{port}")


def make_client(emulator, secret=ACCESS_KEY_SECRET):
    cfg = oss.config.load_default()
    cfg.credentials_provider = oss.credentials.StaticCredentialsProvider(ACCESS_KEY_ID, secret)
    cfg.region = REGION
    # An IP endpoint: the SDK addresses buckets path-style, as the emulator expects.
    cfg.endpoint = emulator.endpoint
    cfg.retry_max_attempts = 1
    return oss.Client(cfg)


class Callback:
    """One callback request as the receiver saw it."""

    def __init__(self, method, target, headers, body, verified, error):
        self.method = method
        self.target = target
        self.headers = headers
        self.body = body
        self.verified = verified
        self.verify_error = error

    def form(self):
        """The form body as {name: value}, values URL-decoded."""
        return dict(urllib.parse.parse_qsl(self.body.decode(), keep_blank_values=True))

    def json(self):
        return json.loads(self.body)


def _trusted_key_url(url):
    # Real receivers accept only OSS's own key host (gosspublic.alicdn.com); against the
    # emulator the trusted place is its loopback key server.
    parsed = urllib.parse.urlsplit(url)
    return parsed.scheme == "http" and parsed.hostname == "127.0.0.1" and parsed.path == "/callback_pub_key_v1.pem"


def verify_callback(target, headers, body, key_cache):
    """Verifies an OSS callback signature; returns None or the reason it fails."""
    key_url_b64 = headers.get("x-oss-pub-key-url")
    authorization = headers.get("Authorization")
    if not key_url_b64 or not authorization:
        return "x-oss-pub-key-url or Authorization is missing"
    key_url = base64.b64decode(key_url_b64).decode()
    if not _trusted_key_url(key_url):
        return f"untrusted public key URL {key_url}"
    if key_url not in key_cache:
        with urllib.request.urlopen(key_url, timeout=5) as response:
            key_cache[key_url] = RSA.import_key(response.read())
    path, sep, query = target.partition("?")
    string_to_sign = urllib.parse.unquote_to_bytes(path) + (b"?" + query.encode() if sep else b"") + b"\n" + body
    try:
        pkcs1_15.new(key_cache[key_url]).verify(MD5.new(string_to_sign), base64.b64decode(authorization))
    except (ValueError, TypeError) as e:
        return f"signature does not verify: {e}"
    return None


class Receiver:
    """A callback receiver on 127.0.0.1 that verifies each request and answers as scripted.

    It answers `status` with `reply` (JSON) when the signature verifies, and 400 otherwise,
    so an unverifiable callback shows up as 203 CallbackFailed in the upload's result.
    """

    def __init__(self):
        self.callbacks = []
        self.status = 200
        self.reply = {"Status": "OK"}
        self.key_cache = {}
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                error = verify_callback(self.path, self.headers, body, receiver.key_cache)
                receiver.callbacks.append(
                    Callback(self.command, self.path, self.headers, body, error is None, error)
                )
                status = receiver.status if error is None else 400
                payload = json.dumps(receiver.reply).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path="/callback"):
        return f"http://127.0.0.1:{self.port}{path}"

    def only_callback(self):
        assert len(self.callbacks) == 1, f"expected one callback, got {len(self.callbacks)}"
        callback = self.callbacks[0]
        assert callback.verified, callback.verify_error
        return callback

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def b64_json(obj):
    """How the official SDK examples encode callback parameters: base64(json.dumps(obj))."""
    return base64.b64encode(json.dumps(obj).encode()).decode()


def dead_url():
    """A loopback URL nobody listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/callback"

"""A real browser uploads through examples_c/upload_page_server.c (issue 13, item 5).

The emulator runs with a bucket whose CORS rules admit the application servers' origins; two
application servers (C, ossffi, under ASan/UBSan), one signing with V4 and one with V1, serve the
page; headless Chromium, driven by upload.mjs through playwright-core, picks a file and submits
the page's signed form to the bucket (PostObject), and picks another and sends it with a
presigned PUT from the page's fetch; a third server's page, of an origin the rules do not name,
cannot PUT. The tests check what the browser ended on (the callback's reply), the stored bytes
(read back with the official Python SDK) and what the application server verified, and keep a
screenshot of each finished page in target/test-output/browser/ (or $OSSFFI_TEST_OUTPUT/browser/).

Run through emulator/tests/python/run.sh with OSSFFI_EMULATOR_BIN and OSSFFI_LIBRARY set, as
`make test` does. One Chromium start serves every test here.
"""

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import urllib.request

import alibabacloud_oss_v2 as oss
import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "emulator", "tests", "python"))

from support import ACCESS_KEY_ID, ACCESS_KEY_SECRET, REGION, make_client, start_emulator, stop_emulator  # noqa: E402

BUCKET = "browser-uploads"
USER = "browser-test-user"
CHROMIUM = os.environ.get("OSSFFI_CHROMIUM", "/usr/bin/chromium")
STEP_TIMEOUT = 120


def output_dir():
    base = os.environ.get("OSSFFI_TEST_OUTPUT") or os.path.join(REPO, "target", "test-output")
    path = os.path.join(base, "browser")
    os.makedirs(path, exist_ok=True)
    return path


def install_driver():
    """npm ci when node_modules does not hold what package-lock.json pins."""
    installed = os.path.join(HERE, "node_modules", ".package-lock.json")
    with open(os.path.join(HERE, "package-lock.json"), "rb") as f:
        wanted = hashlib.sha256(f.read()).hexdigest()
    stamp = os.path.join(HERE, "node_modules", ".ossffi-lock.sha256")
    if os.path.exists(installed) and os.path.exists(stamp) and open(stamp).read() == wanted:
        return
    subprocess.run(
        ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=HERE, check=True, timeout=STEP_TIMEOUT,
        # playwright-core downloads nothing; Debian's Chromium is the browser.
        env={**os.environ, "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD": "1"},
    )
    with open(stamp, "w") as f:
        f.write(wanted)


def compile_app_server(workdir):
    """upload_page_server.c linked with the debug libossffi.a, under ASan and UBSan."""
    library = os.environ.get("OSSFFI_LIBRARY")
    if not library:
        pytest.fail("OSSFFI_LIBRARY is not set: give the debug libossffi.so path, as `make test` does")
    archive = os.path.join(os.path.dirname(library), "libossffi.a")
    exe = os.path.join(workdir, "upload_page_server")
    subprocess.run(
        ["cc", "-std=c99", "-Wall", "-Wextra", "-pedantic", "-Werror", "-g", "-pthread",
         "-fsanitize=address,undefined", "-fno-sanitize-recover=all", "-fno-omit-frame-pointer",
         "-I", os.path.join(REPO, "include"), os.path.join(REPO, "examples_c", "upload_page_server.c"),
         archive, "-lpthread", "-ldl", "-lm", "-o", exe],
        check=True, timeout=STEP_TIMEOUT,
    )
    return exe


class AppServer:
    """The running application server; its stdout lines are collected as they come."""

    def __init__(self, exe, emulator, signature):
        self.process = subprocess.Popen(
            [exe, "--endpoint", emulator.endpoint, "--bucket", BUCKET, "--region", REGION, "--signature", signature,
             "--access-key-id", ACCESS_KEY_ID, "--access-key-secret", ACCESS_KEY_SECRET,
             "--user", USER, "--allow-key-url-prefix", emulator.public_key_url],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "ASAN_OPTIONS": "detect_leaks=1:abort_on_error=0"},
        )
        self.address = self.process.stdout.readline().strip()
        if not self.address:
            self.process.kill()
            pytest.fail(f"upload_page_server printed no address: {self.process.stderr.read()}")
        self.url = f"http://{self.address}/"
        self.lines = []
        self.stderr = ""
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self):
        for line in iter(self.process.stdout.readline, ""):
            self.lines.append(line.rstrip("\n"))

    def verified(self):
        with urllib.request.urlopen(self.url + "verified", timeout=10) as reply:
            return json.load(reply)

    def stop(self):
        """Stops it with SIGTERM and returns its exit status."""
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._reader.join(timeout=5)
        self.stderr = self.process.stderr.read()
        return self.process.returncode


class Upload:
    """One upload the browser makes: a step of the driver's plan and what the tests expect of it."""

    def __init__(self, name, kind, app, file_name, content_type, data):
        self.name = name
        self.kind = kind
        # Which application server's page: "v4" or "v1" (its signature), or "stranger", a V4
        # server whose origin the bucket's CORS rules do not name.
        self.app = app
        self.file_name = file_name
        self.key = "uploads/" + file_name
        self.content_type = content_type
        self.data = data


def _pattern(seed, size):
    # Every byte value, so a text codec on the way would mangle it and fail the comparison.
    return bytes((i * seed + seed) % 256 for i in range(size))


UPLOADS = [
    Upload("form-v4", "form", "v4", "form-v4.txt", "text/plain", _pattern(3, 150_003)),
    Upload("form-v1", "form", "v1", "form-v1.png", "image/png", _pattern(5, 2_048)),
    Upload("put-v4", "put", "v4", "pixels.png", "image/png", _pattern(7, 70_001)),
    Upload("put-v1", "put", "v1", "notes-v1.txt", "text/plain", _pattern(13, 4_099)),
]
# A page of another origin: the bucket's CORS rules turn its preflight away, so the browser never
# sends the PUT.
BLOCKED = Upload("put-blocked", "put", "stranger", "blocked.bin", "application/octet-stream", _pattern(11, 999))


def run_driver(plan_path):
    """Runs upload.mjs in a process group of its own, so a timeout also ends its Chromium."""
    process = subprocess.Popen(
        ["node", os.path.join(HERE, "upload.mjs"), plan_path],
        cwd=HERE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )
    try:
        stdout, stderr = process.communicate(timeout=STEP_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        stdout, stderr = process.communicate()
        pytest.fail(f"the browser driver did not finish within {STEP_TIMEOUT} s:\n{stderr}")
    if process.returncode != 0:
        pytest.fail(f"the browser driver failed ({process.returncode}):\n{stderr}")
    return json.loads(stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def run():
    """Everything the tests look at, after one browser session; every process is gone after it."""
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium (scripts/ensure-tools.sh)")
    install_driver()
    out = output_dir()
    for upload in UPLOADS + [BLOCKED]:
        if os.path.exists(os.path.join(out, upload.name + ".png")):
            os.remove(os.path.join(out, upload.name + ".png"))
    workdir = tempfile.mkdtemp(prefix="ossffi-browser-")
    emulator = start_emulator()
    apps = {}
    try:
        client = make_client(emulator)
        client.put_bucket(oss.PutBucketRequest(bucket=BUCKET))
        exe = compile_app_server(workdir)
        for signature in ("v4", "v1"):
            apps[signature] = AppServer(exe, emulator, signature)
        client.put_bucket_cors(oss.PutBucketCorsRequest(
            bucket=BUCKET,
            cors_configuration=oss.CORSConfiguration(cors_rules=[oss.CORSRule(
                allowed_origins=[app.url.rstrip("/") for app in apps.values()],
                allowed_methods=["PUT", "POST"], allowed_headers=["*"],
                expose_headers=["ETag", "x-oss-request-id"], max_age_seconds=60)])))
        apps["stranger"] = AppServer(exe, emulator, "v4")
        steps = []
        for upload in UPLOADS + [BLOCKED]:
            path = os.path.join(workdir, upload.file_name)
            with open(path, "wb") as f:
                f.write(upload.data)
            steps.append({"name": upload.name, "kind": upload.kind, "page": apps[upload.app].url, "file": path})
        plan = os.path.join(workdir, "plan.json")
        with open(plan, "w") as f:
            json.dump({"out": out, "chromium": CHROMIUM, "steps": steps}, f)
        driven = run_driver(plan)
        stored = {}
        for upload in UPLOADS:
            got = client.get_object(oss.GetObjectRequest(bucket=BUCKET, key=upload.key))
            stored[upload.name] = (got.body.read(), got.content_type)
        blocked_stored = client.is_object_exist(BUCKET, BLOCKED.key)
        yield {
            "blocked_stored": blocked_stored,
            "stranger_url": apps["stranger"].url,
            "driven": driven,
            "verified": {name: app.verified() for name, app in apps.items()},
            "lines": {name: app.lines for name, app in apps.items()},
            "stored": stored,
            "out": out,
            "endpoint": emulator.endpoint,
            "bucket_url": f"{emulator.endpoint}/{BUCKET}/",
        }
    finally:
        failures = []
        for app in apps.values():
            status = app.stop()
            # Checked here so that a crash or a sanitizer report fails the run even when every
            # assertion passed.
            if status != 0:
                failures.append(f"upload_page_server exited with {status}:\n{app.stderr}")
        stop_emulator(emulator)
        shutil.rmtree(workdir, ignore_errors=True)
        if failures:
            pytest.fail("\n".join(failures))


def expected_record(upload):
    return {
        "bucket": BUCKET,
        "object": upload.key,
        "size": str(len(upload.data)),
        "mimeType": upload.content_type,
        "user": USER,
    }


@pytest.mark.parametrize("upload", UPLOADS, ids=lambda u: u.name)
def test_the_browser_ends_on_the_callback_reply(run, upload):
    ended = run["driven"][upload.name]
    if upload.kind == "put":
        assert ended["status"] == "200", ended
    else:
        assert ended["url"] == run["bucket_url"]
    assert json.loads(ended["text"]) == {"Status": "OK", "Uploaded": expected_record(upload)}


@pytest.mark.parametrize("upload", UPLOADS, ids=lambda u: u.name)
def test_the_object_holds_the_file_bytes(run, upload):
    data, content_type = run["stored"][upload.name]
    assert data == upload.data
    assert content_type == upload.content_type


@pytest.mark.parametrize("upload", UPLOADS, ids=lambda u: u.name)
def test_the_application_server_verified_exactly_one_signed_callback(run, upload):
    verified = run["verified"][upload.app]
    assert verified["refused"] == 0
    assert [v for v in verified["verified"] if v["object"] == upload.key] == [expected_record(upload)]
    printed = [line for line in run["lines"][upload.app] if line.startswith("verified ")]
    assert [json.loads(line[len("verified "):]) for line in printed if upload.key in line] == [expected_record(upload)]


def test_a_page_of_an_origin_no_cors_rule_admits_cannot_put(run):
    ended = run["driven"][BLOCKED.name]
    assert ended["status"] == "error"
    assert ended["text"] == "The upload failed: TypeError: Failed to fetch"
    assert run["blocked_stored"] is False
    assert run["verified"]["stranger"] == {"verified": [], "refused": 0}


def test_nothing_failed_but_the_icon_and_the_refused_preflight(run):
    blocked_url = run["bucket_url"] + "uploads%2Fblocked.bin?"
    failed = run["driven"]["failedResponses"]
    assert len(failed) == 1 and failed[0]["status"] == 0 and failed[0]["url"].startswith(blocked_url), failed
    errors = [m for m in run["driven"]["console"] if m["type"] == "error"]
    # After the form's navigation Chromium asks the bucket's origin for /favicon.ico, which names
    # no valid bucket: the emulator answers 400 InvalidBucketName, as it should.
    icons = [m for m in errors if m["url"] == run["endpoint"] + "/favicon.ico"]
    assert 1 <= len(icons) <= len([u for u in UPLOADS if u.kind == "form"])
    rest = [m for m in errors if m not in icons]
    assert len(rest) == 2, rest
    assert rest[0]["url"] == run["stranger_url"]
    assert "has been blocked by CORS policy: Response to preflight request" in rest[0]["text"]
    assert rest[1]["url"].startswith(blocked_url) and rest[1]["text"] == "Failed to load resource: net::ERR_FAILED"


@pytest.mark.parametrize("upload", UPLOADS + [BLOCKED], ids=lambda u: u.name)
def test_a_screenshot_of_the_finished_page_is_kept(run, upload):
    path = os.path.join(run["out"], upload.name + ".png")
    with open(path, "rb") as f:
        assert f.read(8) == b"\x89PNG\r\n\x1a\n"
    assert os.path.getsize(path) > 1000

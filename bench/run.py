#!/usr/bin/env python3
"""`make bench`: ossffi against curl, Alibaba's official Python SDK and a raw-socket floor, all
uploading to `ossffi-emulator --sink` on loopback in the same run: (a), (c) and (d) to one that
computes every body's MD5 for its ETag as OSS does, (b) to a second one started with
`--sink-skip-md5` (no MD5; the ETag is a marked stand-in, CRC-64 stays real) so that the
server's single MD5 stream (~0.5 GB/s) does not set the 1 GiB upload's rate. One (b) row,
"raw-floor (MD5 sink)", still uploads to the MD5 sink to show that ceiling. (f) goes to the same
no-MD5 sink, for the same reason. (e) downloads from a third emulator that stores objects in
memory (no --sink), holding the 1 GiB object.

Workloads (issue 7):
  (a) 2000 sequential PutObject of 4 KiB from memory, one client (one connection);
      plus client instructions per request under callgrind
  (b) one 1 GiB PutObject from a file, CRC-64 on and off
  (c) 4 threads sharing one client, 4 x 2000 x 4 KiB (curl and the floor: 4 connections)
  (d) 500 PutObject with a form-body upload callback to examples_c/callback_server.c
  (e) one GetObject of the 1 GiB object to a file, CRC-64 checked (curl checks nothing); the
      same to /dev/null for ossffi and curl, to show the client without the file system
  (f) (issue 12) the 1 GiB file as a multipart upload in 8 MiB parts, 4 at a time, CRC-64 on:
      ossffi's ResumableUploadObject (4 threads) against the SDK's Uploader (parallel_num 4),
      and ossffi's single-stream PutObject of (b) on the same file
  (g) (issue 14) 10,000 PutObject of 4 KiB submitted at once to ossffi's async pool of 4
      threads (ossffi_client_submit_put_object, a queue that holds them all): uploads/s, peak
      threads (sampled from /proc/self/status by the waiting main thread), peak RSS and how
      long the submitting took; next to it, interleaved, (c)'s synchronous ossffi client (4
      threads sharing one client) as the rate to match

Every repetition runs every workload and every client in turn (A B C A B C ...), so a slow
spell of this shared machine hits all clients alike; the tables give the median and min-max
over the repetitions. Only same-run ratios mean anything.

How each number is taken:
  * our programs (bench/ossffi_put.c, bench/ossffi_get.c, bench/ossffi_resumable.c,
    bench/raw_put.c, bench/sdk_put.py, bench/sdk_get.py, bench/sdk_resumable.py) time only their
    transfers and report wall and CPU seconds (getrusage / process_time: all threads);
  * curl's wall time and CPU are the whole process's (start-up included, a few milliseconds),
    taken by bench/measure.c with wait4;
  * peak RSS is the whole process's ru_maxrss from wait4 in bench/measure.c (not from this
    runner: Linux would add the runner's own memory to any child it forks);
  * server CPU is the utime+stime, from /proc around each run, of the emulator that run talks to.

Run with system python3 (stdlib only); the SDK parts run in the repository's .venv, created here
from emulator/tests/python/requirements.txt exactly as emulator/tests/python/run.sh does.
Environment: BENCH_REPS (default 5), BENCH_BIG_MIB (default 1024), BENCH_SMALL_COUNT (default
2000) shrink a development run; the published table uses the defaults. BENCH_ONLY, a comma list
of workloads (e.g. BENCH_ONLY=c,g), runs only those (and only their targets are checked);
callgrind runs with (a), the 1 GiB file is made for (b), (e) and (f). CARGO_TARGET_DIR, when
set, is where the release build is looked for (as cargo put it there).
"""

import hashlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WORK = REPO / "target" / "bench"  # binaries, the 1 GiB file, URL lists, callgrind output
RELEASE = Path(os.environ.get("CARGO_TARGET_DIR") or REPO / "target").resolve() / "release"
VENV = REPO / ".venv"
REQUIREMENTS = REPO / "emulator" / "tests" / "python" / "requirements.txt"
RESULTS = REPO / "bench" / "results.json"

REPS = int(os.environ.get("BENCH_REPS", "5"))
SMALL_COUNT = int(os.environ.get("BENCH_SMALL_COUNT", "2000"))
SMALL_SIZE = 4096
BIG_SIZE = int(os.environ.get("BENCH_BIG_MIB", "1024")) * 1024 * 1024
THREADS = 4
CALLBACK_COUNT = 500
CALLGRIND_COUNT = 200  # instructions per request = (run of 20 + N) - (run of 20), over N
CALLGRIND_BASE = 20
# The (b) row that uploads to the MD5-computing sink; every other (b) row uses the no-MD5 one.
MD5_SINK_ROW = "raw-floor (MD5 sink)"
# (e): the object the storing emulator holds, and where each client writes it (removed after
# every run, so that every client writes a new file of the same size).
GET_KEY = "e/file"  # ossffi_put file --prefix e
DOWNLOAD = WORK / "download.bin"
# (f): the multipart upload's part size and how many parts go at once (ossffi's thread_num, the
# SDK's parallel_num).
PART_SIZE = 8 * 1024 * 1024
PARTS_AT_ONCE = 4
# (g): uploads submitted at once, the async pool's size, and its row's name.
ASYNC_COUNT = 10_000
ASYNC_POOL = THREADS
ASYNC_ROW = f"ossffi async (pool {ASYNC_POOL})"
# (g)'s reference: (c)'s synchronous ossffi client, run again in (g)'s turn.
SYNC_ROW = f"ossffi sync {THREADS} threads (c)"
WORKLOADS = ["a", "b", "c", "d", "e", "f", "g"]
ONLY = [w.strip() for w in os.environ.get("BENCH_ONLY", ",".join(WORKLOADS)).split(",") if w.strip()]

ACCESS_KEY_ID = "LTAI5tBenchKey"
ACCESS_KEY_SECRET = "bench-secret-0123456789"
REGION = "cn-hangzhou"
BUCKET = "bench"

STATIC_LIBS = ["-lgcc_s", "-lutil", "-lrt", "-lpthread", "-lm", "-ldl", "-lc"]
MEASURE = str(WORK / "measure")  # bench/measure.c, built by build_programs()
CFLAGS = ["-std=c99", "-Wall", "-Wextra", "-O2", "-g", f"-I{REPO / 'include'}"]


def log(message):
    print(f"bench: {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------
# Setup: tools, the SDK's virtualenv, the C programs, the data


def ensure_tools():
    """cc, curl and valgrind; installed with apt-get when missing and running as root."""
    packages = {"cc": "gcc", "curl": "curl", "valgrind": "valgrind"}
    missing = [tool for tool in packages if shutil.which(tool) is None]
    try:
        import ensurepip  # noqa: F401 - only checking that venv can bootstrap pip
        import venv  # noqa: F401
    except ImportError:
        missing.append("python3-venv")
        packages["python3-venv"] = "python3-venv"
    if not missing:
        return
    wanted = sorted({packages[m] for m in missing})
    if os.geteuid() == 0 and shutil.which("apt-get"):
        log(f"installing {' '.join(wanted)} (the benchmark needs {' '.join(missing)})")
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", *wanted], check=True,
                       env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"}, stdout=subprocess.DEVNULL)
    else:
        sys.exit(f"bench: needs {' '.join(missing)}; install {' '.join(wanted)} (e.g. sudo apt-get install {' '.join(wanted)})")


def ensure_venv():
    """The official SDK at the version the tests pin, in .venv (shared with run.sh's stamp)."""
    python = VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    stamp = VENV / ".ossffi-requirements.sha256"
    wanted = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()
    if not stamp.exists() or stamp.read_text().strip() != wanted:
        log("installing the official Python SDK into .venv")
        subprocess.run([str(python), "-m", "pip", "install", "--disable-pip-version-check", "--quiet",
                        "-r", str(REQUIREMENTS)], check=True)
        stamp.write_text(wanted + "\n")
    return str(python)


def build_programs():
    """The C clients and the callback receiver, statically linked with the release libossffi.a."""
    archive = RELEASE / "libossffi.a"
    emulator = RELEASE / "ossffi-emulator"
    if not archive.exists() or not emulator.exists():
        sys.exit("bench: build the release library and emulator first: cargo build --release -p ossffi -p ossffi-emulator")
    WORK.mkdir(parents=True, exist_ok=True)
    programs = {
        "ossffi_put": [REPO / "bench" / "ossffi_put.c", archive, *STATIC_LIBS],
        "ossffi_get": [REPO / "bench" / "ossffi_get.c", archive, *STATIC_LIBS],
        "ossffi_resumable": [REPO / "bench" / "ossffi_resumable.c", archive, *STATIC_LIBS],
        "callback_server": [REPO / "examples_c" / "callback_server.c", archive, *STATIC_LIBS],
        "raw_put": [REPO / "bench" / "raw_put.c", "-lpthread"],  # no ossffi: the floor
        "measure": [REPO / "bench" / "measure.c"],
    }
    for name, inputs in programs.items():
        subprocess.run(["cc", *CFLAGS, *map(str, inputs), "-o", str(WORK / name)], check=True)
    return {name: str(WORK / name) for name in programs}


def pattern(size):
    """The body every client sends for the small PUTs (ossffi_put.c and raw_put.c make the same)."""
    return bytes((i * 131 + 7) & 0xFF for i in range(size))


def ensure_big_file():
    """target/bench/object-<N>MiB.bin of random bytes, made once and reused by later runs."""
    path = WORK / f"object-{BIG_SIZE // (1024 * 1024)}MiB.bin"
    if not path.exists() or path.stat().st_size != BIG_SIZE:
        log(f"writing {path} (once)")
        with open(path, "wb") as f:
            for _ in range(BIG_SIZE // (8 * 1024 * 1024)):
                f.write(os.urandom(8 * 1024 * 1024))
            f.write(os.urandom(BIG_SIZE % (8 * 1024 * 1024)))
    # Read it once so every client starts from the page cache, not the first one from disk.
    with open(path, "rb") as f:
        while f.read(8 * 1024 * 1024):
            pass
    return str(path)


# --------------------------------------------------------------------------------------------
# Servers: the emulator and the callback receiver, each printing its address on line 1


def start_server(argv, log_name, lines):
    """Starts a server whose stdout goes to a log file and returns (process, first `lines` lines).
    A file instead of a pipe: nobody has to drain it while the benchmark runs."""
    log_path = WORK / log_name
    out = open(log_path, "w")
    process = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        text = log_path.read_text()
        if text.count("\n") >= lines:
            return process, text.splitlines()[:lines]
        if process.poll() is not None:
            sys.exit(f"bench: {argv[0]} exited: {text}")
        time.sleep(0.02)
    process.kill()
    sys.exit(f"bench: {argv[0]} did not print its address")


def cpu_ticks(pid):
    """utime + stime of a process, in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# --------------------------------------------------------------------------------------------
# Running one client


def run_processes(argvs):
    """Runs processes at once, each under bench/measure.c; returns their stdouts, the wall time
    until the last one ended, their summed CPU seconds and their largest peak RSS (KiB). A
    failure stops the benchmark."""
    outputs = [tempfile.TemporaryFile() for _ in argvs]
    reports = [tempfile.NamedTemporaryFile(dir=WORK, suffix=".json", delete=False) for _ in argvs]
    start = time.perf_counter()
    processes = [subprocess.Popen([MEASURE, report.name, *argv], stdout=out)
                 for argv, out, report in zip(argvs, outputs, reports)]
    for process, argv in zip(processes, argvs):
        if process.wait() != 0:
            sys.exit(f"bench: {' '.join(argv[:2])} ... failed with status {process.returncode}")
    wall = time.perf_counter() - start
    cpu, rss, texts = 0.0, 0, []
    for out, report in zip(outputs, reports):
        measured = json.loads(Path(report.name).read_text())
        os.unlink(report.name)
        cpu += measured["cpu_seconds"]
        rss = max(rss, measured["peak_rss_kib"])
        out.seek(0)
        texts.append(out.read().decode())
        out.close()
    return texts, wall, cpu, rss


def run_json_client(argv):
    """A program that prints {"ops","bytes","seconds","cpu_seconds"} for its timed part (and,
    for `ossffi_put async`, "submit_seconds", "pool_threads" and "peak_threads")."""
    (text,), _, _, rss = run_processes([argv])
    report = json.loads(text.strip().splitlines()[-1])
    sample = {"ops": report["ops"], "bytes": report["bytes"], "seconds": report["seconds"],
              "cpu_seconds": report["cpu_seconds"], "peak_rss_kib": rss}
    sample.update({k: report[k] for k in ("submit_seconds", "pool_threads", "peak_threads") if k in report})
    return sample


def run_curl(configs, ops, bytes_):
    """curl processes (one per config file) that print one status code per transfer."""
    texts, wall, cpu, rss = run_processes([["curl", "--config", c] for c in configs])
    codes = " ".join(texts).split()
    if len(codes) != ops or any(code != "200" for code in codes):
        bad = [c for c in codes if c != "200"][:5]
        sys.exit(f"bench: curl: {len(codes)} answers for {ops} requests, not all 200: {bad}")
    return {"ops": ops, "bytes": bytes_, "seconds": wall, "cpu_seconds": cpu, "peak_rss_kib": rss}


def curl_config(path, urls, body, headers=()):
    """A curl config file: one transfer per URL, all over the connection curl keeps open.
    `Expect:` is removed because curl 7.x waits for 100-continue on every upload over 1 KiB,
    which no other client here does; everything else is curl as it comes."""
    with open(path, "w") as f:
        f.write("silent\nshow-error\n")
        for i, url in enumerate(urls):
            if i:
                f.write("next\n")
            f.write(f'url = "{url}"\nupload-file = "{body}"\noutput = "/dev/null"\n')
            f.write('write-out = "%{http_code}\\n"\nheader = "Expect:"\n')
            for header in headers:
                f.write(f'header = "{header}"\n')
    return str(path)


# --------------------------------------------------------------------------------------------
# Callgrind: client instructions per request


def callgrind_instructions(argv_for_count, label):
    """Instructions of the client per request: a run of BASE+N requests minus a run of BASE,
    divided by N, so start-up, connection set-up and exit cancel out."""
    totals = {}
    for count in (CALLGRIND_BASE, CALLGRIND_BASE + CALLGRIND_COUNT):
        out = WORK / f"callgrind.{label}.{count}.out"
        subprocess.run(["valgrind", "--tool=callgrind", "--dump-instr=no", f"--callgrind-out-file={out}",
                        *argv_for_count(count)], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        match = re.search(r"^(?:summary|totals):\s*(\d+)", out.read_text(), re.MULTILINE)
        totals[count] = int(match.group(1))
    return (totals[CALLGRIND_BASE + CALLGRIND_COUNT] - totals[CALLGRIND_BASE]) / CALLGRIND_COUNT


# --------------------------------------------------------------------------------------------
# The run


def machine(python):
    cpu_model = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu_model = line.split(":", 1)[1].strip()
            break
    mem_kib = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
    curl_version = " ".join(subprocess.run(["curl", "--version"], capture_output=True, text=True).stdout.split()[:2])
    return {"nproc": os.cpu_count(), "cpu_model": cpu_model, "memory_gib": round(mem_kib / 1024 / 1024, 1),
            "kernel": platform.release(), "curl": curl_version,
            "python_sdk": "alibabacloud-oss-v2 " + subprocess.run(
                [python, "-c", "import importlib.metadata as m; print(m.version('alibabacloud-oss-v2'))"],
                capture_output=True, text=True).stdout.strip()}


def presign(python, common, fast_common, store_common, callback_url):
    """Presigned URLs for curl and the raw floor (the same V4 signatures, made once per run):
    (b) for the no-MD5 sink (`fast_common`), "b-md5" and the rest for the MD5 sink (`common`),
    "e" (GetObject) for the storing emulator (`store_common`).
    Returns {set name: [url, ...]} and the headers the callback URLs must be sent with."""
    urls_dir = WORK / "urls"
    shutil.rmtree(urls_dir, ignore_errors=True)
    log("presigning URLs for curl and the raw floor with the official SDK")
    script = str(REPO / "bench" / "presign.py")
    subprocess.run([python, script, *common, "--out-dir", str(urls_dir),
                    "--set", f"a:url/a:{SMALL_COUNT}", "--set", "b-md5:url/b-md5:1",
                    *[arg for t in range(THREADS) for arg in ("--set", f"c{t}:url/c{t}:{SMALL_COUNT}")],
                    "--callback-url", callback_url, "--callback-set", f"d:url/d:{CALLBACK_COUNT}"],
                   check=True)
    subprocess.run([python, script, *fast_common, "--out-dir", str(urls_dir), "--set", "b:url/b:1"], check=True)
    subprocess.run([python, script, *store_common, "--out-dir", str(urls_dir), "--get", f"e:{GET_KEY}"], check=True)
    names = ["a", "b", "b-md5", "d", "e", *[f"c{t}" for t in range(THREADS)]]
    urls = {name: (urls_dir / f"{name}.urls").read_text().split() for name in names}
    return urls, (urls_dir / "d.headers").read_text().splitlines()


def curl_get_config(path, url, output):
    """A curl config file for one download of `url` into `output`, curl as it comes."""
    with open(path, "w") as f:
        f.write("silent\nshow-error\n")
        f.write(f'url = "{url}"\noutput = "{output}"\nwrite-out = "%{{http_code}}\\n"\n')
    return str(path)


def downloaded(run, output):
    """Runs a download into `output` and checks that the whole object arrived. A file is removed
    before and after, so every client creates it anew; /dev/null is left alone."""
    def once():
        if output != "/dev/null":
            DOWNLOAD.unlink(missing_ok=True)
        sample = run()
        if output != "/dev/null":
            size = DOWNLOAD.stat().st_size if DOWNLOAD.exists() else -1
            DOWNLOAD.unlink(missing_ok=True)
            if size != BIG_SIZE:
                sys.exit(f"bench: (e) wrote {size} bytes to {output}, not {BIG_SIZE}")
        sample["bytes"] = BIG_SIZE
        return sample
    return once


def build_plan(programs, python, address, common, fast_address, fast_common, store_common, callback_url, big_file,
               small_body, urls, callback_headers):
    """Workload -> client -> a function that runs it once. The order of the clients within a
    workload is the interleaving order. (b) and (f) upload to the no-MD5 sink at `fast_address`
    (`fast_common`), except (b)'s "raw-floor (MD5 sink)" row; (e) downloads from the storing
    emulator (`store_common`); everything else goes to `address`."""
    urls_dir = WORK / "urls"
    curl_a = curl_config(urls_dir / "a.curl", urls["a"], small_body)
    curl_b = curl_config(urls_dir / "b.curl", urls["b"], big_file)
    curl_c = [curl_config(urls_dir / f"c{t}.curl", urls[f"c{t}"], small_body) for t in range(THREADS)]
    curl_d = curl_config(urls_dir / "d.curl", urls["d"], small_body, callback_headers)
    ossffi, sdk, raw = programs["ossffi_put"], [python, str(REPO / "bench" / "sdk_put.py")], programs["raw_put"]
    raw_args = ["--addr", address, "--size", str(SMALL_SIZE)]
    small = ["--count", str(SMALL_COUNT), "--size", str(SMALL_SIZE)]
    threads = ["--threads", str(THREADS)]
    callback = ["--count", str(CALLBACK_COUNT), "--callback-url", callback_url]
    c_targets = ",".join(str(urls_dir / f"c{t}.urls") for t in range(THREADS))
    header_args = [arg for h in callback_headers for arg in ("--header", h)]
    ossffi_get, sdk_get = programs["ossffi_get"], [python, str(REPO / "bench" / "sdk_get.py")]
    file, null = str(DOWNLOAD), "/dev/null"
    curl_e = {out: curl_get_config(urls_dir / f"e-{name}.curl", urls["e"][0], out)
              for name, out in (("file", file), ("null", null))}
    get_args = ["--key", GET_KEY, *store_common]
    parts = ["--part-size", str(PART_SIZE), "--path", big_file, *fast_common]
    ossffi_resumable, sdk_resumable = programs["ossffi_resumable"], [python, str(REPO / "bench" / "sdk_resumable.py")]
    return {
        "a": {
            "ossffi": lambda: run_json_client([ossffi, "seq", *small, *common, "--prefix", "ossffi-a"]),
            # Not a peer: the same with V1 signing (one HMAC-SHA1), to show what V4 signing costs.
            "ossffi V1-signed": lambda: run_json_client([ossffi, "seq", *small, *common, "--prefix", "ossffi-a1",
                                                         "--signature-version", "1"]),
            "curl": lambda: run_curl([curl_a], SMALL_COUNT, SMALL_COUNT * SMALL_SIZE),
            "python-sdk": lambda: run_json_client([*sdk, "seq", *small, *common, "--prefix", "sdk-a"]),
            "raw-floor": lambda: run_json_client([raw, "seq", *raw_args, "--targets", str(urls_dir / "a.urls")]),
        },
        "b": {
            "ossffi crc64": lambda: run_json_client([ossffi, "file", "--path", big_file, "--crc", "1", *fast_common]),
            "ossffi no-crc": lambda: run_json_client([ossffi, "file", "--path", big_file, "--crc", "0", *fast_common]),
            "curl": lambda: run_curl([curl_b], 1, BIG_SIZE),
            "python-sdk crc64": lambda: run_json_client([*sdk, "file", "--path", big_file, "--crc", "1",
                                                         *fast_common]),
            "python-sdk no-crc": lambda: run_json_client([*sdk, "file", "--path", big_file, "--crc", "0",
                                                          *fast_common]),
            "raw-floor": lambda: run_json_client([raw, "file", "--addr", fast_address, "--targets",
                                                  str(urls_dir / "b.urls"), "--path", big_file]),
            # Not a peer: the floor against the emulator that computes MD5, to show that ceiling.
            MD5_SINK_ROW: lambda: run_json_client([raw, "file", "--addr", address, "--targets",
                                                   str(urls_dir / "b-md5.urls"), "--path", big_file]),
        },
        "c": {
            "ossffi": lambda: run_json_client([ossffi, "threads", *threads, *small, *common, "--prefix", "ossffi-c"]),
            "curl": lambda: run_curl(curl_c, THREADS * SMALL_COUNT, THREADS * SMALL_COUNT * SMALL_SIZE),
            "python-sdk": lambda: run_json_client([*sdk, "threads", *threads, *small, *common, "--prefix", "sdk-c"]),
            "raw-floor": lambda: run_json_client([raw, "threads", *raw_args, "--targets", c_targets]),
        },
        "d": {
            "ossffi": lambda: run_json_client([ossffi, "callback", *callback, *common, "--prefix", "ossffi-d"]),
            "curl": lambda: run_curl([curl_d], CALLBACK_COUNT, CALLBACK_COUNT * SMALL_SIZE),
            "python-sdk": lambda: run_json_client([*sdk, "callback", *callback, *common, "--prefix", "sdk-d"]),
            "raw-floor": lambda: run_json_client([raw, "seq", *raw_args, "--targets", str(urls_dir / "d.urls"),
                                                  *header_args]),
        },
        "e": {
            "ossffi crc64": downloaded(lambda: run_json_client([ossffi_get, *get_args, "--path", file]), file),
            "curl": downloaded(lambda: run_curl([curl_e[file]], 1, BIG_SIZE), file),
            "python-sdk crc64": downloaded(lambda: run_json_client([*sdk_get, *get_args, "--path", file]), file),
            # The same without the file system: what the client itself costs.
            "ossffi crc64 to /dev/null": downloaded(
                lambda: run_json_client([ossffi_get, *get_args, "--path", null]), null),
            "curl to /dev/null": downloaded(lambda: run_curl([curl_e[null]], 1, BIG_SIZE), null),
        },
        "f": {
            "ossffi resumable": lambda: run_json_client([ossffi_resumable, *parts, "--threads", str(PARTS_AT_ONCE),
                                                         "--crc", "1"]),
            "python-sdk uploader": lambda: run_json_client([*sdk_resumable, *parts, "--parallel", str(PARTS_AT_ONCE),
                                                            "--crc", "1"]),
            # (b)'s ossffi crc64 row again, interleaved with the two above: one stream, no parts.
            "ossffi PutObject": lambda: run_json_client([ossffi, "file", "--path", big_file, "--crc", "1",
                                                         *fast_common, "--prefix", "ossffi-f1"]),
        },
        "g": {
            ASYNC_ROW: lambda: run_json_client([ossffi, "async", "--threads", str(ASYNC_POOL), "--count",
                                                str(ASYNC_COUNT), "--size", str(SMALL_SIZE), *common,
                                                "--prefix", "ossffi-g"]),
            # (c)'s ossffi row again, in (g)'s turn: the synchronous rate the pool should match.
            SYNC_ROW: lambda: run_json_client([ossffi, "threads", *threads, *small, *common, "--prefix", "ossffi-g1"]),
        },
    }


def instructions_per_request(programs, address, common, small_body, urls):
    """Callgrind's count of client instructions per 4 KiB PUT: ossffi, the raw floor and curl.
    (The Python SDK would take minutes under valgrind; its CPU time per request tells enough.)"""
    log(f"callgrind: client instructions per 4 KiB PUT over {CALLGRIND_COUNT} requests")
    urls_dir = WORK / "urls"

    def first_urls(n):
        path = urls_dir / f"callgrind-{n}.urls"
        path.write_text("\n".join(urls["a"][:n]) + "\n")
        return str(path)

    return {
        "ossffi": callgrind_instructions(
            lambda n: [programs["ossffi_put"], "seq", "--count", str(n), *common, "--prefix", "callgrind"], "ossffi"),
        "ossffi V1-signed": callgrind_instructions(
            lambda n: [programs["ossffi_put"], "seq", "--count", str(n), *common, "--prefix", "callgrind",
                       "--signature-version", "1"], "ossffi-v1"),
        "raw-floor": callgrind_instructions(
            lambda n: [programs["raw_put"], "seq", "--addr", address, "--size", str(SMALL_SIZE),
                       "--targets", first_urls(n)], "raw-floor"),
        "curl": callgrind_instructions(
            lambda n: ["curl", "--config", curl_config(urls_dir / f"callgrind-{n}.curl", urls["a"][:n], small_body)],
            "curl"),
    }


def main():
    started = time.monotonic()
    unknown = [w for w in ONLY if w not in WORKLOADS]
    if unknown or not ONLY:
        sys.exit(f"bench: BENCH_ONLY={os.environ.get('BENCH_ONLY')!r}: name workloads among {','.join(WORKLOADS)}")
    ensure_tools()
    python = ensure_venv()
    programs = build_programs()
    # Only (b), (e) and (f) read the big file; the others get its path, unused.
    big_file = ensure_big_file() if {"b", "e", "f"} & set(ONLY) else str(WORK / f"object-{BIG_SIZE // 2**20}MiB.bin")
    small_body = WORK / "body-4KiB.bin"
    small_body.write_bytes(pattern(SMALL_SIZE))
    load_before = os.getloadavg()

    servers = []
    try:
        emulator_argv = [str(RELEASE / "ossffi-emulator"), "--listen", "127.0.0.1:0", "--access-key-id",
                         ACCESS_KEY_ID, "--access-key-secret", ACCESS_KEY_SECRET, "--region", REGION,
                         "--bucket", BUCKET, "--sink"]
        emulator, (address_line, key_line) = start_server(emulator_argv, "emulator.log", 2)
        servers.append(emulator)
        address = re.search(r"\d+\.\d+\.\d+\.\d+:\d+", address_line).group(0)
        # (b)'s server: no MD5 (a marked stand-in ETag), CRC-64 and signatures as above.
        fast_emulator, (fast_line, _) = start_server([*emulator_argv, "--sink-skip-md5"],
                                                     "emulator-skip-md5.log", 2)
        servers.append(fast_emulator)
        fast_address = re.search(r"\d+\.\d+\.\d+\.\d+:\d+", fast_line).group(0)
        # (e)'s server stores objects (in memory) and serves a GET of one without copying it.
        store_emulator, (store_line, _) = start_server(emulator_argv[:-1], "emulator-store.log", 2)
        servers.append(store_emulator)
        store_address = re.search(r"\d+\.\d+\.\d+\.\d+:\d+", store_line).group(0)
        key_url = key_line.split("public key:", 1)[1].strip()
        # The receiver fetches the emulator's public key (once) and verifies every callback.
        receiver, (receiver_line,) = start_server(
            [programs["callback_server"], "--listen", "127.0.0.1:0", "--allow-key-url-prefix", key_url],
            "callback_server.log", 1)
        servers.append(receiver)
        callback_url = f"http://{re.search(r'[0-9.]+:[0-9]+', receiver_line).group(0)}/callback"
        common = ["--endpoint", f"http://{address}", "--bucket", BUCKET, "--access-key-id", ACCESS_KEY_ID,
                  "--access-key-secret", ACCESS_KEY_SECRET, "--region", REGION]
        fast_common = ["--endpoint", f"http://{fast_address}", *common[2:]]
        store_common = ["--endpoint", f"http://{store_address}", *common[2:]]
        if "e" in ONLY:
            log(f"uploading {big_file} to the storing emulator for (e)")
            run_json_client([programs["ossffi_put"], "file", "--path", big_file, *store_common, "--prefix",
                             GET_KEY.split("/")[0]])

        urls, callback_headers = presign(python, common, fast_common, store_common, callback_url)
        plan = build_plan(programs, python, address, common, fast_address, fast_common, store_common, callback_url,
                          big_file, small_body, urls, callback_headers)
        plan = {w: clients for w, clients in plan.items() if w in ONLY}
        instructions = instructions_per_request(programs, address, common, small_body, urls) if "a" in ONLY else {}

        samples = {w: {c: [] for c in clients} for w, clients in plan.items()}
        for rep in range(REPS):
            log(f"repetition {rep + 1}/{REPS} (load {os.getloadavg()[0]:.2f})")
            for workload, clients in plan.items():
                for client, run in clients.items():
                    server = {"b": fast_emulator if client != MD5_SINK_ROW else emulator,
                              "e": store_emulator, "f": fast_emulator}.get(workload, emulator)
                    server_cpu = cpu_ticks(server.pid)
                    sample = run()
                    sample["server_cpu_seconds"] = round(cpu_ticks(server.pid) - server_cpu, 3)
                    samples[workload][client].append(sample)
    finally:
        for process in reversed(servers):
            process.terminate()
            process.wait(timeout=10)

    results = {
        "machine": machine(python),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "repetitions": REPS,
        "only": ",".join(ONLY),
        "workloads": {"a": f"{SMALL_COUNT} sequential PutObject x {SMALL_SIZE} B from memory",
                      "b": f"one PutObject of {BIG_SIZE // 2**20} MiB from a file, to the sink without MD5",
                      "c": f"{THREADS} threads x {SMALL_COUNT} x {SMALL_SIZE} B",
                      "d": f"{CALLBACK_COUNT} PutObject x {SMALL_SIZE} B with a form-body upload callback",
                      "e": f"one GetObject of {BIG_SIZE // 2**20} MiB to a file, from the storing emulator",
                      "f": f"one upload of {BIG_SIZE // 2**20} MiB from a file in {PART_SIZE // 2**20} MiB parts, "
                           f"{PARTS_AT_ONCE} at a time, CRC-64 on, to the sink without MD5",
                      "g": f"{ASYNC_COUNT} PutObject x {SMALL_SIZE} B submitted at once to an async pool of "
                           f"{ASYNC_POOL} threads"},
        "callgrind_instructions_per_request": {k: round(v) for k, v in instructions.items()},
        "summary": summarize(samples),
        "samples": samples,
        "duration_seconds": round(time.monotonic() - started, 1),
    }
    results["targets"] = targets(results)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(markdown(results))
    log(f"done in {results['duration_seconds']} s; wrote {RESULTS.relative_to(REPO)}")


# --------------------------------------------------------------------------------------------
# Statistics and the report


def spread(values):
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def summarize(samples):
    summary = {}
    for workload, clients in samples.items():
        summary[workload] = {}
        for client, runs in clients.items():
            summary[workload][client] = {
                "ops_per_second": spread([r["ops"] / r["seconds"] for r in runs]),
                "mb_per_second": spread([r["bytes"] / r["seconds"] / 1e6 for r in runs]),
                "cpu_seconds": spread([r["cpu_seconds"] for r in runs]),
                "cpu_us_per_op": spread([r["cpu_seconds"] / r["ops"] * 1e6 for r in runs]),
                "server_cpu_seconds": spread([r["server_cpu_seconds"] for r in runs]),
                "server_cpu_us_per_op": spread([r["server_cpu_seconds"] / r["ops"] * 1e6 for r in runs]),
                "peak_rss_mib": spread([r["peak_rss_kib"] / 1024 for r in runs]),
            }
            if all("peak_threads" in r for r in runs):  # (g)'s async client
                summary[workload][client].update({
                    "peak_threads": spread([r["peak_threads"] for r in runs]),
                    "pool_threads": runs[0]["pool_threads"],
                    "submit_ms": spread([r["submit_seconds"] * 1e3 for r in runs]),
                })
    return summary


def targets(results):
    """The goals of the workloads that ran (BENCH_ONLY may leave some out)."""
    s, ins = results["summary"], results["callgrind_instructions_per_request"]

    def ratio(workload, client, peer, metric):
        return s[workload][client][metric]["median"] / s[workload][peer][metric]["median"]

    def most(workload, *clients, metric="peak_rss_mib"):
        return max(s[workload][c][metric]["max"] for c in clients)

    big = BIG_SIZE // 2**20
    # (workload, target, function giving the measured value, limit, comparison)
    checks = [
        ("a", "(a) ops/s >= 1.5x curl", lambda: ratio("a", "ossffi", "curl", "ops_per_second"), 1.5, ">="),
        ("a", "(a) ops/s >= 80% of the raw floor", lambda: ratio("a", "ossffi", "raw-floor", "ops_per_second"), 0.8,
         ">="),
        ("a", "(a) client instructions per 4 KiB PUT <= 100k", lambda: ins["ossffi"], 100_000, "<="),
        ("b", "(b) MB/s with CRC-64 >= 3x curl", lambda: ratio("b", "ossffi crc64", "curl", "mb_per_second"), 3.0,
         ">="),
        ("b", "(b) MB/s with CRC-64 >= 60% of the raw floor",
         lambda: ratio("b", "ossffi crc64", "raw-floor", "mb_per_second"), 0.6, ">="),
        ("b", f"(b) peak RSS of the {big} MiB upload <= 8 MiB", lambda: most("b", "ossffi crc64", "ossffi no-crc"),
         8.0, "<="),
        ("c", "(c) ops/s >= 1.5x curl", lambda: ratio("c", "ossffi", "curl", "ops_per_second"), 1.5, ">="),
        ("e", "(e) MB/s with CRC-64 to a file >= curl", lambda: ratio("e", "ossffi crc64", "curl", "mb_per_second"),
         1.0, ">="),
        ("e", f"(e) peak RSS of the {big} MiB download <= 8 MiB",
         lambda: most("e", "ossffi crc64", "ossffi crc64 to /dev/null"), 8.0, "<="),
        ("f", "(f) MB/s of the resumable upload >= 2x the Python SDK's Uploader",
         lambda: ratio("f", "ossffi resumable", "python-sdk uploader", "mb_per_second"), 2.0, ">="),
        ("f", f"(f) peak RSS of the {big} MiB resumable upload with {PARTS_AT_ONCE} threads <= 16 MiB",
         lambda: most("f", "ossffi resumable"), 16.0, "<="),
        ("g", f"(g) peak threads of the async uploads <= pool + 2 ({ASYNC_POOL + 2})",
         lambda: most("g", ASYNC_ROW, metric="peak_threads"), ASYNC_POOL + 2, "<="),
        ("g", f"(g) uploads/s async >= the {THREADS}-thread synchronous client's (c)",
         lambda: ratio("g", ASYNC_ROW, SYNC_ROW, "ops_per_second"), 1.0, ">="),
    ]
    measured = [(name, value(), limit, op) for workload, name, value, limit, op in checks if workload in s]
    return [{"target": name, "measured": round(value, 3), "limit": limit,
             "met": value >= limit if op == ">=" else value <= limit} for name, value, limit, op in measured]


def fmt(stat, digits=0):
    f = f"{{:,.{digits}f}}"
    return f"{f.format(stat['median'])} ({f.format(stat['min'])}–{f.format(stat['max'])})"


def markdown(results):
    s, m = results["summary"], results["machine"]
    ins = results["callgrind_instructions_per_request"]
    lines = [f"Machine: {m['nproc']} cores, {m['cpu_model']}, {m['memory_gib']} GiB RAM, Linux {m['kernel']}; "
             f"{m['curl']}, {m['python_sdk']}. {results['repetitions']} repetitions, interleaved; median (min–max). "
             f"Load average before/after: {results['load_average_before'][0]} / {results['load_average_after'][0]}."
             + (f" Workloads run (BENCH_ONLY): {results['only']}." if results["only"] != ",".join(WORKLOADS) else ""),
             ""]

    def section(title, workload, columns, ratio_metric, peers):
        if workload not in s:  # left out by BENCH_ONLY
            return
        lines.extend([f"**{title}**", "", "| client | " + " | ".join(c[0] for c in columns) +
                      "".join(f" | vs {p}" for p in peers) + " |",
                      "|---" * (1 + len(columns) + len(peers)) + "|"])
        for client, stats in s[workload].items():
            cells = [c[1](client, stats) for c in columns]
            for peer in peers:
                # A row to /dev/null is compared with the peer's row to /dev/null.
                if client.endswith(" to /dev/null") and f"{peer} to /dev/null" in s[workload]:
                    peer = f"{peer} to /dev/null"
                base = s[workload][peer][ratio_metric]["median"]
                cells.append(f"{stats[ratio_metric]['median'] / base:.2f}x")
            lines.append(f"| {client} | " + " | ".join(cells) + " |")
        lines.append("")

    section(f"(a) {results['workloads']['a']}, one connection", "a", [
        ("ops/s", lambda c, st: fmt(st["ops_per_second"])),
        ("client CPU µs/op", lambda c, st: fmt(st["cpu_us_per_op"], 1)),
        ("server CPU µs/op", lambda c, st: fmt(st["server_cpu_us_per_op"], 1)),
        ("client instructions/op (callgrind)", lambda c, st: f"{ins[c]:,.0f}" if c in ins else "–"),
    ], "ops_per_second", ["curl"])
    section(f"(b) {results['workloads']['b']}", "b", [
        ("MB/s", lambda c, st: fmt(st["mb_per_second"])),
        ("client CPU s", lambda c, st: fmt(st["cpu_seconds"], 2)),
        ("peak RSS MiB", lambda c, st: fmt(st["peak_rss_mib"], 1)),
        ("server CPU s", lambda c, st: fmt(st["server_cpu_seconds"], 2)),
    ], "mb_per_second", ["curl", "raw-floor"])
    section(f"(c) {results['workloads']['c']}, one shared ossffi/SDK client; curl: 4 processes; floor: 4 threads", "c", [
        ("ops/s", lambda c, st: fmt(st["ops_per_second"])),
        ("client CPU µs/op", lambda c, st: fmt(st["cpu_us_per_op"], 1)),
        ("server CPU µs/op", lambda c, st: fmt(st["server_cpu_us_per_op"], 1)),
    ], "ops_per_second", ["curl"])
    section(f"(d) {results['workloads']['d']}", "d", [
        ("uploads/s", lambda c, st: fmt(st["ops_per_second"])),
        ("client CPU µs/op", lambda c, st: fmt(st["cpu_us_per_op"], 1)),
    ], "ops_per_second", ["curl"])
    section(f"(e) {results['workloads']['e']}", "e", [
        ("MB/s", lambda c, st: fmt(st["mb_per_second"])),
        ("client CPU s", lambda c, st: fmt(st["cpu_seconds"], 2)),
        ("peak RSS MiB", lambda c, st: fmt(st["peak_rss_mib"], 1)),
        ("server CPU s", lambda c, st: fmt(st["server_cpu_seconds"], 2)),
    ], "mb_per_second", ["curl"])
    section(f"(f) {results['workloads']['f']}: ossffi ResumableUploadObject with {PARTS_AT_ONCE} threads, "
            f"the SDK's Uploader with parallel_num {PARTS_AT_ONCE}, ossffi PutObject as one stream", "f", [
        ("MB/s", lambda c, st: fmt(st["mb_per_second"])),
        ("client CPU s", lambda c, st: fmt(st["cpu_seconds"], 2)),
        ("peak RSS MiB", lambda c, st: fmt(st["peak_rss_mib"], 1)),
        ("server CPU s", lambda c, st: fmt(st["server_cpu_seconds"], 2)),
    ], "mb_per_second", ["python-sdk uploader", "ossffi PutObject"])
    section(f"(g) {results['workloads']['g']}, and (c)'s synchronous ossffi client ({THREADS} threads x "
            f"{SMALL_COUNT} x {SMALL_SIZE} B) in the same turn", "g", [
        ("uploads/s", lambda c, st: fmt(st["ops_per_second"])),
        ("client CPU µs/op", lambda c, st: fmt(st["cpu_us_per_op"], 1)),
        ("peak threads", lambda c, st: fmt(st["peak_threads"]) if "peak_threads" in st else "–"),
        ("peak RSS MiB", lambda c, st: fmt(st["peak_rss_mib"], 1)),
        ("submitting ms", lambda c, st: fmt(st["submit_ms"], 1) if "submit_ms" in st else "–"),
        ("server CPU µs/op", lambda c, st: fmt(st["server_cpu_us_per_op"], 1)),
    ], "ops_per_second", [SYNC_ROW])

    lines.extend(["**Targets**", "", "| target | measured | met |", "|---|---|---|"])
    for t in results["targets"]:
        lines.append(f"| {t['target']} | {t['measured']:,} | {'yes' if t['met'] else 'NO'} |")
    lines.append("")
    lines.append(f"Whole run: {results['duration_seconds']} s.")
    return "\n".join(lines)


if __name__ == "__main__":
    main()

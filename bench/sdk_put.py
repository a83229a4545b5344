"""The official Python SDK (alibabacloud-oss-v2) side of `make bench`: the same workloads as
bench/ossffi_put.c, written the way the SDK's own examples upload, printing the same JSON line:
{"ops":N,"bytes":B,"seconds":WALL,"cpu_seconds":CPU}.

    sdk_put.py seq      --count N --size BYTES
    sdk_put.py file     --path FILE [--crc 0|1]
    sdk_put.py threads  --threads T --count N --size BYTES     (one client shared by T threads)
    sdk_put.py callback --count N --size BYTES --callback-url URL
    common: --endpoint URL --bucket B --access-key-id AK --access-key-secret SK [--region R] [--prefix P]

Only the uploads are timed; CPU is time.process_time() (every thread of the process), so the
interpreter's start-up and the SDK's import are left out, as ossffi_put leaves out its own.
"""

import argparse
import base64
import json
import sys
import threading
import time

import alibabacloud_oss_v2 as oss

# The same callback as bench/ossffi_put.c and bench/presign.py.
CALLBACK_BODY = "bucket=${bucket}&object=${object}&etag=${etag}&size=${size}&mimeType=${mimeType}&client=${x:client}"


def b64_json(value):
    return base64.b64encode(json.dumps(value).encode()).decode()


def make_client(args):
    cfg = oss.config.load_default()
    cfg.credentials_provider = oss.credentials.StaticCredentialsProvider(args.access_key_id, args.access_key_secret)
    cfg.region = args.region
    cfg.endpoint = args.endpoint  # an IP endpoint: the SDK addresses the bucket path-style
    cfg.retry_max_attempts = 1  # a failure must fail the run, not hide in a retry
    cfg.disable_upload_crc64_check = not args.crc
    return oss.Client(cfg)


def put(client, args, key, body, callback=None, callback_var=None):
    result = client.put_object(
        oss.PutObjectRequest(bucket=args.bucket, key=key, body=body, callback=callback, callback_var=callback_var)
    )
    if result.status_code != 200:
        raise RuntimeError(f"{key}: HTTP {result.status_code}")
    return result


def run_uploads(client, args, index, data, callback=None, callback_var=None):
    for i in range(args.count):
        result = put(client, args, f"{args.prefix}/{index}/{i:06d}", data, callback, callback_var)
        if callback is not None and not result.callback_result:
            raise RuntimeError(f"{args.prefix}/{index}/{i:06d}: no reply from the callback server")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["seq", "file", "threads", "callback"])
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--bucket", required=True)
    parser.add_argument("--access-key-id", required=True)
    parser.add_argument("--access-key-secret", required=True)
    parser.add_argument("--region", default="cn-hangzhou")
    parser.add_argument("--prefix", default="sdk")
    parser.add_argument("--count", type=int, default=1)
    parser.add_argument("--size", type=int, default=4096)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--path")
    parser.add_argument("--crc", type=int, default=1)
    parser.add_argument("--callback-url")
    args = parser.parse_args()

    client = make_client(args)
    data = bytes((i * 131 + 7) & 0xFF for i in range(args.size))
    callback = callback_var = None
    if args.mode == "callback":
        if not args.callback_url:
            parser.error("callback needs --callback-url")
        callback = b64_json({"callbackUrl": args.callback_url, "callbackBody": CALLBACK_BODY})
        callback_var = b64_json({"x:client": "python-sdk"})

    wall, cpu = time.perf_counter(), time.process_time()
    if args.mode == "file":
        if not args.path:
            parser.error("file needs --path")
        result = client.put_object_from_file(oss.PutObjectRequest(bucket=args.bucket, key=f"{args.prefix}/file"), args.path)
        if result.status_code != 200:
            sys.exit(f"sdk_put: HTTP {result.status_code}")
        ops = 1
        with open(args.path, "rb") as f:
            size = f.seek(0, 2)
    elif args.mode == "threads":
        failures = []

        def worker(index):
            try:
                run_uploads(client, args, index, data)
            except Exception as e:  # noqa: BLE001 - any failure must fail the whole run
                failures.append(e)

        workers = [threading.Thread(target=worker, args=(t,)) for t in range(args.threads)]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        if failures:
            sys.exit(f"sdk_put: {len(failures)} thread(s) failed, first: {failures[0]}")
        ops = args.threads * args.count
        size = ops * args.size
    else:
        run_uploads(client, args, 0, data, callback, callback_var)
        ops = args.count
        size = ops * args.size
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(json.dumps({"ops": ops, "bytes": size, "seconds": round(wall, 6), "cpu_seconds": round(cpu, 6)}))


if __name__ == "__main__":
    main()

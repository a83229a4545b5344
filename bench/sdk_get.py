"""The official Python SDK (alibabacloud-oss-v2) side of `make bench` (e): one GetObject written
to a file with `Client.get_object_to_file`, the SDK's own call for it, with its CRC-64 check on
(the SDK's default), printing {"ops":1,"bytes":B,"seconds":WALL,"cpu_seconds":CPU} like
bench/ossffi_get.c.

    sdk_get.py --key KEY --path OUT --endpoint URL --bucket B --access-key-id AK
               --access-key-secret SK [--region R] [--crc 0|1]

Only the download is timed; CPU is time.process_time(), so start-up and import are left out.
"""

import argparse
import json
import os
import sys
import time

import alibabacloud_oss_v2 as oss


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--bucket", required=True)
    parser.add_argument("--access-key-id", required=True)
    parser.add_argument("--access-key-secret", required=True)
    parser.add_argument("--region", default="cn-hangzhou")
    parser.add_argument("--key", required=True)
    parser.add_argument("--path", required=True)
    parser.add_argument("--crc", type=int, default=1)
    args = parser.parse_args()

    cfg = oss.config.load_default()
    cfg.credentials_provider = oss.credentials.StaticCredentialsProvider(args.access_key_id, args.access_key_secret)
    cfg.region = args.region
    cfg.endpoint = args.endpoint
    # As few attempts as the SDK allows: get_object_to_file loops `for _ in range(1,
    # retry_max_attempts)`, so with 1 it would return None without downloading (1.4.1); with 2
    # its loop runs once (the GET inside may still be retried once on a retryable error, which
    # would show as a slower run; the emulator here sends none).
    cfg.retry_max_attempts = 2
    cfg.disable_download_crc64_check = not args.crc
    client = oss.Client(cfg)

    wall, cpu = time.perf_counter(), time.process_time()
    result = client.get_object_to_file(oss.GetObjectRequest(bucket=args.bucket, key=args.key), args.path)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    if result is None or result.status_code != 200:
        sys.exit(f"sdk_get: HTTP {result.status_code}")
    size = os.stat(args.path).st_size if os.path.isfile(args.path) else result.content_length
    print(json.dumps({"ops": 1, "bytes": size, "seconds": round(wall, 6), "cpu_seconds": round(cpu, 6)}))


if __name__ == "__main__":
    main()

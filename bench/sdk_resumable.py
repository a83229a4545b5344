"""The official Python SDK (alibabacloud-oss-v2) side of `make bench` (f): one file uploaded with
the SDK's Uploader (`client.uploader(...).upload_file`, its call for large files), parts on a pool
of `parallel_num` threads, its CRC-64 check on (the SDK's default: every part's CRC-64 against the
server's, then the combined one against Complete's), printing
{"ops":1,"bytes":B,"seconds":WALL,"cpu_seconds":CPU} like bench/ossffi_resumable.c.

    sdk_resumable.py --path FILE [--key KEY] [--part-size BYTES] [--parallel N] [--crc 0|1]
                     --endpoint URL --bucket B --access-key-id AK --access-key-secret SK [--region R]

Defaults: key "sdk-f/file", 8 MiB parts, 4 in parallel. No checkpoint (as ossffi_resumable).
Only the upload is timed; CPU is time.process_time() (every thread of the process), so start-up
and import are left out.
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
    parser.add_argument("--key", default="sdk-f/file")
    parser.add_argument("--path", required=True)
    parser.add_argument("--part-size", type=int, default=8 << 20)
    parser.add_argument("--parallel", type=int, default=4)
    parser.add_argument("--crc", type=int, default=1)
    args = parser.parse_args()

    cfg = oss.config.load_default()
    cfg.credentials_provider = oss.credentials.StaticCredentialsProvider(args.access_key_id, args.access_key_secret)
    cfg.region = args.region
    cfg.endpoint = args.endpoint  # an IP endpoint: the SDK addresses the bucket path-style
    cfg.retry_max_attempts = 1  # a failed part must fail the run, not hide in a retry
    cfg.disable_upload_crc64_check = not args.crc
    client = oss.Client(cfg)
    uploader = client.uploader(part_size=args.part_size, parallel_num=args.parallel)
    size = os.stat(args.path).st_size

    wall, cpu = time.perf_counter(), time.process_time()
    result = uploader.upload_file(oss.PutObjectRequest(bucket=args.bucket, key=args.key), args.path)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    if result.status_code != 200:
        sys.exit(f"sdk_resumable: HTTP {result.status_code}")
    # Above the part size the Uploader goes multipart (an upload id, a "-<parts>" ETag); one
    # PutObject would not be what (f) measures.
    if size > args.part_size and not result.upload_id:
        sys.exit(f"sdk_resumable: not a multipart upload (ETag {result.etag})")
    print(json.dumps({"ops": 1, "bytes": size, "seconds": round(wall, 6), "cpu_seconds": round(cpu, 6)}))


if __name__ == "__main__":
    main()

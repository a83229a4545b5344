"""Presigned PutObject (and GetObject) URLs for the clients that cannot sign OSS V4 requests
themselves (curl) and for the raw floor, made with the official SDK's presign
(alibabacloud-oss-v2), so they are exactly the V4 query-signed requests OSS accepts.

    presign.py --endpoint URL --bucket B --access-key-id AK --access-key-secret SK [--region R]
               --out-dir DIR --set NAME:KEYPREFIX:COUNT ...
               [--callback-url URL --callback-set NAME:KEYPREFIX:COUNT ...] [--get NAME:KEY ...]

Each set writes DIR/NAME.urls: COUNT URLs, one per line, for keys KEYPREFIX/000000,
KEYPREFIX/000001, ... A --callback-set's uploads also carry a form-body upload callback to
--callback-url; the headers that must then be sent with each URL (x-oss-callback and
x-oss-callback-var, which V4 signs) go to DIR/NAME.headers as "Name: value" lines. A --get
writes DIR/NAME.urls with one GetObject URL for KEY (curl's download in (e)). URLs stay valid
for an hour, so one set serves every repetition of a run.
"""

import argparse
import base64
import datetime
import json
import os

import alibabacloud_oss_v2 as oss

# The same callback the ossffi and SDK benchmarks send (bench/ossffi_put.c, bench/sdk_put.py).
CALLBACK_BODY = "bucket=${bucket}&object=${object}&etag=${etag}&size=${size}&mimeType=${mimeType}&client=${x:client}"


def b64_json(value):
    return base64.b64encode(json.dumps(value).encode()).decode()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--bucket", required=True)
    parser.add_argument("--access-key-id", required=True)
    parser.add_argument("--access-key-secret", required=True)
    parser.add_argument("--region", default="cn-hangzhou")
    parser.add_argument("--out-dir", required=True)
    parser.add_argument("--set", action="append", default=[], metavar="NAME:KEYPREFIX:COUNT")
    parser.add_argument("--callback-set", action="append", default=[], metavar="NAME:KEYPREFIX:COUNT")
    parser.add_argument("--callback-url")
    parser.add_argument("--get", action="append", default=[], metavar="NAME:KEY",
                        help="DIR/NAME.urls gets one presigned GetObject URL for KEY")
    args = parser.parse_args()

    cfg = oss.config.load_default()
    cfg.credentials_provider = oss.credentials.StaticCredentialsProvider(args.access_key_id, args.access_key_secret)
    cfg.region = args.region
    cfg.endpoint = args.endpoint
    client = oss.Client(cfg)

    if args.callback_set and not args.callback_url:
        parser.error("--callback-set needs --callback-url")
    os.makedirs(args.out_dir, exist_ok=True)
    for spec, with_callback in [(s, False) for s in args.set] + [(s, True) for s in args.callback_set]:
        name, prefix, count = spec.rsplit(":", 2)
        callback = callback_var = None
        if with_callback:
            callback = b64_json({"callbackUrl": args.callback_url, "callbackBody": CALLBACK_BODY})
            callback_var = b64_json({"x:client": "curl"})
        signed_headers = {}
        with open(os.path.join(args.out_dir, f"{name}.urls"), "w") as out:
            for i in range(int(count)):
                request = oss.PutObjectRequest(
                    bucket=args.bucket, key=f"{prefix}/{i:06d}", callback=callback, callback_var=callback_var
                )
                result = client.presign(request, expires=datetime.timedelta(hours=1))
                out.write(result.url + "\n")
                signed_headers = result.signed_headers or {}
        with open(os.path.join(args.out_dir, f"{name}.headers"), "w") as out:
            for header, value in signed_headers.items():
                out.write(f"{header}: {value}\n")
    for spec in args.get:
        name, key = spec.split(":", 1)
        result = client.presign(oss.GetObjectRequest(bucket=args.bucket, key=key),
                                expires=datetime.timedelta(hours=1))
        with open(os.path.join(args.out_dir, f"{name}.urls"), "w") as out:
            out.write(result.url + "\n")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Builds the seed corpus fuzz/corpus/<target>/ from the shared test vectors and a few inputs
written here, in the input layout each entry function documents (src/fuzzing.rs,
emulator/src/fuzzing.rs). `make fuzz` runs it before fuzzing; the corpus is not committed.

Usage: seed_corpus.py [VECTORS_DIR]   (default: ../shared/vectors beside the repository)
"""

import base64
import hashlib
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
VECTORS = sys.argv[1] if len(sys.argv) > 1 else os.path.join(REPO, "..", "shared", "vectors")
CORPUS = os.path.join(HERE, "corpus")

seeds = {}


def add(target, data):
    if isinstance(data, str):
        data = data.encode()
    seeds.setdefault(target, []).append(data)


def vectors(name):
    path = os.path.join(VECTORS, name)
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as f:
        return json.load(f)["vectors"]


def http_response(status, reason, headers, body, chunked=False):
    head = f"HTTP/1.1 {status} {reason}\r\n"
    for name, value in headers:
        if name.lower() not in ("content-length", "transfer-encoding"):
            head += f"{name}: {value}\r\n"
    if isinstance(body, str):
        body = body.encode()
    if chunked:
        head += "Transfer-Encoding: chunked\r\n\r\n"
        out = head.encode()
        for i in range(0, len(body), 7):
            part = body[i:i + 7]
            out += b"%x\r\n" % len(part) + part + b"\r\n"
        return out + b"0\r\nx-trailer: 1\r\n\r\n"
    head += f"Content-Length: {len(body)}\r\n\r\n"
    return head.encode() + body


ERROR_XML = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<Error>\n  <Code>NoSuchKey</Code>\n'
    "  <Message>The specified key does not exist.</Message>\n"
    "  <RequestId>5C3D9175B6FC201293AD4890</RequestId>\n"
    "  <HostId>bucket.oss-cn-hangzhou.aliyuncs.com</HostId>\n  <Key>a&amp;b</Key>\n"
    "  <EC>0026-00000001</EC>\n</Error>\n"
)

# --- the client's response reader and error judging
responses = [
    (200, "OK", [("x-oss-request-id", "1")], ""),
    (404, "Not Found", [("Content-Type", "application/xml")], ERROR_XML),
]
for v in vectors("response_handling.json"):
    r = v["input"]["http_response"]
    responses.append((r["status"], r["reason"], r["headers"], r.get("body") or ""))
for status, reason, headers, body in responses:
    plain = http_response(status, reason, headers, body)
    add("client_http_response", b"\x00" + plain)
    add("client_http_response", b"\x0d" + http_response(status, reason, headers, body, True))
    add("client_http_response", b"\x44" + b"HTTP/1.1 100 Continue\r\n\r\n" + plain + plain)
    add("client_error_xml", (status - 100).to_bytes(2, "little") + body.encode())
add("client_http_response", b"\x10HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 204 No Content\r\n\r\n")
add("client_http_response", b"\x08HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil the end")
add("client_http_response", b"\x02HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n")
add("client_error_xml", b"\x67\x00" + b"<Error><Code>CallbackFailed</Code><Message>x</Message></Error>")
add("client_error_xml", b"\x2c\x01" + b"not xml at all")
add("client_error_xml", b"\x2f\x01" + b"NoSuchBucket\x01The bucket\x01RID\x01host\x01a\nb")

# --- every result XML the client reads
RESULTS = [
    "<ListBucketResult><Name>b</Name><Prefix>p</Prefix><Marker></Marker><MaxKeys>100</MaxKeys>"
    "<Delimiter>/</Delimiter><IsTruncated>true</IsTruncated><NextMarker>k%2F2</NextMarker>"
    "<EncodingType>url</EncodingType><Contents><Key>k%2F1</Key><LastModified>2026-12-01T17:00:00.000Z"
    "</LastModified><ETag>\"5B3C1A2E053D763E1B002CC607C5A0FE\"</ETag><Type>Normal</Type><Size>344606</Size>"
    "<StorageClass>Standard</StorageClass><Owner><ID>0022012</ID><DisplayName>user</DisplayName></Owner>"
    "</Contents><CommonPrefixes><Prefix>dir%2F</Prefix></CommonPrefixes></ListBucketResult>",
    "<DeleteResult><EncodingType>url</EncodingType><Deleted><Key>a%20b</Key></Deleted><Deleted><Key>c</Key>"
    "</Deleted></DeleteResult>",
    "<InitiateMultipartUploadResult><Bucket>b</Bucket><Key>k</Key><UploadId>0004B9894A22E5B1888A1E29F823"
    "</UploadId></InitiateMultipartUploadResult>",
    "<CompleteMultipartUploadResult><EncodingType>url</EncodingType><Location>http://b.oss/k</Location>"
    "<Bucket>b</Bucket><Key>k%2B</Key><ETag>\"097DE458AD02B5F89F9D0530231876B3-3\"</ETag>"
    "</CompleteMultipartUploadResult>",
    "<ListPartsResult><Bucket>b</Bucket><Key>k</Key><UploadId>u</UploadId><NextPartNumberMarker>5"
    "</NextPartNumberMarker><MaxParts>1000</MaxParts><IsTruncated>false</IsTruncated><Part><PartNumber>1"
    "</PartNumber><LastModified>2012-02-23T07:01:34.000Z</LastModified><ETag>\"3349DC700140D7F86A0784842780"
    "\"</ETag><Size>6291456</Size><HashCrc64ecma>12345</HashCrc64ecma></Part></ListPartsResult>",
    "<ListMultipartUploadsResult><Bucket>b</Bucket><KeyMarker></KeyMarker><UploadIdMarker></UploadIdMarker>"
    "<NextKeyMarker>k</NextKeyMarker><NextUploadIdMarker>u</NextUploadIdMarker><Delimiter>/</Delimiter>"
    "<Prefix></Prefix><MaxUploads>1000</MaxUploads><IsTruncated>false</IsTruncated><Upload><Key>k</Key>"
    "<UploadId>u</UploadId><Initiated>2012-02-23T04:18:23.000Z</Initiated></Upload><CommonPrefixes>"
    "<Prefix>d/</Prefix></CommonPrefixes></ListMultipartUploadsResult>",
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CopyPartResult><LastModified>2014-07-17T06:27:54.000Z"
    "</LastModified><ETag>\"5B3C1A2E053D763E1B002CC607C5A0FE\"</ETag></CopyPartResult>",
    "<a><![CDATA[x]]><!-- c --><?pi x?><b attr='1'>&#x41;&lt;</b></a>",
]
for xml in RESULTS:
    add("client_result_xml", xml)

# --- callback receivers: key URL, Authorization, target, PEM, body (split at 0x01)
for v in vectors("callback_signature.json"):
    i, e = v["input"], v["expected"]
    add("client_callback_verify", "\x01".join([
        e["x-oss-pub-key-url_header"], e["authorization_header"], i["request_target"],
        i["test_public_key_pem"], i["body"]]))
add("client_callback_verify", "https://gosspublic.alicdn.com:443/a/b?x=1\x01AAAA\x01/cb?a=%20\x01\x01")

# --- callback builders and parameters
for v in vectors("callback_params.json"):
    cb, var = v["input"]["callback"], v["input"].get("callback_var") or {}
    fields = [cb.get("callbackUrl", ""), cb.get("callbackHost", ""), cb.get("callbackBody", "")]
    for k, val in var.items():
        fields += [k, val]
    joined = "\x01".join(fields)
    json_body = cb.get("callbackBodyType") == "application/json"
    add("client_callback_json", ("\x01" if json_body else "\x00") + joined)
    e = v["expected"]
    add("emulator_callback_params", "\x00" + e["x-oss-callback"] + "\n" + (e.get("x-oss-callback-var") or ""))
    add("emulator_callback_params", "\x01" + e["callback_json"] + "\n" + (e.get("callback_var_json") or ""))
    add("emulator_callback_params", ("\x0a" if json_body else "\x02") + joined)

# --- checkpoint records
for v in vectors("checkpoints.json"):
    add("checkpoint_record", v["expected"]["record"])
add("checkpoint_record", '{"bucket":"b","partSize":1,"size":2,"uploadID":"u\\u00e9","opType":"ResumableUpload"}')

# --- requests: `METHOD /bucket/key?query`, headers, empty line, body
B = "fuzz-bucket"
REQUESTS = [
    f"PUT /{B}/dir/a.txt\nContent-Type: text/plain\n\nhello",
    f"GET /{B}/dir/a.txt\nRange: bytes=0-2\n\n",
    f"HEAD /{B}/dir/a.txt\n\n",
    f"DELETE /{B}/dir/a.txt\n\n",
    f"GET /{B}/?prefix=dir%2F&delimiter=%2F&max-keys=2&encoding-type=url\n\n",
    f"POST /{B}/big.bin?uploads\n\n",
    f"PUT /{B}/big.bin?partNumber=1&uploadId=0000\n\npart one",
    f"POST /{B}/big.bin?uploadId=0000\n\n<CompleteMultipartUpload><Part><PartNumber>1</PartNumber>"
    "<ETag>\"x\"</ETag></Part></CompleteMultipartUpload>",
    f"GET /{B}/?uploads&max-uploads=1\n\n",
    f"GET /{B}/big.bin?uploadId=0000&max-parts=1\n\n",
    f"POST /{B}/?delete\nContent-MD5: 1B2M2Y8AsgTpgAmY7PHvfg==\n\n<Delete><Quiet>false</Quiet><Object><Key>a</Key>"
    "</Object></Delete>",
    f"PUT /{B}/cb.txt\nx-oss-callback: eyJjYWxsYmFja1VybCI6Imh0dHA6Ly8xMjcuMC4wLjE6MS9jYiIsImNhbGxiYWNrQm9keSI6ImI9JHtidWNrZXR9In0=\n\nx",
    f"POST /{B}/a.log?append&position=0\n\nabc",
    f"PUT /{B}/copy.txt\nx-oss-copy-source: /{B}/dir/a.txt\n\n",
    f"PUT /{B}/?acl\nx-oss-acl: public-read\n\n",
    "PUT /new-bucket\n\n<CreateBucketConfiguration><StorageClass>IA</StorageClass></CreateBucketConfiguration>",
    f"OPTIONS /{B}/a\nOrigin: http://example.com\nAccess-Control-Request-Method: PUT\n\n",
    f"PUT /{B}/chunked\nTransfer-Encoding: chunked\n\n3\r\nabc\r\n0\r\n\r\n",
]
for text in REQUESTS:
    add("emulator_http_request", "\x01" + text)
    add("emulator_http_request", "\x03" + text)
    add("emulator_auth", "\x01" + text)
    add("emulator_auth", "\x03" + text)
add("emulator_http_request", b"\x1cGET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nGET /x HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")


def form_body(boundary, fields, filename="a.txt", content=b"file content"):
    body = b""
    for name, value in fields:
        body += f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n".encode()
        body += value.encode() + b"\r\n"
    body += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n"
             "Content-Type: text/plain\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
    return body


for v in vectors("postobject.json"):
    fields = [(f["name"], f["value"]) for f in v["expected"]["form_fields"] if f["name"] != "file"]
    boundary = "9431149156168"
    body = form_body(boundary, fields, v["input"]["file"]["filename"])
    add("emulator_form", b"\x03multipart/form-data; boundary=" + boundary.encode() + b"\n" + body)
    add("emulator_form", b"\x0c" + "\x01".join(x for f in fields for x in f).encode())
    add("emulator_post_policy", "\x00" + v["input"]["policy_text"])
    add("emulator_post_policy", "\x01" + v["expected"]["policy_base64"])
    wire = (f"POST /{B}/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary={boundary}"
            f"\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body
    add("emulator_http_request", b"\x1c" + wire)
add("emulator_form", b"\x05multipart/form-data; boundary=\"a;b\"\npreamble\r\n--a;b\r\nContent-Disposition: form-data; name=key\r\n\r\nv\r\n--a;b--")
add("emulator_post_policy", '\x00{"expiration":"2030-01-01T00:00:00Z","conditions":[["content-length-range",1,10],'
    '["starts-with","$key","a/"],["in","$x:var",["v","w"]],["not-in","$bucket",["x"]],["eq","$key","a/b.txt"]]}')


def vector_request(v):
    """A vector's signed request as RequestText and as bytes on the wire."""
    r = v["expected"].get("http_request") or {}
    target = r.get("request_target") or v["expected"].get("request_target")
    if not target:
        return None
    headers = [(n, val) for n, val in r.get("headers", [])]
    body = ((v["input"].get("body") or {}).get("spec") or {}).get("utf8") or ""
    text = f"{r.get('method', v['input'].get('method', 'GET'))} {target}\n"
    text += "".join(f"{n}: {val}\n" for n, val in headers) + "\n" + body
    return text


for name in ("sign_v1.json", "sign_v4_header.json", "presign_v4.json"):
    for v in vectors(name):
        text = vector_request(v)
        if text:
            add("emulator_auth", "\x00" + text)
            head, _, body = text.partition("\n\n")
            lines = head.split("\n")
            wire = lines[0] + " HTTP/1.1\r\n" + "".join(l + "\r\n" for l in lines[1:] if l)
            add("emulator_http_request", b"\x1c" + (wire + "\r\n").encode() + body.encode())

# --- request bodies the emulator's operations read, and Range headers (8 bytes of size first)
for xml in [
    "<CreateBucketConfiguration><StorageClass>IA</StorageClass><DataRedundancyType>ZRS"
    "</DataRedundancyType></CreateBucketConfiguration>",
    "<Delete><Quiet>true</Quiet><Object><Key>a&amp;b</Key></Object><Object><Key>c&#x41;</Key></Object></Delete>",
    "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>\"A\"</ETag></Part><Part><PartNumber>2"
    "</PartNumber><ETag>B</ETag></Part></CompleteMultipartUpload>",
    "<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>PUT</AllowedMethod>"
    "<AllowedHeader>*</AllowedHeader><ExposeHeader>ETag</ExposeHeader><MaxAgeSeconds>100</MaxAgeSeconds>"
    "</CORSRule><ResponseVary>false</ResponseVary></CORSConfiguration>",
]:
    add("emulator_xml_bodies", xml)
for rng in ["bytes=0-9", "bytes=-5", "bytes=3-", "bytes=5-2", "bytes=0-0,2-3"]:
    add("emulator_xml_bodies", (100).to_bytes(8, "little") + rng.encode())

os.makedirs(CORPUS, exist_ok=True)
total = 0
for target, items in sorted(seeds.items()):
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    for data in items:
        with open(os.path.join(d, "seed-" + hashlib.sha1(data).hexdigest()), "wb") as f:
            f.write(data)
        total += 1
print(f"seed corpus: {total} inputs for {len(seeds)} targets in {CORPUS}"
      + ("" if os.path.isdir(VECTORS) else f" (no vectors at {VECTORS}: built-in seeds only)"))

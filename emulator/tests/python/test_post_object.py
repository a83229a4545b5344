"""PostObject (browser form upload) with `requests` as the multipart client and the policy signed
here with hmac/hashlib/base64 as spec/postobject.md describes (independent of ossffi's signer);
the official SDK reads the uploaded objects back."""

import base64
import datetime
import hashlib
import hmac
import json

import alibabacloud_oss_v2 as oss
import pytest
import requests

from support import ACCESS_KEY_ID, ACCESS_KEY_SECRET, BUCKET, REGION, b64_json

DATA = b"form upload \x00\x01\xff bytes"


def utc_now():
    return datetime.datetime.now(datetime.timezone.utc)


def policy_b64(conditions, expires_in=600):
    expiration = (utc_now() + datetime.timedelta(seconds=expires_in)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    # Python's json.dumps defaults (", " separators): a different text than ali-oss would sign,
    # equally valid because the emulator verifies the field as received.
    text = json.dumps({"expiration": expiration, "conditions": conditions})
    return base64.b64encode(text.encode()).decode()


def v1_fields(policy):
    signature = base64.b64encode(hmac.new(ACCESS_KEY_SECRET.encode(), policy.encode(), hashlib.sha1).digest())
    return {"OSSAccessKeyId": ACCESS_KEY_ID, "policy": policy, "Signature": signature.decode()}


def v4_signing_key(day, region=REGION):
    key = hmac.new(("aliyun_v4" + ACCESS_KEY_SECRET).encode(), day.encode(), hashlib.sha256).digest()
    for part in (region, "oss", "aliyun_v4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return key


def v4_parts():
    date = utc_now().strftime("%Y%m%dT%H%M%SZ")
    credential = f"{ACCESS_KEY_ID}/{date[:8]}/{REGION}/oss/aliyun_v4_request"
    return date, credential


def v4_fields(policy, date, credential):
    signature = hmac.new(v4_signing_key(date[:8]), policy.encode(), hashlib.sha256).hexdigest()
    return {
        "x-oss-signature-version": "OSS4-HMAC-SHA256",
        "x-oss-credential": credential,
        "x-oss-date": date,
        "policy": policy,
        "x-oss-signature": signature,
    }


def signed_form(version, fields, conditions, **policy_args):
    """`fields` plus the auth fields of a policy with `conditions` (V4 pins its own fields)."""
    form = dict(fields)
    if version == "v4":
        date, credential = v4_parts()
        conditions = [
            {"x-oss-signature-version": "OSS4-HMAC-SHA256"},
            {"x-oss-credential": credential},
            {"x-oss-date": date},
            *conditions,
        ]
        form.update(v4_fields(policy_b64(conditions, **policy_args), date, credential))
    else:
        form.update(v1_fields(policy_b64(conditions, **policy_args)))
    return form


def post(emulator, form, data=DATA, filename="a.bin", content_type="application/octet-stream", bucket=BUCKET):
    # requests writes the `data` fields first and the `files` part last, as OSS requires.
    return requests.post(
        f"{emulator.endpoint}/{bucket}",
        data=form,
        files={"file": (filename, data, content_type)},
        timeout=30,
    )


def error(response):
    text = response.text
    code = text.split("<Code>")[1].split("</Code>")[0]
    message = text.split("<Message>")[1].split("</Message>")[0].replace("&quot;", '"').replace("&apos;", "'")
    return response.status_code, code, message


@pytest.fixture(params=["v1", "v4"])
def version(request):
    return request.param


def test_upload_with_callback_then_sdk_reads_it_back(emulator, client, receiver, version):
    key = f"post/{version}/${{filename}}"
    callback = b64_json(
        {
            "callbackUrl": receiver.url(),
            "callbackBody": "bucket=${bucket}&object=${object}&size=${size}&mimeType=${mimeType}&uid=${x:uid}&source=${x:source}",
            "callbackBodyType": "application/x-www-form-urlencoded",
        }
    )
    receiver.reply = {"uploaded": version}
    form = signed_form(
        version,
        {"key": key, "callback": callback, "x:uid": "42", "x:source": "web form/上传"},
        [{"bucket": BUCKET}, ["starts-with", "$key", f"post/{version}/"], {"callback": callback},
         ["content-length-range", 1, 1024]],
    )
    response = post(emulator, form, filename="photo.png", content_type="image/png")
    assert response.status_code == 200, response.text
    assert response.json() == {"uploaded": version}
    assert response.headers["ETag"]
    callback_request = receiver.only_callback()
    assert callback_request.form() == {
        "bucket": BUCKET,
        "object": f"post/{version}/photo.png",
        "size": str(len(DATA)),
        "mimeType": "image/png",
        "uid": "42",
        "source": "web form/上传",
    }
    got = client.get_object(oss.GetObjectRequest(bucket=BUCKET, key=f"post/{version}/photo.png"))
    assert got.body.read() == DATA
    assert got.content_type == "image/png"
    assert got.etag == response.headers["ETag"]


def test_success_action_status(emulator, client, version):
    for status, want in (("200", 200), ("201", 201), ("204", 204), (None, 204)):
        key = f"status/{version}/{status}"
        fields = {"key": key}
        if status:
            fields["success_action_status"] = status
        response = post(emulator, signed_form(version, fields, [{"bucket": BUCKET}]))
        assert response.status_code == want, response.text
        if want == 201:
            assert f"<Key>{key}</Key>" in response.text
        got = client.get_object(oss.GetObjectRequest(bucket=BUCKET, key=key))
        assert got.body.read() == DATA


CONDITION_FAILURES = [
    # (name, fields, conditions, file bytes, status, code, message or None)
    ("wrong bucket", {"key": "c/a"}, [{"bucket": "another-bucket"}], DATA, 403, "AccessDenied",
     'Invalid according to Policy: Policy Condition failed: ["eq", "$bucket", "another-bucket"]'),
    ("key outside prefix", {"key": "user/bob/a"}, [["starts-with", "$key", "user/eric/"]], DATA, 403,
     "AccessDenied", 'Invalid according to Policy: Policy Condition failed: ["starts-with", "$key", "user/eric/"]'),
    ("eq", {"key": "c/a", "x-oss-meta-uuid": "2"}, [["eq", "$x-oss-meta-uuid", "1"]], DATA, 403, "AccessDenied",
     'Invalid according to Policy: Policy Condition failed: ["eq", "$x-oss-meta-uuid", "1"]'),
    ("in", {"key": "c/a", "Content-Type": "text/html"}, [["in", "$content-type", ["image/png", "image/jpeg"]]],
     DATA, 403, "AccessDenied",
     'Invalid according to Policy: Policy Condition failed: ["in", "$content-type", ["image/png", "image/jpeg"]]'),
    ("missing field", {"key": "c/a"}, [["eq", "$success_action_status", "201"]], DATA, 403, "AccessDenied",
     'Invalid according to Policy: Policy Condition failed: ["eq", "$success_action_status", "201"]'),
    ("too large", {"key": "c/a"}, [["content-length-range", 1, 10]], b"x" * 11, 400, "EntityTooLarge", None),
    ("too small", {"key": "c/a"}, [["content-length-range", 1, 10]], b"", 400, "EntityTooSmall", None),
]


@pytest.mark.parametrize("case", CONDITION_FAILURES, ids=[c[0] for c in CONDITION_FAILURES])
def test_each_condition_fails_with_the_oss_error(emulator, client, version, case):
    _, fields, conditions, data, status, code, message = case
    response = post(emulator, signed_form(version, fields, conditions), data=data)
    got_status, got_code, got_message = error(response)
    assert (got_status, got_code) == (status, code), response.text
    if message is not None:
        assert got_message == message
    with pytest.raises(oss.exceptions.OperationError):
        client.head_object(oss.HeadObjectRequest(bucket=BUCKET, key=fields["key"]))


def test_expired_policy(emulator, version):
    form = signed_form(version, {"key": "c/expired"}, [{"bucket": BUCKET}], expires_in=-60)
    assert error(post(emulator, form)) == (403, "AccessDenied", "Invalid according to Policy: Policy expired.")


def test_signature_mismatch(emulator, version):
    form = signed_form(version, {"key": "c/sig"}, [{"bucket": BUCKET}])
    name = "Signature" if version == "v1" else "x-oss-signature"
    form[name] = form[name][:-2] + ("AA" if form[name][-2:] != "AA" else "BB")
    status, code, _ = error(post(emulator, form))
    assert (status, code) == (403, "SignatureDoesNotMatch")

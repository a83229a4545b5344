"""Bucket CORS through the official SDK: put_bucket_cors, get_bucket_cors and delete_bucket_cors
round-trip the rules, option_object is answered from them, and what OSS refuses is refused."""

import alibabacloud_oss_v2 as oss
import pytest

BUCKET = "sdk-cors-bucket"
PAGE = "http://127.0.0.1:8080"


def error_of(call):
    with pytest.raises(oss.exceptions.OperationError) as raised:
        call()
    return raised.value.unwrap()


@pytest.fixture
def bucket(client):
    client.put_bucket(oss.PutBucketRequest(bucket=BUCKET))
    yield BUCKET
    client.delete_bucket(oss.DeleteBucketRequest(bucket=BUCKET))


def put_rules(client, bucket, *rules, vary=None):
    return client.put_bucket_cors(oss.PutBucketCorsRequest(
        bucket=bucket,
        cors_configuration=oss.CORSConfiguration(cors_rules=list(rules), response_vary=vary)))


def upload_rule():
    return oss.CORSRule(
        allowed_origins=[PAGE, "https://*.example.com"],
        allowed_methods=["PUT", "POST"],
        allowed_headers=["content-type", "x-oss-meta-*"],
        expose_headers=["ETag", "x-oss-request-id"],
        max_age_seconds=300)


def test_get_bucket_cors_returns_every_field_put(client, bucket):
    put = put_rules(client, bucket, upload_rule(), vary=True)
    assert put.status_code == 200
    got = client.get_bucket_cors(oss.GetBucketCorsRequest(bucket=bucket)).cors_configuration
    assert len(got.cors_rules) == 1
    rule = got.cors_rules[0]
    assert rule.allowed_origins == [PAGE, "https://*.example.com"]
    assert rule.allowed_methods == ["PUT", "POST"]
    assert rule.allowed_headers == ["content-type", "x-oss-meta-*"]
    assert rule.expose_headers == ["ETag", "x-oss-request-id"]
    assert rule.max_age_seconds == 300
    assert got.response_vary is True


def test_option_object_is_answered_from_the_matching_rule(client, bucket):
    put_rules(client, bucket, upload_rule())
    result = client.option_object(oss.OptionObjectRequest(
        bucket=bucket, key="uploads/a.txt", origin=PAGE,
        access_control_request_method="PUT",
        access_control_request_headers="content-type"))
    assert result.status_code == 200
    assert result.access_control_allow_origin == PAGE
    assert result.access_control_allow_methods == "PUT, POST"
    assert result.access_control_allow_headers == "content-type"
    assert result.access_control_expose_headers == "ETag, x-oss-request-id"
    assert result.access_control_max_age == 300


def test_option_object_that_no_rule_admits_is_access_forbidden(client, bucket):
    put_rules(client, bucket, upload_rule())
    error = error_of(lambda: client.option_object(oss.OptionObjectRequest(
        bucket=bucket, key="k", origin="http://elsewhere.test",
        access_control_request_method="PUT")))
    assert error.status_code == 403
    assert error.code == "AccessForbidden"
    assert error.message.startswith("CORSResponse: This CORS request is not allowed.")


def test_delete_bucket_cors_leaves_no_configuration(client, bucket):
    put_rules(client, bucket, upload_rule())
    deleted = client.delete_bucket_cors(oss.DeleteBucketCorsRequest(bucket=bucket))
    assert deleted.status_code == 204
    error = error_of(lambda: client.get_bucket_cors(oss.GetBucketCorsRequest(bucket=bucket)))
    assert error.status_code == 404
    assert error.code == "NoSuchCORSConfiguration"
    forbidden = error_of(lambda: client.option_object(oss.OptionObjectRequest(
        bucket=bucket, key="k", origin=PAGE, access_control_request_method="PUT")))
    assert forbidden.message == "CORSResponse: CORS is not enabled for this bucket."


def test_an_unknown_method_is_refused(client, bucket):
    error = error_of(lambda: put_rules(client, bucket, oss.CORSRule(
        allowed_origins=["*"], allowed_methods=["PATCH"])))
    assert error.status_code == 400
    assert error.code == "InvalidArgument"
    assert error.ec == "0034-00000011"

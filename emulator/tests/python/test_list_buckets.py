"""ListBuckets through the official SDK: paging, and endpoints that keep the SDK on this machine."""

import alibabacloud_oss_v2 as oss
import pytest

from support import (
    ACCESS_KEY_ID,
    ACCESS_KEY_SECRET,
    BUCKET,
    REGION,
    make_client,
    start_emulator,
    stop_emulator,
)

PAGED = ["page-a", "page-b", "page-c", "page-d", "page-e"]


@pytest.fixture(scope="module")
def many_buckets():
    extra = []
    for name in [*PAGED, "other"]:
        extra += ["--bucket", name]
    e = start_emulator(*extra)
    yield e
    stop_emulator(e)


def test_paginator_pages_through_buckets_with_a_prefix(many_buckets):
    client = make_client(many_buckets)
    paginator = client.list_buckets_paginator(limit=2)
    pages = list(paginator.iter_page(oss.ListBucketsRequest(prefix="page-")))
    assert [len(p.buckets) for p in pages] == [2, 2, 1]
    assert [b.name for p in pages for b in p.buckets] == PAGED
    assert [p.is_truncated for p in pages] == [True, True, False]
    assert [p.next_marker for p in pages[:2]] == ["page-b", "page-d"]
    assert all(p.max_keys == 2 and p.prefix == "page-" for p in pages)


def test_every_bucket_names_the_emulator_as_its_endpoints(many_buckets):
    client = make_client(many_buckets)
    result = client.list_buckets(oss.ListBucketsRequest())
    here = f"127.0.0.1:{many_buckets.port}"
    assert [b.name for b in result.buckets] == sorted([*PAGED, "other", BUCKET])
    for bucket in result.buckets:
        assert bucket.extranet_endpoint == here
        assert bucket.intranet_endpoint == here
        assert bucket.region == REGION
        assert bucket.location == f"oss-{REGION}"


def test_a_client_built_from_a_listed_endpoint_reaches_the_emulator(many_buckets):
    listed = make_client(many_buckets).list_buckets(oss.ListBucketsRequest(prefix=BUCKET)).buckets[0]
    cfg = oss.config.load_default()
    cfg.credentials_provider = oss.credentials.StaticCredentialsProvider(ACCESS_KEY_ID, ACCESS_KEY_SECRET)
    cfg.region = listed.region
    cfg.endpoint = f"http://{listed.extranet_endpoint}"
    cfg.retry_max_attempts = 1
    client = oss.Client(cfg)
    put = client.put_object(oss.PutObjectRequest(bucket=listed.name, key="via-listed-endpoint", body=b"here"))
    assert put.status_code == 200


def test_max_keys_out_of_range_is_invalid_argument(many_buckets):
    client = make_client(many_buckets)
    with pytest.raises(oss.exceptions.OperationError) as raised:
        client.list_buckets(oss.ListBucketsRequest(max_keys=1001))
    error = raised.value.unwrap()
    assert error.status_code == 400
    assert error.code == "InvalidArgument"

"""PutBucket through the official SDK: the CreateBucketConfiguration it sends is kept, ListBuckets
and GetBucketAcl report it, and what OSS refuses is refused."""

import alibabacloud_oss_v2 as oss
import pytest


def error_of(call):
    with pytest.raises(oss.exceptions.OperationError) as raised:
        call()
    return raised.value.unwrap()


def create(client, bucket, storage_class=None, redundancy=None, acl=None):
    configuration = None
    if storage_class or redundancy:
        configuration = oss.CreateBucketConfiguration(
            storage_class=storage_class, data_redundancy_type=redundancy)
    return client.put_bucket(oss.PutBucketRequest(
        bucket=bucket, acl=acl, create_bucket_configuration=configuration))


def listed(client, bucket):
    """The bucket's entry in ListBuckets, or None."""
    result = client.list_buckets(oss.ListBucketsRequest(prefix=bucket))
    return next((b for b in result.buckets or [] if b.name == bucket), None)


def acl_of(client, bucket):
    return client.get_bucket_acl(oss.GetBucketAclRequest(bucket=bucket)).acl


def test_an_ia_bucket_is_listed_as_ia_with_its_acl(client):
    created = create(client, "sdk-ia-bucket", "IA", "ZRS", acl="public-read")
    assert created.status_code == 200
    entry = listed(client, "sdk-ia-bucket")
    assert entry.storage_class == "IA"
    assert acl_of(client, "sdk-ia-bucket") == "public-read"


def test_without_a_configuration_the_bucket_is_standard_and_private(client):
    assert create(client, "sdk-plain-bucket").status_code == 200
    assert listed(client, "sdk-plain-bucket").storage_class == "Standard"
    assert acl_of(client, "sdk-plain-bucket") == "private"


def test_an_unknown_storage_class_is_invalid_argument(client):
    error = error_of(lambda: create(client, "sdk-odd-bucket", "Glacier"))
    assert (error.status_code, error.code) == (400, "InvalidArgument")
    assert listed(client, "sdk-odd-bucket") is None


def test_an_unknown_acl_is_what_oss_answers(client):
    error = error_of(lambda: create(client, "sdk-acl-bucket", "IA", acl="authenticated-read"))
    assert (error.status_code, error.code) == (400, "InvalidArgument")
    assert error.message == "no such bucket access control exists"
    assert error.ec == "0015-00000204"
    assert listed(client, "sdk-acl-bucket") is None


def test_a_second_put_bucket_may_change_the_acl_but_not_the_storage_class(client):
    assert create(client, "sdk-twice-bucket", "Archive").status_code == 200
    assert create(client, "sdk-twice-bucket", "Archive", acl="public-read").status_code == 200
    assert acl_of(client, "sdk-twice-bucket") == "public-read"
    error = error_of(lambda: create(client, "sdk-twice-bucket", "Standard"))
    assert (error.status_code, error.code) == (409, "BucketAlreadyExists")
    assert error.message == "Cannot modify existing bucket's storage class."
    assert listed(client, "sdk-twice-bucket").storage_class == "Archive"

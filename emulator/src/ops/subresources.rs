//! The query parameters and operation-selecting headers each (target, method) implements.
//!
//! OSS picks the operation from the method, the target and the sub-resources in the query
//! (`?acl`, `?uploads`, `?retention`, ...) or a header (`x-oss-copy-source`). An emulator that
//! ignored a parameter it does not know would run a different operation than the client asked
//! for (GetObject for `?retention`, a plain PutObject for CopyObject), so this is an allow-list:
//! anything not listed here answers 501 NotImplemented naming it.

use ossffi::signing::v1;

use super::Ctx;
use crate::error::OssError;
use crate::route::Target;

/// Parameters of presigned URLs (V1, V4) and STS; `auth.rs` checks them for every request.
const SIGNATURE_PARAMS: &[&str] = &[
    "OSSAccessKeyId",
    "Expires",
    "Signature",
    "security-token",
    "x-oss-signature-version",
    "x-oss-credential",
    "x-oss-date",
    "x-oss-expires",
    "x-oss-signature",
    "x-oss-additional-headers",
    "x-oss-security-token",
];

/// `response-*` overrides of GetObject's response headers.
pub(crate) const RESPONSE_OVERRIDES: &[(&str, &str)] = &[
    ("response-content-type", "Content-Type"),
    ("response-content-language", "Content-Language"),
    ("response-expires", "Expires"),
    ("response-cache-control", "Cache-Control"),
    ("response-content-disposition", "Content-Disposition"),
    ("response-content-encoding", "Content-Encoding"),
];

/// OSS sub-resources missing from the V1 signing list, named here so their 501 says
/// "sub-resource" like the others.
const MORE_SUBRESOURCES: &[&str] = &[
    "bucketInfo",
    "regions",
    "retention",
    "seal",
    "x-oss-async-process",
    "x-oss-rename",
    "tag-key",
    "tag-value",
    "publicAccessBlock",
    "accessPoint",
    "cleanRestoredObject",
];

/// What the operations of one (target, method) understand besides [`SIGNATURE_PARAMS`].
fn implemented(target: &Target, method: &str) -> &'static [&'static str] {
    match (target, method) {
        // ListBuckets.
        (Target::Service, "GET") => &["prefix", "marker", "max-keys"],
        // ListObjects (v1, v2), GetBucketAcl, GetBucketCors, ListMultipartUploads.
        (Target::Bucket(_), "GET") => &[
            "acl",
            "cors",
            "uploads",
            "key-marker",
            "upload-id-marker",
            "max-uploads",
            "prefix",
            "marker",
            "max-keys",
            "delimiter",
            "encoding-type",
            "list-type",
            "start-after",
            "continuation-token",
            "fetch-owner",
        ],
        // PutBucket, PutBucketAcl, PutBucketCors.
        (Target::Bucket(_), "PUT") => &["acl", "cors"],
        // DeleteBucket, DeleteBucketCors.
        (Target::Bucket(_), "DELETE") => &["cors"],
        // DeleteMultipleObjects.
        (Target::Bucket(_), "POST") => &["delete", "encoding-type"],
        // HeadObject, GetObjectMeta.
        (Target::Object(..), "HEAD") => &[
            "objectMeta",
            "response-content-type",
            "response-content-language",
            "response-expires",
            "response-cache-control",
            "response-content-disposition",
            "response-content-encoding",
            "versionId",
        ],
        // GetObject, ListParts.
        (Target::Object(..), "GET") => &[
            "response-content-type",
            "response-content-language",
            "response-expires",
            "response-cache-control",
            "response-content-disposition",
            "response-content-encoding",
            "uploadId",
            "max-parts",
            "part-number-marker",
            "encoding-type",
            "versionId",
        ],
        // PutObject (with callback), UploadPart.
        (Target::Object(..), "PUT") => &["uploadId", "partNumber", "callback", "callback-var"],
        // InitiateMultipartUpload, CompleteMultipartUpload (with callback), AppendObject.
        (Target::Object(..), "POST") => &[
            "uploads",
            "sequential",
            "uploadId",
            "encoding-type",
            "callback",
            "callback-var",
            "append",
            "position",
        ],
        // DeleteObject, AbortMultipartUpload.
        (Target::Object(..), "DELETE") => &["uploadId", "versionId"],
        _ => &[],
    }
}

fn describe(target: &Target, method: &str) -> String {
    let what = match target {
        Target::Service => "the service",
        Target::Bucket(_) => "a bucket",
        Target::Object(..) => "an object",
    };
    format!("{method} on {what}")
}

/// Refuses, with 501 NotImplemented naming it, the first query parameter or operation-selecting
/// header the emulator would otherwise ignore.
pub(crate) fn check(ctx: &Ctx, target: &Target) -> Result<(), OssError> {
    let method = ctx.head.method.as_str();
    let allowed = implemented(target, method);
    for (name, value) in ctx.query {
        if name.is_empty() || SIGNATURE_PARAMS.contains(&name.as_str()) {
            continue;
        }
        if name == "versionId" && allowed.contains(&"versionId") {
            // Without versioning every object has the one version OSS calls "null".
            if value == "null" {
                continue;
            }
            return Err(OssError::not_implemented(&format!(
                "Object versions (?versionId={value}, {})",
                describe(target, method)
            )));
        }
        if allowed.contains(&name.as_str()) {
            continue;
        }
        let kind = if v1::is_sub_resource(name) || MORE_SUBRESOURCES.contains(&name.as_str()) {
            "The sub-resource"
        } else {
            "The query parameter"
        };
        return Err(OssError::not_implemented(&format!(
            "{kind} ?{name} ({})",
            describe(target, method)
        )));
    }
    // UploadPartCopy (with `uploadId`) is served; CopyObject is not.
    if let Target::Object(..) = target
        && method == "PUT"
        && ctx.header("x-oss-copy-source").is_some()
        && !ctx.has_param("uploadId")
        && !ctx.has_param("partNumber")
    {
        return Err(OssError::not_implemented(
            "CopyObject (PUT with x-oss-copy-source)",
        ));
    }
    Ok(())
}

/// True when the query holds nothing but signature parameters: a request with no sub-resource.
pub(crate) fn only_signature_params(query: &[(String, String)]) -> bool {
    query
        .iter()
        .all(|(n, _)| n.is_empty() || SIGNATURE_PARAMS.contains(&n.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_response_override_is_implemented_by_get_object() {
        let object = Target::Object("b".into(), "k".into());
        for (param, _) in RESPONSE_OVERRIDES {
            assert!(implemented(&object, "GET").contains(param), "{param}");
        }
    }

    #[test]
    fn presigned_put_bucket_counts_as_having_no_sub_resource() {
        let q = |n: &str| (n.to_string(), "v".to_string());
        assert!(only_signature_params(&[
            q("OSSAccessKeyId"),
            q("Expires"),
            q("Signature")
        ]));
        assert!(!only_signature_params(&[q("acl")]));
    }
}

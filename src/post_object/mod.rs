//! PostObject policy signing: the form fields of a browser upload straight to OSS.
//!
//! An application server describes what a web page may upload ([`PostPolicy`]: bucket, key or
//! key prefix, expiry, conditions, success status or redirect, upload callback and `x:`
//! variables), signs it with [`PostSigner`] (V4 or V1, STS tokens included), and embeds the
//! returned `(name, value)` pairs as hidden inputs of a `multipart/form-data` form whose last
//! input is the file. OSS checks the policy and its signature; the secret never reaches the page.
//!
//! Pure functions: no I/O, and the signing time is an input. The output is byte-equal to
//! ali-oss 6.23.0 (`signPostObjectPolicyV4`, `calculatePostSignature`) for the same policy
//! (`../shared/vectors/postobject.json`). A policy text written elsewhere can be signed as it
//! is with [`PostSigner::auth_fields`]; OSS verifies the `policy` field exactly as received.

mod condition;
mod policy;
mod signer;

pub use condition::Condition;
pub use policy::PostPolicy;
pub use signer::{PostSignatureVersion, PostSigner, V4_SIGNATURE_VERSION};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signing::Credentials;

    fn v1_signer() -> PostSigner {
        let credentials =
            Credentials::new("LTAI5tFAKEACCESSKEYID", "FAKESECRETFAKESECRETFAKESECRET12");
        PostSigner::new(credentials, PostSignatureVersion::V1).unwrap()
    }

    fn v4_signer(signing_time: i64) -> PostSigner {
        let credentials =
            Credentials::new("LTAI5tFAKEACCESSKEYID", "FAKESECRETFAKESECRETFAKESECRET12");
        let version = PostSignatureVersion::V4 {
            region: "oss-cn-hangzhou".into(),
            signing_time,
        };
        PostSigner::new(credentials, version).unwrap()
    }

    const EXPIRATION_2025_01_15_0930: i64 = 1_736_933_400;

    /// vectors/postobject.json `v1-hangzhou-basic`, written with the convenience setters.
    #[test]
    fn convenience_setters_reproduce_the_v1_basic_vector() {
        let mut policy = PostPolicy::new("examplebucket", EXPIRATION_2025_01_15_0930);
        policy
            .key("user/eric/notes.txt")
            .key_starts_with("user/eric/")
            .content_length_range(1, 10_485_760)
            .success_action_status(200);
        let fields = policy.sign(&v1_signer()).unwrap();
        let names: Vec<&str> = fields.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "key",
                "success_action_status",
                "OSSAccessKeyId",
                "policy",
                "Signature"
            ]
        );
        assert_eq!(fields[4].1, "iJFq2CmPMIMqE0MmbIOzLBLMuKE=");
    }

    #[test]
    fn a_prefix_without_a_key_sends_the_prefix_and_filename() {
        let mut policy = PostPolicy::new("examplebucket", EXPIRATION_2025_01_15_0930);
        policy.key_starts_with("user/");
        let fields = policy.sign(&v1_signer()).unwrap();
        assert_eq!(fields[0], ("key".to_owned(), "user/${filename}".to_owned()));
    }

    #[test]
    fn the_oss_prefix_of_a_region_is_dropped() {
        let signer = v4_signer(EXPIRATION_2025_01_15_0930 - 3600);
        let mut policy = PostPolicy::new("examplebucket", EXPIRATION_2025_01_15_0930);
        policy.key_equals("uploads/report.pdf");
        let fields = policy.sign(&signer).unwrap();
        assert_eq!(
            fields[5].1,
            "980cf5eed71ae06c16742ae96f898b8004e039b4535f6b294bc681943a1bf650"
        );
    }

    fn refusal(policy: &PostPolicy, signer: &PostSigner) -> String {
        policy.sign(signer).unwrap_err().message.clone()
    }

    #[test]
    fn a_policy_that_expires_before_the_signing_time_is_refused() {
        let signer = v4_signer(EXPIRATION_2025_01_15_0930);
        let mut policy = PostPolicy::new("examplebucket", EXPIRATION_2025_01_15_0930);
        policy.key_equals("a.txt");
        assert!(refusal(&policy, &signer).contains("expires at 2025-01-15T09:30:00.000Z"));
    }

    #[test]
    fn a_policy_without_a_key_condition_is_refused() {
        let mut policy = PostPolicy::new("examplebucket", EXPIRATION_2025_01_15_0930);
        policy.key("a.txt");
        assert!(refusal(&policy, &v1_signer()).contains("does not limit the object key"));
    }

    #[test]
    fn an_invalid_bucket_is_refused() {
        let mut policy = PostPolicy::new("", EXPIRATION_2025_01_15_0930);
        policy.key_equals("a.txt");
        assert!(refusal(&policy, &v1_signer()).contains("bucket name is invalid"));
    }

    #[test]
    fn a_key_outside_its_own_prefix_is_refused() {
        let mut policy = PostPolicy::new("examplebucket", EXPIRATION_2025_01_15_0930);
        policy.key("other/a.txt").key_starts_with("user/");
        let message = refusal(&policy, &v1_signer());
        assert!(
            message.contains(r#"["starts-with","$key","user/"]"#),
            "{message}"
        );
    }

    #[test]
    fn an_unknown_success_status_is_refused() {
        let mut policy = PostPolicy::new("examplebucket", EXPIRATION_2025_01_15_0930);
        policy.key_equals("a.txt").success_action_status(202);
        assert!(refusal(&policy, &v1_signer()).contains("200, 201 or 204"));
    }

    #[test]
    fn signer_fields_cannot_be_added_as_plain_fields() {
        let mut policy = PostPolicy::new("examplebucket", EXPIRATION_2025_01_15_0930);
        policy.key_equals("a.txt").field("Policy", "x");
        assert!(refusal(&policy, &v1_signer()).contains("written by the policy signer"));
    }

    #[test]
    fn callback_variables_must_be_lower_case_x_names() {
        let mut policy = PostPolicy::new("examplebucket", EXPIRATION_2025_01_15_0930);
        policy.key_equals("a.txt").callback_var("x:Uid", "1");
        assert!(refusal(&policy, &v1_signer()).contains("lower case"));
    }

    #[test]
    fn a_callback_that_is_not_base64_json_is_refused() {
        let mut policy = PostPolicy::new("examplebucket", EXPIRATION_2025_01_15_0930);
        policy.key_equals("a.txt").callback("not base64!");
        assert!(refusal(&policy, &v1_signer()).contains("not base64"));
    }

    #[test]
    fn empty_credentials_are_refused() {
        let result = PostSigner::new(Credentials::new("", "s"), PostSignatureVersion::V1);
        assert!(result.is_err());
    }
}

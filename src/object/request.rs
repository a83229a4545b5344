//! One request shape for every operation beyond PutObject, and the check that what it carries
//! applies to the operation it is given to.

use std::fmt;
use std::str::FromStr;

use crate::error::{Error, ErrorKind};
use crate::headers;

/// What an operation beyond PutObject is asked to do: the bucket, the key of an object
/// operation, extra headers and query parameters, and the fields only some operations read.
///
/// A request is plain data that several operations may read (it is never consumed). Giving an
/// operation a field it does not read (keys to GetObject, a Range to ListObjects) is refused
/// with [`ErrorKind::InvalidArgument`] naming the operation and the field, never ignored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectRequest {
    /// PutObjectByUrl and GetObjectByUrl: the presigned URL the request goes to instead of a
    /// bucket and key (see [`ObjectRequest::for_url`]); those operations need it, the others
    /// refuse it.
    pub url: Option<String>,
    pub bucket: String,
    /// `None` for an operation on the bucket itself.
    pub key: Option<String>,
    /// Sent as given (If-Match, x-oss-traffic-limit, x-oss-request-payer, x-oss-acl, ...);
    /// names are case-insensitive and unique.
    pub headers: Vec<(String, String)>,
    /// Query parameters, sorted by name byte-wise and unique, as the SDK's parameter map keeps
    /// them; an empty value is sent as the bare name.
    pub parameters: Vec<(String, String)>,
    /// Check the CRC-64 of a whole-object GetObject (when the client enables CRC-64).
    pub check_crc64: bool,
    /// DeleteObjects: the keys to delete, in order.
    pub keys: Vec<String>,
    /// DeleteObjects: ask OSS to list only the keys it failed to delete.
    pub quiet: bool,
    /// CreateBucket: the bucket's storage class (`Standard` when `None`, as the SDK sends).
    pub storage_class: Option<StorageClass>,
    /// CreateBucket: the bucket's redundancy type (not sent when `None`).
    pub data_redundancy: Option<DataRedundancyType>,
    /// UploadPart, UploadPartCopy, CompleteMultipartUpload, AbortMultipartUpload and ListParts: the upload
    /// that InitiateMultipartUpload began (sent as `uploadId`); those operations need it.
    pub upload_id: Option<String>,
    /// InitiateMultipartUpload: ask for a sequential upload (the bare `sequential` parameter),
    /// whose parts OSS takes only in order.
    pub sequential: bool,
    /// UploadPart: compute Content-MD5 of the part (one extra read of it) when the headers
    /// carry none.
    pub compute_content_md5: bool,
}

impl ObjectRequest {
    pub fn new(bucket: &str, key: Option<&str>) -> Self {
        Self {
            url: None,
            bucket: bucket.to_owned(),
            key: key.map(str::to_owned),
            headers: Vec::new(),
            parameters: Vec::new(),
            check_crc64: true,
            keys: Vec::new(),
            quiet: false,
            storage_class: None,
            data_redundancy: None,
            upload_id: None,
            sequential: false,
            compute_content_md5: false,
        }
    }

    /// A request for PutObjectByUrl or GetObjectByUrl: sent to `url` (a presigned URL) as it
    /// is, unsigned. Its headers must be the ones the URL was signed with (Content-Type,
    /// Content-MD5, `x-oss-*`); the query parameters are the URL's own.
    pub fn for_url(url: &str) -> Self {
        Self {
            url: Some(url.to_owned()),
            ..Self::new("", None)
        }
    }

    /// Replaces any header of that name (case-insensitive), keeping the first spelling.
    pub fn set_header(&mut self, name: &str, value: &str) {
        headers::set(&mut self.headers, name, value);
    }

    pub fn remove_header(&mut self, name: &str) {
        headers::remove(&mut self.headers, name);
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        headers::find(&self.headers, name)
    }

    /// Sets a query parameter (`None` removes it). Names are case-sensitive, as in the SDK's map.
    pub fn set_parameter(&mut self, name: &str, value: Option<&str>) {
        set_parameter(&mut self.parameters, name, value);
    }

    pub fn parameter(&self, name: &str) -> Option<&str> {
        self.parameters
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// GetObject's `Range: bytes=start-end` (`end == -1`: to the end of the object); `standard`
    /// adds `x-oss-range-behavior: standard`, otherwise that header is removed, as the SDK's
    /// `setRange` clears standard mode.
    ///
    /// # Errors
    /// The SDK's rule: `start < 0`, `end < -1`, or `end > -1 && end < start` is refused with
    /// code `ValidateError` and the SDK's message, kind [`ErrorKind::InvalidArgument`]; the
    /// request is left unchanged.
    pub fn set_range(&mut self, start: i64, end: i64, standard: bool) -> Result<(), Error> {
        if start < 0 || end < -1 || (end > -1 && end < start) {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                "ValidateError",
                "The range is invalid. The start should not be less than 0 or less then the end. The end could be -1 to get the rest of the data.",
            ));
        }
        let range = if end == -1 {
            format!("bytes={start}-")
        } else {
            format!("bytes={start}-{end}")
        };
        self.set_header("Range", &range);
        if standard {
            self.set_header("x-oss-range-behavior", "standard");
        } else {
            self.remove_header("x-oss-range-behavior");
        }
        Ok(())
    }
}

/// Sets `name` in a parameter list kept sorted by name (byte-wise) and unique.
pub(crate) fn set_parameter(list: &mut Vec<(String, String)>, name: &str, value: Option<&str>) {
    let at = list.binary_search_by(|(n, _)| n.as_bytes().cmp(name.as_bytes()));
    match (at, value) {
        (Ok(i), Some(value)) => list[i].1 = value.to_owned(),
        (Ok(i), None) => {
            list.remove(i);
        }
        (Err(i), Some(value)) => list.insert(i, (name.to_owned(), value.to_owned())),
        (Err(_), None) => {}
    }
}

/// A bucket's storage class, spelled as the SDK and OSS spell it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StorageClass {
    Standard,
    IA,
    Archive,
    ColdArchive,
}

impl StorageClass {
    pub fn as_str(self) -> &'static str {
        match self {
            StorageClass::Standard => "Standard",
            StorageClass::IA => "IA",
            StorageClass::Archive => "Archive",
            StorageClass::ColdArchive => "ColdArchive",
        }
    }
}

impl FromStr for StorageClass {
    type Err = Error;

    /// The exact names `Standard`, `IA`, `Archive`, `ColdArchive`.
    fn from_str(s: &str) -> Result<Self, Error> {
        match s {
            "Standard" => Ok(StorageClass::Standard),
            "IA" => Ok(StorageClass::IA),
            "Archive" => Ok(StorageClass::Archive),
            "ColdArchive" => Ok(StorageClass::ColdArchive),
            _ => Err(Error::invalid_argument(format!(
                "{s:?} is not a storage class; use \"Standard\", \"IA\", \"Archive\" or \"ColdArchive\""
            ))),
        }
    }
}

impl fmt::Display for StorageClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a bucket's data is stored: in one zone (LRS) or across zones (ZRS).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataRedundancyType {
    LRS,
    ZRS,
}

impl DataRedundancyType {
    pub fn as_str(self) -> &'static str {
        match self {
            DataRedundancyType::LRS => "LRS",
            DataRedundancyType::ZRS => "ZRS",
        }
    }
}

impl FromStr for DataRedundancyType {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        match s {
            "LRS" => Ok(DataRedundancyType::LRS),
            "ZRS" => Ok(DataRedundancyType::ZRS),
            _ => Err(Error::invalid_argument(format!(
                "{s:?} is not a data redundancy type; use \"LRS\" or \"ZRS\""
            ))),
        }
    }
}

impl fmt::Display for DataRedundancyType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The operations an [`ObjectRequest`] can be given to, with what each reads from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verb {
    GetObject,
    HeadObject,
    GetObjectMeta,
    DoesObjectExist,
    DeleteObject,
    DeleteObjects,
    ListObjects,
    CreateBucket,
    DeleteBucket,
    InitiateMultipartUpload,
    UploadPart,
    UploadPartCopy,
    CompleteMultipartUpload,
    AbortMultipartUpload,
    ListParts,
    ListMultipartUploads,
    PutObjectByUrl,
    GetObjectByUrl,
}

impl Verb {
    pub fn name(self) -> &'static str {
        match self {
            Verb::GetObject => "GetObject",
            Verb::HeadObject => "HeadObject",
            Verb::GetObjectMeta => "GetObjectMeta",
            Verb::DoesObjectExist => "DoesObjectExist",
            Verb::DeleteObject => "DeleteObject",
            Verb::DeleteObjects => "DeleteObjects",
            Verb::ListObjects => "ListObjects",
            Verb::CreateBucket => "CreateBucket",
            Verb::DeleteBucket => "DeleteBucket",
            Verb::InitiateMultipartUpload => "InitiateMultipartUpload",
            Verb::UploadPart => "UploadPart",
            Verb::UploadPartCopy => "UploadPartCopy",
            Verb::CompleteMultipartUpload => "CompleteMultipartUpload",
            Verb::AbortMultipartUpload => "AbortMultipartUpload",
            Verb::ListParts => "ListParts",
            Verb::ListMultipartUploads => "ListMultipartUploads",
            Verb::PutObjectByUrl => "PutObjectByUrl",
            Verb::GetObjectByUrl => "GetObjectByUrl",
        }
    }

    fn on_object(self) -> bool {
        matches!(
            self,
            Verb::GetObject
                | Verb::HeadObject
                | Verb::GetObjectMeta
                | Verb::DoesObjectExist
                | Verb::DeleteObject
                | Verb::InitiateMultipartUpload
                | Verb::UploadPart
                | Verb::UploadPartCopy
                | Verb::CompleteMultipartUpload
                | Verb::AbortMultipartUpload
                | Verb::ListParts
        )
    }

    /// The operations addressed by a presigned URL instead of a bucket and key.
    pub(crate) fn by_url(self) -> bool {
        matches!(self, Verb::PutObjectByUrl | Verb::GetObjectByUrl)
    }

    /// The operations that download an object, and so read a Range and a CRC-64 switch.
    fn downloads(self) -> bool {
        matches!(self, Verb::GetObject | Verb::GetObjectByUrl)
    }

    /// The operations that work on one upload and so need its id.
    fn on_upload(self) -> bool {
        matches!(
            self,
            Verb::UploadPart
                | Verb::UploadPartCopy
                | Verb::CompleteMultipartUpload
                | Verb::AbortMultipartUpload
                | Verb::ListParts
        )
    }
}

impl ObjectRequest {
    /// Refuses what `verb` would not read, so that no setting is silently dropped. Names are
    /// validated later by the pipeline, with the SDK's messages.
    pub(crate) fn check_for(&self, verb: Verb) -> Result<(), Error> {
        let op = verb.name();
        let refuse = |field: &str, only: &str| {
            Err(Error::invalid_argument(format!(
                "{op} does not take {field}; only {only} does"
            )))
        };
        match (&self.url, verb.by_url()) {
            (None, true) => {
                return Err(Error::invalid_argument(format!(
                    "{op} needs a presigned URL; make the request with ossffi_request_new_url (ObjectRequest::for_url)"
                )));
            }
            (Some(_), true) => {
                // Everything else is in the URL, signed; a parameter added here would break
                // the signature.
                if !self.parameters.is_empty() {
                    return Err(Error::invalid_argument(format!(
                        "{op} takes no query parameters: they are part of the presigned URL and its signature"
                    )));
                }
            }
            (Some(url), false) => {
                return Err(Error::invalid_argument(format!(
                    "{op} needs a bucket (and a key); the request was made for the URL {url:?}, which only PutObjectByUrl and GetObjectByUrl take"
                )));
            }
            (None, false) => {}
        }
        match (&self.key, verb.on_object()) {
            (None, true) => {
                return Err(Error::invalid_argument(format!(
                    "{op} needs an object key; the request has none"
                )));
            }
            (Some(key), false) => {
                return Err(Error::invalid_argument(format!(
                    "{op} is a bucket operation and takes no object key; the request has key {key:?}"
                )));
            }
            _ => {}
        }
        if verb != Verb::DeleteObjects {
            if !self.keys.is_empty() {
                return refuse("a list of keys", "DeleteObjects");
            }
            if self.quiet {
                return refuse("quiet mode", "DeleteObjects");
            }
        }
        if verb != Verb::CreateBucket {
            if self.storage_class.is_some() {
                return refuse("a storage class", "CreateBucket");
            }
            if self.data_redundancy.is_some() {
                return refuse("a data redundancy type", "CreateBucket");
            }
        }
        if !verb.downloads() {
            let refuse = |field: &str| {
                Err(Error::invalid_argument(format!(
                    "{op} does not take {field}; only GetObject and GetObjectByUrl do"
                )))
            };
            if self.header("range").is_some() {
                return refuse("a Range");
            }
            if self.header("x-oss-range-behavior").is_some() {
                return refuse("x-oss-range-behavior");
            }
            // Only a download's bytes are checked (and PutObjectByUrl's, always, as the SDK
            // does); turning the check off elsewhere would suggest a check that never ran.
            if !self.check_crc64 {
                return refuse("a CRC-64 switch");
            }
        }
        match (&self.upload_id, verb.on_upload()) {
            (None, true) => {
                return Err(Error::invalid_argument(format!(
                    "{op} needs the upload id that InitiateMultipartUpload returned; the request has none"
                )));
            }
            (Some(_), false) => {
                return Err(Error::invalid_argument(format!(
                    "{op} does not take an upload id; only UploadPart, UploadPartCopy, CompleteMultipartUpload, AbortMultipartUpload and ListParts do"
                )));
            }
            _ => {}
        }
        if verb != Verb::InitiateMultipartUpload && self.sequential {
            return refuse("sequential mode", "InitiateMultipartUpload");
        }
        if verb != Verb::UploadPart && self.compute_content_md5 {
            return refuse("a computed Content-MD5", "UploadPart");
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_stay_sorted_byte_wise_and_unique() {
        let mut request = ObjectRequest::new("bkt", None);
        request.set_parameter("prefix", Some("p/"));
        request.set_parameter("max-keys", Some("10"));
        request.set_parameter("Marker", Some("upper first"));
        request.set_parameter("delimiter", Some("/"));
        request.set_parameter("prefix", Some("q/"));
        let names: Vec<&str> = request.parameters.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["Marker", "delimiter", "max-keys", "prefix"]);
        assert_eq!(request.parameter("prefix"), Some("q/"));
        request.set_parameter("max-keys", None);
        request.set_parameter("absent", None);
        assert_eq!(request.parameters.len(), 3);
        assert_eq!(request.parameter("max-keys"), None);
    }

    #[test]
    fn headers_replace_case_insensitively_keeping_the_first_spelling() {
        let mut request = ObjectRequest::new("bkt", Some("k"));
        request.set_header("If-Match", "\"a\"");
        request.set_header("if-match", "\"b\"");
        assert_eq!(
            request.headers,
            [("If-Match".to_owned(), "\"b\"".to_owned())]
        );
        request.remove_header("IF-MATCH");
        assert!(request.headers.is_empty());
    }

    #[test]
    fn set_range_writes_the_sdk_header_and_standard_mode() {
        let mut request = ObjectRequest::new("bkt", Some("k"));
        request.set_range(6, -1, true).unwrap();
        assert_eq!(request.header("Range"), Some("bytes=6-"));
        assert_eq!(request.header("x-oss-range-behavior"), Some("standard"));
        request.set_range(0, 4, false).unwrap();
        assert_eq!(request.header("range"), Some("bytes=0-4"));
        assert_eq!(request.header("x-oss-range-behavior"), None);
    }

    #[test]
    fn set_range_refuses_what_the_sdk_refuses_with_its_message() {
        let mut request = ObjectRequest::new("bkt", Some("k"));
        for (start, end) in [(5, 2), (-1, 2), (0, -2)] {
            let error = request.set_range(start, end, false).unwrap_err();
            assert_eq!(error.kind, ErrorKind::InvalidArgument);
            assert_eq!(error.code, "ValidateError");
            assert_eq!(
                error.message,
                "The range is invalid. The start should not be less than 0 or less then the end. The end could be -1 to get the rest of the data."
            );
        }
        assert!(request.headers.is_empty());
        request.set_range(3, 3, false).unwrap();
    }

    #[test]
    fn storage_class_and_redundancy_names_round_trip() {
        for name in ["Standard", "IA", "Archive", "ColdArchive"] {
            assert_eq!(name.parse::<StorageClass>().unwrap().as_str(), name);
        }
        for name in ["LRS", "ZRS"] {
            assert_eq!(name.parse::<DataRedundancyType>().unwrap().as_str(), name);
        }
        let error = "standard".parse::<StorageClass>().unwrap_err();
        assert_eq!(error.kind, ErrorKind::InvalidArgument);
        assert!(error.message.contains("\"Standard\""), "{}", error.message);
        assert!("GRS".parse::<DataRedundancyType>().is_err());
    }

    #[test]
    fn fields_an_operation_does_not_read_are_refused_naming_both() {
        let mut request = ObjectRequest::new("bkt", Some("k"));
        request.keys.push("a".into());
        let error = request.check_for(Verb::GetObject).unwrap_err();
        assert_eq!(error.kind, ErrorKind::InvalidArgument);
        assert_eq!(
            error.message,
            "GetObject does not take a list of keys; only DeleteObjects does"
        );

        let mut request = ObjectRequest::new("bkt", None);
        request.storage_class = Some(StorageClass::IA);
        let error = request.check_for(Verb::ListObjects).unwrap_err();
        assert_eq!(
            error.message,
            "ListObjects does not take a storage class; only CreateBucket does"
        );

        let mut request = ObjectRequest::new("bkt", Some("k"));
        request.set_range(0, 1, false).unwrap();
        assert!(request.check_for(Verb::GetObject).is_ok());
        let error = request.check_for(Verb::HeadObject).unwrap_err();
        assert_eq!(
            error.message,
            "HeadObject does not take a Range; only GetObject and GetObjectByUrl do"
        );

        let mut request = ObjectRequest::new("bkt", Some("k"));
        request.check_crc64 = false;
        assert!(request.check_for(Verb::GetObject).is_ok());
        let error = request.check_for(Verb::DeleteObject).unwrap_err();
        assert_eq!(
            error.message,
            "DeleteObject does not take a CRC-64 switch; only GetObject and GetObjectByUrl do"
        );
    }

    #[test]
    fn multipart_fields_are_refused_outside_the_operations_that_read_them() {
        let mut request = ObjectRequest::new("bkt", Some("k"));
        request.upload_id = Some("u".into());
        assert!(request.check_for(Verb::UploadPart).is_ok());
        assert!(request.check_for(Verb::UploadPartCopy).is_ok());
        assert!(request.check_for(Verb::ListParts).is_ok());
        let error = request
            .check_for(Verb::InitiateMultipartUpload)
            .unwrap_err();
        assert_eq!(
            error.message,
            "InitiateMultipartUpload does not take an upload id; only UploadPart, UploadPartCopy, CompleteMultipartUpload, AbortMultipartUpload and ListParts do"
        );
        let error = ObjectRequest::new("bkt", Some("k"))
            .check_for(Verb::AbortMultipartUpload)
            .unwrap_err();
        assert_eq!(
            error.message,
            "AbortMultipartUpload needs the upload id that InitiateMultipartUpload returned; the request has none"
        );

        let mut request = ObjectRequest::new("bkt", Some("k"));
        request.sequential = true;
        assert!(request.check_for(Verb::InitiateMultipartUpload).is_ok());
        let error = request.check_for(Verb::GetObject).unwrap_err();
        assert_eq!(
            error.message,
            "GetObject does not take sequential mode; only InitiateMultipartUpload does"
        );

        let mut request = ObjectRequest::new("bkt", Some("k"));
        request.upload_id = Some("u".into());
        request.compute_content_md5 = true;
        assert!(request.check_for(Verb::UploadPart).is_ok());
        let error = request
            .check_for(Verb::CompleteMultipartUpload)
            .unwrap_err();
        assert_eq!(
            error.message,
            "CompleteMultipartUpload does not take a computed Content-MD5; only UploadPart does"
        );
        let error = ObjectRequest::new("bkt", Some("k"))
            .check_for(Verb::ListMultipartUploads)
            .unwrap_err();
        assert!(
            error
                .message
                .starts_with("ListMultipartUploads is a bucket operation")
        );
    }

    #[test]
    fn object_operations_need_a_key_and_bucket_operations_refuse_one() {
        let error = ObjectRequest::new("bkt", None)
            .check_for(Verb::DeleteObject)
            .unwrap_err();
        assert_eq!(
            error.message,
            "DeleteObject needs an object key; the request has none"
        );
        let error = ObjectRequest::new("bkt", Some("k"))
            .check_for(Verb::CreateBucket)
            .unwrap_err();
        assert_eq!(
            error.message,
            "CreateBucket is a bucket operation and takes no object key; the request has key \"k\""
        );
    }
}

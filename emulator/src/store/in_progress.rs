//! The multipart uploads in progress, by id and in ListMultipartUploads' order.
//!
//! A listing page must cost what the page holds, not what the bucket holds: the ordered index
//! lets ListMultipartUploads start at its markers and stop at the end of the page, instead of
//! copying and sorting every upload of every bucket on each request.

use std::collections::{BTreeMap, HashMap};
use std::ops::Bound;

use super::Upload;

/// (bucket, key, order): ListMultipartUploads lists one bucket's uploads by key, then in order
/// of initiation.
type Place = (String, String, u64);

#[derive(Default)]
pub(super) struct InProgress {
    by_id: HashMap<String, Upload>,
    listed: BTreeMap<Place, String>,
    next_order: u64,
}

/// One upload as a listing sees it.
pub(crate) struct Listed<'a> {
    pub key: &'a str,
    pub id: &'a str,
    pub initiated: i64,
}

impl InProgress {
    /// Adds an upload with the order [`InProgress::next_order`] gave it, or the one it was
    /// saved with; one whose place another upload holds (two records of a data directory
    /// saved with the same order) goes after every upload known.
    pub fn insert(&mut self, id: String, mut upload: Upload) {
        if let Some(old) = self.by_id.remove(&id) {
            self.listed.remove(&place(&old));
        }
        if self.listed.contains_key(&place(&upload)) {
            upload.order = self.next_order;
        }
        self.next_order = self.next_order.max(upload.order.saturating_add(1));
        self.listed.insert(place(&upload), id.clone());
        self.by_id.insert(id, upload);
    }

    /// The order the next upload initiated gets (after every upload known, loaded ones too).
    pub fn next_order(&self) -> u64 {
        self.next_order
    }

    pub fn get(&self, id: &str) -> Option<&Upload> {
        self.by_id.get(id)
    }

    /// The upload to change. Its bucket, key and order place it in the listing and must stay
    /// as they are; only its parts and settings change.
    pub fn get_mut(&mut self, id: &str) -> Option<&mut Upload> {
        self.by_id.get_mut(id)
    }

    pub fn remove(&mut self, id: &str) -> Option<Upload> {
        let upload = self.by_id.remove(id)?;
        self.listed.remove(&place(&upload));
        Some(upload)
    }

    pub fn any_in(&self, bucket: &str) -> bool {
        self.in_bucket(Bound::Included(at(bucket, "", 0)), bucket)
            .next()
            .is_some()
    }

    /// The uploads of `bucket` whose key starts with `prefix`, in listing order, from where the
    /// markers say (as ListMultipartUploads reads them): with `key_marker` alone, after every
    /// upload of that key; with `id_marker` too, after that upload of the key, or, when it is no
    /// longer in progress, from the first upload of the key whose id sorts after it.
    pub fn listing<'a>(
        &'a self,
        bucket: &'a str,
        prefix: &'a str,
        key_marker: &str,
        id_marker: &str,
    ) -> impl Iterator<Item = Listed<'a>> + 'a {
        let from_prefix = at(bucket, prefix, 0);
        let from_markers = self.after_markers(bucket, key_marker, id_marker);
        let start = match &from_markers {
            Bound::Included(p) | Bound::Excluded(p) if *p >= from_prefix => from_markers,
            _ => Bound::Included(from_prefix),
        };
        self.in_bucket(start, bucket)
            .take_while(move |((_, key, _), _)| key.starts_with(prefix))
            .filter_map(|((_, key, _), id)| {
                let upload = self.by_id.get(id)?;
                Some(Listed {
                    key,
                    id,
                    initiated: upload.initiated,
                })
            })
    }

    fn after_markers(&self, bucket: &str, key_marker: &str, id_marker: &str) -> Bound<Place> {
        if key_marker.is_empty() {
            return Bound::Unbounded;
        }
        if !id_marker.is_empty() {
            if let Some(marked) = self
                .by_id
                .get(id_marker)
                .filter(|u| u.bucket == bucket && u.key == key_marker)
            {
                return Bound::Excluded(place(marked));
            }
            let of_key = self
                .in_bucket(Bound::Included(at(bucket, key_marker, 0)), bucket)
                .take_while(|((_, key, _), _)| key == key_marker);
            for ((_, _, order), id) in of_key {
                if id.as_str() > id_marker {
                    return Bound::Included(at(bucket, key_marker, *order));
                }
            }
        }
        Bound::Excluded(at(bucket, key_marker, u64::MAX))
    }

    fn in_bucket<'a>(
        &'a self,
        start: Bound<Place>,
        bucket: &'a str,
    ) -> impl Iterator<Item = (&'a Place, &'a String)> + 'a {
        self.listed
            .range((start, Bound::Unbounded))
            .take_while(move |((b, _, _), _)| b == bucket)
    }
}

fn place(upload: &Upload) -> Place {
    at(&upload.bucket, &upload.key, upload.order)
}

fn at(bucket: &str, key: &str, order: u64) -> Place {
    (bucket.to_owned(), key.to_owned(), order)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn upload(bucket: &str, key: &str, order: u64) -> Upload {
        Upload {
            bucket: bucket.into(),
            key: key.into(),
            content_type: String::new(),
            user_meta: Vec::new(),
            http_headers: Vec::new(),
            storage_class: "Standard".into(),
            initiated: order as i64,
            order,
            sequential: false,
            parts: BTreeMap::new(),
        }
    }

    /// Key "a": Z1 then A2; key "b": M; and an upload of another bucket on each side.
    fn uploads() -> InProgress {
        let mut all = InProgress::default();
        for (bucket, key, id) in [
            ("a-bucket", "a", "X"),
            ("b", "a", "Z1"),
            ("b", "a", "A2"),
            ("b", "b", "M"),
            ("c", "a", "Y"),
        ] {
            let order = all.next_order();
            all.insert(id.into(), upload(bucket, key, order));
        }
        all
    }

    fn ids(all: &InProgress, prefix: &str, key_marker: &str, id_marker: &str) -> Vec<String> {
        all.listing("b", prefix, key_marker, id_marker)
            .map(|l| l.id.to_owned())
            .collect()
    }

    #[test]
    fn lists_one_bucket_by_key_then_in_order_of_initiation() {
        assert_eq!(ids(&uploads(), "", "", ""), ["Z1", "A2", "M"]);
    }

    #[test]
    fn key_marker_alone_skips_every_upload_of_that_key() {
        assert_eq!(ids(&uploads(), "", "a", ""), ["M"]);
    }

    #[test]
    fn upload_id_marker_starts_after_that_upload_in_listing_order() {
        assert_eq!(ids(&uploads(), "", "a", "Z1"), ["A2", "M"]);
        assert_eq!(ids(&uploads(), "", "a", "A2"), ["M"]);
    }

    #[test]
    fn an_upload_id_marker_no_longer_in_progress_starts_at_the_first_id_after_it() {
        // Z1 sorts after "B", so the listing starts at it; nothing of key "a" sorts after "Zz".
        assert_eq!(ids(&uploads(), "", "a", "B"), ["Z1", "A2", "M"]);
        assert_eq!(ids(&uploads(), "", "a", "Zz"), ["M"]);
        // The id of another bucket's upload is no marker here.
        assert_eq!(ids(&uploads(), "", "a", "Y"), ["Z1", "A2", "M"]);
    }

    #[test]
    fn prefix_and_markers_start_at_whichever_is_later() {
        assert_eq!(ids(&uploads(), "b", "", ""), ["M"]);
        assert_eq!(ids(&uploads(), "b", "a", "Z1"), ["M"]);
        assert_eq!(ids(&uploads(), "a", "b", ""), Vec::<String>::new());
        assert_eq!(ids(&uploads(), "a", "", ""), ["Z1", "A2"]);
    }

    #[test]
    fn removing_and_reinserting_keeps_the_index_in_step() {
        let mut all = uploads();
        assert_eq!(all.remove("Z1").map(|u| u.key), Some("a".into()));
        assert!(all.remove("Z1").is_none());
        assert_eq!(ids(&all, "", "", ""), ["A2", "M"]);
        assert!(all.any_in("b") && all.any_in("c") && !all.any_in("bb"));
        for id in ["A2", "M"] {
            all.remove(id);
        }
        assert!(!all.any_in("b"));
        assert!(all.get("X").is_some() && all.get("Y").is_some());
    }

    #[test]
    fn loaded_orders_are_kept_and_new_uploads_come_after_them() {
        let mut all = InProgress::default();
        all.insert("old".into(), upload("b", "k", 41));
        assert_eq!(all.next_order(), 42);
        all.insert("new".into(), upload("b", "k", all.next_order()));
        all.insert("same-order".into(), upload("b", "k", 41));
        assert_eq!(ids(&all, "", "", ""), ["old", "new", "same-order"]);
        assert_eq!(all.get("same-order").map(|u| u.order), Some(43));
    }
}

//! Cancelling an asynchronous call that is already running. The pool thread that runs a call
//! makes the call's flag its own for as long as the call runs ([`Watch`]); the pipeline looks at
//! it before each attempt and between the chunks it sends or receives, so a cancelled call stops
//! at its next chunk. Synchronous calls have no flag and are never cancelled this way.

use std::cell::RefCell;
use std::sync::Arc;
#[cfg(test)]
use std::sync::atomic::{AtomicBool, Ordering};

use crate::error::{Error, ErrorKind, ObjectStored};

/// What a running call can be asked: whether it was cancelled. The call's own shared state
/// answers, so that watching it costs no allocation of its own.
pub(crate) trait Flag: Send + Sync {
    fn is_set(&self) -> bool;
}

#[cfg(test)]
impl Flag for AtomicBool {
    fn is_set(&self) -> bool {
        self.load(Ordering::Acquire)
    }
}

thread_local! {
    static FLAG: RefCell<Option<Arc<dyn Flag>>> = const { RefCell::new(None) };
}

/// Makes `flag` the calling thread's cancel flag until dropped.
pub(crate) struct Watch(());

impl Watch {
    pub(crate) fn new(flag: Arc<dyn Flag>) -> Self {
        FLAG.with(|f| *f.borrow_mut() = Some(flag));
        Watch(())
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        FLAG.with(|f| *f.borrow_mut() = None);
    }
}

/// Whether the call running on this thread was cancelled.
pub(crate) fn requested() -> bool {
    FLAG.with(|f| f.borrow().as_ref().is_some_and(|flag| flag.is_set()))
}

/// The error of a cancelled call; `stored` says what became of an upload it interrupted.
pub(crate) fn cancelled(when: &str, stored: ObjectStored) -> Error {
    Error::new(
        ErrorKind::Cancelled,
        "ClientError:200042",
        format!(
            "Operation was aborted by an application callback. (the call was cancelled {when})"
        ),
    )
    .with_object_stored(stored)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_watching_thread_sees_its_flag_and_only_while_it_watches() {
        let flag = Arc::new(AtomicBool::new(false));
        assert!(!requested());
        {
            let _watch = Watch::new(Arc::clone(&flag) as Arc<dyn Flag>);
            assert!(!requested());
            flag.store(true, Ordering::Release);
            assert!(requested());
            assert!(!std::thread::spawn(requested).join().unwrap());
        }
        assert!(!requested());
    }
}

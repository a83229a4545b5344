//! A bounded pool: a fixed number of threads taking jobs from a bounded queue, on which a
//! client's asynchronous calls run. Many calls may be in flight while only a few threads exist
//! (the C++ SDK starts a thread per call). Threads start when the first job arrives.
//!
//! A job is told whether it runs or was cancelled before it started, so whoever queued it can
//! always release what it holds: every job submitted is called exactly once.

use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;

/// How a job is called.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Run {
    /// On a pool thread: do the work.
    Normal,
    /// Cancelled while it waited in the queue, on the thread that cancelled it: do not do the
    /// work, only complete.
    Cancelled,
}

pub type Job = Box<dyn FnOnce(Run) + Send>;

/// What a submission that finds the queue full does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WhenFull {
    /// Wait for room (not on the pool's own threads, which would wait for themselves).
    Block,
    /// Refuse at once.
    Fail,
}

/// Why a job was not queued; the job comes back untouched.
pub enum Refused {
    /// The queue is full (with [`WhenFull::Fail`], or on one of the pool's threads).
    Full(Job),
    /// The pool is shutting down.
    Closed(Job),
}

impl std::fmt::Debug for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Refused::Full(_) => "Full",
            Refused::Closed(_) => "Closed",
        })
    }
}

/// A queued job's number, to cancel it while it waits.
pub type Ticket = u64;

struct State {
    queue: VecDeque<(Ticket, Job)>,
    next_ticket: Ticket,
    /// Threads started so far (never more than `threads`).
    started: usize,
    /// Threads waiting for a job, and submitters waiting for room: a condition variable is
    /// signalled only when someone waits on it (each signal is a system call).
    idle: usize,
    blocked: usize,
    closed: bool,
}

struct Shared {
    state: Mutex<State>,
    /// Signalled when a job is queued or the pool closes.
    work: Condvar,
    /// Signalled when a job leaves the queue.
    room: Condvar,
    threads: usize,
    capacity: usize,
}

thread_local! {
    /// The pool whose thread this is (its `Shared`'s address), so that a submission from a job
    /// never waits for a queue only this thread could empty.
    static CURRENT: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

pub struct Pool {
    shared: Arc<Shared>,
    workers: Mutex<Vec<JoinHandle<()>>>,
}

impl Pool {
    /// A pool of `threads` threads (at least 1) and a queue of `capacity` jobs (at least 1).
    pub fn new(threads: usize, capacity: usize) -> Self {
        Self {
            shared: Arc::new(Shared {
                state: Mutex::new(State {
                    queue: VecDeque::new(),
                    next_ticket: 1,
                    started: 0,
                    idle: 0,
                    blocked: 0,
                    closed: false,
                }),
                work: Condvar::new(),
                room: Condvar::new(),
                threads: threads.max(1),
                capacity: capacity.max(1),
            }),
            workers: Mutex::new(Vec::new()),
        }
    }

    /// Queues `job`, starting a thread when fewer than `threads` run.
    pub fn submit(&self, job: Job, when_full: WhenFull) -> Result<Ticket, Refused> {
        let shared = &self.shared;
        let on_own_thread = self.is_current();
        let mut state = lock(&shared.state);
        loop {
            if state.closed {
                return Err(Refused::Closed(job));
            }
            if state.queue.len() < shared.capacity {
                break;
            }
            if when_full == WhenFull::Fail || on_own_thread {
                return Err(Refused::Full(job));
            }
            state.blocked += 1;
            state = shared
                .room
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
            state.blocked -= 1;
        }
        let ticket = state.next_ticket;
        state.next_ticket += 1;
        state.queue.push_back((ticket, job));
        // Threads start one per submission until there are `threads` of them.
        if state.started < shared.threads {
            state.started += 1;
            let worker = Arc::clone(shared);
            let spawned = std::thread::Builder::new()
                .name("ossffi-async".into())
                .spawn(move || work(&worker));
            match spawned {
                Ok(handle) => lock(&self.workers).push(handle),
                // The queued job still runs on a thread that exists; with none, it is
                // refused instead of waiting forever.
                Err(_) if state.started > 1 => state.started -= 1,
                Err(_) => {
                    state.started -= 1;
                    let (_, job) = state.queue.pop_back().expect("just queued");
                    return Err(Refused::Full(job));
                }
            }
        }
        let wake = state.idle > 0;
        drop(state);
        if wake {
            shared.work.notify_one();
        }
        Ok(ticket)
    }

    /// Takes the job `ticket` out of the queue if it has not started.
    pub fn take(&self, ticket: Ticket) -> Option<Job> {
        let mut state = lock(&self.shared.state);
        let at = state.queue.iter().position(|(t, _)| *t == ticket)?;
        let (_, job) = state.queue.remove(at).expect("found");
        let wake = state.blocked > 0;
        drop(state);
        if wake {
            self.shared.room.notify_one();
        }
        Some(job)
    }

    /// Takes every job that has not started out of the queue.
    pub fn take_all(&self) -> Vec<Job> {
        let jobs: Vec<Job> = lock(&self.shared.state)
            .queue
            .drain(..)
            .map(|(_, job)| job)
            .collect();
        self.shared.room.notify_all();
        jobs
    }

    /// Refuses new jobs, lets the queued ones run and waits for every thread to finish, except
    /// the calling thread when it is one of the pool's own (it finishes its job and exits).
    pub fn shutdown(&self) {
        lock(&self.shared.state).closed = true;
        self.shared.work.notify_all();
        self.shared.room.notify_all();
        let workers = std::mem::take(&mut *lock(&self.workers));
        let me = std::thread::current().id();
        for worker in workers {
            if worker.thread().id() != me {
                // A job that panicked was caught inside `work`; join cannot fail otherwise.
                let _ = worker.join();
            }
        }
    }

    /// Threads started so far.
    pub fn threads_started(&self) -> usize {
        lock(&self.shared.state).started
    }

    fn is_current(&self) -> bool {
        CURRENT.with(|c| c.get()) == Arc::as_ptr(&self.shared) as usize
    }
}

impl Drop for Pool {
    fn drop(&mut self) {
        self.shutdown();
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // Jobs run outside the lock and a panicking job is caught, so a poisoned lock still holds
    // consistent state.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

fn work(shared: &Arc<Shared>) {
    CURRENT.with(|c| c.set(Arc::as_ptr(shared) as usize));
    loop {
        let mut state = lock(&shared.state);
        let job = loop {
            if let Some((_, job)) = state.queue.pop_front() {
                break job;
            }
            if state.closed {
                return;
            }
            state.idle += 1;
            state = shared
                .work
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
            state.idle -= 1;
        };
        let wake = state.blocked > 0;
        drop(state);
        if wake {
            shared.room.notify_one();
        }
        // A job that panics must not take the thread (and its queue) down with it; the job's
        // own completion reports what happened.
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| job(Run::Normal)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::mpsc;
    use std::time::Duration;

    #[test]
    fn every_job_runs_once_on_at_most_the_pools_threads() {
        let pool = Pool::new(3, 10_000);
        let ran = Arc::new(AtomicUsize::new(0));
        let names = Arc::new(Mutex::new(std::collections::HashSet::new()));
        for _ in 0..1000 {
            let ran = Arc::clone(&ran);
            let names = Arc::clone(&names);
            pool.submit(
                Box::new(move |run| {
                    assert_eq!(run, Run::Normal);
                    names.lock().unwrap().insert(std::thread::current().id());
                    ran.fetch_add(1, Ordering::SeqCst);
                }),
                WhenFull::Block,
            )
            .unwrap();
        }
        pool.shutdown();
        assert_eq!(ran.load(Ordering::SeqCst), 1000);
        assert!(names.lock().unwrap().len() <= 3);
        assert!(pool.threads_started() <= 3);
    }

    #[test]
    fn a_full_queue_refuses_or_waits_as_asked() {
        let pool = Pool::new(1, 1);
        let (release, gate) = mpsc::channel::<()>();
        let gate = Arc::new(Mutex::new(gate));
        let blocker = Arc::clone(&gate);
        pool.submit(
            Box::new(move |_| blocker.lock().unwrap().recv().unwrap()),
            WhenFull::Block,
        )
        .unwrap();
        // Wait until the first job occupies the only thread, then fill the queue.
        while !lock(&pool.shared.state).queue.is_empty() {
            std::thread::sleep(Duration::from_millis(1));
        }
        pool.submit(Box::new(|_| {}), WhenFull::Fail).unwrap();
        assert!(matches!(
            pool.submit(Box::new(|_| {}), WhenFull::Fail),
            Err(Refused::Full(_))
        ));
        std::thread::scope(|scope| {
            let waiting = scope.spawn(|| pool.submit(Box::new(|_| {}), WhenFull::Block).is_ok());
            std::thread::sleep(Duration::from_millis(50));
            assert!(!waiting.is_finished(), "a blocking submit waits for room");
            release.send(()).unwrap();
            assert!(waiting.join().unwrap());
        });
        pool.shutdown();
        assert!(matches!(
            pool.submit(Box::new(|_| {}), WhenFull::Block),
            Err(Refused::Closed(_))
        ));
    }

    #[test]
    fn a_job_submitting_to_a_full_queue_is_refused_instead_of_waiting_for_itself() {
        let pool = Arc::new(Pool::new(1, 1));
        let (tx, rx) = mpsc::channel();
        let inner = Arc::clone(&pool);
        pool.submit(
            Box::new(move |_| {
                inner.submit(Box::new(|_| {}), WhenFull::Block).unwrap();
                let again = inner.submit(Box::new(|_| {}), WhenFull::Block);
                tx.send(matches!(again, Err(Refused::Full(_)))).unwrap();
            }),
            WhenFull::Block,
        )
        .unwrap();
        assert!(rx.recv_timeout(Duration::from_secs(10)).unwrap());
        pool.shutdown();
    }

    #[test]
    fn queued_jobs_can_be_taken_and_a_panicking_job_spares_the_thread() {
        let pool = Pool::new(1, 100);
        let (release, gate) = mpsc::channel::<()>();
        pool.submit(
            Box::new(move |_| {
                gate.recv().unwrap();
                panic!("a job that panics");
            }),
            WhenFull::Block,
        )
        .unwrap();
        let second = pool.submit(Box::new(|_| {}), WhenFull::Block).unwrap();
        let ran = Arc::new(AtomicUsize::new(0));
        let counted = Arc::clone(&ran);
        pool.submit(
            Box::new(move |run| {
                assert_eq!(run, Run::Normal);
                counted.fetch_add(1, Ordering::SeqCst);
            }),
            WhenFull::Block,
        )
        .unwrap();
        assert!(pool.take(second).is_some());
        assert!(pool.take(second).is_none());
        release.send(()).unwrap();
        pool.shutdown();
        assert_eq!(ran.load(Ordering::SeqCst), 1, "the job after the panic ran");
        assert!(pool.take_all().is_empty());
    }
}

//! Group commit by leader hand-off: callers queue their items; one of them (the leader) runs
//! everything queued as one batch — one database round trip for many requests — and answers
//! the others. The nonce acceptor uses it (two groups in flight); the audit chain's committer
//! has a thread of its own (`pg::audit`) and shares only [`Slot`].
//!
//! **Why each waiter has its own slot.** Under load a dozen request threads wait for their
//! batch. Waking all of them whenever anything changes (one shared condition variable) costs a
//! futex wake and a context switch per waiter, twice per batch, and most of them only find that
//! their answer is not there yet and sleep again. Here a finished leader wakes exactly the
//! threads that have something to do: each of its followers, with its answer, and the first
//! queued caller, which leads the next batch.

use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};

/// A group committer of items `I` answered with `R`.
pub(crate) struct Group<I, R> {
    state: Mutex<State<I, R>>,
    /// Batches that may run at once.
    max_running: usize,
    /// Most items one batch carries; more wait for the next one.
    max_batch: usize,
}

struct State<I, R> {
    /// Items not yet taken by a leader, in arrival order, each with its caller's slot.
    queue: VecDeque<(I, Arc<Slot<R>>)>,
    /// Batches running, counting a hand-off not yet picked up. While the queue is not empty
    /// this is `max_running`: a leader that finds queued items hands its place on.
    running: usize,
}

/// Where one caller waits for its turn (also the audit chain's committer thread's callers).
pub(crate) struct Slot<R> {
    turn: Mutex<Turn<R>>,
    wake: Condvar,
}

enum Turn<R> {
    Waiting,
    /// Lead the next batch (the caller's item is first in the queue).
    Lead,
    Done(R),
}

fn relock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // Every field is replaced whole: a panic elsewhere leaves nothing half-updated.
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl<R> Slot<R> {
    pub(crate) fn new() -> Slot<R> {
        Slot {
            turn: Mutex::new(Turn::Waiting),
            wake: Condvar::new(),
        }
    }

    fn set(&self, turn: Turn<R>) {
        *relock(&self.turn) = turn;
        self.wake.notify_one();
    }

    /// Gives the waiting caller its answer.
    pub(crate) fn answer(&self, r: R) {
        self.set(Turn::Done(r));
    }

    /// Waits until the caller leads (`None`) or has its answer.
    pub(crate) fn wait(&self) -> Option<R> {
        let mut t = relock(&self.turn);
        loop {
            match std::mem::replace(&mut *t, Turn::Waiting) {
                Turn::Waiting => {}
                Turn::Lead => return None,
                Turn::Done(r) => return Some(r),
            }
            t = self.wake.wait(t).unwrap_or_else(PoisonError::into_inner);
        }
    }
}

impl<I, R> Group<I, R> {
    pub(crate) fn new(max_running: usize, max_batch: usize) -> Group<I, R> {
        Group {
            state: Mutex::new(State {
                queue: VecDeque::new(),
                running: 0,
            }),
            max_running: max_running.max(1),
            max_batch: max_batch.max(1),
        }
    }

    /// Runs `item` in a batch and returns its answer. When this caller leads, `run` gets the
    /// batch's items (this caller's first) and returns one answer per item, in order; then the
    /// next leader is woken and the followers get their answers. A panic in `run` answers every
    /// item of the batch with `panicked()`.
    pub(crate) fn submit(
        &self,
        item: I,
        run: impl FnOnce(Vec<I>) -> Vec<R>,
        panicked: impl Fn() -> R,
    ) -> R {
        let slot = Arc::new(Slot::new());
        let mut s = relock(&self.state);
        s.queue.push_back((item, slot.clone()));
        if s.running < self.max_running {
            // Nothing queued before this item (see `State::running`): lead it at once.
            s.running += 1;
        } else {
            drop(s);
            if let Some(answer) = slot.wait() {
                return answer;
            }
            s = relock(&self.state);
        }
        let take = s.queue.len().min(self.max_batch);
        let (items, slots): (Vec<I>, Vec<Arc<Slot<R>>>) = s.queue.drain(..take).unzip();
        drop(s);

        let n = items.len();
        let mut answers = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run(items)))
            .unwrap_or_default();
        // A short answer list would leave callers waiting forever.
        answers.truncate(n);
        while answers.len() < n {
            answers.push(panicked());
        }

        let mut s = relock(&self.state);
        match s.queue.front() {
            // The next batch starts while this one's followers are answered.
            Some((_, next)) => next.set(Turn::Lead),
            None => s.running -= 1,
        }
        drop(s);
        let mut answers = answers.into_iter();
        let own = answers.next().unwrap_or_else(&panicked);
        for (slot, answer) in slots.iter().skip(1).zip(answers) {
            slot.set(Turn::Done(answer));
        }
        own
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn every_caller_gets_its_own_answer_and_batches_never_exceed_their_limits() {
        for max_running in [1, 2] {
            let g: Arc<Group<u32, u32>> = Arc::new(Group::new(max_running, 4));
            let running = Arc::new(AtomicUsize::new(0));
            let peak = Arc::new(AtomicUsize::new(0));
            let sizes = Arc::new(Mutex::new(Vec::new()));
            let handles: Vec<_> = (0..40u32)
                .map(|i| {
                    let (g, running, peak, sizes) =
                        (g.clone(), running.clone(), peak.clone(), sizes.clone());
                    std::thread::spawn(move || {
                        g.submit(
                            i,
                            |items| {
                                let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                                peak.fetch_max(now, Ordering::SeqCst);
                                sizes.lock().unwrap().push(items.len());
                                std::thread::sleep(std::time::Duration::from_millis(2));
                                running.fetch_sub(1, Ordering::SeqCst);
                                items.iter().map(|i| i * 10).collect()
                            },
                            || u32::MAX,
                        )
                    })
                })
                .collect();
            let answers: Vec<u32> = handles.into_iter().map(|h| h.join().unwrap()).collect();
            assert_eq!(answers, (0..40).map(|i| i * 10).collect::<Vec<_>>());
            let sizes = sizes.lock().unwrap().clone();
            assert_eq!(sizes.iter().sum::<usize>(), 40);
            assert!(sizes.iter().all(|n| (1..=4).contains(n)), "{sizes:?}");
            assert!(
                sizes.len() < 40,
                "some batch carried several items: {sizes:?}"
            );
            assert!(peak.load(Ordering::SeqCst) <= max_running);
            // Idle again: the next caller leads at once.
            assert_eq!(g.submit(7, |i| i, || 0), 7);
        }
    }

    #[test]
    fn a_panicking_batch_answers_everyone_and_the_group_goes_on() {
        let g: Group<u32, Result<u32, &str>> = Group::new(1, 8);
        let r = g.submit(
            1,
            |_| -> Vec<Result<u32, &str>> { panic!("boom") },
            || Err("panicked"),
        );
        assert_eq!(r, Err("panicked"));
        // A batch that answers too few items: the rest are told it failed.
        let r = g.submit(2, |_| Vec::new(), || Err("short"));
        assert_eq!(r, Err("short"));
        let r = g.submit(3, |i| vec![Ok(i[0])], || Err("x"));
        assert_eq!(r, Ok(3));
    }
}

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

/// A queued item and the slot its caller waits on.
type Queued<I, R> = (I, Arc<Slot<Turn<I, R>>>);

struct State<I, R> {
    /// Items not yet given to a leader, in arrival order.
    queue: VecDeque<Queued<I, R>>,
    /// Batches running, counting those handed to a next leader that has not woken yet. While
    /// the queue is not empty this is `max_running`: a leader that finds queued items hands its
    /// place on.
    running: usize,
}

/// What a queued caller is woken with.
enum Turn<I, R> {
    /// Lead this batch: the items the finished leader took from the queue, this caller's first.
    Lead(Vec<Queued<I, R>>),
    Done(R),
}

/// Where one caller waits for what another thread hands it: an answer, or (in a [`Group`]) a
/// batch to lead. The audit chain's committer answers its callers through these too.
pub(crate) struct Slot<T> {
    value: Mutex<Option<T>>,
    wake: Condvar,
}

fn relock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // Every field is replaced whole: a panic elsewhere leaves nothing half-updated.
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl<T> Slot<T> {
    pub(crate) fn new() -> Slot<T> {
        Slot {
            value: Mutex::new(None),
            wake: Condvar::new(),
        }
    }

    /// Hands `value` to the waiting caller.
    pub(crate) fn put(&self, value: T) {
        *relock(&self.value) = Some(value);
        self.wake.notify_one();
    }

    /// Waits until something was handed over, and takes it.
    pub(crate) fn take(&self) -> T {
        let mut v = relock(&self.value);
        loop {
            if let Some(value) = v.take() {
                return value;
            }
            v = self.wake.wait(v).unwrap_or_else(PoisonError::into_inner);
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
    /// next batch is handed to its leader and the followers get their answers. A panic in `run`
    /// answers every item of the batch with `panicked()`.
    ///
    /// A finished leader takes the next batch out of the queue itself and hands it over whole:
    /// with two batches running, both may finish before the next leader wakes, and each must
    /// hand over a batch of its own (the second finds the first one's items gone).
    pub(crate) fn submit(
        &self,
        item: I,
        run: impl FnOnce(Vec<I>) -> Vec<R>,
        panicked: impl Fn() -> R,
    ) -> R {
        let slot = Arc::new(Slot::new());
        let mut s = relock(&self.state);
        let batch = if s.running < self.max_running {
            // Nothing is queued (see `State::running`): lead this item at once.
            s.running += 1;
            drop(s);
            vec![(item, slot)]
        } else {
            s.queue.push_back((item, slot.clone()));
            drop(s);
            match slot.take() {
                Turn::Done(answer) => return answer,
                Turn::Lead(batch) => batch,
            }
        };
        let (items, slots): (Vec<I>, Vec<_>) = batch.into_iter().unzip();

        let n = items.len();
        let mut answers = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run(items)))
            .unwrap_or_default();
        // A short answer list would leave callers waiting forever.
        answers.truncate(n);
        while answers.len() < n {
            answers.push(panicked());
        }

        let mut s = relock(&self.state);
        let next: Vec<Queued<I, R>> = if s.queue.is_empty() {
            s.running -= 1;
            Vec::new()
        } else {
            let take = s.queue.len().min(self.max_batch);
            s.queue.drain(..take).collect()
        };
        drop(s);
        // The next batch starts while this one's followers are answered.
        if let Some(leader) = next.first().map(|(_, slot)| slot.clone()) {
            leader.put(Turn::Lead(next));
        }
        let mut answers = answers.into_iter();
        let own = answers.next().unwrap_or_else(&panicked);
        for (slot, answer) in slots.iter().skip(1).zip(answers) {
            slot.put(Turn::Done(answer));
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

    /// Two batches running can finish before the next leader wakes; each hands over a batch
    /// of its own, and every caller gets the answer to its own item (many rounds, so that the
    /// interleavings happen).
    #[test]
    fn leaders_finishing_together_each_hand_over_their_own_batch() {
        let g: Arc<Group<u64, u64>> = Arc::new(Group::new(2, 3));
        let handles: Vec<_> = (0..8u64)
            .map(|t| {
                let g = g.clone();
                std::thread::spawn(move || {
                    for i in 0..300u64 {
                        let item = t * 1_000 + i;
                        let answer = g.submit(
                            item,
                            |items| {
                                if item % 7 == 0 {
                                    std::thread::yield_now();
                                }
                                items.iter().map(|i| i * 10 + 1).collect()
                            },
                            || u64::MAX,
                        );
                        assert_eq!(answer, item * 10 + 1);
                    }
                })
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        // Nothing left running: the next caller leads at once.
        assert_eq!(g.submit(5, |i| i, || 0), 5);
        assert_eq!(relock(&g.state).running, 0);
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

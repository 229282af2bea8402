//! Parallel helpers over slices, on all cores, with std threads only.

use std::sync::atomic::{AtomicUsize, Ordering};

/// Runs `f` over `items` on all cores, keeping the order of `items`.
pub fn parallel<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len())
        .max(1);
    let next = AtomicUsize::new(0);
    let mut chunks: Vec<Vec<(usize, R)>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut out = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(i) else { break };
                        out.push((i, f(item)));
                    }
                    out
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    let mut all: Vec<(usize, R)> = chunks.iter_mut().flat_map(std::mem::take).collect();
    all.sort_unstable_by_key(|(i, _)| *i);
    all.into_iter().map(|(_, r)| r).collect()
}

/// Results of `f` over `items` computed on all cores and handed to `body` in the order of
/// `items`; workers stay at most `WINDOW` items ahead of `body`.
pub fn ordered<T: Sync, U: Send, R>(
    items: &[T],
    f: impl Fn(&T) -> U + Sync,
    body: impl FnOnce(&mut dyn Iterator<Item = U>) -> R,
) -> R {
    use std::collections::BTreeMap;
    use std::sync::{Condvar, Mutex, PoisonError};
    const WINDOW: usize = 512;
    struct Shared<U> {
        ready: BTreeMap<usize, U>,
        /// Items handed to `body` so far.
        consumed: usize,
        /// Set when `body` is done or a worker panicked: everyone stops.
        stop: bool,
    }
    let shared = Mutex::new(Shared {
        ready: BTreeMap::new(),
        consumed: 0,
        stop: false,
    });
    let (has_ready, has_room) = (Condvar::new(), Condvar::new());
    let next = std::sync::atomic::AtomicUsize::new(0);
    let lock = || shared.lock().unwrap_or_else(PoisonError::into_inner);
    // Stops everyone when dropped: at the end of `body`, or when a worker unwinds.
    struct Stop<'a, F: Fn()>(&'a F);
    impl<F: Fn()> Drop for Stop<'_, F> {
        fn drop(&mut self) {
            (self.0)();
        }
    }
    let stop_all = || {
        lock().stop = true;
        has_ready.notify_all();
        has_room.notify_all();
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    std::thread::scope(|s| {
        for _ in 0..threads.min(items.len()) {
            s.spawn(|| {
                let mut guard = Some(Stop(&stop_all));
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(item) = items.get(i) else { break };
                    {
                        let mut g = lock();
                        while i >= g.consumed + WINDOW && !g.stop {
                            g = has_room.wait(g).unwrap_or_else(PoisonError::into_inner);
                        }
                        if g.stop {
                            break;
                        }
                    }
                    let u = f(item);
                    lock().ready.insert(i, u);
                    has_ready.notify_one();
                }
                // A normal end stops nobody; only unwinding drops the guard.
                std::mem::forget(guard.take());
            });
        }
        let _stop = Stop(&stop_all);
        let mut want = 0;
        let mut iter = std::iter::from_fn(|| {
            if want >= items.len() {
                return None;
            }
            let mut g = lock();
            loop {
                if let Some(u) = g.ready.remove(&want) {
                    want += 1;
                    g.consumed = want;
                    drop(g);
                    has_room.notify_all();
                    return Some(u);
                }
                if g.stop {
                    return None; // a worker panicked; the scope re-raises it
                }
                g = has_ready.wait(g).unwrap_or_else(PoisonError::into_inner);
            }
        });
        body(&mut iter)
    })
}

#[cfg(test)]
mod ordered_tests {
    #[test]
    fn gives_every_result_in_order_and_stops_early() {
        let items: Vec<usize> = (0..5000).collect();
        let got = super::ordered(&items, |i| i * 2, |it| it.collect::<Vec<_>>());
        assert_eq!(got, items.iter().map(|i| i * 2).collect::<Vec<_>>());
        // A body that stops early does not leave workers waiting for room.
        let first = super::ordered(&items, |i| *i, |it| it.take(3).collect::<Vec<_>>());
        assert_eq!(first, vec![0, 1, 2]);
        let none: Vec<usize> = Vec::new();
        assert_eq!(super::ordered(&none, |i| *i, |it| it.count()), 0);
    }

    #[test]
    fn a_panicking_worker_is_reported_not_waited_for() {
        let items: Vec<usize> = (0..5000).collect();
        let run = std::panic::catch_unwind(|| {
            super::ordered(
                &items,
                |i| if *i == 700 { panic!("boom") } else { *i },
                |it| it.count(),
            )
        });
        assert!(run.is_err());
    }
}

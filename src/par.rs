//! Parallel helpers over slices, on all cores, with std threads only.

use std::sync::atomic::{AtomicUsize, Ordering};

/// How many threads share `items` items: one a core, no more than there are items.
fn workers(items: usize) -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items)
        .max(1)
}

/// Runs `f` over `items` on all cores, keeping the order of `items`.
pub fn parallel<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = workers(items.len());
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

/// `then(first(item), &shared)` over `items` on all cores, in the order of `items`, where
/// `shared` comes from `load` on a thread of its own: the workers run `first` (the costly
/// part, such as parsing) while `load` runs, holding up to `PENDING` results each until
/// `shared` is ready. Returns `shared` with the results. A panic in `load` or a worker is
/// re-raised here.
pub fn parallel_while_loading<T: Sync, S: Send + Sync, U, R: Send>(
    items: &[T],
    load: impl FnOnce() -> S + Send,
    first: impl Fn(&T) -> U + Sync,
    then: impl Fn(U, &S) -> R + Sync,
) -> (S, Vec<R>) {
    use std::sync::OnceLock;
    const PENDING: usize = 256;
    // None: `load` unwound, and the workers stop.
    let cell: OnceLock<Option<S>> = OnceLock::new();
    struct Unwound<'a, S>(&'a OnceLock<Option<S>>);
    impl<S> Drop for Unwound<'_, S> {
        fn drop(&mut self) {
            let _ = self.0.set(None);
        }
    }
    let threads = workers(items.len());
    let next = AtomicUsize::new(0);
    let mut chunks: Vec<Vec<(usize, R)>> = std::thread::scope(|s| {
        let loader = s.spawn(|| {
            let guard = Unwound(&cell);
            let shared = load();
            let _ = cell.set(Some(shared));
            drop(guard);
        });
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut out = Vec::new();
                    let mut pending = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(i) else { break };
                        let u = first(item);
                        match cell.get() {
                            Some(Some(shared)) => out.push((i, then(u, shared))),
                            Some(None) => return out,
                            None => {
                                pending.push((i, u));
                                if pending.len() < PENDING {
                                    continue;
                                }
                            }
                        }
                        if !pending.is_empty() {
                            let Some(shared) = cell.wait() else {
                                return out;
                            };
                            out.extend(pending.drain(..).map(|(i, u)| (i, then(u, shared))));
                        }
                    }
                    if !pending.is_empty()
                        && let Some(shared) = cell.wait()
                    {
                        out.extend(pending.drain(..).map(|(i, u)| (i, then(u, shared))));
                    }
                    out
                })
            })
            .collect();
        let chunks: Vec<Vec<(usize, R)>> = workers
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect();
        loader
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        chunks
    });
    let mut all: Vec<(usize, R)> = chunks.iter_mut().flat_map(std::mem::take).collect();
    all.sort_unstable_by_key(|(i, _)| *i);
    let shared = cell.into_inner().flatten();
    // `load` returned (a panic was re-raised above), so `shared` is there.
    let Some(shared) = shared else {
        unreachable!("the loader set its value or unwound")
    };
    (shared, all.into_iter().map(|(_, r)| r).collect())
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
    fn while_loading_gives_every_result_in_order_once_loaded() {
        let items: Vec<usize> = (0..3000).collect();
        let slow = || {
            std::thread::sleep(std::time::Duration::from_millis(20));
            7
        };
        let (s, got) = super::parallel_while_loading(&items, slow, |i| i * 2, |u, s| u + s);
        assert_eq!(s, 7);
        assert_eq!(got, items.iter().map(|i| i * 2 + 7).collect::<Vec<_>>());
        let none: Vec<usize> = Vec::new();
        assert!(
            super::parallel_while_loading(&none, || 1, |i| *i, |u, _| u)
                .1
                .is_empty()
        );
    }

    #[test]
    fn while_loading_a_panicking_loader_is_reported_not_waited_for() {
        let items: Vec<usize> = (0..3000).collect();
        let run = std::panic::catch_unwind(|| {
            super::parallel_while_loading(&items, || -> usize { panic!("boom") }, |i| *i, |u, _| u)
        });
        assert!(run.is_err());
    }

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

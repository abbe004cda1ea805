//! Index: an ordered worker pool. Jobs run on several threads; results are
//! handed back in submission order, so documents reach the index writer in
//! the order files were walked (the file read last wins a shared id, on
//! every run). At most `window` jobs are in flight, which bounds memory.

use std::collections::BTreeMap;
use std::sync::mpsc::{channel, sync_channel, Receiver, SyncSender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

/// A pool of workers that apply their function to jobs, results in order.
pub struct OrderedPool<J, R> {
    jobs: Option<SyncSender<(u64, J)>>,
    results: Receiver<(u64, R)>,
    handles: Vec<JoinHandle<()>>,
    next_submit: u64,
    next_apply: u64,
    pending: BTreeMap<u64, R>,
    window: u64,
}

impl<J: Send + 'static, R: Send + 'static> OrderedPool<J, R> {
    /// Starts `workers` threads, each with its own state from `make`.
    pub fn new<W, F>(workers: usize, window: usize, make: F) -> Self
    where
        W: FnMut(J) -> R + Send + 'static,
        F: Fn() -> W,
    {
        let (job_tx, job_rx) = sync_channel::<(u64, J)>(window);
        let (res_tx, res_rx) = channel::<(u64, R)>();
        let job_rx = Arc::new(Mutex::new(job_rx));
        let handles = (0..workers.max(1))
            .map(|_| {
                let mut work = make();
                let job_rx = Arc::clone(&job_rx);
                let res_tx = res_tx.clone();
                std::thread::spawn(move || loop {
                    let job = match job_rx.lock() {
                        Ok(rx) => rx.recv(),
                        Err(_) => return,
                    };
                    let Ok((seq, job)) = job else { return };
                    if res_tx.send((seq, work(job))).is_err() {
                        return;
                    }
                })
            })
            .collect();
        OrderedPool {
            jobs: Some(job_tx),
            results: res_rx,
            handles,
            next_submit: 0,
            next_apply: 0,
            pending: BTreeMap::new(),
            window: window.max(1) as u64,
        }
    }

    /// Submits a job, first applying finished results (in order) while the
    /// window is full.
    pub fn submit(&mut self, job: J, apply: &mut impl FnMut(R)) {
        while self.next_submit - self.next_apply >= self.window {
            if !self.apply_one(apply) {
                break;
            }
        }
        if let Some(jobs) = &self.jobs {
            if jobs.send((self.next_submit, job)).is_ok() {
                self.next_submit += 1;
            }
        }
    }

    /// Waits for every submitted job and applies the results in order.
    pub fn drain(&mut self, apply: &mut impl FnMut(R)) {
        while self.next_apply < self.next_submit {
            if !self.apply_one(apply) {
                break;
            }
        }
    }

    /// Applies the next result in order, waiting for it; false when the
    /// workers are gone.
    fn apply_one(&mut self, apply: &mut impl FnMut(R)) -> bool {
        loop {
            if let Some(r) = self.pending.remove(&self.next_apply) {
                self.next_apply += 1;
                apply(r);
                return true;
            }
            match self.results.recv() {
                Ok((seq, r)) => {
                    self.pending.insert(seq, r);
                }
                Err(_) => return false,
            }
        }
    }
}

impl<J, R> Drop for OrderedPool<J, R> {
    fn drop(&mut self) {
        self.jobs = None;
        for h in self.handles.drain(..) {
            let _ = h.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_order() {
        let mut pool = OrderedPool::new(3, 4, || {
            |n: u64| {
                std::thread::sleep(std::time::Duration::from_millis(n % 3));
                n * 10
            }
        });
        let mut seen = Vec::new();
        for n in 0..50 {
            pool.submit(n, &mut |r| seen.push(r));
        }
        pool.drain(&mut |r| seen.push(r));
        assert_eq!(seen, (0..50).map(|n| n * 10).collect::<Vec<_>>());
    }
}

//! Front-door limits and connection accounting (openleash patches, see PATCHES.md).

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Limits a server applies while it reads request heads on its connection threads.
#[derive(Debug, Clone)]
pub struct Limits {
    /// The whole head (request line and headers) must arrive within this time from its first
    /// byte; otherwise the server answers 408 and closes the connection.
    pub header_timeout: Duration,
    /// Bodies of at most 1 KiB are read before the request is queued; they must arrive within
    /// this time (408 and close otherwise).
    pub body_timeout: Duration,
    /// Longest request line (414 beyond) and longest header line (431 beyond), in bytes.
    pub max_line: usize,
    /// Most header lines in one request (431 beyond).
    pub max_headers: usize,
    /// Where open connections are counted; share one between servers to count them together.
    pub connections: ConnectionCounter,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(10),
            max_line: 8 * 1024,
            max_headers: 100,
            connections: ConnectionCounter::default(),
        }
    }
}

/// Counts the connections that are open (accepted and not yet closed), overall and per peer IP.
#[derive(Debug, Clone, Default)]
pub struct ConnectionCounter {
    inner: Arc<Counts>,
}

#[derive(Debug, Default)]
struct Counts {
    total: AtomicUsize,
    per_peer: Mutex<HashMap<IpAddr, usize>>,
}

impl ConnectionCounter {
    pub fn new() -> ConnectionCounter {
        ConnectionCounter::default()
    }

    /// Connections open right now.
    pub fn open(&self) -> usize {
        self.inner.total.load(Ordering::Acquire)
    }

    /// Connections open right now from this IP address.
    pub fn open_from(&self, ip: IpAddr) -> usize {
        let map = self
            .inner
            .per_peer
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        map.get(&ip).copied().unwrap_or(0)
    }

    /// Counts a newly accepted connection until the returned guard is dropped.
    pub(crate) fn register(&self, peer: Option<IpAddr>) -> ConnGuard {
        let overall = self.inner.total.fetch_add(1, Ordering::AcqRel) + 1;
        let from_peer = match peer {
            Some(ip) => {
                let mut map = self
                    .inner
                    .per_peer
                    .lock()
                    .unwrap_or_else(|e| e.into_inner());
                let n = map.entry(ip).or_insert(0);
                *n += 1;
                *n
            }
            None => overall,
        };
        ConnGuard {
            counter: self.clone(),
            peer,
            rank: ConnectionRank { overall, from_peer },
        }
    }
}

/// How many connections were open, this one included, when a connection was accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectionRank {
    pub overall: usize,
    pub from_peer: usize,
}

/// Keeps one connection counted while its socket is open.
#[derive(Debug)]
pub struct ConnGuard {
    counter: ConnectionCounter,
    peer: Option<IpAddr>,
    rank: ConnectionRank,
}

impl ConnGuard {
    pub(crate) fn rank(&self) -> ConnectionRank {
        self.rank
    }
}

impl Drop for ConnGuard {
    fn drop(&mut self) {
        self.counter.inner.total.fetch_sub(1, Ordering::AcqRel);
        if let Some(ip) = self.peer {
            let mut map = self
                .counter
                .inner
                .per_peer
                .lock()
                .unwrap_or_else(|e| e.into_inner());
            if let Some(n) = map.get_mut(&ip) {
                *n -= 1;
                if *n == 0 {
                    map.remove(&ip);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guards_count_connections_overall_and_per_peer() {
        let c = ConnectionCounter::new();
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let b: IpAddr = "10.0.0.2".parse().unwrap();
        let g1 = c.register(Some(a));
        let g2 = c.register(Some(a));
        let g3 = c.register(Some(b));
        assert_eq!(
            g2.rank(),
            ConnectionRank {
                overall: 2,
                from_peer: 2
            }
        );
        assert_eq!(
            g3.rank(),
            ConnectionRank {
                overall: 3,
                from_peer: 1
            }
        );
        assert_eq!((c.open(), c.open_from(a)), (3, 2));
        drop((g1, g2, g3));
        assert_eq!((c.open(), c.open_from(a)), (0, 0));
    }
}

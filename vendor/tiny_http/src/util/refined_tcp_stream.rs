use std::io::Result as IoResult;
use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr};

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::connection::Connection;
#[cfg(any(feature = "ssl-openssl", feature = "ssl-rustls"))]
use crate::ssl::SslStream;
use crate::ConnGuard;

pub(crate) enum Stream {
    // Both halves of a plain connection share one descriptor (patch 01, PATCHES.md): no `dup()`
    // per connection, and the per-connection state below is reachable from either half.
    Http(Arc<ConnState>),
    #[cfg(any(feature = "ssl-openssl", feature = "ssl-rustls"))]
    Https(SslStream),
}

impl Clone for Stream {
    fn clone(&self) -> Self {
        match self {
            Stream::Http(conn) => Stream::Http(conn.clone()),
            #[cfg(any(feature = "ssl-openssl", feature = "ssl-rustls"))]
            Stream::Https(ssl_stream) => Stream::Https(ssl_stream.clone()),
        }
    }
}

/// What the two halves of a connection, its requests and its connection thread share.
pub(crate) struct ConnState {
    sock: Connection,
    /// Set when a response closed the connection: reads return EOF from then on.
    closed: AtomicBool,
    /// While set, reads fail with `TimedOut` once it has passed (head and small-body deadlines).
    deadline: Mutex<Option<Instant>>,
    /// The socket's own read timeout, restored when a deadline lowered it.
    base_timeout: Option<Duration>,
    lowered: AtomicBool,
    /// Counts this connection as open until the socket is closed (patch 06).
    guard: Option<ConnGuard>,
}

impl ConnState {
    pub(crate) fn new(sock: Connection, guard: Option<ConnGuard>) -> ConnState {
        let base_timeout = sock.read_timeout().ok().flatten();
        ConnState {
            sock,
            closed: AtomicBool::new(false),
            deadline: Mutex::new(None),
            base_timeout,
            lowered: AtomicBool::new(false),
            guard,
        }
    }

    /// Sets (or clears) the time by which the bytes being read must have arrived.
    pub(crate) fn set_deadline(&self, at: Option<Instant>) {
        *self.deadline.lock().unwrap_or_else(|e| e.into_inner()) = at;
    }

    /// Ends the connection after a response that said `Connection: close`: the client sees the
    /// end of the stream, and nothing more is read from it (an unread body is not drained).
    pub(crate) fn close(&self) {
        self.closed.store(true, Ordering::Release);
        let _ = self.sock.shutdown(Shutdown::Both);
    }

    pub(crate) fn guard(&self) -> Option<&ConnGuard> {
        self.guard.as_ref()
    }

    fn read(&self, buf: &mut [u8]) -> IoResult<usize> {
        if self.closed.load(Ordering::Acquire) {
            return Ok(0);
        }
        let deadline = *self.deadline.lock().unwrap_or_else(|e| e.into_inner());
        let Some(at) = deadline else {
            // The fast path makes no system call besides the read; a lowered timeout is restored
            // once, on the first read after the deadline was cleared.
            if self.lowered.swap(false, Ordering::Relaxed) {
                let _ = self.sock.set_read_timeout(self.base_timeout);
            }
            return (&self.sock).read(buf);
        };
        let now = Instant::now();
        if now >= at {
            return Err(timed_out());
        }
        let left = at - now;
        if self.base_timeout.map_or(true, |base| left < base) {
            let _ = self.sock.set_read_timeout(Some(left));
            self.lowered.store(true, Ordering::Relaxed);
        }
        match (&self.sock).read(buf) {
            // Within a deadline every timeout is the deadline's (the idle timeout is longer than
            // what is left, or it ends a head/body that has started): the caller answers 408.
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                Err(timed_out())
            }
            r => r,
        }
    }
}

fn timed_out() -> std::io::Error {
    std::io::Error::new(ErrorKind::TimedOut, "the request was not received in time")
}

impl From<Connection> for Stream {
    fn from(tcp_stream: Connection) -> Self {
        Stream::Http(Arc::new(ConnState::new(tcp_stream, None)))
    }
}

impl Stream {
    fn secure(&self) -> bool {
        match self {
            Stream::Http(_) => false,
            #[cfg(any(feature = "ssl-openssl", feature = "ssl-rustls"))]
            Stream::Https(_) => true,
        }
    }

    fn peer_addr(&mut self) -> IoResult<Option<SocketAddr>> {
        match self {
            Stream::Http(conn) => conn.sock.peer_addr(),
            #[cfg(any(feature = "ssl-openssl", feature = "ssl-rustls"))]
            Stream::Https(ssl_stream) => ssl_stream.peer_addr(),
        }
    }

    fn shutdown(&mut self, how: Shutdown) -> IoResult<()> {
        match self {
            Stream::Http(conn) => conn.sock.shutdown(how),
            #[cfg(any(feature = "ssl-openssl", feature = "ssl-rustls"))]
            Stream::Https(ssl_stream) => ssl_stream.shutdown(how),
        }
    }
}

impl Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> IoResult<usize> {
        match self {
            Stream::Http(conn) => conn.read(buf),
            #[cfg(any(feature = "ssl-openssl", feature = "ssl-rustls"))]
            Stream::Https(ssl_stream) => ssl_stream.read(buf),
        }
    }
}

impl Write for Stream {
    fn write(&mut self, buf: &[u8]) -> IoResult<usize> {
        match self {
            Stream::Http(conn) => (&conn.sock).write(buf),
            #[cfg(any(feature = "ssl-openssl", feature = "ssl-rustls"))]
            Stream::Https(ssl_stream) => ssl_stream.write(buf),
        }
    }

    fn flush(&mut self) -> IoResult<()> {
        match self {
            Stream::Http(conn) => (&conn.sock).flush(),
            #[cfg(any(feature = "ssl-openssl", feature = "ssl-rustls"))]
            Stream::Https(ssl_stream) => ssl_stream.flush(),
        }
    }
}

pub struct RefinedTcpStream {
    stream: Stream,
    close_read: bool,
    close_write: bool,
}

impl RefinedTcpStream {
    pub(crate) fn new<S>(stream: S) -> (RefinedTcpStream, RefinedTcpStream)
    where
        S: Into<Stream>,
    {
        let stream: Stream = stream.into();

        let (read, write) = (stream.clone(), stream);

        let read = RefinedTcpStream {
            stream: read,
            close_read: true,
            close_write: false,
        };

        let write = RefinedTcpStream {
            stream: write,
            close_read: false,
            close_write: true,
        };

        (read, write)
    }

    /// Returns true if this struct wraps around a secure connection.
    #[inline]
    pub(crate) fn secure(&self) -> bool {
        self.stream.secure()
    }

    pub(crate) fn peer_addr(&mut self) -> IoResult<Option<SocketAddr>> {
        self.stream.peer_addr()
    }

    /// The state shared by both halves of a plain connection (`None` over TLS).
    pub(crate) fn state(&self) -> Option<Arc<ConnState>> {
        match &self.stream {
            Stream::Http(conn) => Some(conn.clone()),
            #[cfg(any(feature = "ssl-openssl", feature = "ssl-rustls"))]
            Stream::Https(_) => None,
        }
    }
}

impl Drop for RefinedTcpStream {
    fn drop(&mut self) {
        if self.close_read {
            self.stream.shutdown(Shutdown::Read).ok();
        }

        if self.close_write {
            self.stream.shutdown(Shutdown::Write).ok();
        }
    }
}

impl Read for RefinedTcpStream {
    fn read(&mut self, buf: &mut [u8]) -> IoResult<usize> {
        self.stream.read(buf)
    }
}

impl Write for RefinedTcpStream {
    fn write(&mut self, buf: &[u8]) -> IoResult<usize> {
        self.stream.write(buf)
    }

    fn flush(&mut self) -> IoResult<()> {
        self.stream.flush()
    }
}

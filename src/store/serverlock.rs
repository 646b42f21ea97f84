//! One server per plain-file data directory (issue 16). Each server keeps its own replay cache
//! and approval state in memory, so two servers on one directory would accept a signed request
//! once each. `openleash start` holds an exclusive lock on `server.lock` for its whole life and
//! writes its pid and address into it; a second `start` refuses (exit 73) and names them. CLI
//! commands never take this lock.

use super::DataDir;
use crate::error::{Error, ErrorCode, Result};
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, Write};
use std::net::SocketAddr;
use std::path::PathBuf;

/// Held while the server runs; released (and emptied) on drop.
#[derive(Debug)]
pub struct ServerLock {
    file: File,
    path: PathBuf,
}

impl DataDir {
    pub fn server_lock_path(&self) -> PathBuf {
        self.root().join("server.lock")
    }

    /// Takes the server lock, or says which server holds it.
    pub fn lock_server(&self) -> Result<ServerLock> {
        let path = self.server_lock_path();
        let mut opts = OpenOptions::new();
        opts.read(true).write(true).create(true).truncate(false);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(super::SECRET_MODE);
        }
        let mut file = super::fsio::open_nofollow(&path, &mut opts)
            .map_err(|e| super::fsio::open_error("open", &path, e))?;
        match file.try_lock() {
            Ok(()) => Ok(ServerLock { file, path }),
            Err(std::fs::TryLockError::WouldBlock) => {
                let mut text = String::new();
                let _ = file.read_to_string(&mut text);
                let mut parts = text.split_whitespace();
                let pid = parts.next().unwrap_or("unknown");
                let addr = parts.next().unwrap_or("an address not yet recorded");
                Err(Error::new(
                    ErrorCode::AlreadyExists,
                    format!(
                        "another openleash server (pid {pid}) is already serving {} at {addr}",
                        self.root().display()
                    ),
                )
                .with_hint(format!(
                    "use that server, or stop it first (`kill {pid}`); one data directory takes one server, since each keeps its own replay cache"
                )))
            }
            Err(std::fs::TryLockError::Error(e)) => Err(Error::io("lock", &path, e)),
        }
    }
}

impl ServerLock {
    /// Records who holds the lock, for the message a second `start` prints.
    pub fn record(&mut self, addr: SocketAddr) -> Result<()> {
        let line = format!("{} {addr}\n", std::process::id());
        self.file
            .set_len(0)
            .and_then(|()| self.file.rewind())
            .and_then(|()| self.file.write_all(line.as_bytes()))
            .map_err(|e| Error::io("write", &self.path, e))
    }
}

impl Drop for ServerLock {
    fn drop(&mut self) {
        // Emptied, not removed: removing a lock file lets two later processes lock two
        // different files of the same name.
        let _ = self.file.set_len(0);
    }
}

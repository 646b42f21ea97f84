//! Outstanding agent registration challenges (`POST /v1/agents/registration-challenge`, then
//! `POST /v1/agents/register`): in memory, per instance, bounded. Kept apart from the endpoints so
//! that the server state owns them without importing the endpoints.

use crate::error::{Error, ErrorCode, Result};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

pub(super) struct Challenge {
    pub bytes: [u8; 32],
    pub agent_id: String,
    pub public_key_b64: String,
    pub owner_id: Option<String>,
    pub expires: Instant,
}

/// Outstanding registration challenges, in memory only and bounded (`BUSY` when full of live ones).
pub struct Challenges {
    map: Mutex<HashMap<String, Challenge>>,
    cap: usize,
}

impl Challenges {
    pub fn new(cap: usize) -> Challenges {
        Challenges {
            map: Mutex::new(HashMap::new()),
            cap: cap.max(1),
        }
    }

    pub(super) fn insert(&self, id: String, c: Challenge) -> Result<()> {
        let mut m = self.map.lock().unwrap_or_else(|p| p.into_inner());
        if m.len() >= self.cap {
            let now = Instant::now();
            m.retain(|_, c| c.expires > now);
            if m.len() >= self.cap {
                return Err(Error::new(
                    ErrorCode::Busy,
                    "too many outstanding registration challenges; retry shortly",
                ));
            }
        }
        m.insert(id, c);
        Ok(())
    }

    pub(super) fn take(&self, id: &str) -> Option<Challenge> {
        self.map
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(id)
    }
}

//! `GET /v1/admin/state` (upstream's shape): how many of each record the data directory holds and
//! the active signing key. Upstream reads these from its `state.md` index; openleash has no such
//! file, so they are counted from the records themselves.

use crate::error::Result;
use crate::store::DataDir;
use crate::store::owners::OwnerType;
use serde_json::{Value, json};

/// The `version` field: upstream's state format version, which this summary mirrors.
pub const STATE_VERSION: u64 = 2;

pub fn summary(dd: &DataDir) -> Result<Value> {
    let owners = dd.owners()?;
    let users = owners
        .iter()
        .filter(|o| o.owner_type == OwnerType::User)
        .count();
    let keys = dd.server_keys()?;
    let bindings = dd.bindings()?;
    let mut memberships = 0;
    for org in owners.iter().filter(|o| o.owner_type == OwnerType::Org) {
        memberships += dd
            .org_members(&org.owner_id)?
            .members
            .iter()
            .filter(|m| m.is_active())
            .count();
    }
    Ok(json!({
        "version": STATE_VERSION,
        // The data directory was created with its first signing key.
        "created_at": keys.first().map(|k| k.created_at.clone()),
        "counts": {
            "users": users,
            "organizations": owners.len() - users,
            // Active members of every organization (`orgs/<org_id>/members.json`).
            "memberships": memberships,
            "agents": dd.agents()?.len(),
            "policies": bindings.policies.len(),
            "bindings": bindings.bindings.len(),
            "keys": keys.len(),
        },
        "active_kid": dd.active_kid()?,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_what_the_data_directory_holds() {
        let (_t, dd) = crate::audit::testutil::data_dir(false);
        for d in crate::store::SUBDIRS {
            std::fs::create_dir_all(dd.path(d)).unwrap();
        }
        let mut txn = crate::store::Txn::default();
        for (t, n) in [(OwnerType::User, "Alice"), (OwnerType::Org, "Acme")] {
            dd.stage_owner(&mut txn, &crate::store::owners::Owner::new(t, n))
                .unwrap();
        }
        txn.commit().unwrap();
        let s = summary(&dd).unwrap();
        assert_eq!(s["version"], 2);
        assert_eq!(
            s["counts"],
            json!({"users": 1, "organizations": 1, "memberships": 0, "agents": 0, "policies": 0, "bindings": 0, "keys": 1})
        );
        assert_eq!(s["active_kid"], dd.active_kid().unwrap().as_str());
        assert!(s["created_at"].as_str().is_some());
    }
}

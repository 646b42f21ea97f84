//! Owners by email address, so that passphrase recovery (`POST /v1/owner/recover`) finds the
//! account for an address without reading every owner record.
//!
//! Layout: `owners/by-email/<sha256 of the lower-cased address>/<owner_id>`, empty marker files
//! written and removed by [`DataDir::stage_owner`] in the transaction that changes the owner's
//! contacts. The address itself is not in the file name (the directory stays free of personal
//! data a listing would show). The record stays the truth: a lookup confirms every hit against
//! the owner's current contacts, so a marker left behind (an owner deleted by hand) is skipped.
//!
//! Data directories older than the index get it built once, under the writer lock, by the first
//! lookup (`owners/by-email/.complete` records that it covers every owner).

use super::DataDir;
use super::fsio::Txn;
use super::owners::Owner;
use crate::error::{Error, Result};
use crate::ids;
use std::collections::BTreeSet;
use std::path::PathBuf;

const DIR: &str = "by-email";
const COMPLETE: &str = ".complete";

/// How an email address is compared: trimmed and lower-cased (as upstream compares them).
pub fn normalize_email(address: &str) -> String {
    address.trim().to_ascii_lowercase()
}

/// The EMAIL contact addresses of an owner, normalised.
pub fn emails_of(owner: &Owner) -> BTreeSet<String> {
    owner
        .contact_identities
        .iter()
        .filter(|c| c.contact_type.eq_ignore_ascii_case("EMAIL"))
        .map(|c| normalize_email(&c.value))
        .filter(|e| !e.is_empty())
        .collect()
}

impl DataDir {
    fn email_index_root(&self) -> PathBuf {
        self.root().join("owners").join(DIR)
    }

    fn email_bucket(&self, email: &str) -> PathBuf {
        self.email_index_root()
            .join(crate::crypto::sha256_hex(normalize_email(email).as_bytes()))
    }

    /// Stages the index markers that differ between `before` (the stored record, if any) and
    /// `after`. Called by [`DataDir::stage_owner`].
    pub(super) fn stage_email_index(
        &self,
        txn: &mut Txn,
        before: Option<&Owner>,
        after: &Owner,
    ) -> Result<()> {
        let old = before.map(emails_of).unwrap_or_default();
        let new = emails_of(after);
        let id = after.owner_id.to_ascii_lowercase();
        for gone in old.difference(&new) {
            txn.remove(&self.email_bucket(gone).join(&id));
        }
        for added in new.difference(&old) {
            let bucket = self.email_bucket(added);
            std::fs::create_dir_all(&bucket).map_err(|e| Error::io("create", &bucket, e))?;
            txn.write(&bucket.join(&id), Vec::new());
        }
        Ok(())
    }

    /// Owners with `email` among their EMAIL contacts, in owner-id order. Reads one index
    /// directory and the records it names (building the index first in a directory that
    /// predates it).
    pub fn owners_with_email(&self, email: &str) -> Result<Vec<Owner>> {
        let email = normalize_email(email);
        if email.is_empty() {
            return Ok(vec![]);
        }
        if !self.email_index_root().join(COMPLETE).exists() {
            self.build_email_index()?;
        }
        let bucket = self.email_bucket(&email);
        let mut ids: Vec<String> = match std::fs::read_dir(&bucket) {
            Ok(rd) => rd
                .filter_map(|e| e.ok())
                .filter_map(|e| e.file_name().to_str().map(str::to_string))
                .filter(|n| ids::is_uuid_shaped(n))
                .collect(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => vec![],
            Err(e) => return Err(Error::io("list", &bucket, e)),
        };
        ids.sort();
        let mut out = Vec::new();
        for id in ids {
            let Some(owner) = self.read_yaml::<Owner>(&self.owner_path(&id)?)? else {
                continue;
            };
            if emails_of(&owner).contains(&email) {
                out.push(owner);
            }
        }
        Ok(out)
    }

    /// Indexes every owner once (a data directory from before the index), under the lock.
    fn build_email_index(&self) -> Result<()> {
        let _lock = self.lock()?;
        let root = self.email_index_root();
        if root.join(COMPLETE).exists() {
            return Ok(());
        }
        let mut txn = Txn::default();
        for owner in self.owners()? {
            // Markers already there are rewritten (harmless); none is removed.
            self.stage_email_index(&mut txn, None, &owner)?;
        }
        std::fs::create_dir_all(&root).map_err(|e| Error::io("create", &root, e))?;
        txn.write(&root.join(COMPLETE), Vec::new());
        txn.commit()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identity::Contact;
    use crate::store::owners::OwnerType;

    fn contact(value: &str) -> Contact {
        serde_json::from_value(serde_json::json!({
            "contact_id": crate::ids::new_id(), "type": "EMAIL", "value": value,
            "added_at": "2026-01-01T00:00:00.000Z",
        }))
        .unwrap()
    }

    fn save(dd: &DataDir, o: &Owner) {
        let _l = dd.lock().unwrap();
        let mut txn = Txn::default();
        dd.stage_owner(&mut txn, o).unwrap();
        txn.commit().unwrap();
    }

    #[test]
    fn lookups_follow_contact_changes_and_ignore_case() {
        let t = tempfile::tempdir().unwrap();
        let dd = DataDir::at(t.path());
        std::fs::create_dir_all(t.path().join("owners")).unwrap();
        let mut ann = Owner::new(OwnerType::User, "Ann");
        ann.contact_identities.push(contact("Ann@Example.org"));
        save(&dd, &ann);
        let hits = dd.owners_with_email(" ann@example.ORG ").unwrap();
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].owner_id, ann.owner_id);
        assert!(dd.owners_with_email("bob@example.org").unwrap().is_empty());
        assert!(dd.owners_with_email("  ").unwrap().is_empty());

        ann.contact_identities = vec![contact("ann@new.example")];
        save(&dd, &ann);
        assert!(dd.owners_with_email("ann@example.org").unwrap().is_empty());
        assert_eq!(dd.owners_with_email("ann@new.example").unwrap().len(), 1);
        // No file name carries the address.
        let names: Vec<String> = walk(&t.path().join("owners"));
        assert!(names.iter().all(|n| !n.contains('@')), "{names:?}");
    }

    #[test]
    fn a_directory_from_before_the_index_is_indexed_by_the_first_lookup() {
        let t = tempfile::tempdir().unwrap();
        let dd = DataDir::at(t.path());
        std::fs::create_dir_all(t.path().join("owners")).unwrap();
        let mut ann = Owner::new(OwnerType::User, "Ann");
        ann.contact_identities.push(contact("ann@example.org"));
        // Written the way an older openleash did: the record only.
        std::fs::write(
            dd.owner_path(&ann.owner_id).unwrap(),
            crate::store::to_yaml(&ann).unwrap(),
        )
        .unwrap();
        assert_eq!(dd.owners_with_email("ann@example.org").unwrap().len(), 1);
        assert!(t.path().join("owners/by-email/.complete").exists());
        // A marker whose record is gone is skipped, not an error.
        std::fs::remove_file(dd.owner_path(&ann.owner_id).unwrap()).unwrap();
        assert!(dd.owners_with_email("ann@example.org").unwrap().is_empty());
    }

    fn walk(dir: &std::path::Path) -> Vec<String> {
        let mut out = Vec::new();
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            out.push(e.file_name().to_string_lossy().into_owned());
            if e.path().is_dir() {
                out.extend(walk(&e.path()));
            }
        }
        out
    }
}

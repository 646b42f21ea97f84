//! Owners: the people (`user`) and organisations (`org`) agents act for.

use super::DataDir;
use super::listindex::{self, Change, Entry, Kind};
use crate::error::{Error, ErrorCode, Result};
use crate::identity::{AssuranceLevel, CompanyId, Contact, GovernmentId, assurance_level, mask};
use crate::ids;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OwnerType {
    User,
    Org,
}

impl OwnerType {
    pub fn as_str(self) -> &'static str {
        match self {
            OwnerType::User => "user",
            OwnerType::Org => "org",
        }
    }
}

impl From<crate::cli::OwnerTypeArg> for OwnerType {
    fn from(a: crate::cli::OwnerTypeArg) -> OwnerType {
        match a {
            crate::cli::OwnerTypeArg::User => OwnerType::User,
            crate::cli::OwnerTypeArg::Org => OwnerType::Org,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Owner {
    pub owner_id: String,
    pub owner_type: OwnerType,
    pub display_name: String,
    pub status: String,
    pub created_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub passphrase_hash: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub passphrase_salt: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub passphrase_set_at: Option<String>,
    /// Stored for readers of the plain files; always recomputed when identity data changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity_assurance_level: Option<AssuranceLevel>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contact_identities: Vec<Contact>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub government_ids: Vec<GovernmentId>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub company_ids: Vec<CompanyId>,
    /// Instance-wide roles of a user (`admin`), as upstream. `None` in files written before roles
    /// existed: see [`crate::handlers::users::system_roles`] for how those are read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system_roles: Option<Vec<String>>,
    /// Organizations only: who may sign for it (`owner add-signatory`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub signatories: Vec<crate::identity::Signatory>,
    /// Organizations only: the URL slug (`/gui/orgs/{slug}`), unique among organizations, as
    /// upstream. `None` in files written before slugs: one is derived from the name when first
    /// needed ([`crate::handlers::orgs::slug_of`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slug: Option<String>,
    /// Organizations only: former slugs, most recent first, so old links still resolve (as
    /// upstream `slug_history`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub slug_history: Vec<String>,
}

impl Owner {
    pub fn new(owner_type: OwnerType, display_name: &str) -> Owner {
        Owner {
            owner_id: ids::new_id(),
            owner_type,
            display_name: display_name.to_string(),
            status: "ACTIVE".into(),
            created_at: crate::timefmt::now_string(),
            passphrase_hash: None,
            passphrase_salt: None,
            passphrase_set_at: None,
            identity_assurance_level: None,
            contact_identities: Vec::new(),
            government_ids: Vec::new(),
            company_ids: Vec::new(),
            system_roles: None,
            signatories: Vec::new(),
            slug: None,
            slug_history: Vec::new(),
        }
    }

    /// Hashes `secret` (scrypt, fresh salt) into the passphrase fields.
    pub fn set_passphrase(&mut self, secret: &str) -> Result<()> {
        let h = crate::crypto::passphrase::hash(secret)?;
        self.passphrase_hash = Some(h.passphrase_hash);
        self.passphrase_salt = Some(h.passphrase_salt);
        self.passphrase_set_at = Some(crate::timefmt::now_string());
        Ok(())
    }

    /// The assurance level computed from the current identity data (upstream-cli §6.1): government
    /// IDs count for users, company IDs for orgs.
    pub fn assurance(&self) -> AssuranceLevel {
        match self.owner_type {
            OwnerType::User => assurance_level(
                &self.contact_identities,
                self.government_ids.iter().map(|g| g.verification_level),
            ),
            OwnerType::Org => assurance_level(
                &self.contact_identities,
                self.company_ids.iter().map(|c| c.verification_level),
            ),
        }
    }

    /// Government and company ID values masked (all but the last four characters): the public view
    /// never carries a full ID number.
    pub fn identity_json(&self) -> serde_json::Value {
        fn masked<T: serde::Serialize>(item: &T, id_value: &str) -> serde_json::Value {
            let mut v = serde_json::to_value(item).unwrap_or_default();
            v["id_value"] = mask(id_value).into();
            v
        }
        let gov: Vec<_> = self
            .government_ids
            .iter()
            .map(|g| masked(g, &g.id_value))
            .collect();
        let company: Vec<_> = self
            .company_ids
            .iter()
            .map(|c| masked(c, &c.id_value))
            .collect();
        serde_json::json!({
            "identity_assurance_level": self.assurance().as_str(),
            "contact_identities": self.contact_identities,
            "government_ids": gov,
            "company_ids": company,
            "signatories": self.signatories,
        })
    }

    /// The public view (no secrets).
    pub fn public_json(&self) -> serde_json::Value {
        serde_json::json!({
            "owner_id": self.owner_id,
            "owner_type": self.owner_type.as_str(),
            "display_name": self.display_name,
            "status": self.status,
            "created_at": self.created_at,
            "has_passphrase": self.passphrase_hash.is_some(),
            "identity_assurance_level": self.assurance().as_str(),
        })
    }
}

/// Up to this many owners, counting them checks each index entry against its record.
const FEW_OWNERS: usize = 8;

impl DataDir {
    pub fn owner_path(&self, owner_id: &str) -> Result<PathBuf> {
        ids::check_uuid("owner id", owner_id)?;
        Ok(self
            .root()
            .join("owners")
            .join(format!("{}.yaml", owner_id.to_ascii_lowercase())))
    }

    pub fn owner(&self, owner_id: &str) -> Result<Owner> {
        let path = self.owner_path(owner_id)?;
        self.read_yaml(&path)?.ok_or_else(|| {
            Error::new(
                ErrorCode::OwnerNotFound,
                format!("no owner with id {owner_id}"),
            )
            .with_hint("list owners with `openleash owner list`")
        })
    }

    pub fn owners(&self) -> Result<Vec<Owner>> {
        let mut out = Vec::new();
        for id in self.list_ids("owners", "yaml")? {
            if ids::is_uuid_shaped(&id) {
                out.push(self.owner(&id)?);
            }
        }
        out.sort_by(|a, b| {
            a.created_at
                .cmp(&b.created_at)
                .then(a.owner_id.cmp(&b.owner_id))
        });
        Ok(out)
    }

    /// How many owners there are and, when exactly one, that owner: from the owner list index
    /// when it is built (its manifest and one chunk, whatever the number of owners), else from
    /// the records.
    pub fn owner_count_and_only(&self) -> Result<(usize, Option<Owner>)> {
        if let Some(m) = listindex::manifest(self.root(), Kind::Owners, listindex::ALL)
            .ok()
            .flatten()
        {
            // Many owners: "more than one" even if a crashed write left an entry or two without
            // a record. A few: each entry is checked against its record.
            if m.count() > FEW_OWNERS {
                return Ok((m.count(), None));
            }
            let mut found = Vec::new();
            let mut whole = true;
            for c in &m.chunks {
                match listindex::chunk(self.root(), Kind::Owners, listindex::ALL, c) {
                    Ok(Some(entries)) => found.extend(
                        entries
                            .into_iter()
                            .filter(|e| ids::is_uuid_shaped(&e.id))
                            .filter_map(|e| self.owner(&e.id).ok()),
                    ),
                    _ => whole = false,
                }
            }
            if whole {
                let n = found.len();
                return Ok((n, (n == 1).then(|| found.remove(0))));
            }
        }
        let mut owners = self.owners()?;
        let n = owners.len();
        Ok((n, (n == 1).then(|| owners.remove(0))))
    }

    /// Resolves `--owner`, defaulting to the only owner.
    pub fn resolve_owner(&self, owner: Option<&str>) -> Result<Owner> {
        if let Some(id) = owner {
            return self.owner(id);
        }
        let (n, only) = self.owner_count_and_only()?;
        match (n, only) {
            (1, Some(o)) => Ok(o),
            (1, None) => Err(Error::internal("one owner counted but none read")),
            (0, _) => Err(
                Error::new(ErrorCode::OwnerNotFound, "this data directory has no owner")
                    .with_hint("create one with `openleash owner add --name NAME`"),
            ),
            (n, _) => Err(Error::new(
                ErrorCode::Usage,
                format!("there are {n} owners; say which one"),
            )
            .with_hint("pass --owner <owner_id> (see `openleash owner list`)")),
        }
    }

    /// Stages an owner's record and its email index entries. Call under the writer lock.
    pub fn stage_owner(&self, txn: &mut super::Txn, owner: &Owner) -> Result<()> {
        let path = self.owner_path(&owner.owner_id)?;
        // An unreadable stored record must not block its replacement; its stale markers are
        // harmless (lookups confirm every hit against the record).
        let before: Option<Owner> = self.read_yaml(&path).ok().flatten();
        self.stage_email_index(txn, before.as_ref(), owner)?;
        txn.write_mode(&path, super::to_yaml(owner)?, 0o600);
        self.stage_owner_list_entries(txn, before.as_ref(), Some(owner));
        Ok(())
    }

    /// Stages the removal of an owner's record and of its owner-list entries (the caller removes
    /// what else belongs to it). Call under the writer lock.
    pub fn stage_owner_removal(&self, txn: &mut super::Txn, owner: &Owner) -> Result<()> {
        txn.remove(&self.owner_path(&owner.owner_id)?);
        self.stage_owner_list_entries(txn, Some(owner), None);
        Ok(())
    }

    /// Stages the owner-list index changes of an owner going from `old` to `new`; an unchanged
    /// entry (most edits: a name, a passphrase) stages nothing.
    fn stage_owner_list_entries(
        &self,
        txn: &mut super::Txn,
        old: Option<&Owner>,
        new: Option<&Owner>,
    ) {
        let was: Vec<(String, Entry)> = old.map(list_entries).into_iter().flatten().collect();
        let is: Vec<(String, Entry)> = new.map(list_entries).into_iter().flatten().collect();
        let mut op = |scope: &str, change: Change| {
            txn.index(listindex::Op {
                root: self.root().to_path_buf(),
                kind: Kind::Owners,
                scope: scope.to_string(),
                change,
            });
        };
        for (scope, e) in &was {
            if !is.iter().any(|(s, n)| s == scope && n.key == e.key) {
                op(scope, Change::Remove(e.key.clone()));
            }
        }
        for (scope, e) in &is {
            if !was.iter().any(|(s, o)| s == scope && o == e) {
                op(scope, Change::Put(e.clone()));
            }
        }
    }

    /// Rebuilds the owner list index from the records; the caller holds the writer lock. An
    /// owner record that does not read is left out.
    pub(super) fn rebuild_owner_list_index(&self) -> Result<()> {
        let ids = self.list_ids("owners", "yaml")?;
        let entries = ids
            .into_iter()
            .filter(|id| ids::is_uuid_shaped(id))
            .filter_map(|id| self.owner(&id).ok())
            .flat_map(|o| list_entries(&o))
            .map(|(scope, e)| Ok((e, vec![scope])));
        listindex::rebuild(self.root(), Kind::Owners, entries)
    }
}

/// The sort key of an owner in the owner lists (oldest first), as their cursors name it.
pub fn owner_key(o: &Owner) -> String {
    format!("{}\u{1f}{}", o.created_at, o.owner_id)
}

/// An owner's entries in the owner list index: every owner's list and its type's.
fn list_entries(o: &Owner) -> [(String, Entry); 2] {
    let entry = Entry {
        key: owner_key(o),
        id: o.owner_id.to_ascii_lowercase(),
        flag: match o.owner_type {
            OwnerType::User => 'U',
            OwnerType::Org => 'O',
        },
        exp: String::new(),
        agent_principal_id: String::new(),
        agent_id: String::new(),
    };
    let by_type = match o.owner_type {
        OwnerType::User => listindex::USERS,
        OwnerType::Org => listindex::ORGS,
    };
    [
        (listindex::ALL.to_string(), entry.clone()),
        (by_type.to_string(), entry),
    ]
}

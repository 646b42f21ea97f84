//! Owners (users and organisations) in PostgreSQL: the record as the file store writes it.

use super::db_error;
use crate::error::{Error, ErrorCode, Result};
use crate::store::owners::Owner;
use postgres::GenericClient;

/// Creates `owner`; `ALREADY_EXISTS` when its id is taken.
pub fn insert(c: &mut impl GenericClient, owner: &Owner) -> Result<()> {
    let doc = serde_json::to_value(owner)
        .map_err(|e| Error::internal(format!("cannot serialise an owner: {e}")))?;
    c.execute(
        "INSERT INTO owners (id, owner_type, status, doc) VALUES ($1, $2, $3, $4)",
        &[
            &owner.owner_id,
            &owner.owner_type.as_str(),
            &owner.status,
            &postgres::types::Json(&doc),
        ],
    )
    .map_err(|e| {
        if super::is_unique_violation(&e, Some("owners_pkey")) {
            Error::new(
                ErrorCode::AlreadyExists,
                format!("owner {} already exists", owner.owner_id),
            )
        } else {
            db_error("create an owner", e)
        }
    })?;
    Ok(())
}

/// The owner `id`, if it exists.
pub fn get(c: &mut impl GenericClient, id: &str) -> Result<Option<Owner>> {
    let row = c
        .query_opt("SELECT doc FROM owners WHERE id = $1", &[&id])
        .map_err(|e| db_error("read an owner", e))?;
    row.map(|r| {
        let postgres::types::Json(v): postgres::types::Json<serde_json::Value> = r.get(0);
        serde_json::from_value(v).map_err(|e| {
            Error::new(
                ErrorCode::DataCorrupt,
                format!("owner {id} in the PostgreSQL store cannot be read: {e}"),
            )
        })
    })
    .transpose()
}

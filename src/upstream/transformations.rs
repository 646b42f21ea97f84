//! Upstream's output transformations (`transformations/<id>.json`, listed in `state.md`): the
//! same record shape as openleash's, checked with openleash's rule rules before they are kept.

use super::Reader;
use super::doc::{Doc, Layout};
use crate::error::Result;
use crate::store::transformations::Transformation;
use std::collections::BTreeSet;

impl Reader {
    pub(super) fn transformations(
        &mut self,
        state: &Doc,
        owners: &BTreeSet<String>,
        agents: &BTreeSet<String>,
    ) -> Result<Vec<Transformation>> {
        let mut out = Vec::new();
        for entry in state.list(&state.root, "transformations")? {
            let id = state.id(entry, "transformation_id")?;
            let Some(file) = self.entity_file(
                state,
                entry,
                "transformation",
                "transformations",
                &id,
                "json",
            ) else {
                continue;
            };
            let d = Doc::read(&file, Layout::Whole)?;
            let n = &d.root;
            let src = Self::at(&d, n);
            let owner_id = d.id(n, "owner_id")?;
            let agent = d.opt_id(n, "applies_to_agent_principal_id")?;
            let rule = d.req(n, "rule")?.to_json();
            let why = if !owners.contains(&owner_id) {
                Some(format!("its owner {owner_id} was not imported"))
            } else if let Some(a) = agent.as_ref().filter(|a| !agents.contains(*a)) {
                Some(format!("its agent {a} was not imported"))
            } else {
                crate::policy::transform::Rule::parse(&rule).err().map(|p| {
                    format!(
                        "its rule is refused by openleash: {}: {}",
                        p[0].field, p[0].message
                    )
                })
            };
            if let Some(why) = why {
                self.leave("transformation", Some(&id), src, why);
                continue;
            }
            let rank = match n.get("rank").map(|r| &r.value) {
                None => 100,
                Some(crate::yaml::Value::Int(r)) => *r,
                Some(_) => return Err(d.err(d.req(n, "rank")?, "`rank` must be an integer")),
            };
            out.push(Transformation {
                transformation_id: id,
                owner_type: super::owner_type(&d, n)?,
                owner_id,
                applies_to_agent_principal_id: agent,
                name: d.opt_str(n, "name")?,
                description: d.opt_str(n, "description")?,
                enabled: !matches!(
                    n.get("enabled").map(|v| &v.value),
                    Some(crate::yaml::Value::Bool(false))
                ),
                rank,
                rule,
                created_at: d.str(n, "created_at")?,
                updated_at: None,
            });
        }
        Ok(out)
    }
}

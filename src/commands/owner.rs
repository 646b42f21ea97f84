//! `openleash owner list|show|add|set-passphrase|add-contact|add-gov-id|add-company-id|validate`.

use super::Ctx;
use crate::audit::NewEvent;
use crate::cli::OwnerCommand;
use crate::error::{Error, ErrorCode, Result};
use crate::store::Txn;
use crate::store::owners::{Owner, OwnerType};
use serde_json::json;

pub fn run(cmd: OwnerCommand, ctx: &Ctx) -> Result<u8> {
    let dd = ctx.data()?;
    let out = &ctx.out;
    match cmd {
        OwnerCommand::List(page) => {
            let mut human = |owners: &[Owner], _first: bool| -> Result<()> {
                if out.quiet {
                    // `-q`: the ids alone, one per line, for `OWNER=$(openleash -q owner list)`.
                    for o in owners {
                        out.data(&o.owner_id);
                    }
                    return Ok(());
                }
                let mut t =
                    out.table(&["OWNER ID", "TYPE", "NAME", "STATUS", "ASSURANCE", "CREATED"]);
                for o in owners {
                    t.add_row(vec![
                        o.owner_id.clone(),
                        o.owner_type.as_str().into(),
                        o.display_name.clone(),
                        o.status.clone(),
                        o.assurance().as_str().into(),
                        o.created_at.clone(),
                    ]);
                }
                out.print_table(&t);
                Ok(())
            };
            let view = super::paging::ListView {
                list: crate::handlers::owner::LIST,
                field: "owners",
                to_json: &Owner::public_json,
                human: &mut human,
                empty: "No owners. Create one with `openleash owner add --name NAME`.",
            };
            return super::paging::run(ctx, &page, view, |req| {
                crate::handlers::owner::list_page(&dd, req)
            });
        }
        OwnerCommand::Show { owner_id, owner } => {
            let o = dd.resolve_owner(owner.as_deref().or(owner_id.as_deref()))?;
            if out.json {
                out.json_value(&super::identity::full_json(&o));
                return Ok(0);
            }
            out.line(format!("Owner ID:    {}", o.owner_id));
            out.line(format!("Type:        {}", o.owner_type.as_str()));
            out.line(format!("Name:        {}", o.display_name));
            out.line(format!("Status:      {}", o.status));
            out.line(format!("Created:     {}", o.created_at));
            out.line(format!(
                "Passphrase:  {}",
                if o.passphrase_hash.is_some() {
                    "set"
                } else {
                    "not set"
                }
            ));
            super::identity::print_identity(out, &o);
        }
        OwnerCommand::Add(args) => {
            if args.name.trim().is_empty() {
                return Err(
                    Error::new(ErrorCode::ValidationError, "the owner name is empty")
                        .with_hint("pass --name \"Jane Doe\""),
                );
            }
            let ty: OwnerType = args.owner_type.into();
            let o = Owner::new(ty, args.name.trim());
            {
                let _lock = dd.lock()?;
                let mut txn = Txn::default();
                dd.stage_owner(&mut txn, &o)?;
                txn.commit()?;
            }
            let ev = if ty == OwnerType::Org {
                "ORG_CREATED"
            } else {
                "USER_CREATED"
            };
            dd.append_audit(vec![NewEvent::new(ev, json!({"owner_id": o.owner_id, "owner_type": ty.as_str(), "display_name": o.display_name})).principal(&o.owner_id)])?;
            if out.json {
                out.json_value(&o.public_json());
            } else {
                out.note(format!(
                    "{} owner {} ({})",
                    out.green("Created"),
                    o.display_name,
                    o.owner_id
                ));
                out.data(&o.owner_id);
            }
        }
        OwnerCommand::AddContact(a) => return super::identity::add_contact(a, ctx),
        OwnerCommand::AddGovId(a) => return super::identity::add_gov_id(a, ctx),
        OwnerCommand::AddCompanyId(a) => return super::identity::add_company_id(a, ctx),
        OwnerCommand::AddSignatory(a) => return super::identity::add_signatory(a, ctx),
        OwnerCommand::Validate { owner_id, owner } => {
            return super::identity::validate(owner.or(owner_id), ctx);
        }
        OwnerCommand::SetPassphrase(args) => {
            let secret =
                match super::read_secret(args.passphrase_file.as_deref(), args.passphrase_stdin)? {
                    Some(s) => s,
                    None if super::prompt::enabled(ctx) => {
                        super::prompt::password("New passphrase")?
                    }
                    None => {
                        return Err(Error::new(ErrorCode::Usage, "no passphrase given")
                            .with_hint("pass --passphrase-file FILE or --passphrase-stdin"));
                    }
                };
            let o = {
                let _lock = dd.lock()?;
                let mut o = dd.resolve_owner(args.owner.as_deref())?;
                o.set_passphrase(&secret)?;
                let mut txn = Txn::default();
                dd.stage_owner(&mut txn, &o)?;
                txn.commit()?;
                o
            };
            dd.append_audit(vec![
                NewEvent::new(
                    "USER_UPDATED",
                    json!({"owner_id": o.owner_id, "changed": ["passphrase"]}),
                )
                .principal(&o.owner_id),
            ])?;
            if out.json {
                out.json_value(&o.public_json());
            } else {
                out.note(format!(
                    "Passphrase set for {} ({})",
                    o.display_name, o.owner_id
                ));
            }
        }
    }
    Ok(0)
}

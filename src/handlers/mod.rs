//! Handlers: the operations behind both faces of openleash. Each takes typed input and returns
//! typed output or a typed error; the CLI commands and the HTTP routes only translate.

pub mod agents;
pub mod approvals;
pub mod authorize;
pub mod drafts;
pub mod export;
pub mod gc;
pub mod groups;
pub mod identity;
pub mod import;
pub mod integrity;
pub mod invites;
pub mod limits;
pub mod org_resources;
pub mod orgs;
pub mod owner;
pub mod page;
pub mod policies;
pub mod policy_groups;
pub mod provisioner_scope;
pub mod provisioners;
pub mod recovery;
pub mod replay;
pub mod roles;
pub mod setup;
pub mod shadow;
pub mod state;
pub mod summary;
pub mod totp;
pub mod transformations;
pub mod users;

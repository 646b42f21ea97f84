//! MCP governance: a stdio proxy that authorizes every `tools/call` of an MCP server like
//! `openleash authorize` ([`proxy`]), pins tool definitions against rug pulls ([`pins`]), and a
//! scanner that classifies a server's tools and suggests a policy ([`scan`]).
//!
//! MCP's stdio transport is JSON-RPC 2.0, one message per line ([`jsonrpc`]); a tool call is the
//! request `tools/call` with `params.name` and `params.arguments`, and it becomes the action
//! `mcp.<server>.<tool>` with payload `{server, tool, arguments}` ([`names`]).

pub mod jsonrpc;
pub mod names;
pub mod pins;
pub mod proxy;
pub mod scan;
pub mod transform;

//! `openleash mcp scan`: classify an MCP server's tools and print a suggested policy.

use super::Ctx;
use crate::cli::{McpCommand, McpScanArgs};
use crate::error::Result;
use crate::mcp::scan;
use std::time::Duration;

pub fn run(cmd: McpCommand, ctx: &Ctx) -> Result<u8> {
    match cmd {
        McpCommand::Scan(a) => scan_command(a, ctx),
    }
}

fn scan_command(a: McpScanArgs, ctx: &Ctx) -> Result<u8> {
    let report = scan::scan(
        &a.command,
        a.server_name.as_deref(),
        Duration::from_secs(a.timeout.max(1)),
    )?;
    let yaml = scan::suggest_policy(&report);
    let out = &ctx.out;
    if out.json {
        out.json_value(&serde_json::json!({
            "server": report.server,
            "server_info": report.server_info,
            "tools": report.tools,
            "policy_yaml": yaml,
        }));
        return Ok(0);
    }
    if !out.quiet {
        if report.tools.is_empty() {
            eprintln!("MCP server {:?} lists no tools.", report.server);
        } else {
            let mut t = out.table(&["TOOL", "RISK", "ACTION TYPE", "WHY"]);
            for tool in &report.tools {
                t.add_row(vec![
                    tool.name.clone(),
                    tool.risk.as_str().to_string(),
                    tool.action_type.clone(),
                    tool.reasons.join(", "),
                ]);
            }
            eprintln!("{t}");
            eprintln!(
                "Suggested policy below (stdout): deny by default, allow the {} read-only tool(s).",
                report
                    .tools
                    .iter()
                    .filter(|t| t.risk == scan::Risk::Read)
                    .count()
            );
        }
        eprintln!(
            "Its rules name `mcp.{0}.*`: run the proxy with the same name (`openleash mcp-proxy --server-name {0} …`).",
            report.server
        );
    }
    print!("{yaml}");
    Ok(0)
}

//! Action types for MCP tool calls: `mcp.<server>.<tool>`, each name normalised to `[a-z0-9_-]`
//! so that a tool name can never add a level (`.`) or a wildcard to the dotted action type.

/// Lower-cases `name` and replaces every character outside `[a-z0-9_-]` with `_`; an empty
/// result becomes `unnamed`.
pub fn normalise(name: &str) -> String {
    let out: String = name
        .chars()
        .map(|c| {
            let c = c.to_ascii_lowercase();
            if c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if out.is_empty() {
        "unnamed".into()
    } else {
        out
    }
}

/// The action type of a call of `tool` on `server` (both already normalised or not).
pub fn action_type(server: &str, tool: &str) -> String {
    format!("mcp.{}.{}", normalise(server), normalise(tool))
}

/// The action type a policy allows to accept a changed (re-pinned) tool definition. It lives
/// outside `mcp.*`, so a rule allowing `mcp.<server>.*` does not accept rug pulls by itself.
pub fn changed_action_type(server: &str, tool: &str) -> String {
    format!("mcp_changed.{}.{}", normalise(server), normalise(tool))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_normalised() {
        assert_eq!(
            normalise("secure-filesystem-server"),
            "secure-filesystem-server"
        );
        assert_eq!(normalise("Read File"), "read_file");
        assert_eq!(normalise("fs.write*"), "fs_write_");
        assert_eq!(normalise("Ünïcode"), "_n_code");
        assert_eq!(normalise(""), "unnamed");
        assert_eq!(action_type("My Server", "a.b"), "mcp.my_server.a_b");
        assert_eq!(changed_action_type("fs", "x"), "mcp_changed.fs.x");
    }
}

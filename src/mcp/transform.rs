//! Output transformations on `tools/call` results (the owner's rules from
//! [`crate::handlers::transformations`]), applied by the proxy before the client sees them.
//!
//! Every `text` content item (and the `text` of embedded resources) goes through all rules in
//! rank order. In `structuredContent`, every string value goes through the `regex_replace`
//! rules only, so a redaction holds in both forms while the structure (which may have an
//! output schema) stays valid; length caps are about what reaches the model's context, which is
//! the text.

use crate::policy::transform::Rule;
use serde_json::Value;

/// A rule with the id of the transformation it came from.
pub type IdRule = (String, Rule);

/// Applies `rules` to the result of a JSON-RPC response in place; returns the ids of the rules
/// that changed something (empty: the message is unchanged).
pub fn apply_to_response(msg: &mut Value, rules: &[IdRule]) -> Vec<String> {
    let mut changed: Vec<String> = Vec::new();
    let Some(result) = msg.get_mut("result") else {
        return changed;
    };
    let mut note = |id: &str| {
        if !changed.iter().any(|c| c == id) {
            changed.push(id.to_string());
        }
    };
    if let Some(items) = result.get_mut("content").and_then(Value::as_array_mut) {
        for item in items {
            let slot = if item["type"] == "resource" {
                item.get_mut("resource").and_then(|r| r.get_mut("text"))
            } else {
                item.get_mut("text")
            };
            if let Some(Value::String(s)) = slot {
                for (id, rule) in rules {
                    let next = rule.apply(s);
                    if next != *s {
                        *s = next;
                        note(id);
                    }
                }
            }
        }
    }
    if let Some(structured) = result.get_mut("structuredContent") {
        let replacers: Vec<&IdRule> = rules
            .iter()
            .filter(|(_, r)| matches!(r, Rule::RegexReplace { .. }))
            .collect();
        strings(structured, &mut |s: &mut String| {
            for (id, rule) in &replacers {
                let next = rule.apply(s);
                if next != *s {
                    *s = next;
                    note(id);
                }
            }
        });
    }
    changed
}

fn strings(v: &mut Value, f: &mut dyn FnMut(&mut String)) {
    match v {
        Value::String(s) => f(s),
        Value::Array(items) => items.iter_mut().for_each(|i| strings(i, f)),
        Value::Object(m) => m.values_mut().for_each(|i| strings(i, f)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rules() -> Vec<IdRule> {
        let parse = |v: Value| Rule::parse(&v).unwrap();
        vec![
            (
                "r1".into(),
                parse(
                    json!({"type": "regex_replace", "from_pattern": "sk-[a-z0-9]+", "to_pattern": "[key]"}),
                ),
            ),
            (
                "c1".into(),
                parse(json!({"type": "cap_output_length", "max_characters": 12})),
            ),
        ]
    }

    #[test]
    fn text_items_resources_and_structured_content() {
        let mut msg = json!({"jsonrpc": "2.0", "id": 3, "result": {
            "content": [
                {"type": "text", "text": "token sk-abc123 found"},
                {"type": "image", "data": "sk-abc123"},
                {"type": "resource", "resource": {"uri": "file:///x", "text": "sk-zzz"}}
            ],
            "structuredContent": {"token": "sk-abc123 and more text", "n": 1, "list": ["sk-q"]}
        }});
        let changed = apply_to_response(&mut msg, &rules());
        assert_eq!(changed, ["r1", "c1"]);
        let r = &msg["result"];
        assert_eq!(r["content"][0]["text"], "token [key] ");
        assert_eq!(
            r["content"][1]["data"], "sk-abc123",
            "only text is transformed"
        );
        assert_eq!(r["content"][2]["resource"]["text"], "[key]");
        assert_eq!(
            r["structuredContent"]["token"], "[key] and more text",
            "no cap in structure"
        );
        assert_eq!(r["structuredContent"]["list"][0], "[key]");
        assert_eq!(r["structuredContent"]["n"], 1);
    }

    #[test]
    fn errors_and_untouched_results_are_left_alone() {
        let mut err =
            json!({"jsonrpc": "2.0", "id": 1, "error": {"code": -1, "message": "sk-abc"}});
        assert!(apply_to_response(&mut err, &rules()).is_empty());
        let mut short = json!({"jsonrpc": "2.0", "id": 1, "result": {"content": [{"type": "text", "text": "fine"}]}});
        assert!(apply_to_response(&mut short, &rules()).is_empty());
        assert!(apply_to_response(&mut short, &[]).is_empty());
    }
}

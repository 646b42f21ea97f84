//! One upstream file parsed into a spanned YAML tree, with typed field access whose errors name
//! `file:line:col` in the upstream file (so a person can open it at the right place).
//!
//! Upstream writes three kinds of files: Markdown with a YAML front matter block between `---`
//! lines (users, organizations, agents, approval requests, policy drafts), `state.md` with one
//! fenced ```` ```yaml ```` block, and plain JSON. JSON is a subset of the YAML 1.2 tree we parse,
//! so one reader covers all three and every error has a line.

use crate::error::{Error, ErrorCode, Result};
use crate::yaml::{self, Node, Value};
use std::path::{Path, PathBuf};

/// A parsed upstream document: its tree, and where the tree starts in the file.
pub struct Doc {
    pub file: PathBuf,
    /// Lines before the parsed block (the front matter's `---`, the state header).
    line_offset: usize,
    pub root: Node,
}

/// Where the YAML of an upstream file lives.
#[derive(Clone, Copy)]
pub enum Layout {
    /// `---\n<yaml>\n---` at the top of a Markdown file.
    FrontMatter,
    /// The first ```` ```yaml ```` fenced block (`state.md`).
    FencedBlock,
    /// The whole file (JSON or YAML).
    Whole,
}

/// An error about an upstream file at a position (1-based line and column of the file).
pub fn at(file: &Path, line: usize, col: usize, msg: impl std::fmt::Display) -> Error {
    Error::new(
        ErrorCode::DataCorrupt,
        format!("{}:{line}:{col}: {msg}", file.display()),
    )
    .with_hint("fix the upstream file (import-upstream only reads it) and run the import again")
}

impl Doc {
    pub fn read(file: &Path, layout: Layout) -> Result<Doc> {
        let bytes = std::fs::read(file).map_err(|e| Error::io("read", file, e))?;
        let text = String::from_utf8(bytes).map_err(|e| {
            let line = 1 + e.as_bytes()[..e.utf8_error().valid_up_to()]
                .iter()
                .filter(|b| **b == b'\n')
                .count();
            at(file, line, 1, "not valid UTF-8")
        })?;
        Doc::parse(file, &text, layout)
    }

    pub fn parse(file: &Path, text: &str, layout: Layout) -> Result<Doc> {
        let (block, line_offset) = match layout {
            Layout::Whole => (text, 0),
            Layout::FrontMatter => front_matter(text).ok_or_else(|| {
                at(
                    file,
                    1,
                    1,
                    "no front matter: the file must start with a `---` line and close it with another",
                )
            })?,
            Layout::FencedBlock => fenced_yaml(text)
                .ok_or_else(|| at(file, 1, 1, "no ```yaml block found"))?,
        };
        let root = yaml::parse(block).map_err(|e| {
            at(
                file,
                e.pos.line + line_offset,
                e.pos.col,
                format!("invalid YAML: {}", e.message),
            )
        })?;
        let doc = Doc {
            file: file.to_path_buf(),
            line_offset,
            root,
        };
        if doc.root.as_map().is_none() {
            return Err(doc.err(
                &doc.root,
                format!("expected a mapping, found {}", doc.root.kind()),
            ));
        }
        Ok(doc)
    }

    pub fn err(&self, node: &Node, msg: impl std::fmt::Display) -> Error {
        at(
            &self.file,
            node.pos.line + self.line_offset,
            node.pos.col,
            msg,
        )
    }

    /// The 1-based line of `node` in the file.
    pub fn line(&self, node: &Node) -> usize {
        node.pos.line + self.line_offset
    }

    /// `node[key]`, which must be present.
    pub fn req<'a>(&self, node: &'a Node, key: &str) -> Result<&'a Node> {
        node.get(key)
            .ok_or_else(|| self.err(node, format!("missing `{key}`")))
    }

    /// A required string field.
    pub fn str(&self, node: &Node, key: &str) -> Result<String> {
        let v = self.req(node, key)?;
        v.as_str()
            .map(str::to_string)
            .ok_or_else(|| self.err(v, format!("`{key}` must be a string, found {}", v.kind())))
    }

    /// An optional string field: absent and `null` are `None`.
    pub fn opt_str(&self, node: &Node, key: &str) -> Result<Option<String>> {
        match node.get(key) {
            None => Ok(None),
            Some(v) => match &v.value {
                Value::Null => Ok(None),
                Value::Str(s) => Ok(Some(s.clone())),
                _ => Err(self.err(
                    v,
                    format!("`{key}` must be a string or null, found {}", v.kind()),
                )),
            },
        }
    }

    /// A required string field holding a UUID-shaped id (it becomes a file name).
    pub fn id(&self, node: &Node, key: &str) -> Result<String> {
        let s = self.str(node, key)?;
        if !crate::ids::is_uuid_shaped(&s) {
            let v = self.req(node, key)?;
            return Err(self.err(v, format!("`{key}` {s:?} is not a UUID")));
        }
        Ok(s.to_ascii_lowercase())
    }

    /// An optional id field (absent or `null` = `None`).
    pub fn opt_id(&self, node: &Node, key: &str) -> Result<Option<String>> {
        match self.opt_str(node, key)? {
            None => Ok(None),
            Some(s) if crate::ids::is_uuid_shaped(&s) => Ok(Some(s.to_ascii_lowercase())),
            Some(s) => Err(self.err(self.req(node, key)?, format!("`{key}` {s:?} is not a UUID"))),
        }
    }

    /// A list field; absent or `null` is empty.
    pub fn list<'a>(&self, node: &'a Node, key: &str) -> Result<&'a [Node]> {
        match node.get(key) {
            None => Ok(&[]),
            Some(v) => match &v.value {
                Value::Null => Ok(&[]),
                Value::Seq(items) => Ok(items),
                _ => Err(self.err(v, format!("`{key}` must be a list, found {}", v.kind()))),
            },
        }
    }

    /// An optional field converted with serde (positions point at the field).
    pub fn opt_serde<T: serde::de::DeserializeOwned>(
        &self,
        node: &Node,
        key: &str,
    ) -> Result<Option<T>> {
        match node.get(key) {
            None => Ok(None),
            Some(v) if matches!(v.value, Value::Null) => Ok(None),
            Some(v) => serde_json::from_value(v.to_json())
                .map(Some)
                .map_err(|e| self.err(v, format!("`{key}`: {e}"))),
        }
    }
}

/// The front matter block of a Markdown file and the number of lines before it.
fn front_matter(text: &str) -> Option<(&str, usize)> {
    let rest = text.strip_prefix("---\n")?;
    if let Some(body) = rest.strip_prefix("---") {
        // An empty front matter block.
        return (body.is_empty() || body.starts_with('\n')).then_some(("", 1));
    }
    let end = rest.find("\n---")?;
    Some((&rest[..end + 1], 1))
}

/// The first fenced YAML block and the number of lines before its content.
fn fenced_yaml(text: &str) -> Option<(&str, usize)> {
    let start = text.find("```yaml\n")? + "```yaml\n".len();
    let end = start + text[start..].find("```")?;
    let before = text[..start].matches('\n').count();
    Some((&text[start..end], before))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_errors_name_the_file_line() {
        let f = Path::new("agents/x.md");
        let Err(e) = Doc::parse(f, "---\na: 1\nb: [\n---\n\nbody\n", Layout::FrontMatter) else {
            panic!("must fail")
        };
        assert!(e.message.starts_with("agents/x.md:4:"), "{}", e.message);

        let d = Doc::parse(f, "---\na: 1\nb: x\n---\n", Layout::FrontMatter).unwrap();
        let e = d.str(&d.root, "a").unwrap_err();
        assert_eq!(e.code, ErrorCode::DataCorrupt);
        assert!(
            e.message
                .starts_with("agents/x.md:2:4: `a` must be a string"),
            "{}",
            e.message
        );
        let e = d.str(&d.root, "c").unwrap_err();
        assert!(e.message.contains("missing `c`"), "{}", e.message);
        let e = d.id(&d.root, "b").unwrap_err();
        assert!(
            e.message
                .starts_with("agents/x.md:3:4: `b` \"x\" is not a UUID"),
            "{}",
            e.message
        );

        assert!(Doc::parse(f, "a: 1\n", Layout::FrontMatter).is_err());
    }

    #[test]
    fn fenced_blocks_keep_file_lines() {
        let f = Path::new("state.md");
        let text = "# openleash state\n\n```yaml\nversion: 2\nusers: 5\n```\n";
        let d = Doc::parse(f, text, Layout::FencedBlock).unwrap();
        let e = d.list(&d.root, "users").unwrap_err();
        assert!(e.message.starts_with("state.md:5:8:"), "{}", e.message);
        assert!(Doc::parse(f, "# nothing\n", Layout::FencedBlock).is_err());
    }
}

//! Identifiers. Ids we create are random UUID v4; ids that come from outside are checked to be
//! UUID-shaped before they are used for anything, above all before they become part of a path.

use crate::error::{Error, ErrorCode, Result};

/// A fresh lowercase UUID v4.
pub fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// True for 8-4-4-4-12 hex digits, any version, either case (SPEC §7: looser than RFC 9562 so
/// the upstream test vectors' `…0001` ids pass).
pub fn is_uuid_shaped(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 36 {
        return false;
    }
    b.iter().enumerate().all(|(i, c)| match i {
        8 | 13 | 18 | 23 => *c == b'-',
        _ => c.is_ascii_hexdigit(),
    })
}

/// Checks an outside id; `what` names it in the error (`"policy id"`, `"approval id"`, …).
pub fn check_uuid(what: &str, s: &str) -> Result<()> {
    if is_uuid_shaped(s) {
        Ok(())
    } else {
        Err(Error::new(
            ErrorCode::InvalidId,
            format!("invalid {what} {s:?}: expected a UUID (8-4-4-4-12 hex digits)"),
        )
        .with_hint("ids are UUIDs such as 3f2b8c1e-0d4a-4c6e-9b7a-2e5f1c3d4b6a; list them with the matching `list` command"))
    }
}

/// `agent_id`s are chosen by people, so they are free-form within a safe alphabet: 1–128 of
/// `[A-Za-z0-9._:@-]`, not starting with `.` or `-`.
pub fn check_agent_id(s: &str) -> Result<()> {
    let ok = !s.is_empty()
        && s.len() <= 128
        && !s.starts_with(['.', '-'])
        && s.bytes()
            .all(|c| c.is_ascii_alphanumeric() || b"._:@-".contains(&c));
    if ok {
        Ok(())
    } else {
        Err(Error::new(ErrorCode::InvalidId, format!("invalid agent id {s:?}"))
            .with_hint("use 1-128 characters from A-Z a-z 0-9 . _ : @ - (not starting with . or -), e.g. `my-agent`"))
    }
}

/// The slug a name suggests (`Data Science` → `data-science`): lowercase letters and digits, runs
/// of anything else as one hyphen, at most 56 characters (room for a `-N` suffix within the 64 of
/// a valid slug); `fallback` when fewer than two characters remain.
pub fn slug_base(name: &str, fallback: &str) -> String {
    let mut base = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            base.push(c);
        } else if !base.is_empty() && !base.ends_with('-') {
            base.push('-');
        }
    }
    let mut base = base.trim_end_matches('-').to_string();
    base.truncate(56);
    let base = base.trim_end_matches('-').to_string();
    if base.len() < 2 {
        fallback.to_string()
    } else {
        base
    }
}

/// A valid slug as upstream `validateOrgSlug`: 2–64 of `a-z`, `0-9`, `-`, starting and ending
/// with a letter or digit (so a slug is always a safe file name).
pub fn is_slug(slug: &str) -> bool {
    (2..=64).contains(&slug.len())
        && slug
            .bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
        && !slug.starts_with('-')
        && !slug.ends_with('-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_shapes() {
        assert!(is_uuid_shaped("00000000-0000-0000-0000-000000000001"));
        assert!(is_uuid_shaped("A0000000-0000-4000-8000-00000000000F"));
        assert!(is_uuid_shaped(&new_id()));
        for bad in [
            "",
            "../etc/passwd",
            "00000000-0000-0000-0000-00000000000g",
            "00000000000000000000000000000000",
            "00000000-0000-0000-0000-0000000000011",
            "../../../../../../../../../../../../",
        ] {
            assert!(!is_uuid_shaped(bad), "{bad}");
            assert!(check_uuid("policy id", bad).is_err());
        }
    }

    #[test]
    fn agent_ids() {
        assert!(check_agent_id("my-agent").is_ok());
        assert!(check_agent_id("test-agent@example.com").is_ok());
        for bad in ["", "../x", "a/b", ".hidden", "a b", "-x"] {
            assert!(check_agent_id(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn slugs_from_names_and_their_rules() {
        assert_eq!(super::slug_base("Data Science", "group"), "data-science");
        assert_eq!(super::slug_base("  Acme,  Corp!! ", "org"), "acme-corp");
        assert_eq!(super::slug_base("ü", "org"), "org");
        assert_eq!(super::slug_base(&"a".repeat(80), "org").len(), 56);
        for ok in ["ab", "acme-corp", "a1", &"x".repeat(64)] {
            assert!(super::is_slug(ok), "{ok}");
        }
        for bad in [
            "a",
            "-ab",
            "ab-",
            "Ab",
            "a b",
            "a/b",
            "a.b",
            "",
            &"x".repeat(65),
        ] {
            assert!(!super::is_slug(bad), "{bad}");
        }
    }
}

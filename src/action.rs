//! ActionRequest parsing, validation, canonical JSON and `action_hash`.
//!
//! The rules are upstream's zod schema (`reference/upstream-core.md` §2.1) with SPEC §7's looser
//! UUID-shape check. Unknown keys are dropped at the top level and inside `principal`, `subject`
//! and `relying_party` (never inside `payload`), and the stripped object is both what the engine
//! sees and what is hashed, so two clients that add different extra keys still agree on the hash.
//! Every problem is collected (not just the first) into zod's flattened `{formErrors,
//! fieldErrors}` shape, which is what upstream's HTTP API returns in `details`.

use crate::crypto::sha256_hex;
use crate::error::{Error, ErrorCode, Result};
use crate::ids::is_uuid_shaped;
use serde_json::{Map, Value, json};

/// The four relying-party trust profiles.
pub const TRUST_PROFILES: [&str; 4] = ["LOW", "MEDIUM", "HIGH", "REGULATED"];

/// A validated, stripped ActionRequest with its canonical JSON and hash computed once.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidatedAction {
    value: Value,
    canonical: String,
    hash: String,
}

impl ValidatedAction {
    /// Parses and validates raw JSON bytes (a leading UTF-8 BOM is tolerated).
    pub fn from_slice(bytes: &[u8]) -> Result<ValidatedAction> {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let value: Value = serde_json::from_slice(bytes).map_err(|e| json_error(&e))?;
        ValidatedAction::from_value(value)
    }

    /// Parses and validates JSON text.
    pub fn from_str_json(text: &str) -> Result<ValidatedAction> {
        ValidatedAction::from_slice(text.as_bytes())
    }

    /// Validates an already parsed value (e.g. an HTTP body after `approval_token` was removed).
    pub fn from_value(value: Value) -> Result<ValidatedAction> {
        let stripped = validate(&value).map_err(issues_error)?;
        let canonical = canonical_json(&stripped)?;
        let hash = sha256_hex(canonical.as_bytes());
        Ok(ValidatedAction {
            value: stripped,
            canonical,
            hash,
        })
    }

    /// The stripped ActionRequest (schema key order; `payload` as given).
    pub fn value(&self) -> &Value {
        &self.value
    }

    pub fn into_value(self) -> Value {
        self.value
    }

    /// RFC 8785 canonical JSON of [`Self::value`].
    pub fn canonical_json(&self) -> &str {
        &self.canonical
    }

    /// Lowercase hex SHA-256 of the canonical JSON.
    pub fn action_hash(&self) -> &str {
        &self.hash
    }

    fn str_at(&self, path: &[&str]) -> Option<&str> {
        let mut v = &self.value;
        for key in path {
            v = v.get(key)?;
        }
        v.as_str()
    }

    pub fn action_id(&self) -> &str {
        self.str_at(&["action_id"]).unwrap_or_default()
    }

    pub fn action_type(&self) -> &str {
        self.str_at(&["action_type"]).unwrap_or_default()
    }

    pub fn requested_at(&self) -> &str {
        self.str_at(&["requested_at"]).unwrap_or_default()
    }

    /// `principal.agent_id`.
    pub fn agent_id(&self) -> &str {
        self.str_at(&["principal", "agent_id"]).unwrap_or_default()
    }

    /// `subject.principal_id`.
    pub fn subject_principal_id(&self) -> &str {
        self.str_at(&["subject", "principal_id"])
            .unwrap_or_default()
    }

    /// The stripped `relying_party` object, when given.
    pub fn relying_party(&self) -> Option<&Map<String, Value>> {
        self.value.get("relying_party").and_then(Value::as_object)
    }

    pub fn rp_id(&self) -> Option<&str> {
        self.str_at(&["relying_party", "rp_id"])
    }

    pub fn rp_domain(&self) -> Option<&str> {
        self.str_at(&["relying_party", "domain"])
    }

    /// One of [`TRUST_PROFILES`], when given.
    pub fn trust_profile(&self) -> Option<&str> {
        self.str_at(&["relying_party", "trust_profile"])
    }

    /// The payload object (never stripped).
    pub fn payload(&self) -> &Map<String, Value> {
        static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();
        self.value
            .get("payload")
            .and_then(Value::as_object)
            .unwrap_or_else(|| EMPTY.get_or_init(Map::new))
    }
}

impl std::str::FromStr for ValidatedAction {
    type Err = Error;

    fn from_str(text: &str) -> Result<ValidatedAction> {
        ValidatedAction::from_str_json(text)
    }
}

/// RFC 8785 (JCS) canonical JSON of any value: keys sorted by UTF-16 code units at every level
/// (whatever order `preserve_order` kept), numbers as ECMAScript prints doubles.
pub fn canonical_json(value: &Value) -> Result<String> {
    serde_json_canonicalizer::to_string(value)
        .map_err(|e| Error::internal(format!("canonical JSON failed: {e}")))
}

/// `sha256_hex(JCS(value))` for a value that is already stripped.
pub fn action_hash_of(value: &Value) -> Result<String> {
    Ok(sha256_hex(canonical_json(value)?.as_bytes()))
}

/// `INVALID_JSON` with the 1-based line and column of the problem.
fn json_error(e: &serde_json::Error) -> Error {
    let (line, column) = (e.line(), e.column());
    let full = e.to_string();
    // serde_json appends " at line L column C"; we state the position in our own words.
    let suffix = format!(" at line {line} column {column}");
    let what = full.strip_suffix(&suffix).unwrap_or(&full);
    Error::new(
        ErrorCode::InvalidJson,
        format!("malformed JSON at line {line}, column {column}: {what}"),
    )
    .with_hint("an ActionRequest is one JSON object; check for a missing comma, quote or brace near that position")
    .with_details(json!({ "line": line, "column": column }))
}

/// One validation problem: zod's message for `details`, and our sentence for people.
#[derive(Debug, Clone, PartialEq)]
struct Issue {
    path: Vec<&'static str>,
    zod: String,
    human: String,
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// How a string field is checked.
#[derive(Clone, Copy)]
enum Rule {
    Any,
    NonEmpty,
    Uuid,
    OneOf(&'static [&'static str]),
}

struct Checker {
    issues: Vec<Issue>,
}

impl Checker {
    fn push(&mut self, path: &[&'static str], zod: String, human: String) {
        self.issues.push(Issue {
            path: path.to_vec(),
            zod,
            human,
        });
    }

    /// A string field. `None` input = absent; optional fields treat `null` as absent too
    /// (SPEC §8.1: null means "not provided" for optional request fields).
    fn string(
        &mut self,
        v: Option<&Value>,
        path: &[&'static str],
        required: bool,
        rule: Rule,
    ) -> Option<Value> {
        let name = path.join(".");
        let v = match v {
            None | Some(Value::Null) if !required => return None,
            None => {
                self.push(
                    path,
                    "Invalid input: expected string, received undefined".into(),
                    format!("{name} is required"),
                );
                return None;
            }
            Some(v) => v,
        };
        let Some(s) = v.as_str() else {
            self.push(
                path,
                format!("Invalid input: expected string, received {}", type_name(v)),
                format!("{name} must be a string, got {}", type_name(v)),
            );
            return None;
        };
        let ok = match rule {
            Rule::Any => true,
            Rule::NonEmpty => {
                if s.is_empty() {
                    self.push(
                        path,
                        "Too small: expected string to have >=1 characters".into(),
                        format!("{name} must not be empty"),
                    );
                }
                !s.is_empty()
            }
            Rule::Uuid => {
                let ok = is_uuid_shaped(s);
                if !ok {
                    self.push(
                        path,
                        "Invalid UUID".into(),
                        format!(
                            "{name} must be a UUID (8-4-4-4-12 hex digits), got {}",
                            shorten(s)
                        ),
                    );
                }
                ok
            }
            Rule::OneOf(allowed) => {
                let ok = allowed.contains(&s);
                if !ok {
                    let quoted: Vec<String> = allowed.iter().map(|a| format!("\"{a}\"")).collect();
                    self.push(
                        path,
                        format!("Invalid option: expected one of {}", quoted.join("|")),
                        format!(
                            "{name} must be one of {}, got {}",
                            allowed.join(", "),
                            shorten(s)
                        ),
                    );
                }
                ok
            }
        };
        ok.then(|| Value::String(s.to_string()))
    }

    /// An object field; `null` counts as absent when optional.
    fn object<'v>(
        &mut self,
        v: Option<&'v Value>,
        path: &[&'static str],
        required: bool,
        expected: &str,
        shape: &str,
    ) -> Option<&'v Map<String, Value>> {
        let name = path.join(".");
        match v {
            None | Some(Value::Null) if !required => None,
            Some(Value::Object(m)) => Some(m),
            None => {
                self.push(
                    path,
                    format!("Invalid input: expected {expected}, received undefined"),
                    format!("{name} is required ({shape})"),
                );
                None
            }
            Some(other) => {
                self.push(
                    path,
                    format!(
                        "Invalid input: expected {expected}, received {}",
                        type_name(other)
                    ),
                    format!("{name} must be {shape}, got {}", type_name(other)),
                );
                None
            }
        }
    }
}

/// Quotes a user value for a message, cut to a readable length.
fn shorten(s: &str) -> String {
    const MAX: usize = 60;
    if s.chars().count() <= MAX {
        format!("{s:?}")
    } else {
        let head: String = s.chars().take(MAX).collect();
        format!("{head:?}…")
    }
}

/// Validates and strips; on failure returns every problem found.
fn validate(value: &Value) -> std::result::Result<Value, Vec<Issue>> {
    let mut c = Checker { issues: Vec::new() };
    let Some(root) = value.as_object() else {
        return Err(vec![Issue {
            path: vec![],
            zod: format!(
                "Invalid input: expected object, received {}",
                type_name(value)
            ),
            human: format!(
                "the action request must be a JSON object, got {}",
                type_name(value)
            ),
        }]);
    };
    let mut out = Map::new();

    let v = c.string(root.get("action_id"), &["action_id"], true, Rule::Uuid);
    put(&mut out, "action_id", v);
    let v = c.string(
        root.get("action_type"),
        &["action_type"],
        true,
        Rule::NonEmpty,
    );
    put(&mut out, "action_type", v);
    let v = c.string(root.get("requested_at"), &["requested_at"], true, Rule::Any);
    put(&mut out, "requested_at", v);

    if let Some(p) = c.object(
        root.get("principal"),
        &["principal"],
        true,
        "object",
        "an object with agent_id",
    ) {
        let v = c.string(
            p.get("agent_id"),
            &["principal", "agent_id"],
            true,
            Rule::NonEmpty,
        );
        if let Some(v) = v {
            out.insert("principal".into(), json!({ "agent_id": v }));
        }
    }

    if let Some(s) = c.object(
        root.get("subject"),
        &["subject"],
        true,
        "object",
        "an object with principal_id",
    ) {
        let v = c.string(
            s.get("principal_id"),
            &["subject", "principal_id"],
            true,
            Rule::Uuid,
        );
        if let Some(v) = v {
            out.insert("subject".into(), json!({ "principal_id": v }));
        }
    }

    if let Some(rp) = c.object(
        root.get("relying_party"),
        &["relying_party"],
        false,
        "object",
        "an object with optional rp_id, domain and trust_profile",
    ) {
        let mut m = Map::new();
        let v = c.string(
            rp.get("rp_id"),
            &["relying_party", "rp_id"],
            false,
            Rule::Uuid,
        );
        put(&mut m, "rp_id", v);
        let v = c.string(
            rp.get("domain"),
            &["relying_party", "domain"],
            false,
            Rule::Any,
        );
        put(&mut m, "domain", v);
        let v = c.string(
            rp.get("trust_profile"),
            &["relying_party", "trust_profile"],
            false,
            Rule::OneOf(&TRUST_PROFILES),
        );
        put(&mut m, "trust_profile", v);
        out.insert("relying_party".into(), Value::Object(m));
    }

    if let Some(p) = c.object(
        root.get("payload"),
        &["payload"],
        true,
        "record",
        "a JSON object",
    ) {
        out.insert("payload".into(), Value::Object(p.clone()));
    }

    if c.issues.is_empty() {
        Ok(Value::Object(out))
    } else {
        Err(c.issues)
    }
}

fn put(out: &mut Map<String, Value>, key: &str, v: Option<Value>) {
    if let Some(v) = v {
        out.insert(key.to_string(), v);
    }
}

/// zod's `flatten()`: root problems in `formErrors`, the rest grouped by their first path key.
fn flatten(issues: &[Issue]) -> Value {
    let mut form = Vec::new();
    let mut fields: Map<String, Value> = Map::new();
    for i in issues {
        match i.path.first() {
            None => form.push(Value::String(i.zod.clone())),
            Some(key) => {
                let entry = fields
                    .entry(key.to_string())
                    .or_insert_with(|| Value::Array(Vec::new()));
                if let Value::Array(list) = entry {
                    list.push(Value::String(i.zod.clone()));
                }
            }
        }
    }
    json!({ "formErrors": form, "fieldErrors": fields })
}

fn issues_error(issues: Vec<Issue>) -> Error {
    let summary: Vec<&str> = issues.iter().map(|i| i.human.as_str()).collect();
    Error::new(
        ErrorCode::InvalidActionRequest,
        format!("Invalid action request: {}", summary.join("; ")),
    )
    .with_hint(
        "an ActionRequest needs action_id (UUID), action_type, requested_at, principal.agent_id, \
         subject.principal_id (UUID) and payload (object); relying_party {rp_id, domain, \
         trust_profile} is optional",
    )
    .with_details(flatten(&issues))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Value {
        json!({
            "action_id": "00000000-0000-0000-0000-000000000001",
            "action_type": "purchase",
            "requested_at": "2024-01-15T10:30:00.000Z",
            "principal": {"agent_id": "test-agent"},
            "subject": {"principal_id": "00000000-0000-0000-0000-000000000002"},
            "relying_party": {"domain": "example.com", "trust_profile": "LOW"},
            "payload": {"amount_minor": 5000, "currency": "USD", "merchant_domain": "example.com"}
        })
    }

    const SAMPLE_HASH: &str = "5fed50d1afcf598480f64ca09edb042a8a09c6b33c8712e3faeeea2aa1d4297d";

    #[test]
    fn hashes_the_test_vector() {
        let a = ValidatedAction::from_value(sample()).unwrap();
        assert_eq!(a.action_hash(), SAMPLE_HASH);
        assert!(a.canonical_json().starts_with(r#"{"action_id":"00000000-0000-0000-0000-000000000001","action_type":"purchase","payload":{"amount_minor":5000,"#));
        assert_eq!(a.action_id(), "00000000-0000-0000-0000-000000000001");
        assert_eq!(a.action_type(), "purchase");
        assert_eq!(a.agent_id(), "test-agent");
        assert_eq!(
            a.subject_principal_id(),
            "00000000-0000-0000-0000-000000000002"
        );
        assert_eq!(a.rp_domain(), Some("example.com"));
        assert_eq!(a.trust_profile(), Some("LOW"));
        assert_eq!(a.rp_id(), None);
        assert_eq!(a.payload()["currency"], "USD");
    }

    #[test]
    fn strips_unknown_keys_but_not_inside_payload() {
        let mut v = sample();
        v["extra"] = json!(1);
        v["approval_token"] = json!("v4.public.x");
        v["principal"]["role"] = json!("x");
        v["subject"]["name"] = json!("x");
        v["relying_party"]["other"] = json!(true);
        let a = ValidatedAction::from_value(v).unwrap();
        assert_eq!(a.action_hash(), SAMPLE_HASH);
        assert!(a.value().get("extra").is_none());

        let mut v = sample();
        v["payload"]["note"] = json!("kept");
        let a = ValidatedAction::from_value(v).unwrap();
        assert_ne!(a.action_hash(), SAMPLE_HASH);
        assert_eq!(a.payload()["note"], "kept");
    }

    #[test]
    fn optional_nulls_count_as_absent() {
        let mut v = sample();
        v["relying_party"] = Value::Null;
        let a = ValidatedAction::from_value(v).unwrap();
        assert!(a.value().get("relying_party").is_none());
        let mut v = sample();
        v["relying_party"]["rp_id"] = Value::Null;
        let a = ValidatedAction::from_value(v).unwrap();
        assert_eq!(a.action_hash(), SAMPLE_HASH);
    }

    #[test]
    fn key_order_of_input_does_not_matter() {
        let text = r#"{"payload":{"merchant_domain":"example.com","currency":"USD","amount_minor":5000.0},
            "subject":{"principal_id":"00000000-0000-0000-0000-000000000002"},
            "relying_party":{"trust_profile":"LOW","domain":"example.com"},
            "principal":{"agent_id":"test-agent"},"requested_at":"2024-01-15T10:30:00.000Z",
            "action_type":"purchase","action_id":"00000000-0000-0000-0000-000000000001"}"#;
        let a: ValidatedAction = text.parse().unwrap();
        assert_eq!(a.action_hash(), SAMPLE_HASH);
        // the stripped value comes out in schema order
        let keys: Vec<&String> = a.value().as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            [
                "action_id",
                "action_type",
                "requested_at",
                "principal",
                "subject",
                "relying_party",
                "payload"
            ]
        );
    }

    #[test]
    fn numbers_are_printed_as_ecmascript_does() {
        for (input, expected) in [
            ("5000.0", "5000"),
            ("1e21", "1e+21"),
            ("1E21", "1e+21"),
            ("1e20", "100000000000000000000"),
            ("0.000001", "0.000001"),
            ("1e-7", "1e-7"),
            ("-0", "0"),
            ("-0.0", "0"),
            ("0.1", "0.1"),
            ("123.456e2", "12345.6"),
            ("9007199254740993", "9007199254740992"),
            ("12345678901234567890", "12345678901234567000"),
            ("1.7976931348623157e308", "1.7976931348623157e+308"),
            ("5e-324", "5e-324"),
        ] {
            let v: Value = serde_json::from_str(input).unwrap();
            assert_eq!(canonical_json(&v).unwrap(), expected, "{input}");
        }
    }

    #[test]
    fn strings_and_keys_are_canonical() {
        let v: Value = serde_json::from_str(
            r#"{"b":"\u0001\u001f\"\\/é😀\u2028","a":[3,{"z":1,"y":null}],"\u00e9":1,"😀":2,"\uff61":3}"#,
        )
        .unwrap();
        // keys sorted by UTF-16 code units: U+1F600 (D83D DE00) sorts before U+FF61
        assert_eq!(
            canonical_json(&v).unwrap(),
            "{\"a\":[3,{\"y\":null,\"z\":1}],\"b\":\"\\u0001\\u001f\\\"\\\\/é😀\u{2028}\",\"é\":1,\"😀\":2,\"｡\":3}"
        );
    }

    fn err_of(v: Value) -> Error {
        ValidatedAction::from_value(v).unwrap_err()
    }

    #[test]
    fn collects_every_problem_in_zod_shape() {
        let e = err_of(json!({
            "action_id": "not-a-uuid",
            "action_type": "",
            "principal": {"agent_id": ""},
            "subject": {},
            "relying_party": {"rp_id": "x", "trust_profile": "low", "domain": 5},
            "payload": []
        }));
        assert_eq!(e.code, ErrorCode::InvalidActionRequest);
        assert_eq!(e.exit_code(), 65);
        assert_eq!(
            e.details.clone().unwrap(),
            json!({
                "formErrors": [],
                "fieldErrors": {
                    "action_id": ["Invalid UUID"],
                    "action_type": ["Too small: expected string to have >=1 characters"],
                    "requested_at": ["Invalid input: expected string, received undefined"],
                    "principal": ["Too small: expected string to have >=1 characters"],
                    "subject": ["Invalid input: expected string, received undefined"],
                    "relying_party": [
                        "Invalid UUID",
                        "Invalid input: expected string, received number",
                        "Invalid option: expected one of \"LOW\"|\"MEDIUM\"|\"HIGH\"|\"REGULATED\""
                    ],
                    "payload": ["Invalid input: expected record, received array"]
                }
            })
        );
        assert!(
            e.message
                .starts_with("Invalid action request: action_id must be a UUID")
        );
        for needle in [
            "action_type must not be empty",
            "requested_at is required",
            "principal.agent_id must not be empty",
            "subject.principal_id is required",
            "relying_party.rp_id must be a UUID",
            "relying_party.domain must be a string, got number",
            "relying_party.trust_profile must be one of LOW, MEDIUM, HIGH, REGULATED, got \"low\"",
            "payload must be a JSON object, got array",
        ] {
            assert!(e.message.contains(needle), "{needle} in {}", e.message);
        }
    }

    #[test]
    fn missing_objects_and_non_object_root() {
        let e = err_of(json!({
            "action_id": "00000000-0000-0000-0000-000000000001",
            "action_type": "x",
            "requested_at": "now",
            "principal": null,
            "subject": "s",
        }));
        assert_eq!(
            e.details.clone().unwrap()["fieldErrors"],
            json!({
                "principal": ["Invalid input: expected object, received null"],
                "subject": ["Invalid input: expected object, received string"],
                "payload": ["Invalid input: expected record, received undefined"],
            })
        );
        let e = err_of(json!([1]));
        assert_eq!(
            e.details.clone().unwrap(),
            json!({"formErrors": ["Invalid input: expected object, received array"], "fieldErrors": {}})
        );
    }

    #[test]
    fn malformed_json_reports_line_and_column() {
        let e =
            ValidatedAction::from_str_json("{\n  \"action_id\": \"x\",\n  oops\n}").unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidJson);
        assert_eq!(e.exit_code(), 65);
        assert_eq!(
            e.message,
            "malformed JSON at line 3, column 3: key must be a string"
        );
        assert_eq!(e.details.clone().unwrap(), json!({"line": 3, "column": 3}));
        let e = ValidatedAction::from_str_json("").unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidJson);
        // a BOM is fine
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        bytes.extend_from_slice(sample().to_string().as_bytes());
        assert_eq!(
            ValidatedAction::from_slice(&bytes).unwrap().action_hash(),
            SAMPLE_HASH
        );
    }

    #[test]
    fn uppercase_and_any_version_uuids_pass() {
        let mut v = sample();
        v["action_id"] = json!("ABCDEF00-0000-0000-0000-00000000000F");
        v["relying_party"]["rp_id"] = json!("00000000-0000-0000-0000-000000000003");
        assert!(ValidatedAction::from_value(v).is_ok());
    }

    mod props {
        use super::*;
        use proptest::prelude::*;

        fn arb_json() -> impl Strategy<Value = Value> {
            let leaf = prop_oneof![
                Just(Value::Null),
                any::<bool>().prop_map(Value::Bool),
                any::<i64>().prop_map(|n| json!(n)),
                any::<f64>()
                    .prop_filter("finite", |f| f.is_finite())
                    .prop_map(|f| json!(f)),
                "\\PC{0,8}".prop_map(Value::String),
            ];
            leaf.prop_recursive(4, 48, 6, |inner| {
                prop_oneof![
                    prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                    prop::collection::vec(("\\PC{0,6}", inner), 0..6)
                        .prop_map(|kv| Value::Object(kv.into_iter().collect())),
                ]
            })
        }

        /// Rebuilds every object with its keys in reverse insertion order.
        fn reverse_keys(v: &Value) -> Value {
            match v {
                Value::Object(m) => Value::Object(
                    m.iter()
                        .rev()
                        .map(|(k, v)| (k.clone(), reverse_keys(v)))
                        .collect(),
                ),
                Value::Array(a) => Value::Array(a.iter().map(reverse_keys).collect()),
                other => other.clone(),
            }
        }

        fn keys_sorted(v: &Value) -> bool {
            match v {
                Value::Object(m) => {
                    let keys: Vec<Vec<u16>> =
                        m.keys().map(|k| k.encode_utf16().collect()).collect();
                    keys.windows(2).all(|w| w[0] < w[1]) && m.values().all(keys_sorted)
                }
                Value::Array(a) => a.iter().all(keys_sorted),
                _ => true,
            }
        }

        proptest! {
            #[test]
            fn canonical_form_ignores_insertion_order(v in arb_json()) {
                let a = canonical_json(&v).unwrap();
                let b = canonical_json(&reverse_keys(&v)).unwrap();
                prop_assert_eq!(&a, &b);
                // canonical output is valid JSON, already canonical, sorted, and compact
                let back: Value = serde_json::from_str(&a).unwrap();
                prop_assert!(keys_sorted(&back));
                prop_assert_eq!(canonical_json(&back).unwrap(), a);
            }

            #[test]
            fn doubles_round_trip(f in any::<f64>().prop_filter("finite", |f| f.is_finite())) {
                let s = canonical_json(&json!(f)).unwrap();
                let back: f64 = s.parse().unwrap();
                prop_assert_eq!(back, if f == 0.0 { 0.0 } else { f });
                prop_assert!(!s.ends_with(".0") && !s.contains("e-0") && !s.contains("E"));
                if f.fract() == 0.0 && f.abs() < 1e21 {
                    prop_assert!(!s.contains('.') && !s.contains('e'), "{}", s);
                }
            }

            #[test]
            fn extra_keys_never_change_the_hash(
                key in "[a-z_]{1,10}",
                extra in arb_json(),
                at in 0usize..4,
            ) {
                let known = ["action_id", "action_type", "requested_at", "principal", "subject",
                    "relying_party", "payload", "agent_id", "principal_id", "rp_id", "domain",
                    "trust_profile"];
                prop_assume!(!known.contains(&key.as_str()));
                let mut v = sample();
                let target = match at {
                    0 => &mut v,
                    1 => &mut v["principal"],
                    2 => &mut v["subject"],
                    _ => &mut v["relying_party"],
                };
                target[key.as_str()] = extra;
                let a = ValidatedAction::from_value(v).unwrap();
                prop_assert_eq!(a.action_hash(), SAMPLE_HASH);
            }

            #[test]
            fn payload_keys_always_change_the_hash(key in "[a-z_]{1,10}", extra in arb_json()) {
                let mut v = sample();
                prop_assume!(v["payload"].get(key.as_str()).is_none());
                v["payload"][key.as_str()] = extra;
                let a = ValidatedAction::from_value(v).unwrap();
                prop_assert_ne!(a.action_hash(), SAMPLE_HASH);
            }

            #[test]
            fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
                let _ = ValidatedAction::from_slice(&bytes);
            }

            #[test]
            fn arbitrary_values_never_panic(v in arb_json()) {
                if let Ok(a) = ValidatedAction::from_value(v) {
                    prop_assert_eq!(a.action_hash().len(), 64);
                }
            }
        }
    }
}

//! The policy validator must never panic, hang or blow the stack on any input, and a policy it
//! accepts must evaluate without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let checked = openleash::policy::check_policy("fuzz.yaml", data);
    if let Some(policy) = checked.policy {
        let action = serde_json::json!({
            "action_id": "00000000-0000-4000-8000-000000000001",
            "action_type": "purchase",
            "requested_at": "2024-01-15T10:30:00.000Z",
            "principal": {"agent_id": "fuzz"},
            "subject": {"principal_id": "00000000-0000-4000-8000-000000000002"},
            "payload": {"amount_minor": 5000, "currency": "USD", "category": "healthcare"}
        });
        let _ = openleash::policy::evaluate(&[&policy], &action);
    }
});

//! ActionRequest validation and canonicalisation must never panic; an accepted action's hash is
//! stable under re-validation of its own stripped form.
#![no_main]

use libfuzzer_sys::fuzz_target;
use openleash::action::ValidatedAction;

fuzz_target!(|data: &[u8]| {
    if let Ok(action) = ValidatedAction::from_slice(data) {
        let again = ValidatedAction::from_value(action.value().clone()).expect("a stripped action stays valid");
        assert_eq!(again.action_hash(), action.action_hash());
    }
});

//! `owner add-contact|add-gov-id|add-company-id|validate`: flags, masking, owner types, audit.

use crate::common::{init_dir, ol, snapshot_tree, stdout_json};

fn owner_id(data: &std::path::Path) -> String {
    let out = ol(data).args(["--json", "owner", "list"]).output().unwrap();
    stdout_json(&out)[0]["owner_id"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn gov_id_is_validated_masked_and_audited() {
    let (_t, data) = init_dir();
    let out = ol(&data)
        .args([
            "--json",
            "owner",
            "add-gov-id",
            "--country",
            "se",
            "--value",
            "811218-9876",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = stdout_json(&out);
    assert_eq!(v["government_ids"][0]["id_value"], "*******9876");
    assert_eq!(v["government_ids"][0]["id_type"], "PERSONNUMMER");
    assert_eq!(v["government_ids"][0]["verification_level"], "FORMAT_VALID");
    assert_eq!(v["identity_assurance_level"], "ID_FORMAT_VALID");
    // Human output masks too; the full value stays only in the owner's file.
    let show = ol(&data)
        .args(["owner", "show", &owner_id(&data)])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&show.stdout);
    assert!(
        text.contains("SE/PERSONNUMMER: *******9876 [FORMAT_VALID]"),
        "{text}"
    );
    assert!(!text.contains("811218"));
    let audit = ol(&data)
        .args(["--json", "audit", "list", "--type", "USER_IDENTITY_UPDATED"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&audit.stdout).contains("add_government_id"));

    // One per country.
    ol(&data)
        .args([
            "owner",
            "add-gov-id",
            "--country",
            "SE",
            "--value",
            "811218-9876",
        ])
        .assert()
        .code(73);
}

#[test]
fn invalid_values_fail_unless_allowed() {
    let (_t, data) = init_dir();
    let before = snapshot_tree(&data.join("owners"));
    let out = ol(&data)
        .args([
            "owner",
            "add-gov-id",
            "--country",
            "NL",
            "--value",
            "111222334",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(65));
    assert!(String::from_utf8_lossy(&out.stderr).contains("INVALID_IDENTITY"));
    assert_eq!(snapshot_tree(&data.join("owners")), before);
    let out = ol(&data)
        .args([
            "--json",
            "owner",
            "add-gov-id",
            "--country",
            "NL",
            "--value",
            "111222334",
            "--allow-invalid",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v = stdout_json(&out);
    assert_eq!(v["government_ids"][0]["verification_level"], "UNVERIFIED");
    assert_eq!(v["identity_assurance_level"], "SELF_DECLARED");
    // validate reports the stored failure and exits 1.
    let out = ol(&data).args(["owner", "validate"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Government ID #1: Invalid BSN"), "{text}");
    assert!(
        text.contains("Identity assurance level: SELF_DECLARED"),
        "{text}"
    );
}

#[test]
fn contacts_and_missing_flags() {
    let (_t, data) = init_dir();
    ol(&data)
        .args([
            "owner",
            "add-contact",
            "--type",
            "EMAIL",
            "--value",
            "ada@example.com",
            "--label",
            "Work",
        ])
        .assert()
        .success();
    ol(&data)
        .args([
            "owner",
            "add-contact",
            "--type",
            "PHONE",
            "--value",
            "0701234",
        ])
        .assert()
        .code(65);
    // No terminal: the missing answers are named, exit 2.
    let out = ol(&data).args(["owner", "add-contact"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--type") && err.contains("--value"), "{err}");
    let out = ol(&data).args(["owner", "validate"]).output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("SELF_DECLARED"));
}

#[test]
fn gov_ids_for_users_company_ids_for_orgs() {
    let (_t, data) = init_dir();
    let user = owner_id(&data);
    let out = ol(&data)
        .args([
            "--json", "owner", "add", "--name", "Acme AB", "--type", "org",
        ])
        .output()
        .unwrap();
    let org = stdout_json(&out)["owner_id"].as_str().unwrap().to_string();
    let out = ol(&data)
        .args([
            "owner",
            "add-company-id",
            &user,
            "--id-type",
            "LEI",
            "--value",
            "5493001KJTIIGC8Y1R12",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(65));
    assert!(String::from_utf8_lossy(&out.stderr).contains("WRONG_OWNER_TYPE"));
    ol(&data)
        .args([
            "owner",
            "add-gov-id",
            &org,
            "--country",
            "SE",
            "--value",
            "811218-9876",
        ])
        .assert()
        .code(65);
    let out = ol(&data)
        .args([
            "--json",
            "owner",
            "add-company-id",
            &org,
            "--id-type",
            "company_reg",
            "--country",
            "SE",
            "--value",
            "556036-0793",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = stdout_json(&out);
    assert_eq!(v["company_ids"][0]["id_value"], "*******0793");
    assert_eq!(v["identity_assurance_level"], "ID_FORMAT_VALID");
    let out = ol(&data)
        .args([
            "owner",
            "add-company-id",
            &org,
            "--id-type",
            "COMPANY_REG",
            "--value",
            "1",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "COMPANY_REG needs --country");
    let list = ol(&data)
        .args(["--json", "owner", "list"])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&list.stdout).contains("556036"));
}

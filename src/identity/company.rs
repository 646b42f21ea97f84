//! Company ID validators (upstream-cli §6.3): per-type rules, plus per-country tables for VAT
//! numbers (selected by the value's prefix) and company registration numbers (selected by the
//! `country` field).

use super::checksum::{luhn, mod97_10};
use super::gov::Norm;
use regex::Regex;
use std::collections::HashMap;
use std::sync::LazyLock;

pub const COMPANY_ID_TYPES: &[&str] = &[
    "COMPANY_REG",
    "VAT",
    "EORI",
    "LEI",
    "DUNS",
    "GLN",
    "ISIN",
    "TAX_ID",
    "CHAMBER_OF_COMMERCE",
    "NAICS",
    "SIC",
];

/// Types whose rule depends on a country (the wizard and `add-company-id` ask for one).
pub fn needs_country(id_type: &str) -> bool {
    id_type == "COMPANY_REG"
}

/// (prefix, pattern of the whole normalised value)
const VAT: &[(&str, &str)] = &[
    ("AT", r"^ATU\d{8}$"),
    ("BE", r"^BE[01]\d{9}$"),
    ("BG", r"^BG\d{9,10}$"),
    ("HR", r"^HR\d{11}$"),
    ("CY", r"^CY\d{8}[A-Z]$"),
    ("CZ", r"^CZ\d{8,10}$"),
    ("DK", r"^DK\d{8}$"),
    ("EE", r"^EE\d{9}$"),
    ("FI", r"^FI\d{8}$"),
    ("FR", r"^FR[0-9A-Z]{2}\d{9}$"),
    ("DE", r"^DE\d{9}$"),
    ("EL", r"^EL\d{9}$"),
    ("HU", r"^HU\d{8}$"),
    ("IE", r"^IE(\d{7}[A-Z]{1,2}|\d[A-Z+*]\d{5}[A-Z])$"),
    ("IT", r"^IT\d{11}$"),
    ("LV", r"^LV\d{11}$"),
    ("LT", r"^LT(\d{9}|\d{12})$"),
    ("LU", r"^LU\d{8}$"),
    ("MT", r"^MT\d{8}$"),
    ("NL", r"^NL\d{9}B\d{2}$"),
    ("PL", r"^PL\d{10}$"),
    ("PT", r"^PT\d{9}$"),
    ("RO", r"^RO\d{2,10}$"),
    ("SK", r"^SK\d{10}$"),
    ("SI", r"^SI\d{8}$"),
    ("ES", r"^ES[0-9A-Z]\d{7}[0-9A-Z]$"),
    ("SE", r"^SE\d{12}$"),
];

/// (country, local name, pattern, hint); the value is normalised by stripping whitespace.
const COMPANY_REG: &[(&str, &str, &str, &str)] = &[
    (
        "AT",
        "Firmenbuchnummer",
        r"^(FN)?\d{1,6}[a-zA-Z]$",
        "FN followed by up to 6 digits and a letter, e.g. FN123456a",
    ),
    (
        "BE",
        "KBO/BCE number",
        r"^[01]\d{3}\.?\d{3}\.?\d{3}$",
        "10 digits starting with 0 or 1, e.g. 0123.456.789",
    ),
    ("BG", "UIC (EIK)", r"^(\d{9}|\d{13})$", "9 or 13 digits"),
    ("HR", "MBS", r"^(\d{8}|\d{9}|\d{11})$", "8, 9 or 11 digits"),
    (
        "CY",
        "registration number",
        r"^(HE|AE|S|P)?\d{1,6}$",
        "HE followed by up to 6 digits, e.g. HE123456",
    ),
    ("CZ", "IČO", r"^\d{8}$", "8 digits"),
    ("DK", "CVR number", r"^\d{8}$", "8 digits"),
    ("EE", "registrikood", r"^\d{8}$", "8 digits"),
    (
        "FI",
        "Y-tunnus",
        r"^\d{7}-\d$",
        "7 digits, '-', 1 digit, e.g. 1234567-8",
    ),
    ("FR", "SIREN", r"^\d{9}$", "9 digits"),
    (
        "DE",
        "Handelsregisternummer",
        r"^HR[AB]\d{4,6}$",
        "HRA or HRB followed by 4-6 digits, e.g. HRB 12345",
    ),
    ("GR", "GEMI number", r"^\d{9,12}$", "9-12 digits"),
    (
        "HU",
        "cégjegyzékszám",
        r"^\d{2}-\d{2}-\d{6}$",
        "NN-NN-NNNNNN, e.g. 01-09-123456",
    ),
    ("IE", "CRO number", r"^\d{1,6}$", "up to 6 digits"),
    (
        "IT",
        "REA number",
        r"^[A-Z]{2}-?\d{1,7}$",
        "province code and up to 7 digits, e.g. MI-1234567",
    ),
    ("LV", "registration number", r"^\d{11}$", "11 digits"),
    ("LT", "company code", r"^\d{9}$", "9 digits"),
    (
        "LU",
        "RCS number",
        r"^[AB]\d{1,6}$",
        "B followed by up to 6 digits, e.g. B123456",
    ),
    (
        "MT",
        "registration number",
        r"^C\d{1,6}$",
        "C followed by up to 6 digits, e.g. C12345",
    ),
    ("NL", "KvK number", r"^\d{8}$", "8 digits"),
    ("PL", "KRS number", r"^\d{10}$", "10 digits"),
    ("PT", "NIPC", r"^\d{9}$", "9 digits"),
    (
        "RO",
        "ONRC number",
        r"^J\d{2}/\d{1,6}/\d{4}$",
        "J<county>/<number>/<year>, e.g. J40/1234/2020",
    ),
    ("SK", "IČO", r"^\d{8}$", "8 digits"),
    (
        "SI",
        "matična številka",
        r"^(\d{7}|\d{10})$",
        "7 or 10 digits",
    ),
    (
        "ES",
        "CIF",
        r"^[A-HJ-NP-SUVW]\d{7}[0-9A-J]$",
        "a letter, 7 digits and a check character, e.g. B12345678",
    ),
    (
        "SE",
        "organisationsnummer",
        r"^\d{6}-?\d{4}$",
        "10 digits, e.g. 556036-0793",
    ),
];

/// Per-type rules for the types without per-country tables: normalisation, pattern, expectation,
/// optional check.
type Rule = (Norm, &'static str, &'static str, Option<super::gov::Check>);

fn simple_rule(id_type: &str) -> Option<Rule> {
    const WS: Norm = Norm {
        strip: "",
        ws: true,
        upper: false,
    };
    const WS_UP: Norm = Norm {
        strip: "",
        ws: true,
        upper: true,
    };
    Some(match id_type {
        "LEI" => (WS_UP, r"^[A-Z0-9]{20}$", "20 letters and digits", Some(lei)),
        "DUNS" => (
            Norm {
                strip: "-",
                ws: true,
                upper: false,
            },
            r"^\d{9}$",
            "9 digits",
            None,
        ),
        "EORI" => (
            WS_UP,
            r"^[A-Z]{2}[A-Z0-9]{1,15}$",
            "2 letters and 1-15 letters or digits",
            None,
        ),
        "GLN" => (WS, r"^\d{13}$", "13 digits", Some(gln)),
        "ISIN" => (
            WS_UP,
            r"^[A-Z]{2}[A-Z0-9]{9}\d$",
            "2 letters, 9 letters or digits and a check digit",
            Some(isin),
        ),
        "TAX_ID" => (WS, r"^[A-Za-z0-9]{4,20}$", "4-20 letters or digits", None),
        "CHAMBER_OF_COMMERCE" => (WS, r"^[A-Za-z0-9]{3,20}$", "3-20 letters or digits", None),
        "NAICS" => (WS, r"^\d{2,6}$", "2-6 digits", None),
        "SIC" => (WS, r"^\d{4}$", "4 digits", None),
        _ => return None,
    })
}

static REGEX_CACHE: LazyLock<HashMap<&'static str, Regex>> = LazyLock::new(|| {
    let mut patterns: Vec<&'static str> = VAT.iter().map(|v| v.1).collect();
    patterns.extend(COMPANY_REG.iter().map(|c| c.2));
    patterns.extend(
        COMPANY_ID_TYPES
            .iter()
            .filter_map(|t| simple_rule(t).map(|r| r.1)),
    );
    patterns
        .into_iter()
        .filter_map(|p| Regex::new(p).ok().map(|r| (p, r)))
        .collect()
});

/// Validates a company ID; `country` matters only for COMPANY_REG.
pub fn validate(id_type: &str, country: Option<&str>, value: &str) -> Result<(), String> {
    match id_type {
        "VAT" => {
            let v = Norm {
                strip: ".-",
                ws: true,
                upper: true,
            }
            .apply(value);
            if v.len() < 4 {
                return Err("Invalid VAT number: too short".into());
            }
            let prefix = &v[..2];
            let Some((_, pattern)) = VAT.iter().find(|(p, _)| *p == prefix) else {
                return Err(format!(
                    "Unknown VAT country prefix '{prefix}' (use EL for Greece)"
                ));
            };
            match REGEX_CACHE.get(pattern) {
                Some(rx) if rx.is_match(&v) => Ok(()),
                _ => Err(format!(
                    "Invalid {prefix} VAT number format (expected {})",
                    pattern.trim_start_matches('^').trim_end_matches('$')
                )),
            }
        }
        "COMPANY_REG" => {
            let Some(cc) = country else {
                return Err("Country is required for company registration numbers".into());
            };
            let Some((_, name, pattern, hint)) = COMPANY_REG.iter().find(|c| c.0 == cc) else {
                return Err(format!("Unknown country '{cc}'"));
            };
            let v = Norm {
                strip: "",
                ws: true,
                upper: false,
            }
            .apply(value);
            if !REGEX_CACHE.get(pattern).is_some_and(|rx| rx.is_match(&v)) {
                return Err(format!("Invalid {name} format (expected {hint})"));
            }
            // Swedish organisation numbers carry a Luhn check digit.
            if cc == "SE" && !luhn(&v.replace('-', "")) {
                return Err(format!("Invalid {name} check digit (Luhn)"));
            }
            Ok(())
        }
        other => {
            let Some((norm, pattern, expected, check)) = simple_rule(other) else {
                return Err(format!(
                    "Unknown company ID type '{other}'. Known types: {}",
                    COMPANY_ID_TYPES.join(", ")
                ));
            };
            super::check_shape(
                &norm.apply(value),
                REGEX_CACHE.get(pattern),
                expected,
                check,
            )
        }
    }
}

fn lei(s: &str) -> Result<(), String> {
    mod97_10(s)
        .then_some(())
        .ok_or_else(|| "Invalid LEI check digits (ISO 7064 MOD 97-10)".into())
}

fn gln(s: &str) -> Result<(), String> {
    let d = super::checksum::digits(s);
    let sum: u32 = d[..12]
        .iter()
        .enumerate()
        .map(|(i, x)| if i % 2 == 0 { *x } else { x * 3 })
        .sum();
    ((10 - sum % 10) % 10 == d[12])
        .then_some(())
        .ok_or_else(|| "Invalid GLN check digit (GS1 mod 10)".into())
}

fn isin(s: &str) -> Result<(), String> {
    let expanded: String = s
        .chars()
        .filter_map(|c| c.to_digit(36))
        .map(|v| v.to_string())
        .collect();
    luhn(&expanded)
        .then_some(())
        .ok_or_else(|| "Invalid ISIN check digit".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (type, country, valid, wrong check or character, wrong length)
    const CASES: &[(&str, Option<&str>, &str, &str, &str)] = &[
        (
            "LEI",
            None,
            "5493001KJTIIGC8Y1R12",
            "5493001KJTIIGC8Y1R13",
            "5493001KJTIIGC8Y1R1",
        ),
        ("DUNS", None, "15-048-3782", "15048378A", "15048378"),
        (
            "EORI",
            None,
            "DE123456789012345",
            "1E12345",
            "DE1234567890123456",
        ),
        (
            "GLN",
            None,
            "4006381333931",
            "4006381333932",
            "400638133393",
        ),
        ("ISIN", None, "US0378331005", "US0378331006", "US037833100"),
        ("TAX_ID", None, "AB12345", "AB-12345", "AB1"),
        ("CHAMBER_OF_COMMERCE", None, "KVK1234", "KVK_1234", "K1"),
        ("NAICS", None, "541511", "54151A", "5415111"),
        ("SIC", None, "7372", "737A", "737"),
    ];

    #[test]
    fn simple_types() {
        for (ty, cc, valid, bad, short) in CASES {
            assert_eq!(validate(ty, *cc, valid), Ok(()), "{ty} {valid}");
            assert!(validate(ty, *cc, bad).is_err(), "{ty} {bad}");
            assert!(validate(ty, *cc, short).is_err(), "{ty} {short}");
        }
    }

    /// (valid VAT, wrong character, wrong length), one per EU prefix.
    const VAT_CASES: &[(&str, &str, &str)] = &[
        ("ATU12345678", "AT123456789", "ATU1234567"),
        ("BE0123456789", "BE2123456789", "BE012345678"),
        ("BG123456789", "BG12345678A", "BG12345678"),
        ("HR12345678901", "HR1234567890A", "HR1234567890"),
        ("CY12345678L", "CY123456789", "CY1234567L"),
        ("CZ12345678", "CZ1234567A", "CZ1234567"),
        ("DK12345678", "DK1234567A", "DK1234567"),
        ("EE123456789", "EE12345678A", "EE12345678"),
        ("FI12345678", "FI1234567A", "FI1234567"),
        ("FR12345678901", "FR1234567890!", "FR1234567890"),
        ("DE123456789", "DE12345678A", "DE12345678"),
        ("EL123456789", "EL12345678A", "EL12345678"),
        ("HU12345678", "HU1234567A", "HU1234567"),
        ("IE1234567T", "IE12345678", "IE123456T"),
        ("IT12345678901", "IT1234567890A", "IT1234567890"),
        ("LV12345678901", "LV1234567890A", "LV1234567890"),
        ("LT123456789", "LT12345678A", "LT1234567890"),
        ("LU12345678", "LU1234567A", "LU1234567"),
        ("MT12345678", "MT1234567A", "MT1234567"),
        ("NL123456789B01", "NL123456789X01", "NL12345678B01"),
        ("PL1234567890", "PL123456789A", "PL123456789"),
        ("PT123456789", "PT12345678A", "PT12345678"),
        ("RO1234567890", "RO12345678A", "RO12345678901"),
        ("SK1234567890", "SK123456789A", "SK123456789"),
        ("SI12345678", "SI1234567A", "SI1234567"),
        ("ES A1234567 B", "ES!1234567B", "ESA123456B"),
        ("SE123456789001", "SE12345678900A", "SE12345678900"),
    ];

    #[test]
    fn vat_per_prefix() {
        assert_eq!(VAT_CASES.len(), 27);
        for (valid, bad, short) in VAT_CASES {
            assert_eq!(validate("VAT", None, valid), Ok(()), "{valid}");
            assert!(validate("VAT", None, bad).is_err(), "{bad}");
            assert!(validate("VAT", None, short).is_err(), "{short}");
        }
        assert!(validate("VAT", None, "GR123456789").is_err());
        assert!(validate("VAT", None, "DE").is_err());
    }

    /// (country, valid, wrong character or check, wrong length)
    const REG_CASES: &[(&str, &str, &str, &str)] = &[
        ("AT", "FN123456a", "FN123456", "FN1234567a"),
        ("BE", "0123.456.789", "2123456789", "012345678"),
        ("BG", "123456789", "12345678A", "12345678"),
        ("HR", "12345678", "1234567A", "1234567"),
        ("CY", "HE123456", "XX123456", "HE1234567"),
        ("CZ", "12345678", "1234567A", "1234567"),
        ("DK", "12345678", "1234567A", "1234567"),
        ("EE", "12345678", "1234567A", "1234567"),
        ("FI", "1234567-8", "1234567-A", "123456-8"),
        ("FR", "123456789", "12345678A", "12345678"),
        ("DE", "HRB 12345", "HRC 12345", "HRB 123"),
        ("GR", "123456789012", "12345678901A", "12345678"),
        ("HU", "01-09-123456", "01-09-12345A", "01-09-12345"),
        ("IE", "123456", "12345A", "1234567"),
        ("IT", "MI-1234567", "M1-1234567", "MI-12345678"),
        ("LV", "40003245752", "4000324575A", "4000324575"),
        ("LT", "123456789", "12345678A", "12345678"),
        ("LU", "B123456", "C123456", "B1234567"),
        ("MT", "C12345", "D12345", "C1234567"),
        ("NL", "12345678", "1234567A", "1234567"),
        ("PL", "0000123456", "000012345A", "000012345"),
        ("PT", "123456789", "12345678A", "12345678"),
        ("RO", "J40/1234/2020", "J40-1234-2020", "J40/1234/20"),
        ("SK", "12345678", "1234567A", "1234567"),
        ("SI", "1234567", "123456A", "123456"),
        ("ES", "B12345678", "I12345678", "B1234567"),
        ("SE", "556036-0793", "556036-0794", "556036-079"),
    ];

    #[test]
    fn company_reg_per_country() {
        assert_eq!(REG_CASES.len(), 27);
        for (cc, valid, bad, short) in REG_CASES {
            assert_eq!(
                validate("COMPANY_REG", Some(cc), valid),
                Ok(()),
                "{cc} {valid}"
            );
            assert!(
                validate("COMPANY_REG", Some(cc), bad).is_err(),
                "{cc} {bad}"
            );
            assert!(
                validate("COMPANY_REG", Some(cc), short).is_err(),
                "{cc} {short}"
            );
        }
        assert_eq!(
            validate("COMPANY_REG", None, "123"),
            Err("Country is required for company registration numbers".into())
        );
        assert_eq!(
            validate("COMPANY_REG", Some("DE"), "12345"),
            Err("Invalid Handelsregisternummer format (expected HRA or HRB followed by 4-6 digits, e.g. HRB 12345)".into())
        );
    }

    #[test]
    fn every_pattern_compiles() {
        assert_eq!(
            REGEX_CACHE.len(),
            VAT.len()
                + COMPANY_REG.len()
                + COMPANY_ID_TYPES
                    .iter()
                    .filter(|t| simple_rule(t).is_some())
                    .count()
                - duplicates()
        );
    }

    fn duplicates() -> usize {
        let mut all: Vec<&str> = VAT.iter().map(|v| v.1).collect();
        all.extend(COMPANY_REG.iter().map(|c| c.2));
        all.extend(
            COMPANY_ID_TYPES
                .iter()
                .filter_map(|t| simple_rule(t).map(|r| r.1)),
        );
        let n = all.len();
        all.sort();
        all.dedup();
        n - all.len()
    }
}

//! Government ID validators for the 27 EU countries (upstream-cli §6.2), as one table: each row
//! says how to normalise the value, the shape it must have, and which check-digit rule applies.

use super::checksum::{decimal_mod, digits, iso7064_mod11_10, luhn, weighted};
use regex::Regex;
use std::sync::LazyLock;

/// The 27 EU member states in upstream's prompt order.
pub const EU_COUNTRIES: &[&str] = &[
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV",
    "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
];

/// How a raw value is normalised before the shape check.
#[derive(Debug, Clone, Copy)]
pub struct Norm {
    /// Characters removed (besides whitespace when `ws` is set).
    pub strip: &'static str,
    pub ws: bool,
    pub upper: bool,
}

const NONE: Norm = Norm {
    strip: "",
    ws: false,
    upper: false,
};
const WS: Norm = Norm {
    strip: "",
    ws: true,
    upper: false,
};

impl Norm {
    pub fn apply(self, raw: &str) -> String {
        let kept = raw
            .chars()
            .filter(|c| !(self.strip.contains(*c) || self.ws && c.is_whitespace()));
        if self.upper {
            kept.flat_map(char::to_uppercase).collect()
        } else {
            kept.collect()
        }
    }
}

/// A check-digit rule run on the normalised, shape-checked value; `Err` carries the message.
pub type Check = fn(&str) -> Result<(), String>;

pub struct GovIdSpec {
    pub country: &'static str,
    pub id_type: &'static str,
    pub norm: Norm,
    /// Anchored regex the normalised value must match.
    pub pattern: &'static str,
    /// What the pattern means, for `Invalid format: expected …`.
    pub expected: &'static str,
    pub check: Option<Check>,
}

pub static GOV_IDS: &[GovIdSpec] = &[
    GovIdSpec {
        country: "AT",
        id_type: "ZMR",
        norm: NONE,
        pattern: r"^\d{12}$",
        expected: "12 digits",
        check: None,
    },
    GovIdSpec {
        country: "BE",
        id_type: "RIJKSREGISTERNUMMER",
        norm: Norm {
            strip: ".-",
            ws: true,
            upper: false,
        },
        pattern: r"^\d{11}$",
        expected: "11 digits",
        check: Some(be_rrn),
    },
    GovIdSpec {
        country: "BG",
        id_type: "EGN",
        norm: WS,
        pattern: r"^\d{10}$",
        expected: "10 digits",
        check: Some(bg_egn),
    },
    GovIdSpec {
        country: "HR",
        id_type: "OIB",
        norm: WS,
        pattern: r"^\d{11}$",
        expected: "11 digits",
        check: Some(mod11_10),
    },
    GovIdSpec {
        country: "CY",
        id_type: "ARC",
        norm: NONE,
        pattern: r"^\d{1,10}$",
        expected: "1-10 digits",
        check: None,
    },
    GovIdSpec {
        country: "CZ",
        id_type: "RODNE_CISLO",
        norm: Norm {
            strip: "/",
            ws: true,
            upper: false,
        },
        pattern: r"^\d{9,10}$",
        expected: "9 or 10 digits",
        check: Some(rodne_cislo),
    },
    GovIdSpec {
        country: "DK",
        id_type: "CPR",
        norm: Norm {
            strip: "-",
            ws: true,
            upper: false,
        },
        pattern: r"^\d{10}$",
        expected: "10 digits",
        check: None,
    },
    GovIdSpec {
        country: "EE",
        id_type: "ISIKUKOOD",
        norm: WS,
        pattern: r"^\d{11}$",
        expected: "11 digits",
        check: Some(baltic),
    },
    GovIdSpec {
        country: "FI",
        id_type: "HENKILOTUNNUS",
        norm: Norm {
            strip: "",
            ws: false,
            upper: true,
        },
        pattern: r"^\d{6}[-+ABCDEFYXWVU]\d{3}[0-9A-Y]$",
        expected: "DDMMYY, a century sign, 3 digits and a check character",
        check: Some(fi_hetu),
    },
    GovIdSpec {
        country: "FR",
        id_type: "NIR",
        norm: Norm {
            strip: ".-",
            ws: true,
            upper: true,
        },
        pattern: r"^\d{15}$",
        expected: "15 digits",
        check: Some(fr_nir),
    },
    GovIdSpec {
        country: "DE",
        id_type: "STEUER_ID",
        norm: Norm {
            strip: "-",
            ws: true,
            upper: false,
        },
        pattern: r"^[1-9]\d{10}$",
        expected: "11 digits, not starting with 0",
        check: Some(mod11_10),
    },
    GovIdSpec {
        country: "GR",
        id_type: "AMKA",
        norm: WS,
        pattern: r"^\d{11}$",
        expected: "11 digits",
        check: Some(luhn_check),
    },
    GovIdSpec {
        country: "HU",
        id_type: "SZEMELYI_SZAM",
        norm: NONE,
        pattern: r"^\d{6}[A-Za-z]{2}$",
        expected: "6 digits and 2 letters",
        check: None,
    },
    GovIdSpec {
        country: "HU",
        id_type: "ADOAZONOSITO",
        norm: Norm {
            strip: "-",
            ws: true,
            upper: false,
        },
        pattern: r"^\d{10}$",
        expected: "10 digits",
        check: None,
    },
    GovIdSpec {
        country: "IE",
        id_type: "PPSN",
        norm: Norm {
            strip: "",
            ws: true,
            upper: true,
        },
        pattern: r"^\d{7}[A-Z]{1,2}$",
        expected: "7 digits and 1-2 letters",
        check: Some(ie_ppsn),
    },
    GovIdSpec {
        country: "IT",
        id_type: "CODICE_FISCALE",
        norm: Norm {
            strip: "",
            ws: true,
            upper: true,
        },
        pattern: r"^[A-Z0-9]{16}$",
        expected: "16 letters and digits",
        check: Some(it_cf),
    },
    GovIdSpec {
        country: "LV",
        id_type: "PERSONAS_KODS",
        norm: NONE,
        pattern: r"^\d{6}-?\d{5}$",
        expected: "6 digits, an optional '-', 5 digits",
        check: None,
    },
    GovIdSpec {
        country: "LT",
        id_type: "ASMENS_KODAS",
        norm: WS,
        pattern: r"^\d{11}$",
        expected: "11 digits",
        check: Some(baltic),
    },
    GovIdSpec {
        country: "LU",
        id_type: "MATRICULE",
        norm: NONE,
        pattern: r"^\d{13}$",
        expected: "13 digits",
        check: None,
    },
    GovIdSpec {
        country: "MT",
        id_type: "ID_CARD",
        norm: NONE,
        pattern: r"^\d{1,7}[A-Za-z]$",
        expected: "1-7 digits and a letter",
        check: None,
    },
    GovIdSpec {
        country: "NL",
        id_type: "BSN",
        norm: WS,
        pattern: r"^\d{9}$",
        expected: "9 digits",
        check: Some(nl_bsn),
    },
    GovIdSpec {
        country: "PL",
        id_type: "PESEL",
        norm: WS,
        pattern: r"^\d{11}$",
        expected: "11 digits",
        check: Some(pl_pesel),
    },
    GovIdSpec {
        country: "PT",
        id_type: "NIF",
        norm: Norm {
            strip: "-",
            ws: true,
            upper: false,
        },
        pattern: r"^\d{9}$",
        expected: "9 digits",
        check: Some(pt_nif),
    },
    GovIdSpec {
        country: "RO",
        id_type: "CNP",
        norm: WS,
        pattern: r"^\d{13}$",
        expected: "13 digits",
        check: Some(ro_cnp),
    },
    GovIdSpec {
        country: "SK",
        id_type: "RODNE_CISLO",
        norm: Norm {
            strip: "/",
            ws: true,
            upper: false,
        },
        pattern: r"^\d{9,10}$",
        expected: "9 or 10 digits",
        check: Some(rodne_cislo),
    },
    GovIdSpec {
        country: "SI",
        id_type: "EMSO",
        norm: WS,
        pattern: r"^\d{13}$",
        expected: "13 digits",
        check: Some(si_emso),
    },
    GovIdSpec {
        country: "ES",
        id_type: "DNI",
        norm: Norm {
            strip: "-",
            ws: true,
            upper: true,
        },
        pattern: r"^\d{8}[A-Z]$",
        expected: "8 digits and a letter",
        check: Some(es_dni),
    },
    GovIdSpec {
        country: "ES",
        id_type: "NIE",
        norm: Norm {
            strip: "-",
            ws: true,
            upper: true,
        },
        pattern: r"^[XYZ]\d{7}[A-Z]$",
        expected: "X, Y or Z, 7 digits and a letter",
        check: Some(es_nie),
    },
    GovIdSpec {
        country: "SE",
        id_type: "PERSONNUMMER",
        norm: Norm {
            strip: "-+",
            ws: false,
            upper: false,
        },
        pattern: r"^(\d{10}|\d{12})$",
        expected: "10 or 12 digits",
        check: Some(se_pnr),
    },
];

static COMPILED: LazyLock<Vec<Option<Regex>>> =
    LazyLock::new(|| GOV_IDS.iter().map(|s| Regex::new(s.pattern).ok()).collect());

/// The known ID types of a country (empty for a non-EU code).
pub fn types_for(country: &str) -> Vec<&'static str> {
    GOV_IDS
        .iter()
        .filter(|s| s.country == country)
        .map(|s| s.id_type)
        .collect()
}

/// Validates a government ID; `Err` is the user-facing reason.
pub fn validate(country: &str, id_type: &str, value: &str) -> Result<(), String> {
    let Some(i) = GOV_IDS
        .iter()
        .position(|s| s.country == country && s.id_type == id_type)
    else {
        if !EU_COUNTRIES.contains(&country) {
            return Err(format!(
                "Unknown country '{country}'. Known countries: {}",
                EU_COUNTRIES.join(", ")
            ));
        }
        return Err(format!(
            "Unknown ID type '{id_type}' for country {country}. Known types: {}",
            types_for(country).join(", ")
        ));
    };
    let spec = &GOV_IDS[i];
    super::check_shape(
        &spec.norm.apply(value),
        COMPILED.get(i).and_then(Option::as_ref),
        spec.expected,
        spec.check,
    )
}

fn mod11_10(s: &str) -> Result<(), String> {
    iso7064_mod11_10(s)
        .then_some(())
        .ok_or_else(|| "Invalid check digit (ISO 7064 MOD 11,10)".into())
}

fn luhn_check(s: &str) -> Result<(), String> {
    luhn(s)
        .then_some(())
        .ok_or_else(|| "Invalid check digit (Luhn)".into())
}

fn se_pnr(s: &str) -> Result<(), String> {
    let ten = if s.len() == 12 { &s[2..] } else { s };
    luhn(ten)
        .then_some(())
        .ok_or_else(|| "Invalid personnummer check digit (Luhn)".into())
}

fn nl_bsn(s: &str) -> Result<(), String> {
    let d = digits(s);
    let sum = weighted(&d, &[9, 8, 7, 6, 5, 4, 3, 2]) as i64 - i64::from(d[8]);
    if sum != 0 && sum % 11 == 0 {
        Ok(())
    } else {
        Err("Invalid BSN (fails the 11-check)".into())
    }
}

fn be_rrn(s: &str) -> Result<(), String> {
    let check = decimal_mod(&s[9..], 100);
    let born_before_2000 = 97 - decimal_mod(&s[..9], 97);
    let born_after_2000 = 97 - decimal_mod(&format!("2{}", &s[..9]), 97);
    if check == born_before_2000 || check == born_after_2000 {
        Ok(())
    } else {
        Err("Invalid Rijksregisternummer check digits".into())
    }
}

fn pl_pesel(s: &str) -> Result<(), String> {
    let d = digits(s);
    let check = (10 - weighted(&d, &[1, 3, 7, 9, 1, 3, 7, 9, 1, 3]) % 10) % 10;
    (check == d[10])
        .then_some(())
        .ok_or_else(|| "Invalid PESEL check digit".into())
}

fn fi_hetu(s: &str) -> Result<(), String> {
    const CHARS: &[u8] = b"0123456789ABCDEFHJKLMNPRSTUVWXY";
    let n: u64 = format!("{}{}", &s[..6], &s[7..10]).parse().unwrap_or(0);
    let expected = CHARS[(n % 31) as usize];
    (s.as_bytes()[10] == expected)
        .then_some(())
        .ok_or_else(|| "Invalid henkilötunnus check character".into())
}

fn dni_letter(n: u64) -> u8 {
    b"TRWAGMYFPDXBNJZSQVHLCKE"[(n % 23) as usize]
}

fn es_dni(s: &str) -> Result<(), String> {
    let n: u64 = s[..8].parse().unwrap_or(0);
    (s.as_bytes()[8] == dni_letter(n))
        .then_some(())
        .ok_or_else(|| "Invalid DNI check letter".into())
}

fn es_nie(s: &str) -> Result<(), String> {
    let prefix = match s.as_bytes()[0] {
        b'X' => '0',
        b'Y' => '1',
        _ => '2',
    };
    let n: u64 = format!("{prefix}{}", &s[1..8]).parse().unwrap_or(0);
    (s.as_bytes()[8] == dni_letter(n))
        .then_some(())
        .ok_or_else(|| "Invalid NIE check letter".into())
}

fn it_cf(s: &str) -> Result<(), String> {
    const ODD: [u32; 36] = [
        1, 0, 5, 7, 9, 13, 15, 17, 19, 21, // 0-9
        1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24,
        23, // A-Z
    ];
    let mut sum = 0;
    for (i, c) in s.chars().take(15).enumerate() {
        let idx = c.to_digit(36).unwrap_or(0) as usize;
        // Position 1 of the spec is index 0 here, so "odd" positions are even indexes.
        sum += if i % 2 == 0 {
            ODD[idx]
        } else if idx < 10 {
            idx as u32
        } else {
            idx as u32 - 10
        };
    }
    let expected = char::from(b'A' + (sum % 26) as u8);
    (s.chars().nth(15) == Some(expected))
        .then_some(())
        .ok_or_else(|| "Invalid codice fiscale check character".into())
}

fn fr_nir(s: &str) -> Result<(), String> {
    let key = decimal_mod(&s[13..], 100);
    (key == 97 - decimal_mod(&s[..13], 97))
        .then_some(())
        .ok_or_else(|| "Invalid NIR key".into())
}

fn bg_egn(s: &str) -> Result<(), String> {
    let d = digits(s);
    let r = weighted(&d, &[2, 4, 8, 5, 10, 9, 7, 3, 6]) % 11;
    (r % 10 == d[9])
        .then_some(())
        .ok_or_else(|| "Invalid EGN check digit".into())
}

fn rodne_cislo(s: &str) -> Result<(), String> {
    if s.len() == 9 || decimal_mod(s, 11) == 0 {
        Ok(())
    } else {
        Err("Invalid rodné číslo (a 10-digit number must be divisible by 11)".into())
    }
}

fn baltic(s: &str) -> Result<(), String> {
    let d = digits(s);
    let mut r = weighted(&d, &[1, 2, 3, 4, 5, 6, 7, 8, 9, 1]) % 11;
    if r == 10 {
        r = weighted(&d, &[3, 4, 5, 6, 7, 8, 9, 1, 2, 3]) % 11 % 10;
    }
    (r == d[10])
        .then_some(())
        .ok_or_else(|| "Invalid personal code check digit".into())
}

fn ie_ppsn(s: &str) -> Result<(), String> {
    let d = digits(&s[..7]);
    let mut sum = weighted(&d, &[8, 7, 6, 5, 4, 3, 2]);
    if let Some(second) = s.as_bytes().get(8) {
        // A trailing W marks the old format and counts as zero.
        if *second != b'W' {
            sum += 9 * u32::from(second - b'A' + 1);
        }
    }
    let r = sum % 23;
    let expected = if r == 0 { b'W' } else { b'A' + (r as u8) - 1 };
    (s.as_bytes()[7] == expected)
        .then_some(())
        .ok_or_else(|| "Invalid PPSN check letter".into())
}

fn pt_nif(s: &str) -> Result<(), String> {
    let d = digits(s);
    let r = weighted(&d, &[9, 8, 7, 6, 5, 4, 3, 2]) % 11;
    let check = if r < 2 { 0 } else { 11 - r };
    (check == d[8])
        .then_some(())
        .ok_or_else(|| "Invalid NIF check digit".into())
}

fn ro_cnp(s: &str) -> Result<(), String> {
    let d = digits(s);
    let r = weighted(&d, &[2, 7, 9, 1, 4, 6, 3, 5, 8, 2, 7, 9]) % 11;
    let check = if r == 10 { 1 } else { r };
    (check == d[12])
        .then_some(())
        .ok_or_else(|| "Invalid CNP check digit".into())
}

fn si_emso(s: &str) -> Result<(), String> {
    let d = digits(s);
    let r = weighted(&d, &[7, 6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2]) % 11;
    let check = if r == 0 { 0 } else { 11 - r };
    (check != 10 && check == d[12])
        .then_some(())
        .ok_or_else(|| "Invalid EMŠO check digit".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (country, type, valid, wrong check or character, wrong length)
    const CASES: &[(&str, &str, &str, &str, &str)] = &[
        ("AT", "ZMR", "000012345678", "00001234567A", "00001234567"),
        (
            "BE",
            "RIJKSREGISTERNUMMER",
            "85.07.30-033.28",
            "85073003329",
            "8507300332",
        ),
        ("BG", "EGN", "7523169263", "7523169264", "752316926"),
        ("HR", "OIB", "69435151530", "69435151531", "6943515153"),
        ("CY", "ARC", "123456", "12345A", "12345678901"),
        ("CZ", "RODNE_CISLO", "710319/2745", "7103192746", "71031927"),
        ("DK", "CPR", "010190-1234", "010190-12A4", "010190123"),
        (
            "EE",
            "ISIKUKOOD",
            "37605030299",
            "37605030298",
            "3760503029",
        ),
        (
            "FI",
            "HENKILOTUNNUS",
            "131052-308T",
            "131052-308U",
            "131052-308",
        ),
        (
            "FR",
            "NIR",
            "2 55 08 14 168 025 38",
            "255081416802539",
            "25508141680253",
        ),
        (
            "DE",
            "STEUER_ID",
            "86095742719",
            "86095742718",
            "8609574271",
        ),
        ("GR", "AMKA", "01010101234", "01010101235", "0101010123"),
        ("HU", "SZEMELYI_SZAM", "123456ab", "1234567A", "12345AB"),
        (
            "HU",
            "ADOAZONOSITO",
            "8123456789",
            "812345678A",
            "812345678",
        ),
        ("IE", "PPSN", "1234567FA", "1234567GA", "123456T"),
        (
            "IT",
            "CODICE_FISCALE",
            "rssmra85t10a562s",
            "RSSMRA85T10A562T",
            "RSSMRA85T10A562",
        ),
        (
            "LV",
            "PERSONAS_KODS",
            "120345-12345",
            "120345-1234A",
            "120345-1234",
        ),
        (
            "LT",
            "ASMENS_KODAS",
            "33309240064",
            "33309240065",
            "3330924006",
        ),
        (
            "LU",
            "MATRICULE",
            "1983081246783",
            "198308124678A",
            "198308124678",
        ),
        ("MT", "ID_CARD", "1234567M", "12345678", "12345678M"),
        ("NL", "BSN", "111222333", "111222334", "11122233"),
        ("PL", "PESEL", "44051401359", "44051401358", "4405140135"),
        ("PT", "NIF", "123456789", "123456788", "12345678"),
        (
            "RO",
            "CNP",
            "1800101221144",
            "1800101221145",
            "180010122114",
        ),
        ("SK", "RODNE_CISLO", "7103192745", "7103192746", "71031927"),
        (
            "SI",
            "EMSO",
            "0101006500006",
            "0101006500007",
            "010100650000",
        ),
        ("ES", "DNI", "12345678-Z", "12345678A", "1234567Z"),
        ("ES", "NIE", "X1234567L", "X1234567M", "X123456L"),
        (
            "SE",
            "PERSONNUMMER",
            "811218-9876",
            "811218-9877",
            "811218-987",
        ),
    ];

    #[test]
    fn every_country_and_type_has_cases() {
        assert_eq!(EU_COUNTRIES.len(), 27);
        for spec in GOV_IDS {
            assert!(
                CASES
                    .iter()
                    .any(|c| c.0 == spec.country && c.1 == spec.id_type),
                "{}:{}",
                spec.country,
                spec.id_type
            );
        }
        for cc in EU_COUNTRIES {
            assert!(!types_for(cc).is_empty(), "{cc}");
        }
        assert!(COMPILED.iter().all(Option::is_some));
    }

    #[test]
    fn valid_and_invalid_examples() {
        for (cc, ty, valid, bad_check, bad_len) in CASES {
            assert_eq!(validate(cc, ty, valid), Ok(()), "{cc}:{ty} {valid}");
            assert!(
                validate(cc, ty, bad_check).is_err(),
                "{cc}:{ty} {bad_check}"
            );
            assert!(validate(cc, ty, bad_len).is_err(), "{cc}:{ty} {bad_len}");
        }
    }

    #[test]
    fn twelve_digit_personnummer_and_2000s_belgians() {
        assert_eq!(validate("SE", "PERSONNUMMER", "19811218-9876"), Ok(()));
        // Born 2000 or later: the check uses "2" prefixed to the first nine digits.
        let first9 = "000101001";
        let check = 97 - decimal_mod(&format!("2{first9}"), 97);
        assert_eq!(
            validate("BE", "RIJKSREGISTERNUMMER", &format!("{first9}{check:02}")),
            Ok(())
        );
    }

    #[test]
    fn messages() {
        assert_eq!(
            validate("SE", "DNI", "1"),
            Err("Unknown ID type 'DNI' for country SE. Known types: PERSONNUMMER".into())
        );
        assert_eq!(
            validate("AT", "ZMR", "12"),
            Err("Invalid format: expected 12 digits".into())
        );
        assert!(
            validate("US", "SSN", "1")
                .unwrap_err()
                .starts_with("Unknown country")
        );
    }
}

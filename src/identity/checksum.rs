//! Check-digit algorithms shared by the identity validators. Each works on ASCII digits the caller
//! has already shape-checked, so a non-digit can only mean a bug and simply fails the check.

/// Digit values of an all-digit string.
pub fn digits(s: &str) -> Vec<u32> {
    s.chars().filter_map(|c| c.to_digit(10)).collect()
}

/// Luhn (mod 10) over a string whose last digit is the check digit.
pub fn luhn(s: &str) -> bool {
    let d = digits(s);
    if d.len() != s.len() || d.is_empty() {
        return false;
    }
    let sum: u32 = d
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &x)| {
            if i % 2 == 1 {
                let y = x * 2;
                if y > 9 { y - 9 } else { y }
            } else {
                x
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// ISO 7064 MOD 11,10 over a string whose last digit is the check digit.
pub fn iso7064_mod11_10(s: &str) -> bool {
    let d = digits(s);
    let Some((&check, body)) = d.split_last() else {
        return false;
    };
    let mut p = 10;
    for &x in body {
        let mut t = (x + p) % 10;
        if t == 0 {
            t = 10;
        }
        p = (t * 2) % 11;
    }
    (11 - p) % 10 == check
}

/// Σ digit·weight over the first `weights.len()` digits.
pub fn weighted(d: &[u32], weights: &[u32]) -> u32 {
    d.iter().zip(weights).map(|(x, w)| x * w).sum()
}

/// ISO 7064 MOD 97-10 over an alphanumeric string (letters A=10 … Z=35): valid when the
/// remainder is 1 (LEI, IBAN).
pub fn mod97_10(s: &str) -> bool {
    let mut rem: u64 = 0;
    for c in s.chars() {
        let Some(v) = c.to_digit(36) else {
            return false;
        };
        rem = if v < 10 {
            (rem * 10 + u64::from(v)) % 97
        } else {
            (rem * 100 + u64::from(v)) % 97
        };
    }
    rem == 1
}

/// `n mod 97` of a long decimal string (too long for u64 in general).
pub fn decimal_mod(s: &str, m: u64) -> u64 {
    digits(s)
        .into_iter()
        .fold(0, |acc, d| (acc * 10 + u64::from(d)) % m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values() {
        assert!(luhn("79927398713"));
        assert!(!luhn("79927398710"));
        assert!(iso7064_mod11_10("69435151530"));
        assert!(!iso7064_mod11_10("69435151531"));
        assert!(mod97_10("5493001KJTIIGC8Y1R12"));
        assert!(!mod97_10("5493001KJTIIGC8Y1R13"));
        assert_eq!(decimal_mod("2550814168025", 97), 97 - 38);
    }
}

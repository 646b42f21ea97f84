//! Timestamps: RFC 3339 UTC with exactly three fractional digits (`2024-01-15T10:30:00.000Z`),
//! the format JavaScript's `toISOString()` produces and every OpenLeash client expects.

use time::{OffsetDateTime, UtcOffset, format_description::well_known::Rfc3339};

/// The current time, truncated to whole milliseconds so formatting and re-parsing agree.
pub fn now() -> OffsetDateTime {
    truncate_ms(OffsetDateTime::now_utc())
}

pub fn truncate_ms(t: OffsetDateTime) -> OffsetDateTime {
    let ms = t.millisecond();
    t.replace_nanosecond(u32::from(ms) * 1_000_000).unwrap_or(t)
}

/// Formats as `YYYY-MM-DDTHH:MM:SS.mmmZ`.
pub fn format(t: OffsetDateTime) -> String {
    let t = t.to_offset(UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.millisecond()
    )
}

pub fn now_string() -> String {
    format(now())
}

/// Parses any RFC 3339 timestamp (offsets allowed); `None` if it is not one.
pub fn parse(s: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(s, &Rfc3339).ok()
}

/// Adds whole seconds, saturating instead of overflowing.
pub fn plus_seconds(t: OffsetDateTime, secs: i64) -> OffsetDateTime {
    t.checked_add(time::Duration::seconds(secs)).unwrap_or(t)
}

/// A compact timestamp for file names (`20240115T103000Z`).
pub fn file_stamp(t: OffsetDateTime) -> String {
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_with_milliseconds() {
        let t = parse("2024-01-15T10:30:00.123456Z").map(truncate_ms);
        assert_eq!(t.map(format).as_deref(), Some("2024-01-15T10:30:00.123Z"));
        let t = parse("2024-01-15T11:30:00+01:00");
        assert_eq!(t.map(format).as_deref(), Some("2024-01-15T10:30:00.000Z"));
        assert!(parse("yesterday").is_none());
    }
}

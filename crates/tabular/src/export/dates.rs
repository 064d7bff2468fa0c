//! Dates in exports: the store keeps UTC (`2026-11-23T14:05:00.000Z`); the accountant reads local
//! time, in French (`23/11/2026 14:05`) or ISO 8601 with its offset (`2026-11-23T14:05:00+00:00`).

use chrono::{NaiveDate, NaiveDateTime, Offset, TimeZone};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DateStyle {
    /// `23/11/2026 14:05`, what French Excel shows and reads.
    #[default]
    Fr,
    /// `2026-11-23T14:05:00+00:00`.
    Iso,
}

impl DateStyle {
    pub fn parse(s: &str) -> Option<DateStyle> {
        match s.trim().to_ascii_lowercase().as_str() {
            "fr" | "french" => Some(DateStyle::Fr),
            "iso" => Some(DateStyle::Iso),
            _ => None,
        }
    }
}

/// Which local time: the computer's time zone, or a fixed offset from UTC in seconds (tests;
/// Côte d'Ivoire is UTC+0 and Cameroon UTC+1 all year).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Zone {
    #[default]
    Local,
    Fixed(i32),
}

impl Zone {
    /// Seconds to add to `utc` to get local time.
    pub fn offset_at(self, utc: &NaiveDateTime) -> i32 {
        match self {
            Zone::Fixed(s) => s,
            Zone::Local => chrono::Local
                .offset_from_utc_datetime(utc)
                .fix()
                .local_minus_utc(),
        }
    }

    /// The UTC instant, as the store writes it, at which local day `date` begins. Used to turn
    /// a merchant's `--from`/`--to` days into bounds on stored timestamps.
    pub fn day_start_utc(self, date: NaiveDate) -> String {
        let local = date.and_hms_opt(0, 0, 0).unwrap_or_default();
        let offset = match self {
            Zone::Fixed(s) => s,
            Zone::Local => chrono::Local
                .offset_from_local_datetime(&local)
                .earliest()
                .map(|o| o.fix().local_minus_utc())
                .unwrap_or(0),
        };
        let utc = local - chrono::Duration::seconds(offset.into());
        utc.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
    }
}

/// A day as people type it: `2026-11-23` or `23/11/2026`.
pub fn parse_day(text: &str) -> Option<NaiveDate> {
    let t = text.trim();
    NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(t, "%d/%m/%Y"))
        .ok()
}

/// Reads a stored UTC timestamp: `YYYY-MM-DDTHH:MM:SS[.mmm]Z`, or with a space instead of `T`.
/// Fixed positions, no allocation: this runs for every date of every exported row.
pub fn parse_stored(s: &str) -> Option<NaiveDateTime> {
    let b = s.as_bytes();
    if b.len() < 19 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b' ') {
        return None;
    }
    let n = |from: usize, len: usize| -> Option<u32> {
        let mut v = 0u32;
        for &c in &b[from..from + len] {
            if !c.is_ascii_digit() {
                return None;
            }
            v = v * 10 + u32::from(c - b'0');
        }
        Some(v)
    };
    let date = NaiveDate::from_ymd_opt(n(0, 4)? as i32, n(5, 2)?, n(8, 2)?)?;
    date.and_hms_opt(n(11, 2)?, n(14, 2)?, n(17, 2)?)
}

/// Converts stored timestamps to local time, remembering the offset of the last hour seen
/// (exports run in time order, so the time-zone rules are consulted about once an hour).
#[derive(Debug)]
pub struct LocalClock {
    zone: Zone,
    cached_hour: i64,
    cached_offset: i32,
}

impl LocalClock {
    pub fn new(zone: Zone) -> LocalClock {
        LocalClock {
            zone,
            cached_hour: i64::MIN,
            cached_offset: 0,
        }
    }

    /// Local time of a stored UTC timestamp and its offset from UTC in seconds.
    pub fn local(&mut self, stored: &str) -> Option<(NaiveDateTime, i32)> {
        let utc = parse_stored(stored)?;
        let hour = utc.and_utc().timestamp().div_euclid(3600);
        if hour != self.cached_hour {
            self.cached_offset = self.zone.offset_at(&utc);
            self.cached_hour = hour;
        }
        Some((
            utc + chrono::Duration::seconds(self.cached_offset.into()),
            self.cached_offset,
        ))
    }
}

/// Writes `t` (local, with its `offset`) in `style` into `out`, replacing its content.
pub fn format_into(out: &mut String, t: &NaiveDateTime, offset: i32, style: DateStyle) {
    use chrono::{Datelike, Timelike};
    out.clear();
    let two = |out: &mut String, v: u32| {
        out.push(char::from(b'0' + (v / 10 % 10) as u8));
        out.push(char::from(b'0' + (v % 10) as u8));
    };
    let year = t.year().clamp(0, 9999) as u32;
    match style {
        DateStyle::Fr => {
            two(out, t.day());
            out.push('/');
            two(out, t.month());
            out.push('/');
            two(out, year / 100);
            two(out, year % 100);
            out.push(' ');
            two(out, t.hour());
            out.push(':');
            two(out, t.minute());
        }
        DateStyle::Iso => {
            two(out, year / 100);
            two(out, year % 100);
            out.push('-');
            two(out, t.month());
            out.push('-');
            two(out, t.day());
            out.push('T');
            two(out, t.hour());
            out.push(':');
            two(out, t.minute());
            out.push(':');
            two(out, t.second());
            out.push(if offset < 0 { '-' } else { '+' });
            let minutes = offset.unsigned_abs() / 60;
            two(out, minutes / 60);
            out.push(':');
            two(out, minutes % 60);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(stored: &str, zone: Zone, style: DateStyle) -> String {
        let mut clock = LocalClock::new(zone);
        let (t, off) = clock.local(stored).unwrap();
        let mut s = String::new();
        format_into(&mut s, &t, off, style);
        s
    }

    #[test]
    fn french_and_iso_in_local_time() {
        let abidjan = Zone::Fixed(0);
        let douala = Zone::Fixed(3600);
        let at = "2026-11-23T14:05:09.123Z";
        assert_eq!(show(at, abidjan, DateStyle::Fr), "23/11/2026 14:05");
        assert_eq!(show(at, douala, DateStyle::Fr), "23/11/2026 15:05");
        assert_eq!(
            show(at, abidjan, DateStyle::Iso),
            "2026-11-23T14:05:09+00:00"
        );
        assert_eq!(
            show(at, douala, DateStyle::Iso),
            "2026-11-23T15:05:09+01:00"
        );
        assert_eq!(
            show("2026-12-31T23:30:00Z", douala, DateStyle::Fr),
            "01/01/2027 00:30"
        );
        assert_eq!(
            show(
                "2026-01-01T00:30:00.000Z",
                Zone::Fixed(-5 * 3600 - 1800),
                DateStyle::Iso
            ),
            "2025-12-31T19:00:00-05:30"
        );
    }

    #[test]
    fn stored_timestamps_are_read_strictly() {
        assert!(parse_stored("2026-11-23 14:05:00").is_some());
        assert!(parse_stored("2026-11-23").is_none());
        assert!(parse_stored("2026-13-23T14:05:00Z").is_none());
        assert!(parse_stored("23/11/2026 14:05").is_none());
    }

    #[test]
    fn days_become_utc_bounds() {
        let d = parse_day("23/11/2026").unwrap();
        assert_eq!(parse_day("2026-11-23"), Some(d));
        assert_eq!(parse_day("2026-02-30"), None);
        assert_eq!(Zone::Fixed(0).day_start_utc(d), "2026-11-23T00:00:00.000Z");
        assert_eq!(
            Zone::Fixed(3600).day_start_utc(d),
            "2026-11-22T23:00:00.000Z"
        );
    }
}

//! When to ask again about a payout: at once after it is accepted (a first look catches a refusal
//! or a transfer held for the merchant's confirmation — and costs one request per CinetPay lot),
//! then seconds, then minutes, then hours, for days.

use std::time::Duration;

const STEPS: [u64; 13] = [0, 1, 2, 5, 10, 20, 30, 60, 120, 300, 900, 1800, 3600];
/// After the steps, every 3 hours.
const LAST: u64 = 3 * 3600;

pub fn next_check_after(checks: i64) -> Duration {
    let i = usize::try_from(checks).unwrap_or(0);
    Duration::from_secs(STEPS.get(i).copied().unwrap_or(LAST))
}

pub fn at(after: Duration) -> String {
    guichet_store::format_ts(time::OffsetDateTime::now_utc() + after)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backs_off_from_seconds_to_hours() {
        assert_eq!(next_check_after(0), Duration::ZERO);
        assert_eq!(next_check_after(1), Duration::from_secs(1));
        assert_eq!(next_check_after(7), Duration::from_secs(60));
        assert_eq!(next_check_after(12), Duration::from_secs(3600));
        assert_eq!(next_check_after(500), Duration::from_secs(3 * 3600));
    }
}

use serde::{Deserialize, Serialize};

/// One status vocabulary for every provider's payouts and collections. Each provider module maps
/// its own statuses here with an exhaustive match; anything it does not recognise is `Pending`,
/// never `Failed`: a wrong "failed" invites the merchant to pay twice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum UnifiedStatus {
    /// Recorded locally with its reference; the request has not left yet.
    Queued,
    /// The request left; no answer recorded yet. After a crash this means "look it up".
    Submitting,
    /// Accepted by the provider, not final.
    Pending,
    /// The provider waits for the merchant (CinetPay NOS / sending_status PENDING).
    AwaitingConfirmation,
    /// The provider waits for the customer (payin OTP, checkout page).
    AwaitingCustomer,
    Succeeded,
    Failed,
    /// Refused or rejected by the provider after acceptance (CinetPay REJ, My-CoolPay CANCELED).
    Rejected,
    /// Cancelled locally before it left, or a collection cancelled while pending.
    Cancelled,
    /// The request may have been executed but we cannot know; never re-sent automatically.
    OutcomeUnknown,
}

impl UnifiedStatus {
    pub fn is_final(self) -> bool {
        matches!(
            self,
            UnifiedStatus::Succeeded
                | UnifiedStatus::Failed
                | UnifiedStatus::Rejected
                | UnifiedStatus::Cancelled
        )
    }

    /// Final without the money having moved: failed, rejected or cancelled.
    pub fn is_unpaid_final(self) -> bool {
        self.is_final() && self != UnifiedStatus::Succeeded
    }

    /// The provider took the payout to a number: accepted, awaiting the merchant, or paid.
    pub fn reached_number(self) -> bool {
        matches!(
            self,
            UnifiedStatus::Pending | UnifiedStatus::AwaitingConfirmation | UnifiedStatus::Succeeded
        )
    }

    /// Statuses a payout has only if its request never left: still queued, or cancelled before
    /// sending. (A `failed` one without a provider reference was refused at sending.)
    pub fn never_sent(self) -> bool {
        matches!(self, UnifiedStatus::Queued | UnifiedStatus::Cancelled)
    }

    /// The statuses for which `holds` is true, in [`UnifiedStatus::ALL`] order: each status
    /// list is a rule applied to every status, never a list written out again.
    pub fn all_where(holds: impl Fn(UnifiedStatus) -> bool) -> Vec<UnifiedStatus> {
        UnifiedStatus::ALL
            .into_iter()
            .filter(|s| holds(*s))
            .collect()
    }

    pub fn as_str(self) -> &'static str {
        match self {
            UnifiedStatus::Queued => "queued",
            UnifiedStatus::Submitting => "submitting",
            UnifiedStatus::Pending => "pending",
            UnifiedStatus::AwaitingConfirmation => "awaiting_confirmation",
            UnifiedStatus::AwaitingCustomer => "awaiting_customer",
            UnifiedStatus::Succeeded => "succeeded",
            UnifiedStatus::Failed => "failed",
            UnifiedStatus::Rejected => "rejected",
            UnifiedStatus::Cancelled => "cancelled",
            UnifiedStatus::OutcomeUnknown => "outcome_unknown",
        }
    }

    /// Every status, in the order a payout or collection can move through them.
    pub const ALL: [UnifiedStatus; 10] = [
        UnifiedStatus::Queued,
        UnifiedStatus::Submitting,
        UnifiedStatus::Pending,
        UnifiedStatus::AwaitingConfirmation,
        UnifiedStatus::AwaitingCustomer,
        UnifiedStatus::Succeeded,
        UnifiedStatus::Failed,
        UnifiedStatus::Rejected,
        UnifiedStatus::Cancelled,
        UnifiedStatus::OutcomeUnknown,
    ];

    /// Whether a payout or collection may go from `self` to `to`. The one list of moves: the
    /// store's SQL is built from it (`may_come_from`). Statuses move forwards, by evidence:
    /// - an answer, once recorded, is never replaced by "we do not know" (`pending` and the
    ///   waiting statuses never become `outcome_unknown`);
    /// - `outcome_unknown` leaves only for what a provider said (accepted, waiting, final);
    /// - a final status stays (the same final status again is a repeated answer, recorded).
    pub fn may_move_to(self, to: UnifiedStatus) -> bool {
        use UnifiedStatus::*;
        if self.is_final() {
            return self == to;
        }
        let waiting =
            |s: UnifiedStatus| matches!(s, Pending | AwaitingConfirmation | AwaitingCustomer);
        match self {
            Queued => matches!(to, Queued | Submitting | Failed | Cancelled),
            Submitting => to != Queued,
            Pending | AwaitingConfirmation | AwaitingCustomer => waiting(to) || to.is_final(),
            OutcomeUnknown => to == OutcomeUnknown || waiting(to) || to.is_final(),
            Succeeded | Failed | Rejected | Cancelled => unreachable!("final, handled above"),
        }
    }

    /// The statuses from which `to` may be reached, as [`UnifiedStatus::may_move_to`] says.
    pub fn may_come_from(to: UnifiedStatus) -> Vec<UnifiedStatus> {
        UnifiedStatus::all_where(|from| from.may_move_to(to))
    }

    pub fn parse(s: &str) -> Option<UnifiedStatus> {
        UnifiedStatus::ALL.into_iter().find(|st| st.as_str() == s)
    }
}

/// Parsing a status a person typed (`--status`): the error lists the names that exist.
impl std::str::FromStr for UnifiedStatus {
    type Err = String;

    fn from_str(s: &str) -> Result<UnifiedStatus, String> {
        UnifiedStatus::parse(s).ok_or_else(|| {
            let names: Vec<&str> = UnifiedStatus::ALL.iter().map(|st| st.as_str()).collect();
            format!("unknown status `{s}`; one of: {}", names.join(", "))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_its_names() {
        for s in [
            "queued",
            "pending",
            "awaiting_confirmation",
            "succeeded",
            "outcome_unknown",
        ] {
            assert_eq!(UnifiedStatus::parse(s).unwrap().as_str(), s);
        }
        assert_eq!(UnifiedStatus::parse("VAL"), None);
        let err = "VAL".parse::<UnifiedStatus>().unwrap_err();
        assert!(
            err.contains("`VAL`") && err.contains("outcome_unknown"),
            "{err}"
        );
        for st in UnifiedStatus::ALL {
            assert_eq!(st.as_str().parse::<UnifiedStatus>(), Ok(st));
        }
        assert!(!UnifiedStatus::OutcomeUnknown.is_final());
        assert!(UnifiedStatus::Rejected.is_final());
    }

    #[test]
    fn moves_only_forward_and_an_answer_is_never_unlearned() {
        use UnifiedStatus::*;
        assert!(Queued.may_move_to(Submitting));
        assert!(Submitting.may_move_to(OutcomeUnknown));
        assert!(Submitting.may_move_to(Pending));
        assert!(!Submitting.may_move_to(Queued));
        // A recorded answer is never replaced by "we do not know".
        assert!(!Pending.may_move_to(OutcomeUnknown));
        assert!(!AwaitingConfirmation.may_move_to(OutcomeUnknown));
        assert!(!Pending.may_move_to(Submitting));
        // Unknown leaves only for what a provider said.
        assert!(OutcomeUnknown.may_move_to(Succeeded));
        assert!(OutcomeUnknown.may_move_to(Pending));
        assert!(!OutcomeUnknown.may_move_to(Submitting));
        assert!(!OutcomeUnknown.may_move_to(Queued));
        for f in [Succeeded, Failed, Rejected, Cancelled] {
            for to in UnifiedStatus::ALL {
                assert_eq!(f.may_move_to(to), f == to, "{f:?} -> {to:?}");
            }
        }
        assert_eq!(
            UnifiedStatus::may_come_from(OutcomeUnknown),
            vec![Submitting, OutcomeUnknown]
        );
    }

    #[test]
    fn each_status_list_is_a_rule_over_every_status() {
        use UnifiedStatus::*;
        assert_eq!(
            UnifiedStatus::all_where(|s| !s.is_final()),
            vec![
                Queued,
                Submitting,
                Pending,
                AwaitingConfirmation,
                AwaitingCustomer,
                OutcomeUnknown
            ]
        );
        assert_eq!(
            UnifiedStatus::all_where(UnifiedStatus::is_unpaid_final),
            vec![Failed, Rejected, Cancelled]
        );
        assert_eq!(
            UnifiedStatus::all_where(UnifiedStatus::reached_number),
            vec![Pending, AwaitingConfirmation, Succeeded]
        );
        assert_eq!(
            UnifiedStatus::all_where(UnifiedStatus::never_sent),
            vec![Queued, Cancelled]
        );
    }
}

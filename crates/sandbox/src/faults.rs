//! Fault injection, per route and per request, decided by the seeded generator so a run can be
//! replayed. A plan is a list of rules; the first rule that matches a request decides its fault.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Fault {
    /// Answer normally after a delay.
    Latency { ms: u64 },
    /// Never answer (the client's timeout must fire).
    Hang,
    /// Answer with this HTTP status and an error body, without doing anything.
    Status { code: u16 },
    /// Close the connection without an answer, without doing anything.
    Reset,
    /// Do the operation, then close the connection instead of answering: the lost answer.
    DropResponse,
    /// Do the operation, then never answer: the client times out on a request that was executed
    /// (simulations also kill the client here, between the operation and its answer).
    HangAfterApply,
    /// Do the operation, then answer with a truncated, unparseable body.
    Malformed,
    /// HTTP 429 with Retry-After, without doing anything.
    RateLimit { retry_after_s: u64 },
    /// Expire every CinetPay token before handling the request.
    ExpireTokens,
    /// Close the connection at once without an answer, and do the operation `ms` later: a
    /// request still travelling inside the provider when the client first asks about it.
    ApplyLater { ms: u64 },
}

impl Fault {
    /// Its `type`, as it is written in a plan (and counted in [`FaultPlan::injected`]).
    pub fn name(&self) -> &'static str {
        match self {
            Fault::Latency { .. } => "latency",
            Fault::Hang => "hang",
            Fault::Status { .. } => "status",
            Fault::Reset => "reset",
            Fault::DropResponse => "drop_response",
            Fault::HangAfterApply => "hang_after_apply",
            Fault::Malformed => "malformed",
            Fault::RateLimit { .. } => "rate_limit",
            Fault::ExpireTokens => "expire_tokens",
            Fault::ApplyLater { .. } => "apply_later",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FaultRule {
    /// Matches request paths containing this text (`*` or empty matches all).
    #[serde(default)]
    pub route: String,
    /// Only this HTTP method, when set.
    #[serde(default)]
    pub method: Option<String>,
    /// Only the n-th matching request (1-based), when set.
    #[serde(default)]
    pub nth: Option<u64>,
    /// Probability of applying to a matching request (default 1).
    #[serde(default)]
    pub probability: Option<f64>,
    pub fault: Fault,
}

#[derive(Debug, Clone, Default)]
pub struct FaultPlan {
    pub rules: Vec<FaultRule>,
    matched: Vec<u64>,
    /// Faults injected so far, by type name (reported by simulations).
    pub injected: std::collections::BTreeMap<String, u64>,
}

impl FaultPlan {
    pub fn set(&mut self, rules: Vec<FaultRule>) {
        self.matched = vec![0; rules.len()];
        self.rules = rules;
    }

    /// The fault for this request, if any. `roll` draws from the world's seeded generator.
    pub fn decide(
        &mut self,
        method: &str,
        path: &str,
        mut roll: impl FnMut(f64) -> bool,
    ) -> Option<Fault> {
        for (i, rule) in self.rules.iter().enumerate() {
            let route_ok = rule.route.is_empty() || rule.route == "*" || path.contains(&rule.route);
            let method_ok = rule
                .method
                .as_deref()
                .is_none_or(|m| m.eq_ignore_ascii_case(method));
            if !(route_ok && method_ok) {
                continue;
            }
            self.matched[i] += 1;
            if rule.nth.is_some_and(|n| n != self.matched[i]) {
                continue;
            }
            if !roll(rule.probability.unwrap_or(1.0)) {
                continue;
            }
            let name = rule.fault.name();
            match self.injected.get_mut(name) {
                Some(n) => *n += 1,
                None => {
                    self.injected.insert(name.to_string(), 1);
                }
            }
            return Some(rule.fault.clone());
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::Fault;

    #[test]
    fn a_fault_is_named_as_its_plan_writes_it() {
        let all = [
            Fault::Latency { ms: 1 },
            Fault::Hang,
            Fault::Status { code: 503 },
            Fault::Reset,
            Fault::DropResponse,
            Fault::HangAfterApply,
            Fault::Malformed,
            Fault::RateLimit { retry_after_s: 1 },
            Fault::ExpireTokens,
        ];
        for f in all {
            assert_eq!(serde_json::to_value(&f).unwrap()["type"], f.name());
        }
    }
}

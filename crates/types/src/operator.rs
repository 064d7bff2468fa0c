//! Operators in plain words: the codes providers use for where the money goes (`OM`, `MOMO`,
//! `FLOOZ`, `WAVE`; My-CoolPay's `MCP`, `CM_OM`, `CM_MOMO`) as merchants name them. The one
//! table: the command line prints it, and the screens receive it generated into their bindings.

/// Each code and its name. Codes of both countries name the same networks.
pub const OPERATOR_NAMES: &[(&str, &str)] = &[
    ("OM", "Orange Money"),
    ("CM_OM", "Orange Money"),
    ("MOMO", "MTN MoMo"),
    ("CM_MOMO", "MTN MoMo"),
    ("FLOOZ", "Moov Money"),
    ("WAVE", "Wave"),
    ("MCP", "My-CoolPay"),
];

/// The operator's name for `code` (any case); a code not in the table is shown as written.
pub fn operator_name(code: &str) -> &str {
    let trimmed = code.trim();
    OPERATOR_NAMES
        .iter()
        .find(|(c, _)| c.eq_ignore_ascii_case(trimmed))
        .map_or(trimmed, |(_, name)| name)
}

impl crate::phone::Operator {
    /// The network's name, as [`OPERATOR_NAMES`] gives it.
    pub fn network_name(self) -> &'static str {
        match self {
            crate::phone::Operator::Orange => "Orange Money",
            crate::phone::Operator::Mtn => "MTN MoMo",
            crate::phone::Operator::Moov => "Moov Money",
        }
    }
}

/// The network of an international number (`+2250707…`, `+237699…`) told from its prefix, by
/// name: where no operator code was given.
pub fn network_of(e164: &str) -> Option<&'static str> {
    let country = if e164.trim_start().starts_with("+237") {
        crate::Country::CM
    } else {
        crate::Country::CI
    };
    crate::phone::normalize(e164, country)
        .ok()?
        .operator()
        .map(crate::phone::Operator::network_name)
}

#[cfg(test)]
mod tests {
    use super::{network_of, operator_name};

    #[test]
    fn a_number_tells_its_network() {
        assert_eq!(network_of("+2250707123456"), Some("Orange Money"));
        assert_eq!(network_of("+2250505123456"), Some("MTN MoMo"));
        assert_eq!(network_of("+2250101123456"), Some("Moov Money"));
        assert_eq!(network_of("+237699123456"), Some("Orange Money"));
        assert_eq!(network_of("+237677123456"), Some("MTN MoMo"));
        assert_eq!(network_of("not a number"), None);
    }

    #[test]
    fn every_code_has_its_network_name() {
        assert_eq!(operator_name("OM"), "Orange Money");
        assert_eq!(operator_name("cm_om"), "Orange Money");
        assert_eq!(operator_name("MOMO"), "MTN MoMo");
        assert_eq!(operator_name("CM_MOMO"), "MTN MoMo");
        assert_eq!(operator_name("FLOOZ"), "Moov Money");
        assert_eq!(operator_name("WAVE"), "Wave");
        assert_eq!(operator_name(" MCP "), "My-CoolPay");
        // Unknown codes stay readable as written rather than vanish.
        assert_eq!(operator_name("CARD"), "CARD");
        assert_eq!(operator_name(""), "");
    }
}

//! Spreadsheet formula injection: a CSV cell starting with `=`, `+`, `-`, `@`, a tab, a carriage
//! return or a line feed is read by Excel or LibreOffice as a formula (`=HYPERLINK(…)`,
//! `@SUM(…)`, `-2+3+cmd|…`). So is one whose first visible character is one of those four after
//! leading spaces (` =1+1`), or their full-width forms (`＝＋－＠`), which some spreadsheets fold
//! to the ASCII ones. Such a cell is written with a leading `'`, which spreadsheets show as text.
//!
//! One exception keeps phone numbers readable: a `+` followed by 8 to 15 digits and nothing else
//! (`+2250707123456`) is a number, not a formula — it cannot call anything — so it is kept as is.

use std::borrow::Cow;

/// The text to write for `s` in a CSV cell.
pub fn neutralise(s: &str) -> Cow<'_, str> {
    if is_plain_phone(s) || !starts_like_a_formula(s) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 1);
    out.push('\'');
    out.push_str(s);
    Cow::Owned(out)
}

fn starts_like_a_formula(s: &str) -> bool {
    if matches!(s.chars().next(), Some('\t' | '\r' | '\n')) {
        return true;
    }
    // Spaces (ordinary, no-break, ideographic) before a formula sign do not stop a spreadsheet.
    let visible = s.trim_start_matches([' ', '\u{a0}', '\u{3000}']);
    matches!(
        visible.chars().next(),
        Some('=' | '+' | '-' | '@' | '＝' | '＋' | '－' | '＠')
    )
}

/// `+` then 8 to 15 digits (E.164), nothing else.
pub fn is_plain_phone(s: &str) -> bool {
    let Some(digits) = s.strip_prefix('+') else {
        return false;
    };
    (8..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_dangerous_prefix_is_neutralised_and_phones_stay_readable() {
        let table = [
            ("=1+1", "'=1+1"),
            (
                "=HYPERLINK(\"http://x\";\"clic\")",
                "'=HYPERLINK(\"http://x\";\"clic\")",
            ),
            ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
            ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
            (
                "@SUM(1+1)*cmd|' /C calc'!A0",
                "'@SUM(1+1)*cmd|' /C calc'!A0",
            ),
            ("\t=1+1", "'\t=1+1"),
            ("\r=1+1", "'\r=1+1"),
            ("-500", "'-500"),
            ("+225 07 07", "'+225 07 07"),
            ("+22507a7123456", "'+22507a7123456"),
            ("+1234567", "'+1234567"),
            ("+1234567890123456", "'+1234567890123456"),
            // Phones as Guichet writes them: kept.
            ("+2250707123456", "+2250707123456"),
            ("+237690000001", "+237690000001"),
            // Ordinary text, and dangerous characters that are not first: untouched.
            ("Awa Koné", "Awa Koné"),
            ("a=1", "a=1"),
            ("0707123456", "0707123456"),
            ("", ""),
            ("   ", "   "),
            (" Awa", " Awa"),
            ("Koné ＝ 1", "Koné ＝ 1"),
        ];
        for (input, expected) in table {
            assert_eq!(neutralise(input), expected, "input {input:?}");
        }
    }

    #[test]
    fn a_leading_line_feed_is_neutralised() {
        assert_eq!(neutralise("\n=1+1"), "'\n=1+1");
        assert_eq!(neutralise("\nAwa"), "'\nAwa");
    }

    #[test]
    fn spaces_before_a_formula_sign_are_neutralised() {
        for input in [
            " =1+1",
            "   +1+cmd|' /C calc'!A0",
            " -2+3",
            "  @SUM(1+1)",
            "\u{a0}=1+1",
            "\u{3000}=1+1",
            // A phone number with a space in front is no longer the plain number.
            " +2250707123456",
        ] {
            assert_eq!(neutralise(input), format!("'{input}"), "input {input:?}");
        }
    }

    #[test]
    fn full_width_formula_signs_are_neutralised() {
        for input in [
            "＝1+1",
            "＋1+cmd|' /C calc'!A0",
            "－2+3",
            "＠SUM(1+1)",
            " ＝HYPERLINK(\"http://x\")",
            "＋2250707123456",
        ] {
            assert_eq!(neutralise(input), format!("'{input}"), "input {input:?}");
        }
    }

    #[test]
    fn a_safe_cell_is_not_copied() {
        assert!(matches!(neutralise("Boutique"), Cow::Borrowed(_)));
        assert!(matches!(neutralise("+2250707123456"), Cow::Borrowed(_)));
    }
}

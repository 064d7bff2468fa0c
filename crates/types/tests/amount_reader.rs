//! The amount reader's rule, as properties: every whole amount written in every accepted way
//! reads back to itself; every amount with a fraction is refused; nothing read is above the cap.

use guichet_types::money::MAX_FRANCS;
use guichet_types::{Amount, AmountError, AmountInput, Currency};
use proptest::prelude::*;

fn read(s: &str) -> Result<Amount, AmountError> {
    Amount::read(&AmountInput::Text(s.to_string()), Currency::XOF)
}

/// `v`'s digits grouped by three with `sep`.
fn grouped(v: i64, sep: char) -> String {
    Amount(v).grouped().replace('\u{202f}', &sep.to_string())
}

const SEPARATORS: [char; 5] = [' ', '\u{a0}', '\u{202f}', '.', ','];
const CURRENCY_WORDS: [&str; 8] = [
    "",
    " F",
    "F",
    " FCFA",
    "\u{a0}FCFA",
    " F CFA",
    " XOF",
    " francs",
];

/// A decimal separator that is not the grouping one.
fn decimal_for(sep: char, pick: bool) -> char {
    match sep {
        '.' => ',',
        ',' => '.',
        _ if pick => ',',
        _ => '.',
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    #[test]
    fn every_whole_amount_written_every_accepted_way_reads_back(
        v in 0i64..=MAX_FRANCS,
        sep in 0usize..SEPARATORS.len(),
        group in any::<bool>(),
        zeros in prop::sample::select(vec![0usize, 1, 2, 4, 6]),
        pick in any::<bool>(),
        word in 0usize..CURRENCY_WORDS.len(),
        pad in prop::sample::select(vec!["", " ", "\u{a0}"]),
    ) {
        let sep = SEPARATORS[sep];
        let mut text = if group { grouped(v, sep) } else { v.to_string() };
        if zeros > 0 {
            text.push(decimal_for(sep, pick));
            text.push_str(&"0".repeat(zeros));
        }
        text.push_str(CURRENCY_WORDS[word]);
        let text = format!("{pad}{text}{pad}");
        prop_assert_eq!(read(&text), Ok(Amount(v)), "{:?}", text);
        // The way the screens write it reads back too.
        prop_assert_eq!(read(&Amount(v).with_currency(Currency::XOF)), Ok(Amount(v)));
    }

    #[test]
    fn a_spreadsheet_number_reads_as_itself_through_float_noise(
        v in 0i64..=MAX_FRANCS,
        ulps in -4i64..=4,
    ) {
        let f = v as f64;
        let noisy = f64::from_bits((f.to_bits() as i64 + ulps).max(0) as u64);
        prop_assert_eq!(Amount::read(&AmountInput::Number(noisy), Currency::XAF), Ok(Amount(v)));
    }

    #[test]
    fn every_amount_with_a_fraction_is_refused(
        v in 0i64..MAX_FRANCS,
        fraction in "[0-9]{0,5}[1-9][0-9]{0,3}",
        sep in 0usize..SEPARATORS.len(),
        group in any::<bool>(),
        pick in any::<bool>(),
        word in 0usize..CURRENCY_WORDS.len(),
    ) {
        let sep = SEPARATORS[sep];
        let whole = if group { grouped(v, sep) } else { v.to_string() };
        let text = format!("{whole}{}{fraction}{}", decimal_for(sep, pick), CURRENCY_WORDS[word]);
        // A fraction of exactly three digits after an ungrouped number of one to three digits
        // is a thousands group (`1.500`): the rule reads it as such.
        let reads_as_thousands = fraction.len() == 3 && whole.len() <= 3;
        prop_assume!(!reads_as_thousands);
        prop_assert!(read(&text).is_err(), "{:?} read as {:?}", text, read(&text));
    }

    #[test]
    fn every_number_with_a_fraction_is_refused(
        v in 0i64..MAX_FRANCS,
        thousandths in 1i64..1000,
    ) {
        let f = v as f64 + thousandths as f64 / 1000.0;
        prop_assume!(f.fract() != 0.0);
        prop_assert!(
            matches!(Amount::read(&AmountInput::Number(f), Currency::XOF), Err(AmountError::NotWhole { .. })),
            "{f}"
        );
    }

    #[test]
    fn whatever_is_typed_what_is_read_is_capped_and_reads_back(text in "\\PC{0,24}") {
        if let Ok(a) = read(&text) {
            prop_assert!(a.0.abs() <= MAX_FRANCS);
            prop_assert_eq!(read(&a.grouped()), Ok(a));
        }
    }

    #[test]
    fn whatever_digits_and_separators_are_typed_what_is_read_is_capped(
        text in "-?[0-9 .,\u{a0}\u{202f}]{1,22}( ?(F|FCFA|XOF|XAF))?",
    ) {
        if let Ok(a) = read(&text) {
            prop_assert!(a.0.abs() <= MAX_FRANCS);
            prop_assert_eq!(read(&a.grouped()), Ok(a));
        }
    }
}

#[test]
fn the_other_currency_is_refused() {
    assert!(matches!(
        read("1 500 XAF"),
        Err(AmountError::OtherCurrency { .. })
    ));
}

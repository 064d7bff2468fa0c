//! The amount reader's fuzz body, on `guichet-types` alone so that `fuzz/amount` builds in
//! seconds (the CI run); `lib.rs` adds the batch's agreement with it.

use guichet_types::money::MAX_FRANCS;
use guichet_types::{Amount, AmountInput, Currency};

/// Reads `data` as text (either currency) and its first 8 bytes as the number a spreadsheet
/// cell could hold: what is accepted is within the cap, reads back from the way the screens
/// write it, and a number is never read as more than its rounding. Returns the inputs tried.
pub fn read_back(data: &[u8]) -> Vec<AmountInput> {
    let mut inputs = Vec::new();
    if let Ok(text) = std::str::from_utf8(data) {
        inputs.push(AmountInput::Text(text.to_string()));
    }
    if let Some(bytes) = data.get(..8) {
        let f = f64::from_le_bytes(bytes.try_into().expect("8 bytes"));
        inputs.push(AmountInput::Number(f));
    }
    for input in &inputs {
        for currency in [Currency::XOF, Currency::XAF] {
            if let Ok(a) = Amount::read(input, currency) {
                assert!(a.0.abs() <= MAX_FRANCS, "{input:?} read as {a:?}");
                let shown = AmountInput::Text(a.with_currency(currency));
                assert_eq!(Amount::read(&shown, currency), Ok(a), "{input:?}");
                if let AmountInput::Number(f) = input {
                    assert!((a.0 as f64 - f).abs() < 1.0, "{f} read as {a:?}");
                }
            }
        }
    }
    inputs
}

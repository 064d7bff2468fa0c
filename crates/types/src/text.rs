//! Text as people's words are compared: what the merchant types against names, headers and
//! e-mails, whatever the case and accents (`KONÉ`, `Kone`, `koné` are one word).

/// `c` as compared: lower case, accents dropped, ligatures as their two letters:
/// `É` → `e`, `ç` → `c`, `Œ` → `oe`. Letters of other scripts are kept, lower case.
pub fn folded(c: char) -> impl Iterator<Item = char> {
    c.to_lowercase().flat_map(|l| {
        let (first, second) = match l {
            'æ' => ('a', Some('e')),
            'œ' => ('o', Some('e')),
            other => (fold_accent(other), None),
        };
        std::iter::once(first).chain(second)
    })
}

fn fold_accent(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
        'ç' => 'c',
        'è' | 'é' | 'ê' | 'ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'ñ' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => 'o',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        'ý' | 'ÿ' => 'y',
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::folded;

    fn fold(s: &str) -> String {
        s.chars().flat_map(folded).collect()
    }

    #[test]
    fn case_accents_and_ligatures_fold_to_plain_letters() {
        assert_eq!(fold("KONÉ Aïcha"), "kone aicha");
        assert_eq!(fold("Œdile Lætitia Bjørn Ñ Ÿ"), "oedile laetitia bjorn n y");
        assert_eq!(fold("N'Guessan-2"), "n'guessan-2");
        assert_eq!(fold("Ωμέγα"), "ωμέγα", "other scripts: lower case, kept");
    }
}

//! "Did you mean …?": the one rule for which known name a mistyped one
//! meant, for deck names and tags alike.

/// The candidate most like `name`, if it is close enough to be a typo:
/// within one edit (a swap of neighbours counts as one) per three
/// characters, at least one, ignoring case. The closest wins; among
/// equals, the first in the candidates' order. Failing that, words joined
/// differently (`new_cards_per_day` for `new_per_day`), which are no typo
/// by letters but share most of their pairs of letters: the one sharing
/// the most, at least 60% (Sørensen-Dice).
pub fn closest<'a, S: AsRef<str> + ?Sized + 'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a S>,
) -> Option<&'a str> {
    let wanted = name.to_lowercase();
    let limit = (wanted.chars().count() / 3).max(1);
    let mut best: Option<(usize, &'a str)> = None;
    let mut most_shared: Option<(f64, &'a str)> = None;
    for candidate in candidates {
        let candidate = candidate.as_ref();
        let lower = candidate.to_lowercase();
        let distance = strsim::damerau_levenshtein(&wanted, &lower);
        if distance <= limit && best.is_none_or(|(least, _)| distance < least) {
            best = Some((distance, candidate));
        }
        let shared = strsim::sorensen_dice(&wanted, &lower);
        if shared >= 0.6 && most_shared.is_none_or(|(most, _)| shared > most) {
            most_shared = Some((shared, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
        .or(most_shared.map(|(_, candidate)| candidate))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_closest_typo_wins_and_far_names_are_not_suggested() {
        assert_eq!(closest("awz", ["devops", "aws"]), Some("aws"));
        assert_eq!(closest("AWS", ["aws"]), Some("aws"));
        assert_eq!(
            closest("kuberentes", ["kubernetes", "k8s"]),
            Some("kubernetes")
        );
        assert_eq!(closest("networking", ["aws", "devops"]), None);
        assert_eq!(closest("ab", ["ax", "ay"]), Some("ax"));
    }

    #[test]
    fn words_joined_differently_are_suggested_when_no_typo_is_near() {
        let keys = ["fuzz", "new_per_day", "reviews_per_day"];
        assert_eq!(closest("new_cards_per_day", keys), Some("new_per_day"));
        assert_eq!(closest("zzz", keys), None);
        // A typo wins over a name that merely shares letters.
        assert_eq!(closest("fuz", ["fuzzy_match", "fuzz"]), Some("fuzz"));
    }
}

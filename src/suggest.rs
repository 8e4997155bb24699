//! "Did you mean …?": the one rule for which known name a mistyped one
//! meant, for deck names and tags alike.

/// The candidate most like `name`, if it is close enough to be a typo:
/// within one edit (a swap of neighbours counts as one) per three
/// characters, at least one, ignoring case. The closest wins; among
/// equals, the first in the candidates' order.
pub fn closest<'a, S: AsRef<str> + ?Sized + 'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a S>,
) -> Option<&'a str> {
    let wanted = name.to_lowercase();
    let limit = (wanted.chars().count() / 3).max(1);
    let mut best: Option<(usize, &'a str)> = None;
    for candidate in candidates {
        let candidate = candidate.as_ref();
        let distance = strsim::damerau_levenshtein(&wanted, &candidate.to_lowercase());
        if distance <= limit && best.is_none_or(|(least, _)| distance < least) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
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
}

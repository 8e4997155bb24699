//! The sides of a comparison question and their names, as the question
//! writes them: what each side is called, to find where a text mentions it.

use super::*;

/// Words that split the sides of a comparison.
const SIDE_BREAKS: &str = "vs versus and or";
/// What the sides of "X is different from Y" are split at.
const DIFFER_CUES: &[&str] = &[
    " different from ",
    " differ from ",
    " differs from ",
    " compared to ",
    " compared with ",
    " different than ",
];

/// One name of a side: as written, lowercase, compounds joined and plurals
/// singular (see [`name_key`]), and whether the question writes it in
/// capitals ("RUN", "WHERE").
#[derive(Debug, Clone)]
pub(super) struct Name {
    pub(super) key: String,
    pub(super) capital: bool,
}

/// The names of each side of a comparison question.
pub(super) fn side_names(question: &str) -> Option<Vec<Vec<Name>>> {
    let span = compared_span(question)?;
    let mut sides = names_in(&span);
    sides.retain(|s| !s.is_empty());
    if sides.len() < 2 {
        return None;
    }
    drop_head_and_tail(&mut sides);
    named_apart(sides)
}

/// The part of the question that names the sides, with the words between
/// them: after "between", around a cue like "different from", or the
/// question up to its mark around `vs`. `None`: no comparison.
fn compared_span(question: &str) -> Option<String> {
    let question = question.replace(['`', '*', '"'], " ");
    let lower = question.to_ascii_lowercase();
    // a question ends at its mark ("!" of "!=" is an operator)
    let end_of = |from: usize| {
        question[from..]
            .char_indices()
            .find(|&(at, c)| {
                matches!(c, '?' | '.' | ';')
                    || c == '!' && !question[from + at + 1..].starts_with('=')
            })
            .map_or(question.len(), |(at, _)| from + at)
    };
    // ASCII lowercase keeps byte offsets
    let span = if let Some(at) = lower.find("between ") {
        let from = at + "between ".len();
        question[from..end_of(from)].to_string()
    } else if let Some((at, cue)) = DIFFER_CUES
        .iter()
        .filter_map(|cue| lower.find(cue).map(|at| (at, cue)))
        .min()
    {
        let right = at + cue.len();
        format!("{} vs {}", &question[..at], &question[right..end_of(right)])
    } else if plain_words(&lower)
        .iter()
        .any(|w| w == "vs" || w == "versus")
    {
        question[..end_of(0)].to_string()
    } else {
        return None;
    };
    Some(span.replace(',', " and ").replace(" & ", " and "))
}

/// The names in `span`, a side to each run between the words that split
/// sides ("vs", "and"); function words and filler name nothing.
fn names_in(span: &str) -> Vec<Vec<Name>> {
    let mut sides: Vec<Vec<Name>> = vec![Vec::new()];
    for word in side_spans(span) {
        if let Some(spoken) = spoken_operator(word) {
            // `===` is also "triple equals"
            if let Some(side) = sides.last_mut() {
                side.push(Name {
                    key: word.to_string(),
                    capital: false,
                });
                side.extend(spoken.iter().map(|name| Name {
                    key: name_key(&name.replace(' ', "")),
                    capital: false,
                }));
            }
            continue;
        }
        let lower = word.to_lowercase();
        let lower = lower.trim_end_matches('.');
        if in_list(SIDE_BREAKS, lower) {
            if sides.last().is_some_and(|s| !s.is_empty()) {
                sides.push(Vec::new());
            }
            continue;
        }
        let joined = name_key(lower);
        if joined.chars().count() < 2 || is_stop(&joined) && !is_capital(word) {
            continue;
        }
        if is_filler_word(&joined) {
            continue;
        }
        if let Some(side) = sides.last_mut() {
            side.push(Name {
                key: joined,
                capital: is_capital(word),
            });
        }
    }
    sides
}

/// Drops a head only the first side spells out ("Encryption In-Transit vs
/// At-Rest"), a tail only the last one does ("TCP vs UDP protocols"),
/// unless that leaves it named as another side is ("UNION ALL").
fn drop_head_and_tail(sides: &mut [Vec<Name>]) {
    let longest_but = |sides: &[Vec<Name>], skip: usize| {
        sides
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != skip)
            .map(|(_, s)| s.len())
            .max()
            .unwrap_or(0)
    };
    let same_as_another = |sides: &[Vec<Name>], at: usize, names: &[Name]| {
        sides.iter().enumerate().any(|(i, side)| {
            i != at
                && side.len() == names.len()
                && side.iter().zip(names).all(|(a, b)| a.key == b.key)
        })
    };
    let others = longest_but(sides, 0);
    if sides[0].len() > others {
        let extra = sides[0].len() - others;
        if !same_as_another(sides, 0, &sides[0][extra..]) {
            sides[0].drain(..extra);
        }
    }
    let last = sides.len() - 1;
    let others = longest_but(sides, last);
    if sides[last].len() > others && !same_as_another(sides, last, &sides[last][..others]) {
        sides[last].truncate(others);
    }
}

/// The sides without the words they share, which name none of them
/// ("git", "join"), and with the initials of a name of several words
/// ("VM"). `None` if a side is left without a name.
fn named_apart(mut sides: Vec<Vec<Name>>) -> Option<Vec<Vec<Name>>> {
    let shared: Vec<String> = sides
        .iter()
        .flat_map(|side| side.iter().map(|n| n.key.clone()))
        .filter(|key| {
            sides
                .iter()
                .filter(|side| side.iter().any(|n| n.key == *key))
                .count()
                >= 2
        })
        .collect();
    // a side named only by words another has ("UNION" against "UNION
    // ALL") keeps its name, and the other is named by its words together
    if sides
        .iter()
        .any(|side| side.iter().all(|n| shared.contains(&n.key)))
    {
        for side in &mut sides {
            if side.len() >= 2 && side.iter().any(|n| !shared.contains(&n.key)) {
                let key: String = side.iter().map(|n| n.key.as_str()).collect();
                let capital = side.iter().all(|n| n.capital);
                *side = vec![Name { key, capital }];
            }
        }
        return Some(sides);
    }
    for side in &mut sides {
        side.retain(|n| !shared.contains(&n.key));
        // "virtual machine" is also "VM"
        if side.len() >= 2 {
            let initials: String = side.iter().filter_map(|n| n.key.chars().next()).collect();
            side.push(Name {
                key: initials,
                capital: false,
            });
        }
    }
    if sides.iter().any(|s| s.is_empty()) {
        return None;
    }
    Some(sides)
}

/// Operators compared in questions, and how answers spell them out.
const OPERATORS: &[(&str, &[&str])] = &[
    ("===", &["triple equals"]),
    ("!==", &["strict not equals"]),
    ("==", &["double equals"]),
    ("!=", &["not equals"]),
    ("&&", &["logical and", "double ampersand"]),
    ("||", &["logical or", "double pipe"]),
];

/// The spelled-out names of an operator, if `word` is one of [`OPERATORS`].
pub(super) fn spoken_operator(word: &str) -> Option<&'static [&'static str]> {
    OPERATORS
        .iter()
        .find(|(op, _)| *op == word)
        .map(|(_, spoken)| *spoken)
}

/// Characters an operator is made of.
const OPERATOR_CHARS: &str = "=!<>&|+-*%^~";

/// The words of `text` ([`word_spans`]) and its operators (`==`, `&&`), in
/// text order.
pub(super) fn side_spans(text: &str) -> Vec<&str> {
    let mut out = word_spans(text);
    let mut from = None;
    let mut operators = Vec::new();
    for (at, c) in text.char_indices().chain([(text.len(), ' ')]) {
        match (OPERATOR_CHARS.contains(c) && at < text.len(), from) {
            (true, None) => from = Some(at),
            (false, Some(start)) => {
                let op = &text[start..at];
                if spoken_operator(op).is_some() {
                    operators.push(op);
                }
                from = None;
            }
            _ => {}
        }
    }
    if operators.is_empty() {
        return out;
    }
    out.extend(operators);
    out.sort_by_key(|word| word.as_ptr() as usize);
    out
}

/// A word as a side's name: letters and digits only, plural made singular.
/// Not stemmed: "applies" is no mention of `git stash apply`. An operator
/// is its own name.
pub(super) fn name_key(lower: &str) -> String {
    if spoken_operator(lower).is_some() {
        return lower.to_string();
    }
    let mut key: String = lower.chars().filter(|c| c.is_alphanumeric()).collect();
    let n = key.len();
    if n > 4
        && key.ends_with("es")
        && ["s", "x", "z", "ch", "sh"]
            .iter()
            .any(|e| key[..n - 2].ends_with(e))
    {
        key.truncate(n - 2);
    } else if n > 3 && key.ends_with('s') && !key.ends_with("ss") && !key.ends_with("us") {
        key.truncate(n - 1);
    }
    key
}

/// All capitals, two letters at least ("RUN", "TCP").
pub(super) fn is_capital(word: &str) -> bool {
    word.chars().filter(|c| c.is_alphabetic()).count() >= 2
        && word
            .chars()
            .filter(|c| c.is_alphabetic())
            .all(char::is_uppercase)
}

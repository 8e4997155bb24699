/*!
Which card of a deck a question from the notes is.

Review history is keyed by card id, so a re-import must find, for every
question in the notes, the card it was last time, even when the question
was lightly edited: a word inserted or removed, a typo fixed, a clause
reworded, punctuation or numbering changed, the question moved. And it
must never take one question for another: two cards of the same deck that
differ by one word ("What is a pod?", "What is a node?") stay two cards.

Matching goes from the surest evidence to the weakest: an id the source
names (a card read back from Anki), then the question exactly as it was
imported last time (its [`Fingerprint`], so an edit made in the deck does
not hide the card from its notes), then the same words, then similar
questions. Similar pairs are scored on the question's words and letters
and on the answer, and assigned best first, so two near-duplicate
questions each find their own card; a question that is only somewhat
like an old one also needs an answer like the old one's. Between
candidates that close, the lines of the question that did not change (its
code, its options), in their order, decide.

Ids of new cards and the fingerprints kept in a deck's import record are
the deck's (`decks::card_identity`); this module only matches.
*/

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

use crate::decks::card_identity::{Fingerprint, hash_text, normalize};
use crate::stable_hash::hash as xxh3_64;

/// A question and answer as the matcher sees them.
pub struct Sides<'a> {
    pub question: &'a str,
    pub answer: &'a str,
    /// The fields as last imported, for an old card.
    pub imported: Option<Fingerprint>,
    /// Whether the card came from the notes being imported (else from
    /// elsewhere: typed into the deck, imported from another file).
    pub same_file: bool,
}

/// Questions at least this alike are the same card, whatever the answer.
const SAME_QUESTION: f64 = 0.8;
/// Less alike than this, a question is another card, whatever the answer.
const RELATED_QUESTION: f64 = 0.45;
/// A related question is the same card when its answer is at least this
/// alike (weighed with the question, see [`pair_score`]).
const SAME_CARD: f64 = 0.72;

/// For each found card, the index of the old card it is, if any. Each old
/// card is taken at most once.
pub fn match_cards(
    old: &[Sides],
    found: &[Sides],
    found_ids: &[Option<&str>],
    old_ids: &[&str],
) -> Vec<Option<usize>> {
    let mut matching = Matching {
        matched: vec![None; found.len()],
        used: vec![false; old.len()],
    };
    matching.by_id(found_ids, old_ids);
    matching.unchanged(old, found);
    matching.by_score(old, found);
    matching.matched
}

/// The matches made so far: for each found card the old one it is, and
/// which old cards are taken.
struct Matching {
    matched: Vec<Option<usize>>,
    used: Vec<bool>,
}

impl Matching {
    fn take(&mut self, f: usize, o: usize) {
        self.used[o] = true;
        self.matched[f] = Some(o);
    }

    /// An id the source names: a card read back from Anki.
    fn by_id(&mut self, found_ids: &[Option<&str>], old_ids: &[&str]) {
        let by_id: HashMap<&str, usize> =
            old_ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
        for (f, id) in found_ids.iter().enumerate() {
            if let Some(&o) = id.and_then(|id| by_id.get(id))
                && !self.used[o]
            {
                self.take(f, o);
            }
        }
    }

    /// A card whose question and answer are both as they were: as imported
    /// last time (even if the deck's copy was edited since), or as the deck
    /// has them. The first of equals, so that a question asked twice with
    /// the same answer keeps each copy's id. Most cards of a re-import end
    /// here, cheaply.
    fn unchanged(&mut self, old: &[Sides], found: &[Sides]) {
        let mut unchanged: HashMap<(u64, u64), Vec<usize>> = HashMap::new();
        for (o, card) in old.iter().enumerate() {
            if let Some(print) = card.imported
                && card.same_file
            {
                unchanged
                    .entry((print.question, print.answer))
                    .or_default()
                    .push(o);
            }
            unchanged
                .entry((hash_text(card.question), hash_text(card.answer)))
                .or_default()
                .push(o);
        }
        for (f, card) in found.iter().enumerate() {
            if self.matched[f].is_some() {
                continue;
            }
            let key = (hash_text(card.question), hash_text(card.answer));
            if let Some(&o) = unchanged.get(&key).and_then(|candidates| {
                candidates
                    .iter()
                    .filter(|&&o| !self.used[o])
                    .max_by_key(|&&o| (old[o].same_file, std::cmp::Reverse(o)))
            }) {
                self.take(f, o);
            }
        }
    }

    /// The rest, scored pair by pair and taken best first, so that when an
    /// edit makes one question read like another card's, the pair whose
    /// answers agree wins.
    fn by_score(&mut self, old: &[Sides], found: &[Sides]) {
        let left_old: Vec<usize> = (0..old.len()).filter(|&o| !self.used[o]).collect();
        let left_found: Vec<usize> = (0..found.len())
            .filter(|&f| self.matched[f].is_none())
            .collect();
        if left_old.is_empty() || left_found.is_empty() {
            return;
        }
        let left = Left {
            old_profiles: left_old.iter().map(|&o| Profile::of(&old[o])).collect(),
            found_profiles: left_found.iter().map(|&f| Profile::of(&found[f])).collect(),
            old: left_old,
            found: left_found,
        };
        let pairs = left.scored_pairs(old, found);
        let chosen = best_pairing(pairs, left.found.len(), left.old.len());
        for (fi, oi) in chosen.iter().enumerate() {
            if let Some(oi) = oi {
                self.take(left.found[fi], left.old[*oi]);
            }
        }
    }
}

/// The cards left to match by score, by index into the old and found
/// cards, with their profiles.
struct Left {
    old: Vec<usize>,
    found: Vec<usize>,
    old_profiles: Vec<Profile>,
    found_profiles: Vec<Profile>,
}

impl Left {
    /// Every pair worth considering, with its rank: (rank, index into
    /// `found`, index into `old`). A question the same as an old one (as
    /// imported, or in its words) is a candidate from any source; similar
    /// questions only among the cards of the same file.
    fn scored_pairs(&self, old: &[Sides], found: &[Sides]) -> Vec<(f64, usize, usize)> {
        let (old_profiles, found_profiles) = (&self.old_profiles, &self.found_profiles);
        let mut pairs = Vec::new();
        let mut seen = HashSet::new();
        for (fi, oi) in self.same_questions(old, found) {
            if seen.insert((fi, oi)) {
                // Scored as any pair, with the question counted as the
                // same: when an edit made a question read like another
                // card's, the card whose answer it has wins. The file
                // breaks ties.
                let fp = &found_profiles[fi];
                let answer = answer_similarity(fp, &old_profiles[oi]);
                let bonus = if old[self.old[oi]].same_file {
                    0.001
                } else {
                    0.0
                };
                let rank = weigh(1.0, answer) + line_order_share(fp, &old_profiles[oi]);
                pairs.push((rank + bonus, fi, oi));
            }
        }
        let same_file_old: Vec<usize> = (0..self.old.len())
            .filter(|&oi| old[self.old[oi]].same_file)
            .collect();
        let same_file_profiles: Vec<&Profile> =
            same_file_old.iter().map(|&oi| &old_profiles[oi]).collect();
        for (fi, si) in candidate_pairs(found_profiles, &same_file_profiles) {
            let oi = same_file_old[si];
            if seen.contains(&(fi, oi)) {
                continue;
            }
            if let Some(score) = pair_score(&found_profiles[fi], &old_profiles[oi]) {
                let rank = score + line_order_share(&found_profiles[fi], &old_profiles[oi]);
                pairs.push((rank, fi, oi));
            }
        }
        pairs
    }

    /// The pairs whose questions are the same: in their words, or as the
    /// old card's was imported (from the same file).
    fn same_questions(&self, old: &[Sides], found: &[Sides]) -> Vec<(usize, usize)> {
        let mut exact: HashMap<&str, Vec<usize>> = HashMap::new();
        let mut exact_imported: HashMap<u64, Vec<usize>> = HashMap::new();
        for (oi, &o) in self.old.iter().enumerate() {
            exact
                .entry(self.old_profiles[oi].question.as_str())
                .or_default()
                .push(oi);
            if let Some(print) = old[o].imported
                && old[o].same_file
            {
                exact_imported.entry(print.question).or_default().push(oi);
            }
        }
        let mut same = Vec::new();
        for (fi, &f) in self.found.iter().enumerate() {
            let fp = &self.found_profiles[fi];
            let same_words = exact.get(fp.question.as_str()).into_iter().flatten();
            let as_imported = exact_imported
                .get(&hash_text(found[f].question))
                .into_iter()
                .flatten();
            same.extend(same_words.chain(as_imported).map(|&oi| (fi, oi)));
        }
        same
    }
}

/// The pairs taken best first, then improved by swaps: for each found
/// card, the old card it is, if any.
fn best_pairing(
    mut pairs: Vec<(f64, usize, usize)>,
    found_count: usize,
    old_count: usize,
) -> Vec<Option<usize>> {
    // Best first; equal scores in document order, so the result does not
    // depend on the sort.
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut chosen: Vec<Option<usize>> = vec![None; found_count];
    let mut owner: Vec<Option<usize>> = vec![None; old_count];
    for &(_, fi, oi) in &pairs {
        if chosen[fi].is_none() && owner[oi].is_none() {
            chosen[fi] = Some(oi);
            owner[oi] = Some(fi);
        }
    }
    improve_by_swaps(&pairs, &mut chosen, &mut owner);
    chosen
}

/// Best-first takes the single best pair even when that leaves a worse
/// one for its neighbour: two near-duplicate cards, one edited to read
/// exactly like the other, would trade ids. Swapping the cards of two
/// found cards wherever that raises their total fixes such crossings.
fn improve_by_swaps(
    pairs: &[(f64, usize, usize)],
    chosen: &mut [Option<usize>],
    owner: &mut [Option<usize>],
) {
    let score: HashMap<(usize, usize), f64> = pairs
        .iter()
        .map(|&(score, fi, oi)| ((fi, oi), score))
        .collect();
    // Each pass can only raise the total; a few are plenty.
    for _ in 0..4 {
        let mut swapped = false;
        for &(_, fi, oi) in pairs {
            let (Some(mine), Some(other)) = (chosen[fi], owner[oi]) else {
                continue;
            };
            if mine == oi || other == fi {
                continue;
            }
            let (Some(&now_a), Some(&now_b)) = (score.get(&(fi, mine)), score.get(&(other, oi)))
            else {
                continue;
            };
            let (Some(&then_a), Some(&then_b)) = (score.get(&(fi, oi)), score.get(&(other, mine)))
            else {
                continue;
            };
            if then_a + then_b > now_a + now_b + 1e-9 {
                chosen[fi] = Some(oi);
                chosen[other] = Some(mine);
                owner[oi] = Some(fi);
                owner[mine] = Some(other);
                swapped = true;
            }
        }
        if !swapped {
            break;
        }
    }
}

/// Questions longer than this (in characters, normalised) are compared by
/// their words only.
const LETTERS_UP_TO: usize = 160;

/// Up to this many pairs, every unmatched found card is compared with
/// every unmatched old one (a few milliseconds).
const ALL_PAIRS: usize = 4_000_000;
/// Beyond that, a found card is compared with the old cards that share a
/// word with it that at most this many old questions hold ("what" and
/// "is" are in most), and with the old cards near its place.
const RARE_WORD: usize = 64;
const NEARBY: usize = 32;

/// The pairs worth scoring: all of them for an ordinary re-import, and
/// for a huge document with many edited questions (where all pairs would
/// take hours) those that share a rare word or sit at about the same
/// place. Sorted, so the scores come out the same either way.
fn candidate_pairs(found: &[Profile], old: &[&Profile]) -> Vec<(usize, usize)> {
    if found.len().saturating_mul(old.len()) <= ALL_PAIRS {
        return (0..found.len())
            .flat_map(|f| (0..old.len()).map(move |o| (f, o)))
            .collect();
    }
    let mut postings: HashMap<u64, Vec<usize>> = HashMap::new();
    for (o, profile) in old.iter().enumerate() {
        let mut words = profile.question_words.clone();
        words.dedup();
        for word in words {
            postings.entry(word).or_default().push(o);
        }
    }
    let mut pairs = Vec::new();
    for (f, profile) in found.iter().enumerate() {
        let mut near: Vec<usize> = Vec::new();
        for word in &profile.question_words {
            if let Some(list) = postings.get(word)
                && list.len() <= RARE_WORD
            {
                near.extend(list);
            }
        }
        let place = f * old.len() / found.len().max(1);
        near.extend(place.saturating_sub(NEARBY)..(place + NEARBY).min(old.len()));
        near.sort_unstable();
        near.dedup();
        pairs.extend(near.into_iter().map(|o| (f, o)));
    }
    pairs
}

/// What similarity is computed from, prepared once per card.
struct Profile {
    /// The question's words, joined by spaces.
    question: String,
    question_chars: usize,
    /// Sorted hashes of the question's words and of the answer's.
    question_words: Vec<u64>,
    /// Sorted hashes of the question's lines (as words) and of each two
    /// lines in a row: what it says in what order, for a question of
    /// several lines (a question over its code, or its options).
    question_lines: Vec<u64>,
    answer_words: Vec<u64>,
    answer_hash: u64,
}

impl Profile {
    fn of(sides: &Sides) -> Profile {
        let question = normalize(sides.question);
        Profile {
            question_chars: question.chars().count(),
            question_words: word_hashes(&question),
            question_lines: line_hashes(sides.question),
            question,
            answer_words: word_hashes(&normalize(sides.answer)),
            answer_hash: hash_text(sides.answer.trim()),
        }
    }
}

fn word_hashes(normalized: &str) -> Vec<u64> {
    let mut hashes: Vec<u64> = normalized
        .split(' ')
        .filter(|word| !word.is_empty())
        .map(|word| xxh3_64(word.as_bytes()))
        .collect();
    hashes.sort_unstable();
    hashes
}

fn line_hashes(question: &str) -> Vec<u64> {
    let lines: Vec<u64> = question
        .lines()
        .map(normalize)
        .filter(|line| !line.is_empty())
        .map(|line| xxh3_64(line.as_bytes()))
        .collect();
    if lines.len() < 2 {
        // One line: its words say it all.
        return Vec::new();
    }
    let mut hashes = lines.clone();
    for pair in lines.windows(2) {
        let mut bytes = [0u8; 16];
        bytes[..8].copy_from_slice(&pair[0].to_le_bytes());
        bytes[8..].copy_from_slice(&pair[1].to_le_bytes());
        hashes.push(xxh3_64(&bytes));
    }
    hashes.sort_unstable();
    hashes
}

/// How much a pair's rank rises for the lines of its question that are
/// still there, in their order. Two near-identical cards (one question
/// over two slightly different code blocks) read alike word for word, so
/// when both questions are edited, what the words say of each pair is
/// nearly the same; the lines that did not change (the code, the options)
/// then decide. Small beside the scores, so that it orders the close
/// candidates and never makes a pair of different cards: it is added to
/// the rank only, after the thresholds of [`pair_score`].
fn line_order_share(found: &Profile, old: &Profile) -> f64 {
    const WEIGHT: f64 = 0.1;
    if found.question_lines.is_empty() || old.question_lines.is_empty() {
        return 0.0;
    }
    WEIGHT * dice(&found.question_lines, &old.question_lines)
}

/// How alike two sorted multisets are: twice the shared count over the
/// total (Sørensen–Dice), 1 for two empty sets.
fn dice(a: &[u64], b: &[u64]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let (mut i, mut j, mut shared) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    2.0 * shared as f64 / (a.len() + b.len()) as f64
}

/// How alike two questions are, 0..1: the better of their shared words
/// (which forgives inserted and removed words) and their letters (which
/// forgives typos and changed word endings).
fn question_similarity(a: &Profile, b: &Profile) -> f64 {
    let by_words = dice(&a.question_words, &b.question_words);
    if by_words >= SAME_QUESTION {
        return by_words;
    }
    // An edit distance is at least the difference of the lengths: skip the
    // quadratic comparison when even that is too far.
    let longest = a.question_chars.max(b.question_chars);
    let bound = 1.0 - a.question_chars.abs_diff(b.question_chars) as f64 / longest.max(1) as f64;
    if bound <= by_words || bound < RELATED_QUESTION {
        return by_words;
    }
    // Questions that share no more than a word or two in three are not
    // one question with a typo, unless they are a word or two long: the
    // quadratic comparison is left for the pairs that could be.
    // Long questions (a question with its code) are compared by words
    // only: one typo barely moves their words' score, and letters would
    // cost a quarter of a million steps a pair.
    let short = a.question_words.len().min(b.question_words.len()) <= 2;
    if (by_words < 0.3 && !short) || longest > LETTERS_UP_TO {
        return by_words;
    }
    by_words.max(strsim::normalized_levenshtein(&a.question, &b.question))
}

fn answer_similarity(a: &Profile, b: &Profile) -> f64 {
    if a.answer_hash == b.answer_hash {
        1.0
    } else {
        dice(&a.answer_words, &b.answer_words)
    }
}

/// One score from how alike the questions and the answers are: half each,
/// since a lightly edited question keeps its answer, and two cards whose
/// questions read alike are told apart by their answers.
fn weigh(question: f64, answer: f64) -> f64 {
    0.5 * question + 0.5 * answer
}

/// The score of taking `found` for `old`, or `None` when they are
/// different cards. A question that is nearly the same is the same card; a
/// related one needs an answer to match, so that a rewritten short
/// question keeps its history while "What is a pod?" never becomes "What
/// is a node?" (whose answer differs).
fn pair_score(found: &Profile, old: &Profile) -> Option<f64> {
    let question = question_similarity(found, old);
    if question < RELATED_QUESTION {
        return None;
    }
    let answer = answer_similarity(found, old);
    let score = weigh(question, answer);
    let same = (question >= SAME_QUESTION && answer >= 0.2) || score >= SAME_CARD;
    same.then_some(score)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sides<'a>(question: &'a str, answer: &'a str) -> Sides<'a> {
        Sides {
            question,
            answer,
            imported: None,
            same_file: true,
        }
    }

    fn pairs(old: &[(&str, &str)], found: &[(&str, &str)]) -> Vec<Option<usize>> {
        let old: Vec<Sides> = old.iter().map(|(q, a)| sides(q, a)).collect();
        let found: Vec<Sides> = found.iter().map(|(q, a)| sides(q, a)).collect();
        let ids: Vec<String> = (0..old.len()).map(|i| format!("id{i}")).collect();
        let old_ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        match_cards(&old, &found, &vec![None; found.len()], &old_ids)
    }

    #[test]
    fn light_edits_keep_their_card() {
        let old = [
            (
                "How does a Service find its pods?",
                "Through its label selector.",
            ),
            ("What is a pod?", "The smallest deployable unit."),
            ("Why use a Deployment?", "Rolling updates and rollbacks."),
        ];
        let found = [
            ("Why use a Deployment ?", "Rolling updates, and rollbacks."),
            (
                "How does a Kubernetes Service find its pods?",
                "Through its label selector.",
            ),
            ("What's a pod?", "The smallest unit you can deploy."),
        ];
        assert_eq!(pairs(&old, &found), vec![Some(2), Some(0), Some(1)]);
    }

    #[test]
    fn different_questions_are_never_taken_for_each_other() {
        let old = [("What is a pod?", "The smallest deployable unit.")];
        let found = [("What is a node?", "A machine that runs pods.")];
        assert_eq!(pairs(&old, &found), vec![None]);
    }

    #[test]
    fn near_duplicates_each_find_their_own_card() {
        let old = [
            ("What is an index?", "A structure that speeds up lookups."),
            (
                "What's an index?",
                "A sorted copy of some columns with pointers.",
            ),
        ];
        let found = [
            (
                "What's an index?",
                "A sorted copy of columns with row pointers.",
            ),
            ("What is an index ?", "A structure that speeds up lookups."),
        ];
        assert_eq!(pairs(&old, &found), vec![Some(1), Some(0)]);
    }

    /// One question over two slightly different code blocks, with the same
    /// answer and the same words in another order: when both questions
    /// are reworded, the one reworded less must not take the other's card.
    #[test]
    fn near_identical_code_questions_keep_their_own_cards_when_both_are_reworded() {
        const FIRST: &str = "\n\n```javascript\nfunction myFunc(){\n\tconsole.log(myFunc.message);\n}\nmyFunc.message = \"Hi John\";\n\nconsole.log(myFunc());\n```\n\n1.  Type Error\n2.  'Hi John'\n3.  undefined";
        const SECOND: &str = "\n\n```javascript\nfunction myFunc() {\n  myFunc.message = 'Hi John';\n  console.log(myFunc.message);\n}\nconsole.log(myFunc());\n```\n\n1.  Type Error\n2.  'Hi John'\n3.  undefined";
        let asked = "What would be the output of following code ?";
        let old = [
            (format!("{asked}{FIRST}"), "2) 'Hi John'"),
            (format!("{asked}{SECOND}"), "2) 'Hi John'"),
        ];
        for (first, second) in [
            (
                "What is the output of following code?",
                "What would be the output of the following code?",
            ),
            (
                "Output of following code?",
                "What would be the output of this code ?",
            ),
            (
                "What would the following code output?",
                "What would be output of following code",
            ),
        ] {
            let found = [
                (format!("{first}{FIRST}"), "2) 'Hi John'"),
                (format!("{second}{SECOND}"), "2) 'Hi John'"),
            ];
            let old: Vec<(&str, &str)> = old.iter().map(|(q, a)| (q.as_str(), *a)).collect();
            let found: Vec<(&str, &str)> = found.iter().map(|(q, a)| (q.as_str(), *a)).collect();
            assert_eq!(
                pairs(&old, &found),
                vec![Some(0), Some(1)],
                "{first} / {second}"
            );
            let reversed: Vec<(&str, &str)> = found.iter().rev().copied().collect();
            assert_eq!(
                pairs(&old, &reversed),
                vec![Some(1), Some(0)],
                "{first} / {second}"
            );
        }
    }

    #[test]
    fn an_edit_in_the_deck_does_not_hide_the_card_from_its_notes() {
        let old = [Sides {
            question: "Completely rewritten in the deck",
            answer: "x",
            imported: Some(Fingerprint::of("What is a pod?", "y", &[])),
            same_file: true,
        }];
        let found = [sides("What is a pod?", "y")];
        assert_eq!(match_cards(&old, &found, &[None], &["id0"]), vec![Some(0)]);
    }
}

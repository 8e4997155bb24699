//! What a reference answer says, as weighted words, and how much of it a
//! typed answer carries: the evidence the suggested grade is drawn from.
//!
//! Key points alone judge harshly: an answer's outline mixes the essential
//! (its opening definition) with supporting detail, examples and literal
//! values, and a point counts whole or not at all. So the grade also looks
//! at the *gist*: the content words of the answer's opening sentence (its
//! lead, what a definition or a direct answer says first), weighed above the
//! words of the rest, with code spans, numbers and link texts counting
//! little (they illustrate; nobody says `web-0` aloud). Wrong answers share
//! words too, so the typed answer's own words are checked the other way: a
//! typed answer made mostly of words the reference never uses is saying
//! something else.

use super::*;

mod reference;

use reference::{blocks_of, lead_stems, weighted_words};

/// Weight of a word in the lead, of one elsewhere in the prose, and of a
/// code span, number or link text.
const LEAD_WEIGHT: f32 = 2.0;
const BODY_WEIGHT: f32 = 1.0;
const ILLUSTRATION_WEIGHT: f32 = 0.25;
/// Weight of a generic word ("fast", "keep"): it carries meaning in a
/// sentence, less than a term.
const LIGHT_WEIGHT: f32 = 0.5;
/// A lead shorter than this many content words takes the next sentence too.
const MIN_LEAD_WORDS: usize = 6;

pub(super) struct Gist {
    /// Distinct content words (by stem): the word, its weight, in the lead.
    words: Vec<(Tok, f32, bool)>,
    /// The reference's words, to tell which typed words it uses.
    known: TypedIndex,
    /// Some(true) when the answer opens with "Yes", Some(false) with "No".
    polarity: Option<bool>,
    /// Stems of the question's content words.
    given: FastSet<String>,
    /// The sides of a comparison question.
    sides: Option<Sides>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Evidence {
    /// Share of the lead's content words the typed answer has (None: no lead).
    pub(super) lead: Option<f32>,
    /// Share of the weight of all content words.
    pub(super) whole: f32,
    /// Share of the typed content words that the reference uses.
    pub(super) precision: f32,
    /// Typed content words.
    pub(super) typed_words: usize,
    /// Typed words that say more than the question: neither its words nor
    /// function words or generic verbs ("something that handles events").
    pub(super) new_words: usize,
    /// The reference opens with yes or no and the typed answer with the other.
    pub(super) contradicts: bool,
    /// The typed answer only says it does not know.
    pub(super) dont_know: bool,
    /// What a comparison's typed answer says about each side.
    pub(super) sides: Option<SideVerdict>,
    /// A string of terms with no sentence around them (five or more words,
    /// not one function word): naming things is not saying how they relate,
    /// so it is Again, as an interviewer takes keyword stuffing.
    pub(super) keyword_list: bool,
}

/// Text of the answer in reading order, each piece with its role.
#[derive(Clone, Copy, PartialEq)]
enum Role {
    Prose,
    Illustration,
}

impl Gist {
    /// The gist of `answer_markdown`; the `given` words (the question's,
    /// see [`given_stems`]) are not evidence (saying "StatefulSet" back to
    /// "What are stateful sets?" tells nothing).
    pub(super) fn new(question: &str, answer_markdown: &str, given: FastSet<String>) -> Gist {
        let markdown = without_distractors(cut(answer_markdown, MAX_ANSWER_BYTES));
        let blocks = blocks_of(markdown);
        let lead = lead_stems(&blocks, &given);
        let (words, mut plain) = weighted_words(&blocks, &given, &lead);
        let polarity = plain_words(&plain).first().and_then(|w| yes_or_no(w));
        let sides = Sides::new(question, &plain);
        plain.push_str(question);
        Gist {
            words,
            known: TypedIndex::of_reference(&plain),
            polarity,
            given,
            sides,
        }
    }

    /// Content words of the answer's prose (not illustrations).
    pub(super) fn size(&self) -> usize {
        self.words
            .iter()
            .filter(|(_, weight, _)| *weight > ILLUSTRATION_WEIGHT)
            .count()
    }

    /// The share of the key points covered that says something: code spans
    /// are left out when there are other points (they illustrate), and so
    /// are points made only of the question's words (they are its subject).
    pub(super) fn point_share(&self, points: &[PointResult]) -> f32 {
        let said = |p: &&PointResult| !only_given(&p.point.text, &self.given);
        let prose: Vec<&PointResult> = points
            .iter()
            .filter(|p| p.point.kind != PointKind::Code)
            .filter(said)
            .collect();
        let counted: Vec<&PointResult> = if prose.is_empty() {
            points.iter().filter(said).collect()
        } else {
            prose
        };
        if counted.is_empty() {
            return 0.0;
        }
        counted.iter().filter(|p| p.covered).count() as f32 / counted.len() as f32
    }

    pub(super) fn evidence(&self, typed: &str, index: &TypedIndex) -> Evidence {
        let (mut lead_total, mut lead_hit) = (0usize, 0usize);
        let (mut total, mut hit) = (0f32, 0f32);
        for (tok, weight, in_lead) in &self.words {
            let has = index.has(tok);
            total += weight;
            if has {
                hit += weight;
            }
            if *in_lead {
                lead_total += 1;
                lead_hit += usize::from(has);
            }
        }
        let typed_toks = content_toks(typed);
        let known = typed_toks.iter().filter(|t| self.known.has(t)).count();
        let typed_polarity = plain_words(typed).first().and_then(|w| yes_or_no(w));
        Evidence {
            lead: (lead_total > 0).then(|| lead_hit as f32 / lead_total as f32),
            whole: if total > 0.0 { hit / total } else { 0.0 },
            precision: if typed_toks.is_empty() {
                0.0
            } else {
                known as f32 / typed_toks.len() as f32
            },
            typed_words: typed_toks.len(),
            new_words: gist_toks(typed)
                .iter()
                .filter(|(t, _)| !t.weak() && !self.given.contains(&t.stem))
                .count(),
            dont_know: says_dont_know(typed),
            sides: self
                .sides
                .as_ref()
                .map(|sides| sides.verdict(typed, &self.known, &self.given)),
            keyword_list: {
                let words = plain_words(typed);
                words.len() >= KEYWORD_LIST_WORDS && !words.iter().any(|w| is_stop(w))
            },
            contradicts: matches!((self.polarity, typed_polarity), (Some(a), Some(b)) if a != b),
        }
    }
}

fn yes_or_no(word: &str) -> Option<bool> {
    match word {
        "yes" | "yeah" | "yep" => Some(true),
        "no" | "nope" => Some(false),
        _ => None,
    }
}

/// The content words of `text`: no stop, weak, filler or generic words, no
/// single letters; each distinct stem once.
pub(super) fn content_toks(text: &str) -> Vec<Tok> {
    gist_toks(text)
        .into_iter()
        .filter(|(_, light)| !light)
        .map(|(tok, _)| tok)
        .collect()
}

/// The words of `text` that carry meaning, each distinct stem once, with
/// whether it is only a generic or weak word (no stop or filler words, no
/// single letters).
fn gist_toks(text: &str) -> Vec<(Tok, bool)> {
    let mut seen = FastSet::default();
    let mut out = Vec::new();
    for chunk in chunks(text) {
        for alt in &chunk.alts {
            for part in alt {
                let lower = part.to_lowercase();
                if lower.chars().count() < 2 || is_stop(&lower) || is_filler_word(&lower) {
                    continue;
                }
                let tok = Tok::new(&lower);
                let light = tok.weak() || is_generic(&lower) || is_generic(&tok.canon);
                if seen.insert(tok.stem.clone()) {
                    out.push((tok, light));
                }
            }
        }
    }
    out
}

/// Score from which the grade is Hard, and from which it is Good (Easy
/// when enough was said).
pub(super) const HARD_FROM: f32 = 0.05;
pub(super) const GOOD_FROM: f32 = 0.35;
/// Easy needs this many content words typed (or as many as the reference
/// has): a complete answer is rarely three words long.
const EASY_WORDS: usize = 7;
/// The whole answer's weighted share counts this much more than a share of
/// the points or of the lead (a complete answer says only part of a long
/// reference).
const WHOLE_FACTOR: f32 = 2.0;
/// Below this share of its words in the reference, a typed answer is taken
/// to be about something else, and its score shrinks in proportion.
const ON_TOPIC: f32 = 0.5;
/// Covering this share of the points and of the whole answer's weight says
/// enough for Easy, however few the words.
const EASY_SHARE: f32 = 0.6;
const EASY_WHOLE: f32 = 0.5;
/// A typed answer of this many content words, this share of them the
/// reference's, says more than a partial answer.
const SUBSTANTIAL_WORDS: usize = 5;
const SUBSTANTIAL_PRECISION: f32 = 0.7;
/// Covering every point says enough for Easy from this many points.
const EASY_MIN_POINTS: usize = 3;
/// From this many words, a typed answer without one function word is a
/// list of keywords.
const KEYWORD_LIST_WORDS: usize = 5;

/// Typed words that only say "I don't know".
const DONT_KNOW: &str = "idea know knew clue remember forgot forget dunno pass unsure sure skip";

/// The suggested grade, from the key points covered and the gist.
///
/// The score is the best of: the share of the key points covered (code
/// spans left out when there are other points: they are illustrations),
/// the share of the lead's words, and [`WHOLE_FACTOR`] times the weighted
/// share of the whole answer. Easy is a Good score with enough said
/// ([`EASY_WORDS`]), every point of three or more covered, or most of the
/// points and half the whole's weight ([`EASY_SHARE`], [`EASY_WHOLE`]).
/// Off-topic typing shrinks the score ([`ON_TOPIC`]). A Hard that says
/// several things, nearly all the reference's own ([`SUBSTANTIAL_WORDS`],
/// [`SUBSTANTIAL_PRECISION`]), is Good. A comparison is then judged by its
/// sides (see `comparison.rs`): wrong sides or none told apart lower the grade,
/// each side told apart rightly raises it to Good, one side to Hard.
/// A list of keywords, saying nothing the question did not say,
/// contradicting a yes/no answer, or saying only "no idea", is Again.
///
/// With the grade comes what decided it, when that is more than the share
/// of the points covered.
pub(super) fn judge(
    points: &[PointResult],
    gist: &Gist,
    evidence: &Evidence,
) -> (Grade, Option<Reason>) {
    if evidence.dont_know {
        return (Grade::Again, None);
    }
    if evidence.new_words == 0 {
        return (Grade::Again, Some(Reason::OnlyTheQuestion));
    }
    if evidence.contradicts {
        return (Grade::Again, Some(Reason::Opposite));
    }
    let share = gist.point_share(points);
    let lead = evidence.lead.unwrap_or(0.0);
    let whole = WHOLE_FACTOR * evidence.whole;
    let mut score = share.max(lead).max(whole);
    // the opening or the whole decided when the points alone give less
    let mut reason = if grade_of(share) == grade_of(score) {
        None
    } else if score == lead {
        Some(Reason::Opening)
    } else {
        Some(Reason::Gist)
    };
    if evidence.precision < ON_TOPIC {
        let said = score;
        score *= evidence.precision / ON_TOPIC;
        if grade_of(score) < grade_of(said) {
            reason = Some(Reason::OffTopic);
        }
    }
    // complete: enough words typed, or every point of an outline of three
    // or more covered
    let all_points = points.len() >= EASY_MIN_POINTS && points.iter().all(|p| p.covered);
    // or most of the points and half the weight of the whole, in however
    // few words (a comparison's answer spends its words on the sides' names)
    let most_of_it = share >= EASY_SHARE && evidence.whole >= EASY_WHOLE;
    let enough_said =
        all_points || most_of_it || evidence.typed_words >= EASY_WORDS.min(gist.size());
    let mut grade = match grade_of(score) {
        Grade::Good if enough_said => Grade::Easy,
        grade => grade,
    };
    // several things said, nearly all of them the reference's own: more
    // than a partial answer (a comparison is judged by its sides below)
    if grade == Grade::Hard
        && evidence.sides.is_none()
        && evidence.typed_words >= SUBSTANTIAL_WORDS
        && evidence.precision >= SUBSTANTIAL_PRECISION
    {
        decide(&mut grade, &mut reason, Grade::Good, Reason::Substantial);
    }
    if let Some(sides) = &evidence.sides {
        judge_sides(sides, &mut grade, &mut reason);
    }
    if evidence.keyword_list {
        decide(&mut grade, &mut reason, Grade::Again, Reason::Keywords);
    }
    (grade, reason)
}

/// A comparison's grade by its sides: lowered for what is said of the
/// wrong side, or without ground; raised for what is right of each, however
/// it was worded.
fn judge_sides(sides: &SideVerdict, grade: &mut Grade, reason: &mut Option<Reason>) {
    let now = *grade;
    if sides.mostly_wrong() {
        decide(grade, reason, Grade::Again, Reason::Swapped);
    } else if sides.no_contrast() {
        decide(grade, reason, Grade::Again, Reason::Alike);
    } else if sides.partly_wrong() {
        decide(grade, reason, now.min(Grade::Hard), Reason::WrongSide);
    } else if sides.unfounded() {
        decide(grade, reason, one_lower(now), Reason::Unfounded);
    }
    // what is right about the sides counts however it was worded
    let now = *grade;
    if sides.contrast() {
        decide(grade, reason, now.max(Grade::Good), Reason::Contrast);
    } else if sides.some_right() {
        decide(grade, reason, now.max(Grade::Hard), Reason::OneSide);
    }
}

/// Sets the grade to `new`, and the reason to `why` when that changes it.
fn decide(grade: &mut Grade, reason: &mut Option<Reason>, new: Grade, why: Reason) {
    if new != *grade {
        *grade = new;
        *reason = Some(why);
    }
}

/// The grade a score alone gives (Easy needs more, see [`judge`]).
fn grade_of(score: f32) -> Grade {
    if score >= GOOD_FROM {
        Grade::Good
    } else if score >= HARD_FROM {
        Grade::Hard
    } else {
        Grade::Again
    }
}

/// What decided a suggested grade, besides the share of key points
/// covered; shown after the grade ("suggested grade: good, as you told
/// each side apart").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// Most of the answer's opening sentence was said.
    Opening,
    /// Much of the whole answer was said, weighed.
    Gist,
    /// Five or more words, nearly all the answer's own.
    Substantial,
    /// Mostly words the answer never uses.
    OffTopic,
    /// Nothing the question did not say.
    OnlyTheQuestion,
    /// A no to an answer's yes, or the reverse.
    Opposite,
    /// A list of keywords.
    Keywords,
    /// What was said of the sides is mostly said of the other side.
    Swapped,
    /// The sides called the same.
    Alike,
    /// A claim said of the wrong side.
    WrongSide,
    /// As many claims without ground in the answer as with.
    Unfounded,
    /// Something right said of each side on its own.
    Contrast,
    /// Something right said of one side.
    OneSide,
}

impl Reason {
    /// The reason as a clause: "as you told each side apart".
    pub fn text(self) -> &'static str {
        match self {
            Reason::Opening => "as you said most of the answer's opening",
            Reason::Gist => "as you said much of the whole answer",
            Reason::Substantial => "as nearly all you said is in the answer",
            Reason::OffTopic => "as much of what you said is not in the answer",
            Reason::OnlyTheQuestion => "as you only said what the question says",
            Reason::Opposite => "as the answer says the opposite",
            Reason::Keywords => "as a list of keywords is no answer",
            Reason::Swapped => "as what you said fits the other side",
            Reason::Alike => "as the sides are not the same",
            Reason::WrongSide => "as a claim fits the other side",
            Reason::Unfounded => "as the answer gives no ground for some claims",
            Reason::Contrast => "as you told each side apart",
            Reason::OneSide => "as one side is right",
        }
    }
}

/// The figures [`judge`] draws the grade from, as tab-separated
/// `name=value` fields, for studying the agreement test's answers.
#[cfg(test)]
pub(super) fn trace(points: &[PointResult], gist: &Gist, evidence: &Evidence) -> String {
    let share = gist.point_share(points);
    let sides = evidence
        .sides
        .map(|s| format!("{}/{}/{}", s.supported, s.misattributed, s.unsupported))
        .unwrap_or_default();
    format!(
        "share={share:.2}\tlead={:.2}\twhole={:.2}\tprecision={:.2}\ttyped={}\tnew={}\tsize={}\tpoints={}\tsides={sides}\tkeywords={}",
        evidence.lead.unwrap_or(-1.0),
        evidence.whole,
        evidence.precision,
        evidence.typed_words,
        evidence.new_words,
        gist.size(),
        points.len(),
        evidence.keyword_list,
    )
}

fn one_lower(grade: Grade) -> Grade {
    match grade {
        Grade::Easy => Grade::Good,
        Grade::Good => Grade::Hard,
        Grade::Hard | Grade::Again => Grade::Again,
    }
}

/// Whether the typed text only admits not knowing ("no idea", "I don't know").
pub(super) fn says_dont_know(typed: &str) -> bool {
    let words = plain_words(typed);
    !words.is_empty()
        && words
            .iter()
            .all(|w| is_stop(w) || in_list(DONT_KNOW, w) || w == "t" || w == "dont")
}

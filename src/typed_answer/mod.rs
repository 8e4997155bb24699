//! Key-point coverage of a typed answer, for `prep quiz --type`.
//!
//! Before the reveal the user types an answer the way they would say it in an
//! interview. This module finds the *key points* of the card's reference
//! answer (markdown), checks which of them the typed text covers, and suggests
//! a grade from the share covered, which the user confirms or changes. Spoken
//! answers are loose paraphrases full of typos, so nothing here compares
//! strings exactly; it is a bag-of-words judgement, tuned to be right on the
//! common cases and to err towards "covered" only when the point's own words
//! or its explanation were said.
//!
//! **Key points** ([`key_points`]) follow the answer's own outline:
//! sub-headings, heads of list items (the leading bold; else the text before
//! `:`, ` - `, ` – `, `→`, `=` or `(` when short; else the item's first line
//! when short; else its first clause), bold terms, inline code spans, first
//! cells of table rows, and in plain-text answers short title lines and
//! run-in heads (`In Transit: ...`). Numbering and qualifying parentheses
//! (`(e.g. ...)`, `(Optional)`) are removed; points are deduplicated by text
//! and by content words. Filler heads ("Example ...", "Steps", "Benefits",
//! "Note", "Summary") and headings that only announce a list ("Key Uses of
//! X", "How X Works") are not points, and what is under them moves up;
//! examples and recaps rank low. The top level of the outline is kept whole
//! (up to [`MAX_POINTS`]); lower levels only fill the list up to six points,
//! spread across sections, bold terms in prose and then code spans last.
//! Code blocks are never points, except a command name when nothing else is
//! found. With fewer than four marked points, salient words and phrases of
//! the text are added ([`PointKind::Salient`], up to six points in all):
//! names, acronyms, compounds and repeated words, or with fewer than two
//! marked points any significant word. What the question gives away is no
//! point (`given.rs`): its words, names built on them (`CPython`
//! for "Python") and its acronyms spelled out (`Global Interpreter Lock`
//! for "GIL"), unless nothing else is found.
//!
//! **Matching** ([`assess`]): both sides are read in the card's language
//! (`language.rs`: its stop words and stemmer; English unless the card's
//! words say otherwise) and become tokens: lowercase, split on
//! punctuation (`s3:PutObject` gives `s3` and `putobject`), stop words and
//! spoken fillers dropped, common abbreviations expanded (`db`, `k8s`,
//! `env`, `creds`...), lightly stemmed (plurals, -ing, -ed, -ion/-ation,
//! -ate, -ment, -er, -al, -ly, British -ise; Snowball in other languages),
//! with typos tolerated from five letters (one insertion, deletion or
//! transposition; also one substitution from eight letters; two edits from
//! ten; the first letter must agree).
//! Common technical synonyms are one word (`execute` = `run`, `drop` =
//! `remove`, `recent` = `latest`, `revision` = `version`), and a typed part
//! of a closed compound counts for it (`lighter` for `lightweight`, `name`
//! for `hostname`; not `state` for `stateless`). A word said only in the
//! negative does not count for one the reference affirms, and a negation
//! stands for the negative word (`without a connection` = `connectionless`,
//! `not public` = `private`; see `negation.rs`).
//! Hyphenated, slashed and camelCase words are one unit either spelling
//! satisfies (`pre-signed` = `presigned` = `pre signed`; `SSL/TLS` = either;
//! `CloudTrail` = `cloud trail`). A short parenthesised name is another
//! wording of the point (`Identity and Access Management (IAM)`, `S3-managed
//! keys (SSE-S3)`), and the acronym of any run of the point's words counts
//! for those words (`PoLP`, `PR` for "pull request"), as does a typed
//! expansion of an acronym (`iam roles for service accounts` for `IRSA`).
//! Numbers match exactly; word order never matters. Generic verbs ("use",
//! "enable", "ensure") only count when a point has nothing else.
//!
//! A point with `n` content units is covered when all of them appear (n <=
//! 2) or 60 % rounded up (n >= 3). Failing that, the explanation under the
//! point (the rest of its list item or its first sub-item, or the first block
//! of its section) can carry it: 40 % of its content words (at least two)
//! when at least one unit of the point was said, or half of its distinctive
//! words (at least three, ignoring words used all over the answer) when none
//! was.
//!
//! **Grade** ([`judge`], from [`Gist`]): key points alone judge harshly (an
//! outline mixes the essential with details and examples, and a point
//! counts whole or not at all), so the grade is the best of the share of
//! points covered (code spans and points made only of the question's words
//! left out), the share of the answer's opening sentence, and the weighted
//! share of the whole answer, then shrunk for off-topic typing; five or
//! more words nearly all the reference's own are more than a partial
//! answer (Good). Saying nothing the question did not (`something in
//! Node.js that handles events`) is Again, and so is a list of keywords.
//! For a question that compares (`X vs Y`, `the difference between X and
//! Y`), what the typed answer says about each side is checked against what
//! the reference says about that side (`comparison.rs`): sides swapped, or
//! called the same, is Again; one right thing said of each side on its own
//! is the contrast (Good), however few the words. Its agreement with a
//! person's grades is measured by `agreement.rs`.
//!
//! Work is capped (answers at 256 KiB, typed text at 64 KiB and 10 000
//! words); in a release build a 3 KB answer takes about 2 ms, a fixture
//! answer 0.7 ms on average.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet, VecDeque};
use std::rc::Rc;
use std::sync::OnceLock;

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};

use crate::schedule::Grade;

mod choose;
mod comparison;
mod gist;
mod given;
mod language;
mod matching;
mod negation;
mod outline;
mod salient;
mod tokens;
mod words;

use choose::*;
use comparison::*;
pub use gist::Reason;
use gist::*;
use given::*;
use language::*;
use matching::*;
use negation::*;
use outline::*;
use salient::*;
use tokens::*;
use words::*;

/// At most this many key points per answer.
pub const MAX_POINTS: usize = 12;
/// Below the top level of the outline, points are only added up to this many.
const SOFT_POINTS: usize = 6;
/// With fewer marked points than this, salient words are added...
const MIN_MARKED: usize = 3;
/// ...up to this many points in all.
const SALIENT_TARGET: usize = 6;
/// Work caps: longer inputs are cut (at a character boundary).
const MAX_ANSWER_BYTES: usize = 256 * 1024;
const MAX_TYPED_BYTES: usize = 64 * 1024;
const MAX_TYPED_WORDS: usize = 10_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PointKind {
    /// A sub-heading of the answer.
    Heading,
    /// Bold (or bold-italic) text.
    Term,
    /// An inline code span (or, failing all else, a command from a code block).
    Code,
    /// The head of a list item (or the first cell of a table row).
    ListHead,
    /// A significant word or phrase, when the answer has too few marked points.
    Salient,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyPoint {
    /// As shown to the user, markdown markers removed.
    pub text: String,
    pub kind: PointKind,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PointResult {
    pub point: KeyPoint,
    pub covered: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    pub points: Vec<PointResult>,
    pub covered: usize,
    pub total: usize,
    /// None when the answer has no key points at all.
    pub suggested: Option<Grade>,
    /// What decided the suggestion, when more than the share covered.
    pub reason: Option<Reason>,
}

impl Assessment {
    /// Share of the key points covered, 0 when there are none.
    pub fn ratio(&self) -> f32 {
        if self.total == 0 {
            0.0
        } else {
            self.covered as f32 / self.total as f32
        }
    }

    /// The points the typed answer missed.
    pub fn missed(&self) -> impl Iterator<Item = &KeyPoint> {
        self.points.iter().filter(|p| !p.covered).map(|p| &p.point)
    }
}

/// The key points of a reference answer, in answer order, deduplicated, at
/// most [`MAX_POINTS`].
pub fn key_points(answer_markdown: &str) -> Vec<KeyPoint> {
    Language::of_card("", answer_markdown).judging(|| {
        analyse(answer_markdown, &FastSet::default())
            .into_iter()
            .map(|(point, _)| point)
            .collect()
    })
}

/// Which key points of `answer_markdown` the `typed` answer covers, and the
/// grade that suggests (see [`assess_card`]; here without the question).
pub fn assess(answer_markdown: &str, typed: &str) -> Assessment {
    assess_card("", answer_markdown, typed)
}

/// Which key points of the card's answer the `typed` answer covers, and the
/// suggested grade: from the points covered and from the gist (see
/// [`judge`]). The question's own words are given, so they earn nothing.
pub fn assess_card(question: &str, answer_markdown: &str, typed: &str) -> Assessment {
    assess_with(question, answer_markdown, typed, |_, _, _| ()).0
}

/// [`assess_card`], with the figures the grade was drawn from.
#[cfg(test)]
fn trace_card(question: &str, answer_markdown: &str, typed: &str) -> (Assessment, String) {
    let (assessment, trace) = assess_with(question, answer_markdown, typed, trace);
    (assessment, trace.unwrap_or_default())
}

/// [`assess_card`]; `look` is also shown what the grade is judged from.
/// Both sides are read in the card's language.
fn assess_with<T>(
    question: &str,
    answer_markdown: &str,
    typed: &str,
    look: impl FnOnce(&[PointResult], &Gist, &Evidence) -> T,
) -> (Assessment, Option<T>) {
    Language::of_card(question, answer_markdown)
        .judging(|| assess_in_language(question, answer_markdown, typed, look))
}

fn assess_in_language<T>(
    question: &str,
    answer_markdown: &str,
    typed: &str,
    look: impl FnOnce(&[PointResult], &Gist, &Evidence) -> T,
) -> (Assessment, Option<T>) {
    let reference = without_distractors(cut(answer_markdown, MAX_ANSWER_BYTES));
    let given = given_stems(cut(question, MAX_TYPED_BYTES), reference);
    let points = analyse(answer_markdown, &given);
    let typed = cut(typed, MAX_TYPED_BYTES);
    let blank = typed.trim().is_empty();
    let mut index = TypedIndex::new(typed);
    index.set_reference(reference);
    let points: Vec<PointResult> = points
        .into_iter()
        .map(|(point, matcher)| PointResult {
            covered: !blank && matcher.covered(&index),
            point,
        })
        .collect();
    let covered = points.iter().filter(|p| p.covered).count();
    let total = points.len();
    let mut seen = None;
    let (suggested, reason) = if total == 0 {
        (None, None)
    } else if blank {
        (Some(Grade::Again), None)
    } else {
        let gist = Gist::new(question, answer_markdown, given);
        let evidence = gist.evidence(typed, &index);
        seen = Some(look(&points, &gist, &evidence));
        let (grade, reason) = judge(&points, &gist, &evidence);
        (Some(grade), reason)
    };
    let assessment = Assessment {
        points,
        covered,
        total,
        suggested,
        reason,
    };
    (assessment, seen)
}

#[cfg(test)]
mod agreement;
#[cfg(test)]
mod tests;

//! Deciding which candidates are questions. A document is written in a
//! few shapes, so the decision is made per group of candidates of one
//! shape: a group is taken when enough of its members are convincing,
//! stronger groups first, and a weaker group's member inside an answer
//! already found stays in that answer unless its own evidence is
//! overwhelming. Then the fallbacks for documents with no such group: a
//! single question, or topics numbered in sequence.

use foldhash::{HashMap, HashMapExt};

use super::detect::{Candidate, Shape};
use super::document::{BlockKind, Document};
use super::markers::{Numbering, ends_like_question, opens_like_prompt};
use super::regions::region_of;

/// Above this score a candidate is convincing on its own.
pub(crate) const CONVINCING: f32 = 2.5;
/// Evidence strong enough to split an answer found by a stronger group.
const OVERWHELMING: f32 = 5.0;

/// Headings of one level numbered in sequence (`## 1 Python的函数参数传递`,
/// `## 2 …`), each over a body: topics to explain, in a document that asks
/// no question in any other form. The number goes; the topic is the card's
/// front.
pub(super) fn numbered_topics(candidates: &[Candidate]) -> Vec<Candidate> {
    let number_of = |candidate: &Candidate| -> Option<u64> {
        let digits: String = candidate
            .question
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        let rest = &candidate.question[digits.len()..];
        (!digits.is_empty() && digits.len() <= 3 && rest.starts_with([' ', '\u{3000}', '、']))
            .then(|| digits.parse().ok())
            .flatten()
    };
    let mut best: Vec<Candidate> = Vec::new();
    for level in 1..=6u8 {
        let members: Vec<&Candidate> = candidates
            .iter()
            .filter(|candidate| candidate.level() == Some(level))
            .collect();
        let topics: Vec<Candidate> = members
            .iter()
            .filter(|candidate| candidate.has_body && number_of(candidate).is_some())
            .map(|candidate| {
                let mut topic = (*candidate).clone();
                let (_, rest) = topic.question.split_at(
                    topic
                        .question
                        .find(|ch: char| !ch.is_ascii_digit())
                        .unwrap_or(0),
                );
                topic.question = rest.trim_start_matches([' ', '\u{3000}', '、']).to_owned();
                topic
            })
            .collect();
        let in_sequence = topics.len() >= 2 && topics.len() * 5 >= members.len() * 3;
        if in_sequence && topics.len() > best.len() && topics.iter().all(|t| !t.question.is_empty())
        {
            best = topics;
        }
    }
    best
}

/// A role's members: candidates of one shape, numbering and boldness.
type Role = Vec<Candidate>;
type RoleKey = (Shape, Numbering, bool);

/// How a role was judged: how many of its members ask and are answered,
/// and the share of askers it needed.
#[derive(Debug, Clone, Copy)]
pub(super) struct Verdict {
    /// Members that ask and have a body.
    pub answered: usize,
    /// Members that ask (answered or not), and the members they are
    /// counted among.
    pub asking: usize,
    pub counted: usize,
    /// The share of `counted` that must ask.
    pub needed: f32,
    pub taken: bool,
}

impl Verdict {
    /// The share of the members that ask.
    pub fn share(&self) -> f32 {
        self.asking as f32 / self.counted.max(1) as f32
    }
}

/// Judges a role as a whole. A role is taken when at least two of its
/// members are answered questions and enough of them ask, answered or
/// not: an unanswered question is still one of the document's questions,
/// reported as such. A role of one is taken only on overwhelming evidence.
pub(super) fn judge(members: &[Candidate]) -> Verdict {
    let after_rule = members[0].shape == Shape::AfterRule;
    let answered = members
        .iter()
        .filter(|c| c.score >= CONVINCING && c.has_body)
        .count();
    let asking = members
        .iter()
        .filter(|c| c.score >= CONVINCING || (asks(c) && !c.has_body && !after_rule))
        .count();
    // Plain titles are noisy by nature (sub-titles, bylines), so a
    // smaller share of convincing members is enough for them. Lines
    // after rules are any line a rule happens to precede, so most of
    // those with a body must ask for the rules to separate cards.
    let (needed, counted) = match members[0].shape {
        Shape::Title => (0.25, members.len()),
        Shape::AfterRule => (0.6, members.iter().filter(|c| c.has_body).count()),
        _ => (0.4, members.len()),
    };
    let alone = members.len() == 1 && members[0].score >= OVERWHELMING;
    let mut verdict = Verdict {
        answered,
        asking,
        counted,
        needed,
        taken: alone,
    };
    if answered >= 2 {
        verdict.taken |= asking >= 2 && verdict.share() >= needed;
    }
    verdict
}

/// The roles of a document's candidates, with lines after rules that do
/// not separate cards read as lines like any other.
pub(super) fn roles(candidates: Vec<Candidate>) -> Vec<Role> {
    let mut roles: HashMap<RoleKey, Role> = HashMap::new();
    for candidate in candidates {
        roles.entry(candidate.group()).or_default().push(candidate);
    }
    // (those that ask join the lines ending in `?`)
    let after_rules: Vec<RoleKey> = roles
        .iter()
        .filter(|(key, members)| key.0 == Shape::AfterRule && !judge(members).taken)
        .map(|(key, _)| *key)
        .collect();
    for key in after_rules {
        for mut candidate in roles.remove(&key).unwrap_or_default() {
            if candidate.question_like {
                candidate.shape = Shape::QuestionLine;
                roles.entry(candidate.group()).or_default().push(candidate);
            }
        }
    }
    // In document order: the map's order is no order, and what is chosen
    // must be the same on every run.
    let mut roles: Vec<Role> = roles.into_values().collect();
    roles.sort_by_key(|members| members[0].start);
    roles
}

pub(super) fn select(document: &Document, candidates: Vec<Candidate>) -> Vec<Candidate> {
    // Where convincing questions start, to tell a heading over them (`##
    // Quick ones` over bulleted questions) from a question heading.
    let mut asking: Vec<usize> = candidates
        .iter()
        .filter(|c| c.score >= CONVINCING && c.question_like)
        .map(|c| c.start)
        .collect();
    asking.sort_unstable();
    let (mut taken, mut rejected): (Vec<Role>, Vec<Role>) = roles(candidates)
        .into_iter()
        .partition(|members| judge(members).taken);
    taken.extend(answered_by_label(&mut rejected));
    // A document of one question (`## What is the CAP theorem?` and its
    // answer) has no role of two: a lone candidate that asks, and has a
    // body, is that question.
    if taken.is_empty() {
        taken = rejected
            .iter()
            .filter(|members| {
                members.len() == 1
                    && members[0].score >= CONVINCING
                    && members[0].question_like
                    && members[0].has_body
            })
            .cloned()
            .collect();
    }
    // Stronger roles first; equal strengths in document order.
    let strength = |members: &[Candidate]| members.iter().map(|c| c.score.max(0.0)).sum::<f32>();
    taken.sort_by(|a, b| {
        strength(b)
            .total_cmp(&strength(a))
            .then_with(|| a[0].start.cmp(&b[0].start))
    });
    let accepted = place_roles(document, taken, &asking);
    add_followers(document, accepted, rejected)
}

/// A line that asks and is followed by its own answer label (`What is
/// Kubernetes?` over `✅ Answer:`) is a question whatever its siblings
/// are: the author said where its answer is. Takes such members out of
/// the rejected roles, as roles of their own.
fn answered_by_label(rejected: &mut Vec<Role>) -> Vec<Role> {
    let mut rescued = Vec::new();
    for members in rejected.iter_mut() {
        let (answered, rest): (Role, Role) =
            std::mem::take(members).into_iter().partition(|candidate| {
                candidate.marked
                    && candidate.evidence.is_some()
                    && candidate.question_like
                    && candidate.score >= OVERWHELMING
            });
        *members = rest;
        if !answered.is_empty() {
            rescued.push(answered);
        }
    }
    rejected.retain(|members| !members.is_empty());
    rescued
}

/// What a member of a taken role turned out to be.
enum Place {
    Question,
    /// A heading over questions or end matter.
    Section,
    /// Inside an answer already found.
    Inside,
}

/// Takes the roles, strongest first: each member is a question unless it
/// is a section heading or falls inside an answer a stronger role found.
fn place_roles(document: &Document, roles: Vec<Role>, asking: &[usize]) -> Vec<Candidate> {
    let mut accepted: Vec<Candidate> = Vec::new();
    // Headings found to be sections over questions: an answer before one
    // ends there, whatever role's questions come under it.
    let mut sections: Vec<usize> = Vec::new();
    for members in roles {
        let before = accepted.clone();
        for candidate in members {
            if candidate.score < 1.0 {
                continue;
            }
            match place(document, &candidate, &before, &sections, asking) {
                Place::Question => accepted.push(candidate),
                Place::Section => sections.push(candidate.start),
                Place::Inside => {}
            }
        }
        accepted.sort_by_key(|candidate| candidate.start);
    }
    accepted.dedup_by_key(|candidate| candidate.start);
    accepted
}

fn place(
    document: &Document,
    candidate: &Candidate,
    before: &[Candidate],
    sections: &[usize],
    asking: &[usize],
) -> Place {
    // A heading that does not ask, over questions or over the document's
    // end matter, is a section, not a question.
    if candidate.level().is_some()
        && candidate.score < CONVINCING
        && !candidate.question_like
        && (is_end_matter(&candidate.question) || heads_questions(document, candidate, asking))
    {
        return Place::Section;
    }
    // A block opened by a rule, in a document whose rules separate cards,
    // starts a card: the rule ended the answer before it.
    if candidate.shape == Shape::AfterRule {
        return Place::Question;
    }
    let Some(owner) = region_of(document, before, candidate.start) else {
        return Place::Question;
    };
    let owner = &before[owner];
    if sections
        .iter()
        .any(|&section| owner.start < section && section < candidate.start)
    {
        return Place::Question;
    }
    // A heading as high as the owner's heading that asks ends its section
    // (`### 7) What are Promises?` after `### 6. ...`): it is no
    // sub-heading of that answer, whatever its numbering. (`### How
    // AssumeRole Works:` is one.)
    let ends_owner = ends_like_question(&candidate.question)
        && candidate
            .level()
            .zip(owner.level())
            .is_some_and(|(level, owner_level)| level <= owner_level);
    // Inside an answer already found: only overwhelming evidence of its
    // own (not the owner's marker) makes a new question.
    let shared = candidate.evidence.is_some() && candidate.evidence == owner.evidence;
    let overwhelming = candidate.score >= OVERWHELMING && !shared;
    if ends_owner || overwhelming || follows_an_answer(document, owner, candidate) {
        Place::Question
    } else {
        Place::Inside
    }
}

/// Members of rejected roles that are questions all the same: one that
/// asks after the answer it stands in (see [`follows_an_answer`]), and a
/// convincing question heading of a form the document uses once (`###
/// 3) What are Promises?` among `### 1.` ones) inside an answer under a
/// heading as deep as it or deeper, which ends that answer's section.
fn add_followers(
    document: &Document,
    mut accepted: Vec<Candidate>,
    rejected: Vec<Role>,
) -> Vec<Candidate> {
    let before = accepted.clone();
    for candidate in rejected.into_iter().flatten() {
        let owner = region_of(document, &before, candidate.start).map(|owner| &before[owner]);
        if owner.is_some_and(|owner| follows_an_answer(document, owner, &candidate)) {
            accepted.push(candidate);
            continue;
        }
        let Some(level) = candidate.level() else {
            continue;
        };
        if candidate.score < CONVINCING
            || !ends_like_question(&candidate.question)
            || !candidate.has_body
        {
            continue;
        }
        if owner
            .and_then(Candidate::level)
            .is_some_and(|owner_level| level <= owner_level)
        {
            accepted.push(candidate);
        }
    }
    accepted.sort_by_key(|candidate| candidate.start);
    accepted.dedup_by_key(|candidate| candidate.start);
    accepted
}

/// Whether a candidate asks on its own evidence, its body aside: it reads
/// as a question, or a label or number says it is one.
fn asks(candidate: &Candidate) -> bool {
    candidate.question_like
        || candidate.marked
        || candidate.shape == Shape::Marked
        || matches!(candidate.numbering, Numbering::QNumber | Numbering::Word)
}

/// Whether `candidate`, inside the answer of `owner`, is a question of its
/// own that follows that answer: a bold line that asks after a heading
/// question's answer has said something (`**How do you import
/// resources?**` below `## Drift ...`), a question after the last answer of
/// a list of questions, outside the list (`**What status code for rate
/// limiting?** 429 ...` after `1.` to `5.`), or a prompt opening as the
/// heading prompt above it does (`Tell me about a time you failed.` after
/// the previous story). A plain line that asks in the middle of an answer
/// is more often the answer's own turn of thought, so it must open as its
/// owner does.
fn follows_an_answer(document: &Document, owner: &Candidate, candidate: &Candidate) -> bool {
    let question = &candidate.question;
    // (two cards each complete in its paragraph are siblings, whatever
    // their marks)
    let paragraph_cards =
        answers_in_its_paragraph(document, owner) && answers_in_its_paragraph(document, candidate);
    let stands_alone = match candidate.shape {
        Shape::BoldLine => true,
        Shape::ListLead(_) => false,
        Shape::QuestionLine if !candidate.bold => {
            same_opening(question, &owner.question)
                || matches!(owner.shape, Shape::ListLead(_))
                || paragraph_cards
        }
        _ => candidate.bold,
    };
    let asks = ends_like_question(question)
        || opens_like_prompt(question) && !question.ends_with([':', '：'])
        || super::markers::is_comparison(question)
        || matches!(candidate.numbering, Numbering::QNumber | Numbering::Word);
    // (a bold question stands as high as a bold question above it)
    let bold = candidate.shape == Shape::BoldLine || candidate.bold;
    let level_of_owner = match owner.shape {
        Shape::Heading(_) | Shape::ListLead(_) => true,
        Shape::BoldLine => bold || paragraph_cards,
        _ => paragraph_cards,
    };
    stands_alone
        && asks
        && level_of_owner
        && candidate.score >= CONVINCING
        && candidate.has_body
        && says_something_between(document, owner, candidate)
}

/// Whether a question's answer runs on in its own paragraph (`**What is
/// a pod?** A pod is ...`, `TCP vs UDP — TCP gives ...`): a card complete
/// in one paragraph. After such a card, the next paragraph that asks and
/// answers in the same way is the next card, not more of that answer.
fn answers_in_its_paragraph(document: &Document, candidate: &Candidate) -> bool {
    candidate.answer_range.is_none()
        && candidate.block.is_some_and(|block| {
            let end = document.blocks[block].range.end;
            candidate.question_end < end
                && !document.text[candidate.question_end..end].trim().is_empty()
        })
}

/// Whether two questions open with the same three words (`Tell me about
/// a time you failed.` and `Tell me about a time you disagreed`): siblings
/// in form, as prompts of one kind are.
fn same_opening(a: &str, b: &str) -> bool {
    let words = |text: &str| -> Vec<String> {
        text.split_whitespace()
            .take(3)
            .map(str::to_lowercase)
            .collect()
    };
    let (a, b) = (words(a), words(b));
    a.len() == 3 && a == b
}

/// Whether a paragraph, list or code block stands between the question
/// `owner` and `candidate`: its answer had begun.
fn says_something_between(document: &Document, owner: &Candidate, candidate: &Candidate) -> bool {
    // (the rest of the question's own paragraph is answer: `1. What is a
    // zombie?` with its answer on the lines under it)
    if let Some(block) = owner.block
        && owner.question_end < document.blocks[block].range.end
        && !document.text[owner.question_end..document.blocks[block].range.end]
            .trim()
            .is_empty()
    {
        return true;
    }
    let first = document
        .blocks
        .partition_point(|block| block.range.start < owner.question_end);
    document.blocks[first..]
        .iter()
        .take_while(|block| block.range.start < candidate.start)
        .any(|block| {
            !matches!(block.kind, BlockKind::Heading(_))
                && !super::detect::is_spacer(document, block)
        })
}

/// Titles of a document's end matter (links, references, reading lists)
/// and of the preface a post opens with: sections, never questions.
const END_MATTER: &[&str] = &[
    "links",
    "useful links",
    "resources",
    "further reading",
    "references",
    "see also",
    "read more",
    "related",
    "related posts",
    "sources",
    "credits",
    "acknowledgements",
    "bibliography",
    "liens",
    "liens utiles",
    "ressources",
    "enlaces",
    "recursos",
    "lecturas recomendadas",
    "quellen",
    "weiterführende links",
    "参考",
    "参考链接",
    "参考资料",
    "参考文献",
    "相关链接",
    "延伸阅读",
    "扩展阅读",
    // and the front matter a post opens with
    "preface",
    "foreword",
    "introduction",
    "intro",
    "前言",
    "序言",
    "引言",
    "写在前面",
];

/// Whether `title` names end matter or a preface (`## Links`, `### Further
/// reading 📚`, `## 前言`).
fn is_end_matter(title: &str) -> bool {
    let words: Vec<String> = title
        .split(|ch: char| !ch.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .collect();
    END_MATTER.contains(&words.join(" ").as_str())
}

/// Whether the first block under the heading `candidate` starts one of the
/// convincing questions (`asking`, sorted).
fn heads_questions(document: &Document, candidate: &Candidate, asking: &[usize]) -> bool {
    let Some(block) = candidate.block else {
        return false;
    };
    let Some(next) = document.blocks[block + 1..]
        .iter()
        .find(|next| !super::detect::is_spacer(document, next))
    else {
        return false;
    };
    // a heading as high as this one is its sibling, not what it holds
    if let (BlockKind::Heading(level), Some(own)) = (next.kind, candidate.level())
        && level <= own
    {
        return false;
    }
    let from = document.blocks[block].range.end;
    let first = asking.partition_point(|&start| start < from);
    asking
        .get(first)
        .is_some_and(|&start| start < next.range.end)
}

/// Plain text: a title with no body of its own followed by weaker titles
/// is the question, and those titles are sub-headings of its answer
/// ("How I Integrate OPA with EKS, API Gateway, IAM" over "EKS",
/// "CI/CD (Terraform)").
pub(super) fn promote_parent_titles(
    candidates: &[Candidate],
    mut accepted: Vec<Candidate>,
) -> Vec<Candidate> {
    // Sorted, since `accepted` is: membership is a binary search.
    let accepted_at: Vec<usize> = accepted.iter().map(|c| c.start).collect();
    let is_accepted = |start: usize| accepted_at.binary_search(&start).is_ok();
    let mut promoted: Vec<Candidate> = Vec::new();
    let mut demoted: Vec<usize> = Vec::new();
    for (index, candidate) in candidates.iter().enumerate() {
        if candidate.shape != Shape::Title && candidate.shape != Shape::QuestionLine {
            continue;
        }
        if candidate.has_body || is_accepted(candidate.start) {
            continue;
        }
        let Some(next) = candidates.get(index + 1) else {
            continue;
        };
        let next_block = candidate.block.map(|b| b + 1);
        if next.block != next_block || next.shape != Shape::Title || !is_accepted(next.start) {
            continue;
        }
        if next.question_like || next.marked {
            continue;
        }
        promoted.push(candidate.clone());
        for child in &candidates[index + 1..] {
            if !is_accepted(child.start) {
                continue;
            }
            if child.shape != Shape::Title
                || child.question_like
                || child.marked
                || child.blank_before >= 2
            {
                break;
            }
            demoted.push(child.start);
        }
    }
    demoted.sort_unstable();
    accepted.retain(|candidate| demoted.binary_search(&candidate.start).is_err());
    accepted.extend(promoted);
    accepted.sort_by_key(|candidate| candidate.start);
    accepted
}

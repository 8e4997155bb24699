//! How often the suggested grade agrees with a careful person's.
//!
//! `tests/fixtures/typed-answers.yaml` holds typed answers to real cards
//! (bundled decks and corpus documents), each with the grade a person gave
//! it before the grader was run. This test runs [`assess`] on every one and
//! prints the share of exact agreement, the share at most one grade away and
//! the confusion table, for the part the rules were tuned on and for the
//! held-out part (every fourth answer), and for the answers written blind
//! (by someone who had not seen the rules). Only the tuned part's
//! disagreements are listed, so that tuning never looks at the held-out
//! answers.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::*;

const FIXTURE: &str = include_str!("../../tests/fixtures/typed-answers.yaml");
/// The suggestion must equal the person's grade this often, and be at most
/// one grade away this often. The aim is 75 % and 95 %. These floors are
/// the shares reached: 72.4 % and 98.4 % of 185 answers (on the first 137,
/// 75.2 % and 98.5 % before the 48 blind answers came; on those 48 when they
/// came, 58.3 % and 89.6 %). What is left is most of what a bag-of-words
/// judgement cannot tell: wrong answers that reuse the reference's words
/// (a neighbouring concept), right ones in quite other words, and where
/// complete (Easy) ends and the essential (Good) begins.
const EXACT_AT_LEAST: f64 = 0.72;
const WITHIN_ONE_AT_LEAST: f64 = 0.97;

#[derive(Deserialize)]
struct Fixture {
    cards: BTreeMap<String, Card>,
    answers: Vec<Typed>,
}

#[derive(Deserialize)]
struct Card {
    question: String,
    answer: String,
}

#[derive(Deserialize)]
struct Typed {
    card: String,
    typed: String,
    grade: String,
    why: String,
    /// Written and graded without knowing the grader's rules.
    #[serde(default)]
    blind: bool,
}

/// One judged answer: the person's grade and the suggestion.
struct Judged<'a> {
    entry: &'a Typed,
    person: Grade,
    suggested: Option<Grade>,
    held_out: bool,
    assessment: Assessment,
}

#[derive(Default)]
struct Shares {
    total: usize,
    exact: usize,
    within_one: usize,
    /// Rows: the person's grade; columns: the suggestion (the fifth is none).
    confusion: [[usize; 5]; 4],
}

impl Shares {
    fn add(&mut self, person: Grade, suggested: Option<Grade>) {
        self.total += 1;
        let column = match suggested {
            Some(grade) => {
                let distance = (grade.rating() as i64 - person.rating() as i64).abs();
                self.exact += usize::from(distance == 0);
                self.within_one += usize::from(distance <= 1);
                grade.rating() as usize - 1
            }
            None => 4,
        };
        self.confusion[person.rating() as usize - 1][column] += 1;
    }

    fn exact_share(&self) -> f64 {
        self.exact as f64 / self.total.max(1) as f64
    }

    fn within_one_share(&self) -> f64 {
        self.within_one as f64 / self.total.max(1) as f64
    }

    fn line(&self, name: &str) -> String {
        format!(
            "{name:<9} {:>3} answers  exact {:>5.1}% ({})  within one {:>5.1}% ({})",
            self.total,
            100.0 * self.exact_share(),
            self.exact,
            100.0 * self.within_one_share(),
            self.within_one,
        )
    }

    fn table(&self) -> String {
        let mut out = String::from("person \\ suggested  again  hard  good  easy  none\n");
        for grade in Grade::ALL {
            let row = &self.confusion[grade.rating() as usize - 1];
            out.push_str(&format!("{:<18}", grade.as_str()));
            for count in row {
                out.push_str(&format!("{count:>6}"));
            }
            out.push('\n');
        }
        out
    }
}

fn judge_all(fixture: &Fixture) -> Vec<Judged<'_>> {
    fixture
        .answers
        .iter()
        .enumerate()
        .map(|(index, entry)| {
            let card = fixture
                .cards
                .get(&entry.card)
                .unwrap_or_else(|| panic!("answer {index}: no card {:?}", entry.card));
            let person: Grade = entry
                .grade
                .parse()
                .unwrap_or_else(|error| panic!("answer {index}: {error}"));
            let assessment = assess_card(&card.question, &card.answer, &entry.typed);
            Judged {
                entry,
                person,
                suggested: assessment.suggested,
                held_out: index % 4 == 3,
                assessment,
            }
        })
        .collect()
}

#[test]
fn suggested_grades_agree_with_a_careful_person() {
    let fixture: Fixture = serde_yaml::from_str(FIXTURE).expect("typed-answers.yaml parses");
    assert!(fixture.answers.len() >= 60, "at least 60 answers");
    assert!(fixture.cards.len() >= 20, "at least 20 cards");
    let judged = judge_all(&fixture);

    let (mut all, mut tuned, mut held_out, mut blind) = (
        Shares::default(),
        Shares::default(),
        Shares::default(),
        Shares::default(),
    );
    let mut report = String::from("Tuned-part disagreements (person -> suggested):\n");
    for one in &judged {
        all.add(one.person, one.suggested);
        if one.entry.blind {
            blind.add(one.person, one.suggested);
        }
        if one.held_out {
            held_out.add(one.person, one.suggested);
            continue;
        }
        tuned.add(one.person, one.suggested);
        if one.suggested != Some(one.person) {
            let card = &fixture.cards[&one.entry.card];
            let points: Vec<String> = one
                .assessment
                .points
                .iter()
                .map(|p| format!("{}{}", if p.covered { "+" } else { "-" }, p.point.text))
                .collect();
            report.push_str(&format!(
                "  {} -> {}  [{}] {:?}\n    typed: {:?} ({})\n    points: {}\n",
                one.person,
                one.suggested.map_or("none", Grade::as_str),
                one.entry.card,
                card.question,
                one.entry.typed,
                one.entry.why,
                points.join(" | "),
            ));
        }
    }
    if let Some(path) = std::env::var_os("PREP_AGREEMENT_DUMP") {
        let lines: Vec<String> = judged
            .iter()
            .map(|one| {
                let card = &fixture.cards[&one.entry.card];
                let (_, trace) = trace_card(&card.question, &card.answer, &one.entry.typed);
                format!(
                    "{}\t{}\t{}\t{}\t{}\t{}",
                    if one.held_out { "held" } else { "tuned" },
                    one.person,
                    one.suggested.map_or("none", Grade::as_str),
                    one.entry.card,
                    one.entry.typed.replace(['\t', '\n'], " "),
                    trace
                )
            })
            .collect();
        std::fs::write(path, lines.join("\n") + "\n").expect("dump written");
    }
    println!("{report}");
    println!("{}", tuned.line("tuned"));
    println!("{}", held_out.line("held-out"));
    println!("{}", blind.line("blind"));
    println!("{}", all.line("all"));
    println!("\n{}", all.table());

    assert!(
        all.exact_share() >= EXACT_AT_LEAST,
        "exact agreement {:.1}% is below {:.0}%",
        100.0 * all.exact_share(),
        100.0 * EXACT_AT_LEAST
    );
    assert!(
        all.within_one_share() >= WITHIN_ONE_AT_LEAST,
        "agreement within one grade {:.1}% is below {:.0}%",
        100.0 * all.within_one_share(),
        100.0 * WITHIN_ONE_AT_LEAST
    );
}

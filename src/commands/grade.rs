/*!
`prep grade CARD_ID GRADE`: record one review now (or at `PREP_NOW`) and
say when the card comes back. For scripts and editor integrations;
`--stdin` grades a stream of `CARD_ID GRADE [ANSWER_MS]` lines, one
acknowledgement line per grade, each written only once the grade is on
disk.
*/

use std::io::{BufRead, Write};

use anyhow::{Context, Result, anyhow};
use serde::Serialize;

use super::{Outcome, schedulers};
use crate::Settings;
use crate::decks::catalog::{Catalog, Found};
use crate::decks::deck::Contents;
use crate::format;
use crate::schedule::zone::Zone;
use crate::schedule::{Grade, Phase, Schedulers};
use crate::store::{Review, Store};

pub struct Options {
    pub card: Option<String>,
    pub grade: Option<String>,
    /// Milliseconds spent answering, when the caller knows.
    pub answer_ms: u32,
    pub stdin: bool,
    pub json: bool,
}

pub fn run(settings: &Settings, options: &Options, out: &mut dyn Write) -> Result<Outcome> {
    let catalog = match (options.stdin, &options.card) {
        (false, Some(card)) => catalog_for(settings, card)?,
        _ => Catalog::load_every_deck(&settings.collection(), Contents::WithoutAnswers)?,
    };
    let mut schedulers = schedulers(settings)?;
    let grader = Grader {
        settings,
        catalog: &catalog,
        json: options.json,
    };
    if !options.stdin {
        let (Some(card), Some(grade)) = (&options.card, &options.grade) else {
            return Err(anyhow!("give a card id and a grade, or --stdin"));
        };
        let grade: Grade = grade.parse()?;
        // Check the card before the database is created or touched.
        catalog.resolve(card)?;
        let mut store = crate::sync::open_store(settings)?;
        grader.grade(
            &mut store,
            &mut schedulers,
            card,
            grade,
            options.answer_ms,
            out,
        )?;
        warn_of_other_decks(&catalog.problems);
        return Ok(Outcome::Success);
    }

    let mut store = crate::sync::open_store(settings)?;
    let mut failed = false;
    let stdin = std::io::stdin().lock();
    for (number, line) in stdin.lines().enumerate() {
        let line = line.context("cannot read standard input")?;
        let fields: Vec<&str> = line.split_whitespace().collect();
        if fields.is_empty() || fields[0].starts_with('#') {
            continue;
        }
        let graded = (|| -> Result<()> {
            let [card, grade, rest @ ..] = fields.as_slice() else {
                return Err(anyhow!("expected CARD_ID GRADE [ANSWER_MS]"));
            };
            let answer_ms = match rest {
                [] => options.answer_ms,
                [ms] => ms
                    .parse()
                    .map_err(|_| anyhow!("{ms:?} is not a number of milliseconds"))?,
                _ => return Err(anyhow!("expected CARD_ID GRADE [ANSWER_MS]")),
            };
            let grade: Grade = grade.parse()?;
            grader.grade(&mut store, &mut schedulers, card, grade, answer_ms, out)
        })();
        if let Err(err) = graded {
            if super::is_broken_pipe(&err) {
                return Err(err);
            }
            // A bad line is reported and skipped; the others still count.
            crate::messages::error(format_args!("<stdin>:{}: {err:#}", number + 1));
            failed = true;
        }
    }
    warn_of_other_decks(&catalog.problems);
    Ok(if failed {
        Outcome::PartialFailure
    } else {
        Outcome::Success
    })
}

/// Decks that did not load are said, as warnings: the grades were
/// recorded, and an exit status of 1 would have a script grade again and
/// count the review twice.
fn warn_of_other_decks(problems: &[String]) {
    for problem in problems {
        crate::messages::warning(problem);
    }
}

/// The decks to find `card` in. A card the store's deck index holds, in a
/// deck whose file has not changed since, is read from the index alone; a
/// card with history names its deck in the store, so grading it reads that
/// one deck; a new card, a prefix of an id, or a card that has left that
/// deck is looked up in every deck.
fn catalog_for(settings: &Settings, card: &str) -> Result<Catalog> {
    let store = crate::sync::open_existing_store(settings)?;
    if let Some(store) = &store
        && let Some(catalog) = crate::session::card_from_index(&settings.collection(), store, card)?
    {
        return Ok(catalog);
    }
    let known_deck = match store {
        Some(store) => store.card_state(card)?.map(|stored| stored.deck),
        None => None,
    };
    if let Some(deck) = known_deck
        && let Ok(catalog) =
            Catalog::load_without_answers(&settings.collection(), &[deck.to_string()])
        && catalog.get(card).is_some()
    {
        return Ok(catalog);
    }
    Catalog::load_every_deck(&settings.collection(), Contents::WithoutAnswers)
}

struct Grader<'a> {
    settings: &'a Settings,
    catalog: &'a Catalog,
    json: bool,
}

impl Grader<'_> {
    fn grade(
        &self,
        store: &mut Store,
        schedulers: &mut Schedulers,
        card: &str,
        grade: Grade,
        answer_ms: u32,
        out: &mut dyn Write,
    ) -> Result<()> {
        let found = self.catalog.resolve(card)?;
        let now = self.settings.current_time();
        let graded = crate::session::grading::record(
            store,
            schedulers,
            crate::session::grading::Answer {
                deck: found.deck,
                card: &found.card.id,
                grade,
                answer_ms,
                now: now.to_utc(),
                seen: None,
            },
        )?;
        let (review, leech) = (graded.review, graded.leech);
        if self.json {
            let mut acknowledgement = Acknowledgement::new(&review, found, self.settings.zone);
            acknowledgement.leech = leech.map(|leech| leech.action.as_str());
            serde_json::to_writer(&mut *out, &acknowledgement)?;
            writeln!(out)?;
        } else {
            let mut line = describe(&review, self.settings.zone);
            if let Some(leech) = leech {
                line.push_str("; ");
                line.push_str(&crate::quiz::describe::leech(leech.action, leech.lapses));
            }
            writeln!(out, "{line}")?;
        }
        out.flush()?;
        Ok(())
    }
}

/// `3f2a1c9e0b7d good: learning step 2 of 2, due 2026-01-05 09:10 (in 10m)`
fn describe(review: &Review, zone: Zone) -> String {
    let state = &review.transition.state;
    let now = review.reviewed_at;
    let phase = match state.phase {
        Phase::Learning | Phase::Relearning => {
            format!("{} step {}", state.phase, state.step + 1)
        }
        _ => format!("review, interval {}", format::days(state.interval_days)),
    };
    format!(
        "{} {}: {phase}, due {} ({})",
        review.card_id,
        review.transition.grade,
        format::local(state.due, zone),
        format::relative(state.due, now, zone)
    )
}

/// What `--json` prints for a grade: the review as `prep history --json`
/// prints it, plus the wait until due as the quiz's buttons show it.
#[derive(Serialize)]
struct Acknowledgement<'a> {
    #[serde(flatten)]
    review: super::history::Row<'a>,
    interval: String,
    /// `suspend` or `tag` when this grade made the card a leech.
    #[serde(skip_serializing_if = "Option::is_none")]
    leech: Option<&'static str>,
}

impl<'a> Acknowledgement<'a> {
    fn new(review: &'a Review, found: Found<'a>, zone: Zone) -> Acknowledgement<'a> {
        Acknowledgement {
            review: super::history::row(review, Some(found), zone),
            interval: format::span(
                (review.transition.state.due - review.reviewed_at).num_seconds(),
            ),
            leech: None,
        }
    }
}

//! Builds a realistic collection for measuring prep at scale: markdown Q&A
//! documents in the conventions the importer knows, imported into decks by
//! the real importer, and a review history made by simulating a learner
//! through the real scheduler, ending on 2026-01-05.
//!
//! ```sh
//! cargo run --release --example generate -- [--append] HOME CARDS [DAYS]
//! echo q | PREP_HOME=HOME PREP_NOW=2026-01-05T09:00:00Z target/release/prep quiz
//! cargo run --release --example generate -- --document FILE MEGABYTES
//! ```
//!
//! Cards are spread over 20 documents, `HOME/notes/deck-00.md` ..., each in
//! one of six conventions (question headings, numbered `1)` questions with
//! `Answer:`, `Q:`/`A:` pairs, bold questions, `<details>` blocks, and
//! questions under topic sections), with answers of paragraphs, lists,
//! tables and code. They are imported as `prep import` does into
//! `HOME/decks/deck-NN.yaml`; the generator checks that every question
//! became a card. One card in ten (chosen pseudo-randomly) stays new. Each
//! other card is first seen at a pseudo-random moment of the `DAYS` days
//! (600 by default) before 2026-01-05 and then reviewed a few hours after
//! each due time until that day. The learner recalls a card in review with
//! the probability FSRS predicts for that moment (a card in learning steps
//! nine times in ten); a recalled card is graded Hard 8%, Good 88%, Easy
//! 4%. So the true retention comes out near the desired 90%, and 600 days
//! give about 10 reviews per card. Everything comes from a fixed sequence:
//! the same arguments build the same files.
//!
//! The reviews are loaded into the empty store in one pass
//! (`Store::load_history`) and written to the home's log, as a learner
//! grading them with prep would have; `--append` writes them through
//! `Store::append` instead, 50,000 at a time (the same store and log,
//! slower: for comparing the two).
//!
//! `--document FILE MEGABYTES` writes one document of about that size,
//! cycling through the conventions section by section, for measuring the
//! importer on a large input.

use std::path::PathBuf;

#[path = "../benches/support/generate.rs"]
mod generate;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: generate [--append] HOME CARDS [DAYS] | generate --document FILE MEGABYTES";
    let mut first = args.next().ok_or(usage)?;
    let append = first == "--append";
    if append {
        first = args.next().ok_or(usage)?;
    }
    if first == "--document" {
        let file = PathBuf::from(args.next().ok_or(usage)?);
        let megabytes: usize = args.next().ok_or(usage)?.parse()?;
        std::fs::write(&file, generate::large_document(megabytes))?;
        eprintln!(
            "{}: {} bytes",
            file.display(),
            std::fs::metadata(&file)?.len()
        );
        return Ok(());
    }
    let home = PathBuf::from(first);
    let cards: usize = args.next().ok_or(usage)?.parse()?;
    let days: i64 = args
        .next()
        .map_or(Ok(generate::DAYS), |text| text.parse())?;
    let made = if append {
        generate::collection_written(&home, cards, days, generate::Writing::Append)?
    } else {
        generate::collection(&home, cards, days)?
    };
    eprintln!(
        "{} cards in {} decks, {} reviews, in {}",
        made.cards,
        generate::DECKS,
        made.reviews,
        home.display()
    );
    let steps: Vec<String> = made
        .steps
        .iter()
        .map(|(step, took)| format!("{step} {:.1} s", took.as_secs_f64()))
        .collect();
    eprintln!("{}", steps.join(", "));
    Ok(())
}

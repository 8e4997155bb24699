/*!
`prep optimize`: fit FSRS parameters to the review history (all of it, or
one deck's) and keep them in `config.yaml` only if they predict that
history better than the parameters in use.
*/

use std::io::Write;

use anyhow::Result;

use super::{Outcome, schedulers};
use crate::Settings;
use crate::config;
use crate::decks::catalog::Catalog;
use crate::decks::deck::Contents;
use crate::format;
use crate::schedule::optimize::{Fit, Histories, MIN_SCORED_REVIEWS, fit};

pub struct Options {
    pub deck: Option<String>,
}

pub fn run(settings: &Settings, options: &Options, out: &mut dyn Write) -> Result<Outcome> {
    let names: Vec<String> = options.deck.iter().cloned().collect();
    // The named deck must exist; every deck is loaded to know where each
    // reviewed card is now.
    Catalog::load_without_answers(&settings.collection(), &names)?;
    let catalog = Catalog::load_every_deck(&settings.collection(), Contents::WithoutAnswers)?;
    let schedulers = schedulers(settings)?;
    let config = schedulers.config();
    let current = match &options.deck {
        Some(deck) => config.parameters_for(deck).to_vec(),
        None => config.parameters.clone(),
    };
    let histories = histories(settings, &catalog, &names)?;
    writeln!(
        out,
        "history: {} of {}",
        format::count(histories.reviews() as u64, "review"),
        format::count(histories.cards() as u64, "card")
    )?;
    out.flush()?;

    let fit = fit(&histories, &current, config.relearning_steps.len())?;
    match &fit {
        Fit::TooLittle { scored } => {
            writeln!(
                out,
                "not enough history: fitting needs at least {MIN_SCORED_REVIEWS} reviews made on a later day than the card's previous review, and there are {scored}; keep reviewing and try again. config.yaml is unchanged."
            )?;
        }
        Fit::Fitted {
            scored,
            before,
            after,
            ..
        } => {
            writeln!(out, "scored reviews: {scored}")?;
            writeln!(
                out,
                "current parameters: log loss {:.4}, RMSE {:.2}%",
                before.log_loss,
                before.rmse_bins * 100.0
            )?;
            writeln!(
                out,
                "fitted parameters:  log loss {:.4}, RMSE {:.2}%",
                after.log_loss,
                after.rmse_bins * 100.0
            )?;
            if fit.improves() {
                save(settings, options, histories.reviews(), &fit, out)?;
            } else {
                writeln!(
                    out,
                    "kept: the current parameters predict this history as well or better; config.yaml is unchanged."
                )?;
            }
        }
    }
    out.flush()?;
    Ok(Outcome::Success)
}

/// The review histories to fit: every card's, or those of the decks
/// `names` says.
fn histories(settings: &Settings, catalog: &Catalog, names: &[String]) -> Result<Histories> {
    let mut histories = Histories::default();
    if let Some(store) = crate::sync::open_existing_store(settings)? {
        // A forgotten card starts again as new: its reviews before that
        // would join a history the scheduler no longer continues.
        let forgotten = store.forgotten()?;
        store.for_each_review(None, |review| {
            let counts = forgotten
                .get(&review.card_id)
                .is_none_or(|last| review.id > *last);
            if counts
                && (names.is_empty() || catalog.review_in(&review.deck, &review.card_id, names))
            {
                histories.push(&review.card_id, &review.transition);
            }
            Ok(())
        })?;
    }
    Ok(histories)
}

/// Saves fitted parameters in `config.yaml`, with a note of how much
/// better they predict the `reviews`.
fn save(
    settings: &Settings,
    options: &Options,
    reviews: usize,
    fit: &Fit,
    out: &mut dyn Write,
) -> Result<()> {
    let Fit::Fitted {
        before,
        after,
        parameters,
        ..
    } = fit
    else {
        return Ok(());
    };
    let note = format!(
        "Fitted by prep optimize on {} from {} reviews: log loss {:.4} -> {:.4}, RMSE {:.2}% -> {:.2}%",
        settings.now.format("%Y-%m-%d"),
        reviews,
        before.log_loss,
        after.log_loss,
        before.rmse_bins * 100.0,
        after.rmse_bins * 100.0
    );
    config::save_parameters(&settings.home, options.deck.as_deref(), parameters, &note)?;
    let key = match &options.deck {
        Some(deck) => format!("decks.{deck}.parameters"),
        None => "parameters".to_string(),
    };
    writeln!(
        out,
        "saved: {key} in {}",
        config::Config::path(&settings.home).display()
    )?;
    Ok(())
}

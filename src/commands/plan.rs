/*!
`prep plan`: set, show and clear interview dates ([`crate::plan`]). Plans
live in `config.yaml` under `plans:`; this command edits that one key and
leaves the rest of the file as the user wrote it. What a plan asks of
today is shown here, by `prep stats` and at the start of a quiz, all in
the words of [`describe`].
*/

use std::io::Write;

use anyhow::{Result, bail};
use chrono::NaiveDate;

use super::{Outcome, report_problems, schedulers};
use crate::Settings;
use crate::config::{self, InterviewPlan};
use crate::decks::catalog::Catalog;
use crate::format;
use crate::plan::{self, DeckPlan, Stage};
use crate::schedule::Schedulers;
use crate::schedule::day::{calendar_date, parse_calendar_date};

pub struct Options {
    pub decks: Vec<String>,
    /// The date as given: `2026-12-12` or `+10d`.
    pub on: Option<String>,
    pub target: Option<f32>,
    pub max_new_per_day: Option<u32>,
    pub clear: bool,
    pub json: bool,
}

pub fn run(settings: &Settings, options: &Options, out: &mut dyn Write) -> Result<Outcome> {
    if options.clear {
        return clear(settings, options, out);
    }
    let decks = match &options.on {
        Some(_) if options.decks.is_empty() => vec![only_deck_of_your_own(settings)?],
        _ => options.decks.clone(),
    };
    let mut schedulers = schedulers(settings)?;
    let now = settings.now.to_utc();
    if let Some(on) = &options.on {
        schedulers = save_plans(settings, options, on, &decks, &schedulers)?;
    }
    let plans = &schedulers.config().plans;
    let names: Vec<String> = if decks.is_empty() {
        plans.keys().cloned().collect()
    } else {
        decks
    };
    if names.is_empty() {
        if options.json {
            writeln!(out, "[]")?;
        } else {
            writeln!(
                out,
                "No interview plans. Set one with `prep plan --deck NAME --on YYYY-MM-DD` (or --on +14d)."
            )?;
        }
        return Ok(Outcome::Success);
    }
    if let Some(name) = names.iter().find(|name| !plans.contains_key(*name)) {
        bail!(
            "deck {name:?} has no interview plan; set one with `prep plan --deck {name} --on YYYY-MM-DD`"
        );
    }
    // A plan whose deck is gone is listed as a problem, not a failure of
    // the others.
    let existing: Vec<String> = settings
        .collection()
        .list()?
        .into_iter()
        .map(|entry| entry.name)
        .collect();
    let (present, missing): (Vec<String>, Vec<String>) =
        names.into_iter().partition(|name| existing.contains(name));
    let catalog = Catalog::load_without_answers(&settings.collection(), &present)?;
    let store = crate::sync::open_existing_store(settings)?;
    let deck_plans = plan::deck_plans(&catalog, store.as_ref(), &mut schedulers, now)?;
    write_plans(&deck_plans, options.json, out)?;
    let problems: Vec<String> = missing
        .iter()
        .map(|name| {
            format!(
                "{}: plans.{name} names no deck; import it again or remove the plan with `prep plan --deck {name} --clear`",
                config::Config::path(&settings.home).display()
            )
        })
        .collect();
    report_problems(&problems)
}

/// `--clear`: removes the plans of the decks named.
fn clear(settings: &Settings, options: &Options, out: &mut dyn Write) -> Result<Outcome> {
    if options.decks.is_empty() {
        bail!(
            "--clear removes the plans of the decks named with --deck; say which, such as `prep plan --deck aws --clear`"
        );
    }
    for deck in &options.decks {
        if config::remove_plan(&settings.home, deck)? {
            writeln!(out, "{deck}: plan removed; the deck is scheduled as usual.")?;
        } else {
            writeln!(out, "{deck}: had no plan; nothing changed.")?;
        }
    }
    Ok(Outcome::Success)
}

/// `--on`: writes a plan for each deck, keeping what an earlier plan said
/// that this command does not, and returns the schedulers with the plans
/// just written.
fn save_plans(
    settings: &Settings,
    options: &Options,
    on: &str,
    decks: &[String],
    schedulers: &Schedulers,
) -> Result<Schedulers> {
    // Unknown decks are errors before anything is written.
    Catalog::load_without_answers(&settings.collection(), decks)?;
    let clock = schedulers.clock();
    // The date typed is a calendar date, and so is today's.
    let today = calendar_date(settings.now.to_utc(), clock.zone());
    let date = parse_date(on, today)?;
    let existing = &schedulers.config().plans;
    for deck in decks {
        let kept = existing.get(deck);
        let plan = InterviewPlan {
            date,
            target: options
                .target
                .or(kept.map(|plan| plan.target))
                .unwrap_or(config::DEFAULT_TARGET),
            max_new_per_day: options
                .max_new_per_day
                .or(kept.and_then(|plan| plan.max_new_per_day)),
        };
        config::save_plan(
            &settings.home,
            deck,
            &plan,
            &format!("Planned with prep plan on {today}"),
        )?;
    }
    // Read again, with the plans just written (the settings keep the
    // config as the command found it).
    let config = crate::config::Config::load(&settings.home)?;
    let clock = settings.day_clock(config.day_starts_at);
    Ok(Schedulers::new(config, clock))
}

/// The plans, as JSON or in words, a blank line between decks.
fn write_plans(deck_plans: &[DeckPlan], json: bool, out: &mut dyn Write) -> Result<()> {
    if json {
        let list: Vec<serde_json::Value> = deck_plans.iter().map(self::json).collect();
        serde_json::to_writer_pretty(&mut *out, &list)?;
        writeln!(out)?;
    } else {
        for (index, deck_plan) in deck_plans.iter().enumerate() {
            if index > 0 {
                writeln!(out)?;
            }
            for line in describe(deck_plan) {
                writeln!(out, "{line}")?;
            }
        }
    }
    Ok(())
}

/// The deck `--on` without `--deck` plans: the home's one deck of its own.
/// A bundled deck is never chosen for you; planning one is naming it.
fn only_deck_of_your_own(settings: &Settings) -> Result<String> {
    let names = settings.collection().user_deck_names()?;
    match names.as_slice() {
        [name] => Ok(name.clone()),
        [] => {
            let bundled: Vec<&str> = crate::decks::collection::bundled_names().collect();
            bail!(
                "--on needs --deck: the home has no deck of its own; the bundled decks are {}, so pass --deck, such as `prep plan --deck {} --on YYYY-MM-DD`",
                bundled.join(", "),
                bundled.first().copied().unwrap_or("NAME")
            )
        }
        _ => bail!(
            "--on needs --deck: the home has {} decks ({}); pass --deck to say which, such as `prep plan --deck {} --on YYYY-MM-DD`",
            names.len(),
            names.join(", "),
            names[0]
        ),
    }
}

/// `2026-12-12`, or `+10d` (days after `today`); the forms of
/// [`parse_calendar_date`]. A date before today is an error: the plan would
/// end before it began.
pub fn parse_date(text: &str, today: NaiveDate) -> Result<NaiveDate> {
    let text = text.trim();
    let Some(date) = parse_calendar_date(text, today) else {
        if text.starts_with('+') {
            bail!(
                "--on {text}: write days ahead as +N or +Nd (or weeks as +Nw), up to 3650 days, such as +14d"
            )
        }
        bail!(
            "--on {text}: not a date; write it as YYYY-MM-DD (such as {}) or as days ahead (+14d)",
            today + chrono::Duration::days(14)
        )
    };
    if date < today {
        bail!(
            "--on {text}: {date} is in the past (today is {today}); give the date of the interview"
        );
    }
    Ok(date)
}

/// `--target 0.9` or `--target 90%`.
pub fn parse_target(text: &str) -> std::result::Result<f32, String> {
    let text = text.trim();
    let value = match text.strip_suffix('%') {
        Some(percent) => percent.trim().parse::<f32>().map(|value| value / 100.0),
        None => text.parse::<f32>(),
    }
    .map_err(|_| format!("{text:?} is not a share; write it as 0.9 or 90%"))?;
    config::check_target(value)
}

fn percent(share: f32) -> String {
    format::percent(f64::from(share))
}

/// What `prep plan` and `prep stats` say about one plan.
pub fn describe(plan: &DeckPlan) -> Vec<String> {
    let deck = &plan.deck;
    let date = plan.date.format("%a %Y-%m-%d");
    let target = percent(plan.target);
    match plan.stage {
        Stage::Over => {
            return vec![format!(
                "{deck}: the interview was on {date}; the plan is over and the deck is scheduled as usual (`prep plan --deck {deck} --clear` removes it)"
            )];
        }
        Stage::Today => {
            return vec![format!(
                "{deck}: the interview is today ({date}); recall now {} (target {target}); `prep quiz --deck {deck} --cram --order hardest` drills the weakest cards",
                percent(plan.predicted_recall)
            )];
        }
        Stage::Ahead => {}
    }
    let mut lines = vec![
        format!(
            "{deck}: interview on {date}, in {}; target {target}",
            format::count(plan.days_left as u64, "day")
        ),
        format!(
            "  {}, {} not yet seen",
            format::count(plan.cards as u64, "card"),
            plan.unseen
        ),
        format!(
            "  today: {}{} and {}",
            format::count(plan.new_left, "new card"),
            if plan.new_today > plan.new_left {
                format!(" left of {}", plan.new_today)
            } else {
                String::new()
            },
            format::count(plan.early_today.len() as u64, "early review"),
        ),
        format!(
            "  predicted recall on the day if you follow the plan: {} (target {target})",
            percent(plan.predicted_recall)
        ),
    ];
    if !plan.reach.is_complete() {
        let reach = plan.reach;
        let mut line = format!(
            "  the date is too close to bring every card in twice: of {} not yet seen, {} can be introduced in time for a second look",
            plan.unseen, reach.in_time
        );
        if reach.once > 0 {
            line.push_str(&format!(", {} only on the last day", reach.once));
        }
        if reach.never > 0 {
            line.push_str(&format!(", {} not at all", reach.never));
        }
        line.push_str(&format!(" (at most {} new a day", plan.max_new_per_day));
        match plan.max_new_needed {
            Some(needed) => line.push_str(&format!(
                "; `prep plan --deck {deck} --on {} --max-new {needed}` would bring every card in)",
                plan.date
            )),
            None => line.push(')'),
        }
        lines.push(line);
    }
    if plan.predicted_recall < plan.target {
        lines.push(format!(
            "  {} is what can be reached by {date}; the target is not",
            percent(plan.predicted_recall)
        ));
    }
    lines
}

/// One plan as JSON, for `prep plan --json` and `prep stats --json`.
pub fn json(plan: &DeckPlan) -> serde_json::Value {
    serde_json::json!({
        "deck": plan.deck,
        "date": plan.date.to_string(),
        "stage": plan.stage.as_str(),
        "days_left": plan.days_left,
        "target": format::as_written(plan.target),
        "max_new_per_day": plan.max_new_per_day,
        "cards": plan.cards,
        "unseen": plan.unseen,
        "new_today": plan.new_today,
        "new_left_today": plan.new_left,
        "early_reviews_today": plan.early_today.len(),
        "early_review_ids": plan.early_today,
        "predicted_recall": round(plan.predicted_recall),
        "max_new_needed": plan.max_new_needed,
        "reach": {
            "in_time": plan.reach.in_time,
            "last_day_only": plan.reach.once,
            "not_introduced": plan.reach.never,
        },
    })
}

/// Four decimals: the float's noise is not information.
fn round(value: f32) -> f64 {
    (f64::from(value) * 10_000.0).round() / 10_000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_calendar_dates_or_days_ahead() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        let date = |text| parse_date(text, today).map(|date| date.to_string());
        assert_eq!(date("2026-12-12").unwrap(), "2026-12-12");
        assert_eq!(date("+10d").unwrap(), "2026-12-04");
        assert_eq!(date("+0").unwrap(), "2026-11-24");
        assert_eq!(date("+2w").unwrap(), "2026-12-08");
        assert_eq!(date("tomorrow").unwrap(), "2026-11-25");
        assert_eq!(date("Today").unwrap(), "2026-11-24");
        for bad in [
            "2026-11-23",
            "12/12/2026",
            "+x",
            "+-3d",
            "+600w",
            "yesterday",
        ] {
            assert!(date(bad).is_err(), "{bad}");
        }
        assert!(format!("{:#}", date("2026-01-01").unwrap_err()).contains("in the past"));
    }

    #[test]
    fn targets_are_fractions_or_percentages() {
        assert_eq!(parse_target("0.9"), Ok(0.9));
        assert_eq!(parse_target("85%"), Ok(0.85));
        assert!(parse_target("1.5").is_err());
        assert!(parse_target("ninety").is_err());
    }
}

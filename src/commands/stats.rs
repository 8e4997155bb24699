/*!
`prep stats`: the figures of [`crate::stats`] as tables and charts sized to
the terminal (80 columns when the output is not one), or as one JSON object
with `--json`. The charts are drawn with block and shade characters, which
read without colour; colour (`--color`) only adds to them: GitHub's greens on
the calendar, today apart in the forecast, the retention red when it falls
short of the desired one, a bold table header. Escape codes are only ever
wrapped around text, so the coloured output with them taken out is the plain
output, byte for byte.
*/

use std::io::Write;

use anyhow::Result;
use crossterm::style::{Color, Stylize};

use super::{Outcome, report_problems, schedulers};
use crate::Settings;
use crate::decks::catalog::Catalog;
use crate::format;
use crate::plan::DeckPlan;
use crate::stats::{self, DayCount, DeckStats, Stats};
use crate::store::Store;

pub struct Options {
    pub decks: Vec<String>,
    pub days: u32,
    pub json: bool,
    /// List every leech, not only the first [`LEECHES_SHOWN`].
    pub all: bool,
    /// Columns to draw in.
    pub width: usize,
    /// Colour the text, as decided from `--color` and `NO_COLOR`
    /// ([`super::color`]).
    pub color: bool,
}

/// Shades of the calendar, from no reviews to the busiest quarter of days.
const SHADES: [char; 5] = ['·', '░', '▒', '▓', '█'];
/// Their colours: grey for no reviews, then greens from dark to bright, as
/// GitHub's contribution calendar draws them on a dark background.
const GREENS: [Color; 5] = [
    Color::DarkGrey,
    Color::AnsiValue(22),
    Color::AnsiValue(28),
    Color::AnsiValue(34),
    Color::AnsiValue(40),
];
/// The forecast's first column (today, with the overdue cards), set apart
/// from the days after it, which are [`LATER`].
const TODAY: Color = Color::Yellow;
const LATER: Color = Color::Cyan;

/// One character of a chart, with the colour it takes when colour is on.
type Cell = (char, Option<Color>);

/// Styles text when colour is on and hands it back untouched when off, so
/// that the plain output never depends on how the coloured one is drawn.
#[derive(Debug, Clone, Copy)]
struct Paint {
    on: bool,
}

impl Paint {
    fn fg(self, text: impl std::fmt::Display, color: Color) -> String {
        if self.on {
            text.to_string().with(color).to_string()
        } else {
            text.to_string()
        }
    }

    /// A chart line without its trailing blanks, each run of cells of one
    /// colour styled as one (a calendar row is mostly empty days).
    fn cells(self, cells: &[Cell]) -> String {
        let end = cells
            .iter()
            .rposition(|(cell, _)| *cell != ' ')
            .map_or(0, |last| last + 1);
        let mut line = String::new();
        for run in cells[..end].chunk_by(|a, b| a.1 == b.1) {
            let text: String = run.iter().map(|(cell, _)| cell).collect();
            match run[0].1 {
                Some(color) => line.push_str(&self.fg(text, color)),
                None => line.push_str(&text),
            }
        }
        line
    }

    fn bold(self, text: &str) -> String {
        if self.on {
            text.bold().to_string()
        } else {
            text.to_string()
        }
    }
}

pub fn run(settings: &Settings, options: &Options, out: &mut dyn Write) -> Result<Outcome> {
    let mut schedulers = schedulers(settings)?;
    let now = settings.now.to_utc();
    // The store is read while the decks load: at 100,000 cards each takes
    // tens of milliseconds. Reading writes nothing, so a deck name that
    // turns out to be wrong leaves the home as it was.
    //
    // The store is opened here, not on the reading thread: opening may
    // warn (a copied home, a log line set aside), and a warning flushes
    // standard output, whose lock this thread holds while it waits for
    // the reader (a copied home's first `prep stats` hung).
    let store = crate::sync::open_existing_store(settings)?;
    let (catalog, stored) = std::thread::scope(|scope| {
        let reader = scope.spawn(|| -> Result<Option<(Store, stats::History)>> {
            let Some(store) = store else {
                return Ok(None);
            };
            let history = stats::History::read(&store, &schedulers)?;
            Ok(Some((store, history)))
        });
        let catalog = Catalog::load_without_answers(&settings.collection(), &options.decks);
        let stored = reader
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (catalog, stored)
    });
    let catalog = catalog?;
    let mut stored = stored?;
    if let Some((store, history)) = &mut stored {
        history.count_activity(store, &schedulers)?;
    }
    let orphan_deck = |id: &str| -> Result<Option<String>> {
        Ok(match &stored {
            Some((store, _)) => store.card_state(id)?.map(|card| card.deck.to_string()),
            None => None,
        })
    };
    let history = stored
        .as_ref()
        .map(|(_, history)| (history, &orphan_deck as stats::OrphanDeck));
    let mut figures = stats::compute(&catalog, history, &mut schedulers, now, options.days)?;
    // What a person reads: the worst leeches, and how many there are
    // (`total.leeches`); a collection of 100,000 cards has thousands.
    if !options.all {
        figures.leeches.truncate(LEECHES_SHOWN);
    }
    let store = stored.as_ref().map(|(store, _)| store);
    let plans = crate::plan::deck_plans(&catalog, store, &mut schedulers, now)?;
    if options.json {
        let mut value = serde_json::to_value(&figures)?;
        if let Some(object) = value.as_object_mut() {
            object.insert(
                "plans".to_string(),
                plans.iter().map(super::plan::json).collect(),
            );
        }
        serde_json::to_writer_pretty(&mut *out, &value)?;
        writeln!(out)?;
    } else {
        // crossterm reads NO_COLOR itself and would write empty escape
        // codes under `--color always`; the decision is made already.
        crossterm::style::force_color_output(options.color);
        let paint = Paint { on: options.color };
        write_text(
            &figures,
            schedulers.config().leech_threshold,
            &plans,
            options.width.max(40),
            paint,
            out,
        )?;
    }
    let outcome = report_problems(&catalog.problems);
    // The store is closed (so SQLite tidies its write-ahead log); the
    // cards and their history are left to the exiting process.
    if let Some((store, history)) = stored {
        drop(store);
        crate::exit::leave_to_exit(history);
    }
    crate::exit::leave_to_exit(catalog);
    outcome
}

fn percent(share: Option<f64>) -> String {
    share.map_or("-".to_string(), format::percent)
}

fn duration_ms(ms: u64) -> String {
    crate::quiz::describe::duration(std::time::Duration::from_millis(ms))
}

/// A deck's cards by state and when they are due.
fn cards_row(deck: &DeckStats) -> Vec<String> {
    vec![
        deck.deck.clone(),
        deck.cards.to_string(),
        deck.new.to_string(),
        deck.learning.to_string(),
        deck.review.to_string(),
        deck.buried.to_string(),
        deck.due_now.to_string(),
        deck.due_tomorrow.to_string(),
        deck.due_week.to_string(),
    ]
}

/// A deck's work today and how well it is remembered.
fn progress_row(deck: &DeckStats) -> Vec<String> {
    vec![
        deck.deck.clone(),
        deck.reviewed_today.to_string(),
        duration_ms(deck.time_today_ms),
        percent(deck.true_retention_30d),
        percent(Some(deck.desired_retention)),
        percent(deck.average_retrievability),
    ]
}

/// One table with a row per deck and, for several decks, the total. Two
/// tables of a few columns rather than one wide one, so that both fit in
/// 80 columns with deck names of a dozen characters.
fn deck_table(
    figures: &Stats,
    header: &[&str],
    row: fn(&DeckStats) -> Vec<String>,
    paint: Paint,
    out: &mut dyn Write,
) -> Result<()> {
    let mut rows: Vec<Vec<String>> = figures.decks.iter().map(row).collect();
    if figures.decks.len() > 1 {
        rows.push(row(&figures.total));
    }
    let right: Vec<usize> = (1..header.len()).collect();
    // The table is drawn plain and its first line, the header, styled
    // after, since escape codes would count as width in the alignment.
    let mut table = Vec::new();
    format::table(&mut table, header, &rows, &right)?;
    let table = String::from_utf8(table)?;
    let (header, body) = table.split_once('\n').unwrap_or((&table, ""));
    writeln!(out, "{}", paint.bold(header))?;
    write!(out, "{body}")?;
    Ok(())
}

fn write_text(
    figures: &Stats,
    leech_threshold: u32,
    plans: &[DeckPlan],
    width: usize,
    paint: Paint,
    out: &mut dyn Write,
) -> Result<()> {
    deck_table(
        figures,
        &[
            "DECK", "CARDS", "NEW", "LEARN", "REVIEW", "BURIED", "DUE", "TOMORROW", "7 DAYS",
        ],
        cards_row,
        paint,
        out,
    )?;
    let total = &figures.total;
    write_set_aside(total, out)?;
    writeln!(out)?;
    if !plans.is_empty() {
        writeln!(out, "{}", paint.bold("Interview plans"))?;
        for plan in plans {
            for line in super::plan::describe(plan) {
                writeln!(out, "{line}")?;
            }
        }
        writeln!(out)?;
    }
    if total.new == total.cards && figures.heatmap.iter().all(|day| day.count == 0) {
        let first = figures
            .decks
            .first()
            .map_or("aws", |deck| deck.deck.as_str());
        writeln!(
            out,
            "Nothing reviewed yet: start with `prep quiz --deck {first}`."
        )?;
        return Ok(());
    }

    deck_table(
        figures,
        &["DECK", "TODAY", "TIME", "RETAINED", "DESIRED", "RECALL"],
        progress_row,
        paint,
        out,
    )?;
    writeln!(out)?;
    write_recall(figures, paint, out)?;
    writeln!(out)?;
    write_charts(figures, width, paint, out)?;
    write_hardest(figures, width, out)?;
    write_leeches(figures, leech_threshold, width, out)
}

/// The cards the tables leave out: suspended ones, and histories of cards
/// no deck holds.
fn write_set_aside(total: &DeckStats, out: &mut dyn Write) -> Result<()> {
    if total.suspended > 0 {
        writeln!(
            out,
            "{} suspended: no quiz shows {}; `prep cards --state suspended` lists {}, `prep unsuspend` brings {} back.",
            format::count(total.suspended, "card"),
            if total.suspended == 1 { "it" } else { "them" },
            if total.suspended == 1 { "it" } else { "them" },
            if total.suspended == 1 { "it" } else { "them" },
        )?;
    }
    let orphaned = total.orphaned;
    if orphaned > 0 {
        writeln!(
            out,
            "{} of cards no deck holds (kept; `prep check` lists them).",
            format::count(orphaned, "history").replace("historys", "histories")
        )?;
    }
    Ok(())
}

/// Retention against the desired one (red when below), recall now and the
/// streak.
fn write_recall(figures: &Stats, paint: Paint, out: &mut dyn Write) -> Result<()> {
    let total = &figures.total;
    let retained = percent(total.true_retention_30d);
    let retained = match total.true_retention_30d {
        Some(share) if share < total.desired_retention => paint.fg(retained, Color::Red),
        Some(_) => paint.fg(retained, Color::Green),
        None => retained,
    };
    writeln!(
        out,
        "Retention, last {} days: {retained} of {} (desired {}).",
        stats::RETENTION_DAYS,
        format::count(total.mature_reviews_30d, "review"),
        percent(Some(total.desired_retention)),
    )?;
    writeln!(
        out,
        "Average recall now: {}.",
        percent(total.average_retrievability),
    )?;
    writeln!(
        out,
        "Streak: {} (longest {}).",
        format::count(figures.streak.current, "day"),
        format::count(figures.streak.longest, "day"),
    )?;
    Ok(())
}

/// The forecast's bars and the heatmap of reviews.
fn write_charts(figures: &Stats, width: usize, paint: Paint, out: &mut dyn Write) -> Result<()> {
    writeln!(
        out,
        "Due in the next {}",
        format::count(figures.forecast.len() as u64, "day")
    )?;
    for line in bars(&figures.forecast, width, paint) {
        writeln!(out, "{line}")?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "Reviews, last {}",
        format::count(figures.heatmap.len() as u64, "day")
    )?;
    for line in heatmap(&figures.heatmap, width, paint) {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

fn write_hardest(figures: &Stats, width: usize, out: &mut dyn Write) -> Result<()> {
    if figures.hardest.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    writeln!(out, "Hardest cards")?;
    for card in &figures.hardest {
        let head = format!(
            "  {:>2} {:<7} recall {:>3}  {}  ",
            card.lapses,
            if card.lapses == 1 { "lapse" } else { "lapses" },
            percent(Some(card.retrievability)),
            card.deck,
        );
        let room = width.saturating_sub(head.chars().count()).max(10);
        writeln!(out, "{head}{}", format::shorten(&card.question, room))?;
    }
    Ok(())
}

fn write_leeches(
    figures: &Stats,
    leech_threshold: u32,
    width: usize,
    out: &mut dyn Write,
) -> Result<()> {
    if figures.leeches.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    writeln!(
        out,
        "Leeches: {} forgotten {} times or more (rewrite or split them; `prep cards --leech` lists them all)",
        format::count(u64::from(figures.total.leeches), "card"),
        leech_threshold,
    )?;
    for card in &figures.leeches {
        let head = format!(
            "  {:>2} lapses  {:<9}  {}  {}  ",
            card.lapses,
            if card.suspended { "suspended" } else { "" },
            card.id,
            card.deck,
        );
        let room = width.saturating_sub(head.chars().count()).max(10);
        writeln!(out, "{head}{}", format::shorten(&card.question, room))?;
    }
    let more = (figures.total.leeches as usize).saturating_sub(figures.leeches.len());
    if more > 0 {
        writeln!(out, "  and {more} more (`prep stats --all` lists them)")?;
    }
    Ok(())
}

/// How many leeches the report lists, in text and JSON, unless `--all`.
const LEECHES_SHOWN: usize = 10;

/// A column chart of `days`, eight rows high, each day as wide as the
/// width allows, with the largest count and the first and last dates.
fn bars(days: &[DayCount], width: usize, paint: Paint) -> Vec<String> {
    const HEIGHT: usize = 8;
    const EIGHTHS: [char; 9] = [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    if days.is_empty() {
        return Vec::new();
    }
    let axis = 6;
    let column = (width.saturating_sub(axis) / days.len()).clamp(1, 3);
    let highest = days.iter().map(|day| day.count).max().unwrap_or(0).max(1);
    let mut lines = Vec::new();
    for row in (0..HEIGHT).rev() {
        let label = if row == HEIGHT - 1 {
            format!("{highest:>4} ┤")
        } else if row == 0 {
            format!("{:>4} ┤", 0)
        } else {
            "     │".to_string()
        };
        let mut line: Vec<Cell> = label.chars().map(|c| (c, None)).collect();
        for (index, day) in days.iter().enumerate() {
            // Height in eighths of a row.
            let eighths = (day.count as usize * HEIGHT * 8).div_ceil(highest as usize);
            let filled = eighths.saturating_sub(row * 8).min(8);
            let color = (filled > 0).then_some(if index == 0 { TODAY } else { LATER });
            for _ in 0..column.saturating_sub(1).max(1) {
                line.push((EIGHTHS[filled], color));
            }
            if column > 1 {
                line.push((' ', None));
            }
        }
        lines.push(paint.cells(&line));
    }
    let first = days[0].date.format("%b %d").to_string();
    let last = days[days.len() - 1].date.format("%b %d").to_string();
    let span = days.len() * column;
    let gap = span.saturating_sub(first.len() + last.len()).max(1);
    lines.push(format!("      {first}{}{last}", " ".repeat(gap)));
    lines
}

/// The heatmap's row of months, each over the week it begins in, where
/// there is room; `lead` days of the first week come before `days`.
fn month_row(days: &[DayCount], lead: usize, weeks: std::ops::Range<usize>) -> String {
    use chrono::Datelike;
    let mut months = vec![' '; 4 + weeks.len()];
    let mut free = 0;
    for week in weeks.clone() {
        let first_of_month = (0..7)
            .filter_map(|weekday| (week * 7 + weekday).checked_sub(lead))
            .filter_map(|index| days.get(index))
            .find(|day| day.date.day() == 1);
        let column = 4 + week - weeks.start;
        if let Some(day) = first_of_month
            && column >= free
            && column + 3 <= months.len()
        {
            for (at, ch) in day.date.format("%b").to_string().chars().enumerate() {
                months[column + at] = ch;
            }
            free = column + 4;
        }
    }
    months.into_iter().collect()
}

/// A calendar of the last weeks, one column per week and one row per
/// weekday, shaded by reviews that day (quartiles of the days with any).
fn heatmap(days: &[DayCount], width: usize, paint: Paint) -> Vec<String> {
    use chrono::Datelike;
    if days.is_empty() {
        return Vec::new();
    }
    // Weeks start on Monday; the first column may be partial.
    let lead = days[0].date.weekday().num_days_from_monday() as usize;
    let weeks = (lead + days.len()).div_ceil(7);
    let shown = weeks.min(width.saturating_sub(5).max(4));
    let skip = weeks - shown;
    let mut counts: Vec<u32> = days
        .iter()
        .map(|day| day.count)
        .filter(|&c| c > 0)
        .collect();
    counts.sort_unstable();
    let quartile = |q: usize| {
        counts
            .get((counts.len() * q / 4).min(counts.len().saturating_sub(1)))
            .copied()
            .unwrap_or(0)
    };
    let limits = [quartile(1), quartile(2), quartile(3)];
    // The index into SHADES and GREENS.
    let level = |count: u32| {
        if count == 0 {
            0
        } else if count <= limits[0] {
            1
        } else if count <= limits[1] {
            2
        } else if count <= limits[2] {
            3
        } else {
            4
        }
    };
    let shade = |level: usize| (SHADES[level], Some(GREENS[level]));
    let names = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    let mut lines = Vec::new();
    let months = month_row(days, lead, skip..weeks);
    if !months.trim().is_empty() {
        lines.push(months.trim_end().to_string());
    }
    for (weekday, name) in names.iter().enumerate() {
        let mut line: Vec<Cell> = format!("{name} ").chars().map(|c| (c, None)).collect();
        for week in skip..weeks {
            let index = (week * 7 + weekday).checked_sub(lead);
            line.push(match index.and_then(|index| days.get(index)) {
                Some(day) => shade(level(day.count)),
                None => (' ', None),
            });
        }
        lines.push(paint.cells(&line));
    }
    lines.push(format!(
        "    less {} more; {} on the busiest day",
        paint.cells(&(0..SHADES.len()).map(shade).collect::<Vec<_>>()),
        format::count(u64::from(counts.last().copied().unwrap_or(0)), "review")
    ));
    lines
}

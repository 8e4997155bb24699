//! The text report of `prep import`: per file what was found, what changed
//! and why, what was kept or fought over, and every skipped block; and a
//! total when there were several files.

use std::io::Write;

use anyhow::Result;

use super::import::plural;
use crate::decks::deck::Deck;
use crate::import::into_deck::{NamedCard, Report, ReportDecision};
use crate::import::{Field, SkipReason};

/// At most this many kept edits (and updated cards) are listed one by
/// one; the rest are counted.
const KEPT_LISTED: usize = 10;

pub(super) fn print_report(
    out: &mut dyn Write,
    report: &Report,
    dry_run_deck: Option<&Deck>,
) -> Result<()> {
    write_heading(out, report)?;
    write_deck_edits(out, report)?;
    write_conflicts(out, report)?;
    write_ids_and_returns(out, report)?;
    write_removed(out, report)?;
    write_skipped(out, report)?;
    for note in &report.notes {
        writeln!(out, "  {note}")?;
    }
    if let Some(deck) = dry_run_deck.filter(|_| report.error.is_none()) {
        writeln!(out, "  dry run: nothing written; the deck would read:\n")?;
        write!(out, "{}", deck.to_yaml())?;
    }
    Ok(())
}

/// What was read into which deck, and the count of its cards.
fn write_heading(out: &mut dyn Write, report: &Report) -> Result<()> {
    let verb = if report.dry_run {
        "would import"
    } else {
        "imported"
    };
    // Markdown and plain text (and Anki's formats, named in the lines
    // below) go without saying; notes read in another format say which,
    // so a wrong guess shows at once.
    let format = match report.format {
        "org" => " as Org",
        "asciidoc" => " as AsciiDoc",
        "rst" => " as reStructuredText",
        _ => "",
    };
    if report.error.is_some() {
        writeln!(
            out,
            "read {}{format} for deck {} ({})",
            report.file, report.deck, report.path
        )?;
    } else {
        writeln!(
            out,
            "{verb} {}{format} into deck {} ({})",
            report.file, report.deck, report.path
        )?;
    }
    if report.error.is_none() {
        writeln!(
            out,
            "  {}: {} added, {} updated, {} unchanged",
            plural(report.found, "card"),
            report.added,
            report.updated,
            report.unchanged
        )?;
    }
    Ok(())
}

/// The cards updated from the notes, the deck's edits kept, and the cards
/// deleted in the deck that stay deleted: each listed up to
/// [`KEPT_LISTED`].
fn write_deck_edits(out: &mut dyn Write, report: &Report) -> Result<()> {
    if !report.updated_cards.is_empty() {
        writeln!(out, "  updated from the notes:")?;
        write_some_cards(out, &report.updated_cards)?;
    }
    if !report.kept.is_empty() {
        writeln!(
            out,
            "  kept {} made in the deck (the notes did not change there):",
            plural(report.kept.len(), "edit")
        )?;
        for decision in report.kept.iter().take(KEPT_LISTED) {
            write_decision(out, report, decision)?;
        }
        if report.kept.len() > KEPT_LISTED {
            writeln!(out, "    and {} more", report.kept.len() - KEPT_LISTED)?;
        }
    }
    if !report.left_deleted.is_empty() {
        writeln!(
            out,
            "  {} deleted from the deck {} deleted (the notes did not change there):",
            plural(report.left_deleted.len(), "card"),
            if report.left_deleted.len() == 1 {
                "stays"
            } else {
                "stay"
            }
        )?;
        write_some_cards(out, &report.left_deleted)?;
    }
    Ok(())
}

/// Up to [`KEPT_LISTED`] cards, one a line, and how many more.
fn write_some_cards(out: &mut dyn Write, cards: &[NamedCard]) -> Result<()> {
    for card in cards.iter().take(KEPT_LISTED) {
        writeln!(out, "    {}  {}", card.id, shorten(&card.question, 70))?;
    }
    if cards.len() > KEPT_LISTED {
        writeln!(out, "    and {} more", cards.len() - KEPT_LISTED)?;
    }
    Ok(())
}

/// The cards changed on both sides, with each field's two versions.
fn write_conflicts(out: &mut dyn Write, report: &Report) -> Result<()> {
    if !report.conflicts.is_empty() {
        writeln!(
            out,
            "  {} changed in both the notes and the deck; the deck's version is kept:",
            plural(report.conflicts.len(), "card")
        )?;
        for decision in &report.conflicts {
            write_decision(out, report, decision)?;
            for versions in &decision.versions {
                let (deck, notes) = word_diff(&versions.deck, &versions.notes);
                writeln!(out, "      {} in the deck:  {deck}", versions.field.name())?;
                writeln!(out, "      {} in the notes: {notes}", versions.field.name())?;
            }
        }
    }
    Ok(())
}

/// The ids written into cards typed without one, and the cards deleted
/// earlier that came back.
fn write_ids_and_returns(out: &mut dyn Write, report: &Report) -> Result<()> {
    if !report.ids_written.is_empty() {
        let verb = if report.dry_run {
            "would write"
        } else {
            "wrote"
        };
        writeln!(
            out,
            "  {verb} ids for {} typed into the deck without one: {}",
            plural(report.ids_written.len(), "card"),
            report.ids_written.join(", ")
        )?;
    }
    if !report.restored.is_empty() {
        writeln!(
            out,
            "  {} deleted earlier and found in the notes again, back with {} review history:",
            match report.restored.len() {
                1 => "1 card was".to_string(),
                count => format!("{count} cards were"),
            },
            if report.restored.len() == 1 {
                "its"
            } else {
                "their"
            }
        )?;
        for card in &report.restored {
            writeln!(out, "    {}  {}", card.id, shorten(&card.question, 70))?;
        }
    }
    Ok(())
}

/// The cards no longer in the notes, and what became of them.
fn write_removed(out: &mut dyn Write, report: &Report) -> Result<()> {
    if !report.removed.is_empty() {
        let kept_in;
        let what = match (&report.kept_pruned_in, report.pruned) {
            (Some(path), _) => {
                kept_in = format!("removed from the deck and kept in {path}");
                kept_in.as_str()
            }
            (None, true) => "removed from the deck",
            (None, false) => "kept in the deck (pass --prune to remove them)",
        };
        writeln!(
            out,
            "  {} no longer in the notes, {what}:",
            match report.removed.len() {
                1 => "1 card is".to_string(),
                count => format!("{count} cards are"),
            }
        )?;
        for card in &report.removed {
            writeln!(out, "    {}  {}", card.id, shorten(&card.question, 70))?;
        }
    }
    Ok(())
}

/// Every skipped block, the repeated kinds folded into one line each.
fn write_skipped(out: &mut dyn Write, report: &Report) -> Result<()> {
    if report.skipped.is_empty() {
        return Ok(());
    }
    writeln!(out, "  skipped {}:", plural(report.skipped.len(), "block"))?;
    // Navigation links repeat after every answer in some documents,
    // and a label (`### Card 17`) over every question in others: one
    // line lists each kind when there are more than a few.
    let count = |reason: SkipReason| {
        report
            .skipped
            .iter()
            .filter(|skip| skip.reason == reason)
            .count()
    };
    let (navigation, labels) = (
        count(SkipReason::Navigation) > 3,
        count(SkipReason::Label) > 3,
    );
    let folded = |reason: SkipReason| match reason {
        SkipReason::Navigation => navigation,
        SkipReason::Label => labels,
        _ => false,
    };
    for (reason, what) in [
        (SkipReason::Navigation, "navigation links"),
        (SkipReason::Label, "labels of the question below"),
    ] {
        if !folded(reason) {
            continue;
        }
        let lines: Vec<String> = report
            .skipped
            .iter()
            .filter(|skip| skip.reason == reason)
            .map(|skip| skip.first_line.to_string())
            .collect();
        let shown = lines.iter().take(8).cloned().collect::<Vec<_>>().join(", ");
        let more = match lines.len().saturating_sub(8) {
            0 => String::new(),
            more => format!(" and {more} more"),
        };
        writeln!(out, "    {} {what}, lines {shown}{more}", lines.len())?;
    }
    for skip in &report.skipped {
        if folded(skip.reason) {
            continue;
        }
        let lines = if skip.first_line == skip.last_line {
            format!("line {}", skip.first_line)
        } else {
            format!("lines {}-{}", skip.first_line, skip.last_line)
        };
        writeln!(
            out,
            "    {lines:<14} {:<34} {}",
            skip.reason.describe(),
            skip.excerpt
        )?;
    }
    Ok(())
}

/// One card of a kept edit or conflict: its id, fields, and both places.
fn write_decision(out: &mut dyn Write, report: &Report, decision: &ReportDecision) -> Result<()> {
    let fields: Vec<&str> = decision
        .fields
        .iter()
        .map(|field: &Field| field.name())
        .collect();
    writeln!(
        out,
        "    {}  {} ({}; deck {}:{}, notes {}:{})",
        decision.id,
        shorten(&decision.question, 50),
        fields.join(", "),
        report.path,
        decision.deck_line,
        report.file,
        decision.notes_line
    )?;
    Ok(())
}

/// The sum of several files' reports.
pub(super) fn print_total(out: &mut dyn Write, reports: &[Report]) -> Result<()> {
    let sum = |pick: fn(&Report) -> usize| reports.iter().map(pick).sum::<usize>();
    let files: std::collections::HashSet<&str> =
        reports.iter().map(|report| report.file.as_str()).collect();
    let decks: std::collections::HashSet<&str> =
        reports.iter().map(|report| report.deck.as_str()).collect();
    let mut line = format!(
        "total: {} into {}, {}: {} added, {} updated, {} unchanged",
        plural(files.len(), "file"),
        plural(decks.len(), "deck"),
        plural(sum(|r| r.found), "card"),
        sum(|r| r.added),
        sum(|r| r.updated),
        sum(|r| r.unchanged),
    );
    let kept = sum(|r| r.kept.len());
    let conflicts = sum(|r| r.conflicts.len());
    let failed = reports.iter().filter(|r| r.error.is_some()).count();
    if kept > 0 {
        line.push_str(&format!(", {} kept", plural(kept, "deck edit")));
    }
    if conflicts > 0 {
        line.push_str(&format!(", {}", plural(conflicts, "conflict")));
    }
    if failed > 0 {
        line.push_str(&format!(", {} without cards", plural(failed, "file")));
    }
    writeln!(out, "{line}")?;
    Ok(())
}

fn shorten(text: &str, width: usize) -> String {
    let line = text.lines().next().unwrap_or("");
    if line.chars().count() <= width {
        line.to_owned()
    } else {
        let mut short: String = line.chars().take(width - 1).collect();
        short.push('…');
        short
    }
}

/// Words of context kept on each side of what differs.
const DIFF_CONTEXT: usize = 3;
/// Changed words shown before the rest is cut.
const DIFF_CHANGED: usize = 12;

/// Where two versions of a field differ, word by word: each version cut
/// to the words that differ (in `[` `]`) with a few words around them,
/// `…` where words are left out. `[]` marks words one version lacks.
pub(super) fn word_diff(deck: &str, notes: &str) -> (String, String) {
    let a: Vec<&str> = deck.split_whitespace().collect();
    let b: Vec<&str> = notes.split_whitespace().collect();
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let show = |words: &[&str]| {
        let start = prefix.saturating_sub(DIFF_CONTEXT);
        let changed_end = words.len() - suffix;
        let end = (changed_end + DIFF_CONTEXT).min(words.len());
        let changed = &words[prefix..changed_end];
        let mut text = String::new();
        if start > 0 {
            text.push_str("… ");
        }
        for word in &words[start..prefix] {
            text.push_str(word);
            text.push(' ');
        }
        text.push('[');
        if changed.len() > DIFF_CHANGED {
            text.push_str(&changed[..DIFF_CHANGED].join(" "));
            text.push_str(" …");
        } else {
            text.push_str(&changed.join(" "));
        }
        text.push(']');
        for word in &words[changed_end..end] {
            text.push(' ');
            text.push_str(word);
        }
        if end < words.len() {
            text.push_str(" …");
        }
        text
    };
    (show(&a), show(&b))
}

#[cfg(test)]
mod tests {
    use super::word_diff;

    #[test]
    fn a_word_diff_shows_what_differs_with_a_little_context() {
        let (deck, notes) = word_diff(
            "A lock lets one thread at a time into the critical section, always.",
            "A lock lets one writer or many readers into the critical section, always.",
        );
        assert_eq!(
            deck,
            "… lock lets one [thread at a time] into the critical …"
        );
        assert_eq!(
            notes,
            "… lock lets one [writer or many readers] into the critical …"
        );
        let (deck, notes) = word_diff("Use a mutex.", "Use a mutex. Or a channel.");
        assert_eq!(deck, "Use a mutex. []");
        assert_eq!(notes, "Use a mutex. [Or a channel.]");
    }
}

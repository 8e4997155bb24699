/*!
The quiz without a terminal: a line protocol, so sessions can be scripted
and tested. For each card prep prints

```text
card 1/12 · aws · new · left: 2 review · 10 new · 0 learning
Q: What is S3?
```

(a reversed card or a cloze card says so after its phase: `aws · new ·
reversed`, `aws · new · cloze 1 of 2`; a cloze card's question is its
front, with its deletions as `[...]`) and reads one line: `s` skips the
card, `!` suspends it, `m` marks or unmarks it (then the line is asked for
again), `u` undoes the last grade, skip or suspend, `q` quits; any other
line (an empty one will do) shows the answer. With `--type` that line is
the typed answer. Then it prints

```text
A: Object storage ...
   (further lines of the answer, indented)
grades: 1 again 1m · 2 hard 6m · 3 good 10m · 4 easy 3d
```

and reads the grade: `1`-`4` or `again|hard|good|easy` (`u`, `s`, `!`,
`m` and `q` work here too; with `--type` an empty line takes the suggested grade).
Each grade is acknowledged with a line such as `good: back in 10m` once it
is on disk. A line that is none of these is reported on stderr and the
line is asked for again. End of input quits. The session ends with its
summary.
*/

use std::io::{BufRead, Write};
use std::ops::ControlFlow;
use std::time::Instant;

use anyhow::{Context, Result, anyhow};
use chrono::{DateTime, Utc};

use crate::Settings;
use crate::quiz::{answer_ms, describe, typed};
use crate::schedule::Grade;
use crate::session::{GradedElsewhere, Session};
use crate::tui::render;

/// What the reader asked for at a question.
enum AtQuestion {
    /// Show the answer; with `--type`, the line is the typed answer.
    Reveal(String),
    Skip,
    Suspend,
    Mark,
    Undo,
    Quit,
}

/// What the reader asked for at an answer.
enum AtAnswer {
    Grade(Grade),
    /// Take the suggested grade (`--type`).
    Accept,
    Skip,
    Suspend,
    Mark,
    Undo,
    Quit,
}

struct Input<R> {
    reader: R,
    number: usize,
}

impl<R: BufRead> Input<R> {
    /// The next line, or `None` at the end of input.
    fn line(&mut self) -> Result<Option<String>> {
        let mut line = String::new();
        let read = self
            .reader
            .read_line(&mut line)
            .context("cannot read standard input")?;
        if read == 0 {
            return Ok(None);
        }
        self.number += 1;
        Ok(Some(line.trim_end_matches(['\n', '\r']).to_string()))
    }
}

pub fn run(
    session: &mut Session,
    settings: &Settings,
    typing: bool,
    reader: impl BufRead,
    out: &mut dyn Write,
) -> Result<()> {
    let started = Instant::now();
    let mut input = Input { reader, number: 0 };
    for line in describe::plan_lines(session) {
        writeln!(out, "{line}")?;
    }
    if let Some(notice) = session.other_session() {
        writeln!(out, "{notice}")?;
    }
    while let After::NextCard = one_card(session, settings, typing, &mut input, out)? {}

    let now = settings.current_time().to_utc();
    crate::quiz::write_summary(session, started.elapsed(), now, settings.zone, out)?;
    out.flush()?;
    Ok(())
}

/// What comes after a card.
enum After {
    NextCard,
    Quit,
}

/// Asks the current card, shows its answer and takes its grade (or a
/// skip, a suspension, an undo). Quits when no card is left or the input
/// ends.
fn one_card<R: BufRead>(
    session: &mut Session,
    settings: &Settings,
    typing: bool,
    input: &mut Input<R>,
    out: &mut dyn Write,
) -> Result<After> {
    let Some(current) = session.current() else {
        return Ok(After::Quit);
    };
    let now = settings.current_time().to_utc();
    let progress = session.progress();
    writeln!(
        out,
        "card {} · {} · left: {}",
        describe::position(&progress),
        describe::card_place(&current),
        describe::left(&progress)
    )?;
    write_block(out, "Q: ", &current.card.question)?;
    let answer = current.card.answer.clone();
    let question = current.card.question.clone();
    out.flush()?;
    let shown = Instant::now();

    let typed_answer = match at_question(session, settings, typing, input, now, out)? {
        ControlFlow::Continue(typed_answer) => typed_answer,
        ControlFlow::Break(after) => return Ok(after),
    };
    write_block(out, "A: ", &answer)?;
    let suggested = if typing {
        let assessment = typed::assess_card(&question, &answer, &typed_answer);
        for line in typed::report(&assessment) {
            writeln!(out, "{line}")?;
        }
        assessment.suggested
    } else {
        None
    };
    let preview = session.preview(now)?;
    writeln!(
        out,
        "grades: {}",
        describe::buttons_line(preview.as_ref(), now, session.clock().zone())
    )?;
    out.flush()?;
    at_answer(session, settings, input, suggested, now, shown, out)
}

/// Reads lines at a question until one shows the answer: that line (the
/// typed answer, with `--type`), or what comes next if the card was left.
fn at_question<R: BufRead>(
    session: &mut Session,
    settings: &Settings,
    typing: bool,
    input: &mut Input<R>,
    now: DateTime<Utc>,
    out: &mut dyn Write,
) -> Result<ControlFlow<After, String>> {
    loop {
        let Some(line) = input.line()? else {
            return Ok(ControlFlow::Break(After::Quit));
        };
        match question_command(&line, typing) {
            AtQuestion::Quit => return Ok(ControlFlow::Break(After::Quit)),
            AtQuestion::Skip => {
                session.skip(now)?;
                writeln!(out, "skipped: back tomorrow")?;
                return Ok(ControlFlow::Break(After::NextCard));
            }
            AtQuestion::Suspend => {
                suspend(session, settings, out)?;
                return Ok(ControlFlow::Break(After::NextCard));
            }
            AtQuestion::Mark => mark(session, settings, out)?,
            AtQuestion::Undo => {
                undo(session, settings, out)?;
                return Ok(ControlFlow::Break(After::NextCard));
            }
            AtQuestion::Reveal(text) => return Ok(ControlFlow::Continue(text)),
        }
        out.flush()?;
    }
}

/// Reads lines at an answer until one grades, skips, suspends or undoes;
/// a line that is none of these is reported and asked for again.
fn at_answer<R: BufRead>(
    session: &mut Session,
    settings: &Settings,
    input: &mut Input<R>,
    suggested: Option<Grade>,
    now: DateTime<Utc>,
    shown: Instant,
    out: &mut dyn Write,
) -> Result<After> {
    loop {
        let Some(line) = input.line()? else {
            return Ok(After::Quit);
        };
        let command = match grade_command(&line, suggested) {
            Ok(command) => command,
            Err(err) => {
                crate::messages::error(format_args!("<stdin>:{}: {err:#}", input.number));
                continue;
            }
        };
        match command {
            AtAnswer::Quit => return Ok(After::Quit),
            AtAnswer::Skip => {
                session.skip(now)?;
                writeln!(out, "skipped: back tomorrow")?;
            }
            AtAnswer::Suspend => suspend(session, settings, out)?,
            AtAnswer::Mark => {
                mark(session, settings, out)?;
                out.flush()?;
                continue;
            }
            AtAnswer::Undo => undo(session, settings, out)?,
            AtAnswer::Grade(grade) => give_grade(session, grade, now, shown, out)?,
            AtAnswer::Accept => {
                let grade = suggested.ok_or_else(|| anyhow!("no grade suggested"))?;
                give_grade(session, grade, now, shown, out)?;
            }
        }
        return Ok(After::NextCard);
    }
}

fn question_command(line: &str, typing: bool) -> AtQuestion {
    match line.trim() {
        "q" => AtQuestion::Quit,
        "s" => AtQuestion::Skip,
        "!" => AtQuestion::Suspend,
        "m" => AtQuestion::Mark,
        "u" => AtQuestion::Undo,
        _ if typing => AtQuestion::Reveal(line.to_string()),
        _ => AtQuestion::Reveal(String::new()),
    }
}

fn grade_command(line: &str, suggested: Option<Grade>) -> Result<AtAnswer> {
    Ok(match line.trim() {
        "q" => AtAnswer::Quit,
        "s" => AtAnswer::Skip,
        "!" => AtAnswer::Suspend,
        "m" => AtAnswer::Mark,
        "u" => AtAnswer::Undo,
        "" if suggested.is_some() => AtAnswer::Accept,
        "" => return Err(anyhow!("give a grade: 1-4 or again, hard, good, easy")),
        text => AtAnswer::Grade(text.parse().map_err(|_| {
            anyhow!(
                "{text:?} is not a grade; use 1-4, again, hard, good or easy (or u, s, !, m, q)"
            )
        })?),
    })
}

/// Grades the card and says what the grade did, or that another session
/// graded it first.
fn give_grade(
    session: &mut Session,
    grade: Grade,
    now: chrono::DateTime<chrono::Utc>,
    shown: Instant,
    out: &mut dyn Write,
) -> Result<()> {
    match session.answer(grade, now, answer_ms(shown.elapsed())) {
        Ok(done) => {
            let zone = session.clock().zone();
            writeln!(out, "{}", describe::graded(grade, &done, now, zone))?
        }
        Err(err) => match err.downcast::<GradedElsewhere>() {
            Ok(elsewhere) => writeln!(out, "{}", describe::graded_elsewhere(&elsewhere))?,
            Err(err) => return Err(err),
        },
    }
    Ok(())
}

fn undo(session: &mut Session, settings: &Settings, out: &mut dyn Write) -> Result<()> {
    match session.undo(settings.current_time().to_utc())? {
        Some(undone) => writeln!(out, "{} on {}", describe::undone(&undone), undone.card_id)?,
        None => writeln!(out, "nothing to undo")?,
    }
    Ok(())
}

fn suspend(session: &mut Session, settings: &Settings, out: &mut dyn Write) -> Result<()> {
    let id = session.current().map(|current| current.card.id.clone());
    session.suspend(settings, settings.current_time().to_utc())?;
    writeln!(
        out,
        "suspended {}: `prep unsuspend` brings it back",
        id.unwrap_or_default()
    )?;
    Ok(())
}

fn mark(session: &mut Session, settings: &Settings, out: &mut dyn Write) -> Result<()> {
    let marked = session.toggle_mark(settings, settings.current_time().to_utc())?;
    writeln!(out, "{}", if marked { "marked" } else { "unmarked" })?;
    Ok(())
}

/// Markdown rendered as plain text, the first line after `label`, the
/// others indented under it.
fn write_block(out: &mut dyn Write, label: &str, markdown: &str) -> Result<()> {
    let indent = " ".repeat(label.len());
    for (index, line) in render::render(markdown, None).iter().enumerate() {
        let text = line.plain();
        match (index, text.is_empty()) {
            (0, _) => writeln!(out, "{label}{text}")?,
            (_, true) => writeln!(out)?,
            (_, false) => writeln!(out, "{indent}{text}")?,
        }
    }
    Ok(())
}

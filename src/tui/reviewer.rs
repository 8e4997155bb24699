//! The reviewer screen: a header with the card's deck and the session's
//! progress, the question, the answer once revealed (scrollable), and a
//! footer with the grade buttons and what the last key did. Keys:
//! Space/Enter reveal, then 1-4 grade (Enter, or Space at the end of the
//! answer: Good), arrows/j/k/Space/PgUp/PgDn scroll,
//! u undo, s skip, e edit, o open the card's image, ? help, q/Esc/Ctrl-C
//! quit.

use std::time::Instant;

use anyhow::Result;
use crossterm::event::{self, Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use crossterm::style::Color;

use super::Guard;
use super::keys::{KEY_COLUMNS, KEYS};
use super::paint::{Look, Row, Screen, bold_row_of, row_of, width};
use super::render;
use crate::Settings;
use crate::decks::media;
use crate::decks::media::media_bases;
use crate::quiz::{answer_ms, describe, typed};
use crate::schedule::{Grade, Transition};
use crate::session::{GradedElsewhere, Progress, Session};
use crate::typed_answer::Assessment;

/// Where the card on screen is.
#[derive(Debug, Clone, PartialEq)]
enum Stage {
    Question,
    /// `--type`: the answer being typed.
    Typing(String),
    Answer,
}

/// Whether the loop goes on.
#[derive(Debug, PartialEq, Eq)]
enum Flow {
    Continue,
    Quit,
    /// Ctrl-C: quit, and end with the status of an interrupted program.
    Interrupted,
}

/// A message in the footer.
struct Status {
    text: String,
    look: Look,
}

pub struct Reviewer<'a> {
    session: &'a mut Session,
    settings: &'a Settings,
    typing: bool,
    color: bool,
    stage: Stage,
    /// The typed answer and its assessment, once checked.
    typed: Option<(String, Assessment)>,
    /// The grades' outcomes for the card on screen, and when they were
    /// worked out (the buttons show intervals from then, not from each
    /// redraw).
    preview: Option<[Transition; 4]>,
    revealed_at: chrono::DateTime<chrono::Utc>,
    scroll: usize,
    /// The text width and body length of the last screen drawn, with
    /// whether it showed the end: after a resize, the reading position is
    /// kept as the same share of the (re-wrapped) body, and the end stays
    /// the end.
    layout: Option<(usize, usize, bool)>,
    /// Whether the body's last row was on screen when last drawn.
    end_in_sight: bool,
    help: bool,
    status: Option<Status>,
    shown_at: Instant,
    /// Every error the footer showed, to say again after the session.
    errors: Vec<String>,
}

/// The widest the text column gets, for lines a reader can follow.
const MAX_TEXT_WIDTH: u16 = 100;

/// The most rows the footer's message takes: enough for an error naming a
/// deep path, its line and what to do, at 40 columns; and never more than
/// half the screen, so the card stays in sight.
const MAX_STATUS_ROWS: usize = 8;

impl<'a> Reviewer<'a> {
    pub fn new(
        session: &'a mut Session,
        settings: &'a Settings,
        typing: bool,
        color: bool,
    ) -> Reviewer<'a> {
        let mut reviewer = Reviewer {
            session,
            settings,
            typing,
            color,
            stage: Stage::Question,
            typed: None,
            preview: None,
            revealed_at: settings.current_time().to_utc(),
            scroll: 0,
            layout: None,
            end_in_sight: true,
            help: false,
            status: None,
            shown_at: Instant::now(),
            errors: Vec::new(),
        };
        reviewer.start_card();
        let plans = describe::plan_lines(reviewer.session);
        if !plans.is_empty() {
            reviewer.say(plans.join("  "), Look::dim());
        }
        if let Some(notice) = reviewer.session.other_session() {
            reviewer.say(notice, Look::colored(Color::Yellow));
        }
        reviewer
    }

    fn start_card(&mut self) {
        self.stage = if self.typing {
            Stage::Typing(String::new())
        } else {
            Stage::Question
        };
        self.typed = None;
        self.preview = None;
        self.scroll = 0;
        self.layout = None;
        self.shown_at = Instant::now();
    }

    fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.settings.current_time().to_utc()
    }

    /// Runs until the session ends or the user quits; `true` when the
    /// user interrupted it with Ctrl-C.
    pub fn run(&mut self, guard: &Guard) -> Result<bool> {
        loop {
            if self.session.current().is_none() && !self.last_chance()? {
                return Ok(false);
            }
            self.draw()?;
            let Some(event) = guard.next_event()? else {
                continue;
            };
            let flow = match event {
                Event::Key(key) if key.kind != KeyEventKind::Release => self.key(key, guard)?,
                Event::Paste(text) => {
                    if let Stage::Typing(buffer) = &mut self.stage {
                        buffer.push_str(&text.replace(['\r', '\n'], " "));
                    }
                    Flow::Continue
                }
                _ => Flow::Continue,
            };
            match flow {
                Flow::Quit => return Ok(false),
                Flow::Interrupted => return Ok(true),
                Flow::Continue => {}
            }
        }
    }

    /// The session has run out: one screen to undo the last grade (as
    /// Anki allows after its last card) before it ends. Whether to go on.
    fn last_chance(&mut self) -> Result<bool> {
        if !self.session.can_undo() {
            return Ok(false);
        }
        let mut screen = Screen::begin(self.color)?;
        screen.text(0, 1, "Session done.", Look::bold())?;
        if let Some(status) = &self.status {
            screen.text(2, 1, &status.text, status.look)?;
        }
        screen.text(
            4,
            1,
            "u undo the last grade · any other key to finish",
            Look::dim(),
        )?;
        screen.finish()?;
        loop {
            match event::read()? {
                Event::Key(key) if key.kind != KeyEventKind::Release => {
                    if key.code == KeyCode::Char('u')
                        && !key.modifiers.contains(KeyModifiers::CONTROL)
                    {
                        self.undo()?;
                        return Ok(self.session.current().is_some());
                    }
                    return Ok(false);
                }
                Event::Resize(..) => return self.last_chance(),
                _ => {}
            }
        }
    }

    fn key(&mut self, key: KeyEvent, guard: &Guard) -> Result<Flow> {
        let control = key.modifiers.contains(KeyModifiers::CONTROL);
        if control && key.code == KeyCode::Char('c') {
            return Ok(Flow::Interrupted);
        }
        if key.code == KeyCode::Esc {
            return Ok(Flow::Quit);
        }
        if control && key.code == KeyCode::Char('z') {
            guard.stop();
            return Ok(Flow::Continue);
        }
        if self.help {
            self.help = false;
            return Ok(Flow::Continue);
        }
        if let Stage::Typing(buffer) = &mut self.stage {
            match key.code {
                KeyCode::Enter => self.reveal()?,
                KeyCode::Backspace => {
                    buffer.pop();
                }
                KeyCode::Char('u') if control => buffer.clear(),
                KeyCode::Char('w') if control => {
                    let kept = buffer.trim_end().rfind(' ').map_or(0, |at| at + 1);
                    buffer.truncate(kept);
                }
                KeyCode::Char(ch) if !control => buffer.push(ch),
                _ => {}
            }
            return Ok(Flow::Continue);
        }
        match key.code {
            KeyCode::Char('q') => return Ok(Flow::Quit),
            KeyCode::Char('?') => self.help = true,
            KeyCode::Char('u') => self.undo()?,
            KeyCode::Char('s') => self.skip()?,
            KeyCode::Char('!') => self.suspend()?,
            KeyCode::Char('m') => self.mark()?,
            KeyCode::Char('e') => self.edit(guard)?,
            KeyCode::Char('o') => self.open_image(),
            KeyCode::Char(' ') | KeyCode::Enter if self.stage == Stage::Question => {
                self.reveal()?
            }
            KeyCode::Char(digit @ '1'..='4') if self.stage == Stage::Answer => {
                let rating = i64::from(digit as u8 - b'0');
                if let Some(grade) = Grade::from_rating(rating) {
                    self.grade(grade)?;
                }
            }
            // As in Anki, Enter and Space after the answer grade Good (or
            // take the grade a typed answer suggests); Space first pages
            // through an answer longer than the screen, as in a pager.
            KeyCode::Enter if self.stage == Stage::Answer => self.grade(self.default_grade())?,
            KeyCode::Char(' ') if self.stage == Stage::Answer && self.at_end() => {
                self.grade(self.default_grade())?
            }
            KeyCode::Down | KeyCode::Char('j') => self.scroll += 1,
            KeyCode::Up | KeyCode::Char('k') => self.scroll = self.scroll.saturating_sub(1),
            KeyCode::PageDown | KeyCode::Char(' ') => self.scroll += self.page(),
            KeyCode::PageUp | KeyCode::Char('b') => {
                self.scroll = self.scroll.saturating_sub(self.page())
            }
            KeyCode::Home | KeyCode::Char('g') => self.scroll = 0,
            KeyCode::End | KeyCode::Char('G') => self.scroll = usize::MAX,
            _ => {}
        }
        Ok(Flow::Continue)
    }

    /// The grade Enter (and Space at the end of the answer) gives: the
    /// one a typed answer suggests, else Good.
    fn default_grade(&self) -> Grade {
        self.typed
            .as_ref()
            .and_then(|(_, assessment)| assessment.suggested)
            .unwrap_or(Grade::Good)
    }

    /// Whether the whole answer has been in sight: it fits, or it has
    /// been scrolled to its end (as last drawn).
    fn at_end(&self) -> bool {
        self.end_in_sight
    }

    /// Rows of body text one page moves.
    fn page(&self) -> usize {
        let (_, height) = crossterm::terminal::size().unwrap_or((80, 24));
        usize::from(height.saturating_sub(6)).max(1)
    }

    /// Shows an error in the footer, and keeps it to say again after the
    /// session (the footer is gone by then, and may have been too small).
    fn warn(&mut self, text: impl Into<String>) {
        let text = text.into();
        if !self.errors.contains(&text) {
            self.errors.push(text.clone());
        }
        self.say(text, Look::colored(Color::Red));
    }

    /// The errors the session showed, once each.
    pub fn errors(&self) -> &[String] {
        &self.errors
    }

    fn say(&mut self, text: impl Into<String>, look: Look) {
        self.status = Some(Status {
            text: text.into(),
            look,
        });
    }

    fn reveal(&mut self) -> Result<()> {
        if let (Stage::Typing(buffer), Some(current)) = (&self.stage, self.session.current()) {
            let assessment =
                typed::assess_card(&current.card.question, &current.card.answer, buffer);
            self.typed = Some((buffer.clone(), assessment));
        }
        self.revealed_at = self.now();
        self.preview = self.session.preview(self.revealed_at)?;
        self.stage = Stage::Answer;
        self.scroll = 0;
        self.layout = None;
        self.status = None;
        Ok(())
    }

    fn grade(&mut self, grade: Grade) -> Result<()> {
        let now = self.now();
        let done = match self
            .session
            .answer(grade, now, answer_ms(self.shown_at.elapsed()))
        {
            Ok(done) => done,
            Err(err) => match err.downcast::<GradedElsewhere>() {
                Ok(elsewhere) => {
                    self.say(
                        describe::graded_elsewhere(&elsewhere),
                        Look::colored(Color::Yellow),
                    );
                    self.start_card();
                    return Ok(());
                }
                Err(err) => return Err(err),
            },
        };
        let look = Look::colored(grade_color(grade));
        let look = if done.leech.is_some() {
            Look::colored(Color::Yellow)
        } else {
            look
        };
        let zone = self.session.clock().zone();
        self.say(describe::graded(grade, &done, now, zone), look);
        self.start_card();
        Ok(())
    }

    fn skip(&mut self) -> Result<()> {
        self.session.skip(self.now())?;
        let text = if self.session.is_cram() {
            "skipped"
        } else {
            "skipped until tomorrow"
        };
        self.say(text, Look::dim());
        self.start_card();
        Ok(())
    }

    fn suspend(&mut self) -> Result<()> {
        let now = self.now();
        match self.session.suspend(self.settings, now) {
            Ok(()) => {
                self.say(
                    "suspended: u undoes, `prep unsuspend` brings it back",
                    Look::dim(),
                );
                self.start_card();
            }
            Err(err) => self.warn(format!("{err:#}")),
        }
        Ok(())
    }

    fn mark(&mut self) -> Result<()> {
        let now = self.now();
        match self.session.toggle_mark(self.settings, now) {
            Ok(true) => self.say(
                "marked: `prep quiz --cram --marked` drills the marked cards",
                Look::dim(),
            ),
            Ok(false) => self.say("unmarked", Look::dim()),
            Err(err) => self.warn(format!("{err:#}")),
        }
        Ok(())
    }

    /// Opens the first image of the card on screen (of its question until
    /// the answer is shown, so that the answer's image gives nothing away)
    /// with the system's opener.
    fn open_image(&mut self) {
        let Some(current) = self.session.current() else {
            return;
        };
        let answer = if self.stage == Stage::Answer {
            current.card.answer.as_str()
        } else {
            ""
        };
        let images = media::images(&current.card.question, answer);
        let Some(image) = images.first() else {
            self.say(
                if self.stage == Stage::Answer {
                    "this card shows no image"
                } else {
                    "the question shows no image"
                },
                Look::dim(),
            );
            return;
        };
        let bases = media_bases(&self.settings.decks_dir(), current.deck);
        let Some(path) = media::locate(&image.target, &bases) else {
            self.warn(format!(
                "cannot find {} beside the deck or its notes",
                image.target
            ));
            return;
        };
        match self.settings.opener.open(&path) {
            Ok(true) => self.say(
                format!("opened {} with {}", path.display(), crate::opener::NAME),
                Look::dim(),
            ),
            Ok(false) => self.warn(format!(
                "cannot open {}: {} is not on PATH",
                path.display(),
                crate::opener::NAME
            )),
            Err(err) => self.warn(format!("{err:#}")),
        }
    }

    fn undo(&mut self) -> Result<()> {
        match self.session.undo(self.now()) {
            Ok(Some(undone)) => {
                let what = describe::undone(&undone);
                self.start_card();
                self.say(what, Look::dim());
            }
            Ok(None) => self.say("nothing to undo", Look::dim()),
            Err(err) => self.warn(format!("{err:#}")),
        }
        Ok(())
    }

    /// Opens the card's deck in the editor at the card, then reads the
    /// decks again, so that the next screen shows the card as edited. When
    /// the edit leaves the deck unreadable the footer says why, the session
    /// goes on with the cards as they were, and the file keeps the edit.
    fn edit(&mut self, guard: &Guard) -> Result<()> {
        let Some(current) = self.session.current() else {
            return Ok(());
        };
        let (deck, id) = (current.deck.to_string(), current.card.id.clone());
        // A reversed side or a cloze card is edited where it is written.
        let written_id = current.side.written_id(&id).to_string();
        let collection = self.settings.collection();
        let (path, line, copied, ids_written) = match collection.edit_target(&deck, &written_id) {
            Ok(target) => target,
            Err(err) => {
                self.warn(format!("{err:#}"));
                return Ok(());
            }
        };
        let failed = match guard.suspended(|| self.settings.editor.open(&path, line))? {
            Err(err) => {
                self.warn(format!("{err:#}"));
                return Ok(());
            }
            Ok(status) if !status.success() => Some(format!(
                "the editor {:?} failed ({status}); ",
                self.settings.editor.program()
            )),
            Ok(_) => None,
        };
        let (text, look) = match self.session.reload(self.settings, self.now()) {
            Ok(()) => {
                // Mended: what the session said of this deck's file is
                // no longer so, and is not said again at exit.
                let file = path.display().to_string();
                self.errors.retain(|error| !error.contains(&file));
                // The session moves on only from a card that has left it
                // (removed, or its id changed).
                let gone = self
                    .session
                    .current()
                    .is_none_or(|current| current.card.id != id);
                let text = if gone {
                    self.start_card();
                    format!("card {id} is no longer in {}", path.display())
                } else if copied {
                    format!(
                        "the bundled deck is now your copy at {}; edits there are kept",
                        path.display()
                    )
                } else if !ids_written.is_empty() {
                    format!(
                        "read {} again; wrote the ids of cards typed without one: {}",
                        path.display(),
                        ids_written.join(", ")
                    )
                } else {
                    format!("read {} again", path.display())
                };
                (text, Look::dim())
            }
            // The verdict first: on a narrow screen the footer shows only
            // the first rows of a long message.
            Err(err) => (
                format!("not read again, the card stays as it was (e to edit it): {err:#}"),
                Look::colored(Color::Red),
            ),
        };
        let text = format!("{}{text}", failed.clone().unwrap_or_default());
        if look == Look::colored(Color::Red) {
            self.warn(text);
        } else if failed.is_some() {
            self.say(text, Look::colored(Color::Yellow));
        } else {
            self.say(text, look);
        }
        Ok(())
    }

    fn draw(&mut self) -> Result<()> {
        let mut screen = Screen::begin(self.color)?;
        let (w, h) = (screen.width, screen.height);
        let Some(current) = self.session.current() else {
            return screen.finish();
        };
        let place = format!(" {}", describe::card_place(&current));
        let question = current.card.question.clone();
        draw_header(&mut screen, &place, &self.session.progress(), w)?;
        let rule = "─".repeat(usize::from(w));
        screen.text(1, 0, &rule, Look::dim())?;

        // Body.
        let text_width = w.saturating_sub(2).clamp(10, MAX_TEXT_WIDTH);
        let (body, question_rows) = self.body(usize::from(text_width));
        let top = 2u16;
        let status_rows = self.status_rows(w, h);
        let footer = 2 + status_rows.len().max(1) as u16;
        let rows = usize::from(h.saturating_sub(top + footer)).max(1);
        let view = self.scroll_body(body.len(), question_rows, usize::from(text_width), rows);
        if self.help {
            draw_help(&mut screen, top)?;
        } else {
            let mut y = top;
            if view.pinned {
                let question =
                    crate::text_width::shorten(&markdown_plain(&question), usize::from(text_width));
                let mut look = Look::dim();
                look.bold = true;
                screen.text(y, 1, &question, look)?;
                y += 1;
            }
            for (index, row) in body.iter().skip(self.scroll).take(view.visible).enumerate() {
                screen.row(y + index as u16, 1, row)?;
            }
        }

        // Footer: a rule (with how much more there is), the status, keys.
        let y = h.saturating_sub(footer);
        screen.text(y, 0, &rule, Look::dim())?;
        if !self.help && view.last_scroll > 0 {
            let more = if self.scroll < view.last_scroll {
                format!(
                    " {}% ↓ more ",
                    (self.scroll + view.visible) * 100 / body.len().max(1)
                )
            } else {
                " end ".to_string()
            };
            let at = usize::from(w).saturating_sub(width(&more) + 1);
            screen.text(y, at as u16, &more, Look::dim())?;
        }
        if let Some(status) = &self.status {
            for (row, text) in status_rows.iter().enumerate() {
                screen.text(y + 1 + row as u16, 1, text, status.look)?;
            }
        }
        self.keys(&mut screen, y + footer - 1)?;
        screen.finish()
    }

    /// The status's rows: a long status (a deck error names the file, the
    /// place and the fix) wraps onto up to three rows rather than being
    /// cut.
    fn status_rows(&self, w: u16, h: u16) -> Vec<String> {
        self.status.as_ref().map_or_else(Vec::new, |status| {
            wrap(&status.text, usize::from(w.saturating_sub(2)).max(1))
                .into_iter()
                .take(MAX_STATUS_ROWS.min(usize::from(h / 2)).max(1))
                .map(|row| row.into_iter().map(|(text, _)| text).collect())
                .collect()
        })
    }

    /// Keeps the scroll within a body of `body_len` rows shown in `rows`
    /// (where it was, after a resize), and says what is in sight.
    fn scroll_body(
        &mut self,
        body_len: usize,
        question_rows: usize,
        text_width: usize,
        rows: usize,
    ) -> View {
        // An answer longer than the screen scrolls under the question,
        // which stays in sight as one line once its own rows have gone.
        let pins = self.stage == Stage::Answer && body_len > rows && rows > 2;
        let room = if pins { rows - 1 } else { rows };
        let last_scroll = body_len.saturating_sub(room);
        if let Some((old_width, old_len, at_end)) = self.layout
            && old_width != text_width
        {
            self.scroll = if at_end {
                last_scroll
            } else {
                self.scroll * body_len / old_len.max(1)
            };
        }
        self.scroll = self.scroll.min(last_scroll);
        self.end_in_sight = self.scroll >= last_scroll;
        // Pinned once the question's own rows have all gone, so that no
        // part of it is in sight twice (a narrower screen wraps it onto
        // more rows).
        let pinned = pins && self.scroll >= question_rows.max(1);
        let visible = if pinned { rows - 1 } else { rows };
        self.layout = Some((
            text_width,
            body_len,
            last_scroll > 0 && self.scroll >= last_scroll,
        ));
        View {
            last_scroll,
            pinned,
            visible,
        }
    }

    /// The body's rows: question, typed answer, key points and answer.
    /// Also returns how many of the rows are the question's.
    fn body(&self, text_width: usize) -> (Vec<Row>, usize) {
        let Some(current) = self.session.current() else {
            return (Vec::new(), 0);
        };
        let mut rows: Vec<Row> = render::render(&current.card.question, Some(text_width))
            .iter()
            .map(bold_row_of)
            .collect();
        let question_rows = rows.len();
        let label = |text: &str| vec![(text.to_string(), Look::dim())];
        match &self.stage {
            Stage::Question => {}
            Stage::Typing(buffer) => {
                rows.push(Row::new());
                rows.push(label("Your answer (Enter to check it):"));
                rows.extend(wrap(&format!("{buffer}▏"), text_width));
            }
            Stage::Answer => {
                if let Some((typed_text, assessment)) = &self.typed {
                    rows.push(Row::new());
                    rows.push(label("Your answer:"));
                    let shown = if typed_text.trim().is_empty() {
                        "(nothing typed)"
                    } else {
                        typed_text
                    };
                    rows.extend(wrap(shown, text_width));
                    rows.push(Row::new());
                    // the headline can be long with its reason: wrapped, not cut
                    rows.extend(
                        super::render::wrap_plain(&typed::headline(assessment), text_width)
                            .into_iter()
                            .map(|line| vec![(line, Look::bold())]),
                    );
                    for result in &assessment.points {
                        let (mark, color) = if result.covered {
                            ("✓ ", Color::Green)
                        } else {
                            ("✗ ", Color::Red)
                        };
                        let mut look = Look::colored(color);
                        look.bold = true;
                        rows.push(vec![
                            (mark.to_string(), look),
                            (result.point.text.clone(), Look::PLAIN),
                        ]);
                    }
                }
                rows.push(Row::new());
                rows.push(label(&format!(
                    "── answer {}",
                    "─".repeat(text_width.saturating_sub(10))
                )));
                rows.push(Row::new());
                rows.extend(
                    render::render(&current.card.answer, Some(text_width))
                        .iter()
                        .map(row_of),
                );
            }
        }
        (rows, question_rows)
    }

    fn keys(&self, screen: &mut Screen, y: u16) -> Result<()> {
        let narrow = screen.width < 60;
        match &self.stage {
            Stage::Typing(_) => {
                let hint = if narrow {
                    " Enter check · Esc quit"
                } else {
                    " type your answer · Enter check it · Ctrl-U clear · Esc quit"
                };
                screen.text(y, 0, hint, Look::dim())?;
            }
            Stage::Question => {
                let hint = if narrow {
                    " Space answer · ? help · q quit"
                } else if screen.width < 90 {
                    " Space show answer · s skip · u undo · e edit · ? help · q quit"
                } else {
                    " Space show answer · s skip · ! suspend · m mark · u undo · e edit · ? help · q quit"
                };
                screen.text(y, 0, hint, Look::dim())?;
            }
            Stage::Answer => {
                let suggested = self.typed.as_ref().and_then(|(_, a)| a.suggested);
                let buttons = describe::buttons(
                    self.preview.as_ref(),
                    self.revealed_at,
                    self.session.clock().zone(),
                );
                let (labels, gap) = button_labels(&buttons, usize::from(screen.width));
                let mut x = 1;
                for ((grade, _), text) in buttons.iter().zip(labels) {
                    let mut look = Look::colored(grade_color(*grade));
                    look.bold = true;
                    look.reverse = suggested == Some(*grade);
                    x = screen.text(y, x, &text, look)?;
                    x = screen.text(y, x, gap, Look::PLAIN)?;
                }
                let hint = if suggested.is_some() {
                    "Enter accepts"
                } else {
                    "Enter good"
                };
                if usize::from(x) + width(hint) < usize::from(screen.width) {
                    screen.text(y, x, hint, Look::dim())?;
                }
            }
        }
        Ok(())
    }
}

/// How a grade button is labelled, from its grade and interval.
type LabelForm = fn(Grade, &str) -> String;

/// The grade buttons' labels, and the gap between them, as wide as fits
/// in `columns`: `1 Again 10m`, then `1 10m`, then `1:10m`, then the
/// intervals alone in the buttons' colours; an interval keeps its unit
/// (`8d`) at any width, since a bare `8` says nothing.
fn button_labels(buttons: &[(Grade, String); 4], columns: usize) -> (Vec<String>, &'static str) {
    let forms: [(LabelForm, &'static str); 5] = [
        (
            |grade, interval| {
                let name = capitalized(grade);
                if interval.is_empty() {
                    format!("{} {name}", grade.rating())
                } else {
                    format!("{} {name} {interval}", grade.rating())
                }
            },
            "   ",
        ),
        (
            |grade, interval| {
                if interval.is_empty() {
                    format!("{} {}", grade.rating(), &capitalized(grade)[..1])
                } else {
                    format!("{} {interval}", grade.rating())
                }
            },
            " ",
        ),
        (
            |grade, interval| {
                if interval.is_empty() {
                    grade.rating().to_string()
                } else {
                    format!("{}:{interval}", grade.rating())
                }
            },
            " ",
        ),
        // In button order and colour, Again to Easy.
        (
            |grade, interval| {
                if interval.is_empty() {
                    grade.rating().to_string()
                } else {
                    interval.to_string()
                }
            },
            " ",
        ),
        (|grade, _| grade.rating().to_string(), " "),
    ];
    let mut labels = Vec::new();
    for (index, (form, gap)) in forms.iter().enumerate() {
        labels = buttons
            .iter()
            .map(|(grade, interval)| form(*grade, interval))
            .collect::<Vec<_>>();
        let needed: usize = 1 + labels
            .iter()
            .map(|label| width(label) + gap.len())
            .sum::<usize>();
        // The widest form leaves room for the "Enter" hint after it.
        let room = if index == 0 {
            columns.saturating_sub(14)
        } else {
            columns
        };
        if needed <= room {
            return (labels, gap);
        }
    }
    (labels, " ")
}

/// A question's text on one line, as the pinned line shows it.
fn markdown_plain(markdown: &str) -> String {
    render::render(markdown, None)
        .iter()
        .map(|line| line.plain())
        .filter(|line| !line.trim().is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn grade_color(grade: Grade) -> Color {
    match grade {
        Grade::Again => Color::Red,
        Grade::Hard => Color::Yellow,
        Grade::Good => Color::Green,
        Grade::Easy => Color::Blue,
    }
}

fn capitalized(grade: Grade) -> String {
    let name = grade.as_str();
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Plain text word-wrapped to `text_width` columns, as rows of the
/// screen.
fn wrap(text: &str, text_width: usize) -> Vec<Row> {
    super::render::wrap_plain(text, text_width)
        .into_iter()
        .map(|line| vec![(line, Look::PLAIN)])
        .collect()
}

/// What of the body is in sight.
struct View {
    /// The scroll that shows the body's end.
    last_scroll: usize,
    /// Whether the question stands as one line above the body.
    pinned: bool,
    /// How many of the body's rows are in sight.
    visible: usize,
}

/// The header: the card's place on the left, the session's on the right
/// (how many are left only where it fits).
fn draw_header(screen: &mut Screen, place: &str, progress: &Progress, w: u16) -> Result<()> {
    let mut right = format!(
        "{}  {} ",
        describe::position(progress),
        describe::left(progress)
    );
    if width(place) + width(&right) + 2 > usize::from(w) {
        right = format!("{} ", describe::position(progress));
    }
    screen.text(0, 0, place, Look::bold())?;
    let right_at = usize::from(w).saturating_sub(width(&right));
    if right_at > width(place) {
        screen.text(0, right_at as u16, &right, Look::dim())?;
    }
    Ok(())
}

/// The keys and what they do, in place of the body.
fn draw_help(screen: &mut Screen, top: u16) -> Result<()> {
    for (row, (keys, what)) in KEYS.iter().enumerate() {
        let y = top + row as u16;
        let x = screen.text(y, 1, &format!("{keys:<KEY_COLUMNS$}"), Look::bold())?;
        screen.text(y, x, what, Look::PLAIN)?;
    }
    let y = top + KEYS.len() as u16 + 1;
    screen.text(
        y,
        1 + KEY_COLUMNS as u16,
        "press any key to go back",
        Look::PLAIN,
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buttons_keep_their_units_at_any_width() {
        let buttons = [
            (Grade::Again, "1m".to_string()),
            (Grade::Hard, "6m".to_string()),
            (Grade::Good, "10m".to_string()),
            (Grade::Easy, "8d".to_string()),
        ];
        let line = |columns: usize| {
            let (labels, gap) = button_labels(&buttons, columns);
            format!(" {}", labels.join(gap))
        };
        assert_eq!(
            line(100),
            " 1 Again 1m   2 Hard 6m   3 Good 10m   4 Easy 8d"
        );
        assert_eq!(line(40), " 1 1m 2 6m 3 10m 4 8d");
        assert_eq!(line(20), " 1m 6m 10m 8d");
        for columns in 14..=100 {
            let shown = line(columns);
            if width(&shown) < columns {
                assert!(shown.ends_with("8d"), "{columns}: {shown}");
            }
        }
    }

    #[test]
    fn typed_text_wraps_at_words_and_cuts_long_ones() {
        let text = |rows: Vec<Row>| -> Vec<String> {
            rows.iter()
                .map(|row| row.iter().map(|(text, _)| text.as_str()).collect())
                .collect()
        };
        let lines = text(wrap("one two three four", 9));
        assert_eq!(lines, ["one two", "three", "four"]);
        let lines = text(wrap("abcdefghij", 4));
        assert_eq!(lines, ["abcd", "efgh", "ij"]);
        assert_eq!(wrap("", 10).len(), 1);
    }
}

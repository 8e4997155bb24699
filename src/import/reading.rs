//! How the user says their notes should be read, when the detector's own
//! reading is wrong: which blocks are the questions (`--questions`) and
//! which word labels an answer (`--answer-label`). Both parse from and print
//! back to the flag syntax, so a deck can record the reading it was made
//! with and a later import can use it again.

use std::fmt;
use std::str::FromStr;

/// Which blocks of the notes are the questions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QuestionMode {
    /// Headings, of one level or (without it) of the level most of the
    /// question-like headings are at.
    Heading(Option<u8>),
    /// The first paragraph of each list item of the outermost list that
    /// holds any.
    List,
    /// Paragraphs that are wholly bold.
    Bold,
    /// Lines opening with a label: `Q:` (and its spellings) without a word,
    /// or the word given (`label:Frage` reads `Frage:` lines).
    Label(Option<String>),
    /// Rows of two-column tables, the first cell asking.
    Table,
    /// Every line that ends in `?` or a full-width `？`.
    Line,
}

impl FromStr for QuestionMode {
    type Err = String;

    fn from_str(text: &str) -> Result<QuestionMode, String> {
        let (name, argument) = match text.split_once(':') {
            Some((name, argument)) => (name, Some(argument)),
            None => (text, None),
        };
        let no_argument = |mode: QuestionMode| match argument {
            None => Ok(mode),
            Some(_) => Err(format!("`{name}` takes no `:` argument")),
        };
        match name.trim().to_ascii_lowercase().as_str() {
            "heading" => match argument {
                None => Ok(QuestionMode::Heading(None)),
                Some(level) => match level.trim().parse::<u8>() {
                    Ok(level @ 1..=6) => Ok(QuestionMode::Heading(Some(level))),
                    _ => Err(format!("heading level must be 1 to 6, not `{level}`")),
                },
            },
            "list" => no_argument(QuestionMode::List),
            "bold" => no_argument(QuestionMode::Bold),
            "table" => no_argument(QuestionMode::Table),
            "line" => no_argument(QuestionMode::Line),
            "label" => match argument.map(str::trim) {
                Some("") => Err("`label:` needs a word after the colon".to_owned()),
                word => Ok(QuestionMode::Label(word.map(str::to_owned))),
            },
            _ => Err(format!(
                "unknown question form `{name}`: expected heading[:LEVEL], list, bold, label[:WORD], table or line"
            )),
        }
    }
}

impl fmt::Display for QuestionMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QuestionMode::Heading(None) => f.write_str("heading"),
            QuestionMode::Heading(Some(level)) => write!(f, "heading:{level}"),
            QuestionMode::List => f.write_str("list"),
            QuestionMode::Bold => f.write_str("bold"),
            QuestionMode::Label(None) => f.write_str("label"),
            QuestionMode::Label(Some(word)) => write!(f, "label:{word}"),
            QuestionMode::Table => f.write_str("table"),
            QuestionMode::Line => f.write_str("line"),
        }
    }
}

impl QuestionMode {
    /// How the mode is described in [`super::Notes::convention`].
    pub fn describe(&self) -> String {
        match self {
            QuestionMode::Heading(None) => "headings".to_owned(),
            QuestionMode::Heading(Some(level)) => format!("level-{level} headings"),
            QuestionMode::List => "list items".to_owned(),
            QuestionMode::Bold => "bold lines".to_owned(),
            QuestionMode::Label(None) => "lines labelled Q:".to_owned(),
            QuestionMode::Label(Some(word)) => format!("lines labelled {word}:"),
            QuestionMode::Table => "table rows".to_owned(),
            QuestionMode::Line => "lines ending in ?".to_owned(),
        }
    }
}

/// The forms the user named the questions by, one or several: `--questions
/// heading:3,bold` (or the flag repeated) for notes that ask in level-3
/// headings and in bold lines. A block of any of the forms is a question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionForms(Vec<QuestionMode>);

impl QuestionForms {
    /// The forms given, each once, in the order given; `None` for none.
    pub fn new(forms: Vec<QuestionMode>) -> Option<QuestionForms> {
        let mut unique: Vec<QuestionMode> = Vec::with_capacity(forms.len());
        for form in forms {
            if !unique.contains(&form) {
                unique.push(form);
            }
        }
        (!unique.is_empty()).then_some(QuestionForms(unique))
    }

    pub fn iter(&self) -> impl Iterator<Item = &QuestionMode> {
        self.0.iter()
    }

    /// Whether `form` is one of them.
    pub fn has(&self, form: &QuestionMode) -> bool {
        self.0.contains(form)
    }

    /// The word of a `label:WORD` form, if one was given.
    pub fn label_word(&self) -> Option<&str> {
        self.0.iter().find_map(|form| match form {
            QuestionMode::Label(Some(word)) => Some(word.as_str()),
            _ => None,
        })
    }

    /// `level-3 headings and bold lines`.
    pub fn describe(&self) -> String {
        let names: Vec<String> = self.0.iter().map(QuestionMode::describe).collect();
        match names.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
            _ => names.concat(),
        }
    }
}

impl From<QuestionMode> for QuestionForms {
    fn from(form: QuestionMode) -> QuestionForms {
        QuestionForms(vec![form])
    }
}

/// `heading:3,bold`, as the flag takes them.
impl fmt::Display for QuestionForms {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let forms: Vec<String> = self.0.iter().map(ToString::to_string).collect();
        f.write_str(&forms.join(","))
    }
}

impl FromStr for QuestionForms {
    type Err = String;

    fn from_str(text: &str) -> Result<QuestionForms, String> {
        let forms = text
            .split(',')
            .map(str::parse)
            .collect::<Result<Vec<QuestionMode>, String>>()?;
        QuestionForms::new(forms).ok_or_else(|| "no question form given".to_owned())
    }
}

/// The reading of the notes the user asked for; the default is the
/// detector's own.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reading {
    pub questions: Option<QuestionForms>,
    /// A word that labels answers (`Lösung` reads `Lösung:` lines as
    /// answers), besides the labels the importer knows.
    pub answer_label: Option<String>,
    /// Also say why each block was or was not taken for a question
    /// ([`super::Notes::decisions`]). Not part of the reading itself, so
    /// neither printed nor parsed with it; off by default, since a large
    /// document has a hundred thousand decisions.
    pub explain: bool,
    /// The format the notes are in, as `--format` or the file's extension
    /// says; `None` to tell it by the text. Not recorded with the reading:
    /// the next import asks the file's name again.
    pub format: Option<super::Format>,
}

impl Reading {
    /// Whether this is the detector's own reading.
    pub fn is_default(&self) -> bool {
        self.questions.is_none() && self.answer_label.is_none()
    }
}

/// `questions=heading:3 answer-label=Lösung`, the empty string for the
/// default reading.
impl fmt::Display for Reading {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if let Some(questions) = &self.questions {
            parts.push(format!("questions={questions}"));
        }
        if let Some(label) = &self.answer_label {
            parts.push(format!("answer-label={label}"));
        }
        f.write_str(&parts.join(" "))
    }
}

impl FromStr for Reading {
    type Err = String;

    fn from_str(text: &str) -> Result<Reading, String> {
        let mut reading = Reading::default();
        for part in text.split_whitespace() {
            match part.split_once('=') {
                Some(("questions", mode)) => reading.questions = Some(mode.parse()?),
                Some(("answer-label", label)) if !label.is_empty() => {
                    reading.answer_label = Some(label.to_owned());
                }
                _ => return Err(format!("unknown reading `{part}`")),
            }
        }
        Ok(reading)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_parse_and_print_back() {
        for text in [
            "heading",
            "heading:3",
            "list",
            "bold",
            "label",
            "label:Frage",
            "table",
            "line",
        ] {
            let mode: QuestionMode = text.parse().unwrap();
            assert_eq!(mode.to_string(), text);
        }
        assert_eq!("Heading:2".parse(), Ok(QuestionMode::Heading(Some(2))));
        assert!("heading:9".parse::<QuestionMode>().is_err());
        assert!("list:2".parse::<QuestionMode>().is_err());
        assert!("label:".parse::<QuestionMode>().is_err());
        assert!("para".parse::<QuestionMode>().is_err());
    }

    #[test]
    fn readings_parse_and_print_back() {
        let reading = Reading {
            questions: "heading:3,bold".parse().ok(),
            answer_label: Some("Lösung".to_owned()),
            ..Reading::default()
        };
        assert_eq!(
            reading.to_string(),
            "questions=heading:3,bold answer-label=Lösung"
        );
        assert_eq!(reading.to_string().parse(), Ok(reading));
        assert_eq!("".parse(), Ok(Reading::default()));
        assert!(Reading::default().is_default());
    }

    #[test]
    fn forms_are_a_comma_list_each_once() {
        let forms: QuestionForms = "heading:3, bold,label:Frage,bold".parse().unwrap();
        assert_eq!(forms.to_string(), "heading:3,bold,label:Frage");
        assert_eq!(
            forms.describe(),
            "level-3 headings, bold lines and lines labelled Frage:"
        );
        assert!(forms.has(&QuestionMode::Bold) && !forms.has(&QuestionMode::List));
        assert_eq!(forms.label_word(), Some("Frage"));
        assert!("heading:3,para".parse::<QuestionForms>().is_err());
        assert!("".parse::<QuestionForms>().is_err());
        assert_eq!(QuestionForms::new(Vec::new()), None);
    }
}

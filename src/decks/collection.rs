/*!
The decks a home directory offers: the user's YAML files in
`$PREP_HOME/decks/` and the decks bundled in the binary.

This is the one place that decides which deck a name means, so that every
command that takes a deck name (and `prep decks`, which shows them all)
agrees. A user file named like a bundled deck replaces it: importing your
own `aws.yaml` is how you edit the bundled AWS deck. A user file that
exists but does not load is reported, never silently replaced by the
bundled deck of the same name.

Listing loads every deck to count its cards, but one broken file does not
stop the listing: its error is kept in its [`DeckEntry`], so the caller can
show the others and report that one with its path.
*/

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::decks::cache::DeckCache;
use crate::decks::deck::{Contents, Deck, check_deck_name};

/// The decks compiled into the binary, by name, sorted by name. The files
/// are written by the importer from the project's own notes.
const BUNDLED: &[(&str, &str)] = &[
    ("aws", include_str!("../../decks/aws.yaml")),
    ("devops", include_str!("../../decks/devops.yaml")),
];

/// The text of the bundled deck of this name.
pub fn bundled(name: &str) -> Option<&'static str> {
    BUNDLED
        .iter()
        .find(|(bundled, _)| *bundled == name)
        .map(|(_, text)| *text)
}

/// The names of the bundled decks, sorted.
pub fn bundled_names() -> impl Iterator<Item = &'static str> {
    BUNDLED.iter().map(|(name, _)| *name)
}

/// The bundled decks left out when no deck is named, given the user's deck
/// files: all of those the user has no file for, once one of the files is
/// a deck of the user's own (not a copy of a bundled deck); none before.
fn left_out_bundled(files: &[UserFile]) -> impl Iterator<Item = &'static str> + '_ {
    let has_own = files.iter().any(|file| bundled(&file.name).is_none());
    bundled_names().filter(move |name| has_own && !files.iter().any(|file| file.name == *name))
}

/// Parses a bundled deck. A failure is a bug in the build, but it is
/// reported like any broken deck rather than a panic.
fn parse_bundled(name: &str, text: &str) -> Result<Deck> {
    Deck::parse(text, Path::new(&format!("(built in) {name}.yaml")))
}

/// Where a deck comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeckOrigin {
    /// A file in `$PREP_HOME/decks/`.
    User,
    /// Compiled into the binary.
    Bundled,
}

impl DeckOrigin {
    /// The lowercase word used in listings and JSON: `user` or `bundled`.
    pub fn as_str(self) -> &'static str {
        match self {
            DeckOrigin::User => "user",
            DeckOrigin::Bundled => "bundled",
        }
    }
}

/// One deck of a collection, as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeckEntry {
    /// Whether commands leave this deck out unless it is named: a bundled
    /// deck, once the home has a deck of its own (see [`Collection::load_home`]).
    pub only_when_named: bool,
    /// The file stem for user decks; what commands take as a deck name.
    pub name: String,
    pub origin: DeckOrigin,
    /// The file, for user decks; `None` for bundled ones.
    pub path: Option<PathBuf>,
    /// How many cards the deck holds; 0 when it has a problem.
    pub cards: usize,
    /// Whether its cards are only its written cards (none reversed, none
    /// cloze), found once as it loads, so the catalog need not look again.
    pub forward_only: bool,
    /// Why the deck could not be loaded, naming its file (and line and
    /// column where the YAML says); `None` when it loaded.
    pub problem: Option<String>,
}

impl DeckEntry {
    fn user(name: String, path: PathBuf, loaded: Result<&Deck, &anyhow::Error>) -> DeckEntry {
        DeckEntry::new(name, DeckOrigin::User, Some(path), loaded)
    }

    fn bundled(name: &str, loaded: Result<&Deck, &anyhow::Error>) -> DeckEntry {
        DeckEntry::new(name.to_string(), DeckOrigin::Bundled, None, loaded)
    }

    fn new(
        name: String,
        origin: DeckOrigin,
        path: Option<PathBuf>,
        loaded: Result<&Deck, &anyhow::Error>,
    ) -> DeckEntry {
        let (cards, forward_only, problem) = match loaded {
            Ok(deck) if crate::decks::sides::only_forward(deck) => (deck.cards.len(), true, None),
            Ok(deck) => (crate::decks::sides::card_count(deck), false, None),
            Err(err) => (0, false, Some(format!("{err:#}"))),
        };
        DeckEntry {
            only_when_named: false,
            name,
            origin,
            path,
            cards,
            forward_only,
            problem,
        }
    }

    /// Whether this is a user deck that replaces a bundled deck of the
    /// same name.
    pub fn overrides_bundled(&self) -> bool {
        self.origin == DeckOrigin::User && bundled(&self.name).is_some()
    }
}

/// `work` applied to every item, on as many threads as there are cores
/// (parsing YAML is most of the time a session takes to start), results in
/// the items' order.
fn in_parallel<T: Sync, R: Send>(items: &[T], work: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(items.len());
    if threads <= 1 {
        return items.iter().map(work).collect();
    }
    // Interleaved, so that large and small files spread over the threads.
    let work = &work;
    let mut results: Vec<(usize, R)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|thread| {
                scope.spawn(move || {
                    items
                        .iter()
                        .enumerate()
                        .skip(thread)
                        .step_by(threads)
                        .map(|(index, item)| (index, work(item)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|handle| match handle.join() {
                Ok(results) => results,
                Err(panic) => std::panic::resume_unwind(panic),
            })
            .collect()
    });
    results.sort_by_key(|(index, _)| *index);
    results.into_iter().map(|(_, result)| result).collect()
}

/// Where a deck's text is: a file of the decks directory, or the binary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeckSource {
    User(PathBuf),
    Bundled,
}

/// The decks of one home directory.
#[derive(Debug, Clone)]
pub struct Collection {
    home: PathBuf,
    decks_dir: PathBuf,
    cache: DeckCache,
}

/// A `*.yaml` file in the decks directory, not yet loaded.
struct UserFile {
    name: String,
    path: PathBuf,
}

impl Collection {
    /// The decks of `home` (its `decks/` and the bundled decks), read
    /// through `cache`.
    pub fn new(home: impl Into<PathBuf>, cache: DeckCache) -> Collection {
        let home = home.into();
        Collection {
            decks_dir: home.join("decks"),
            home,
            cache,
        }
    }

    /// The home the decks are in.
    pub fn home(&self) -> &Path {
        &self.home
    }

    /// The directory that holds the user's deck files.
    pub fn decks_dir(&self) -> &Path {
        &self.decks_dir
    }

    /// Where the user's deck of this name lives (whether or not it exists).
    pub fn user_deck_path(&self, name: &str) -> PathBuf {
        self.decks_dir.join(format!("{name}.yaml"))
    }

    /// The file to open in an editor for deck `name` and the line of card
    /// `card_id` in it. A bundled deck is first copied, byte for byte, to
    /// the decks directory, where it replaces the bundled one from then on
    /// (the last value is `true` then): the binary cannot be edited.
    ///
    /// Cards typed without an id get theirs written into the file first
    /// (the last value lists them): an edit of such a card's question
    /// would otherwise give it another id, and part it from its history.
    pub fn edit_target(
        &self,
        name: &str,
        card_id: &str,
    ) -> Result<(PathBuf, usize, bool, Vec<String>)> {
        let path = self.user_deck_path(name);
        let mut copied = false;
        if !path.try_exists().unwrap_or(true) {
            let Some(text) = bundled(name) else {
                bail!("no deck named {name:?} to edit");
            };
            std::fs::create_dir_all(&self.decks_dir)
                .with_context(|| format!("cannot create {}", self.decks_dir.display()))?;
            crate::decks::deck::write_atomically(&path, text.as_bytes())?;
            copied = true;
        }
        let written = crate::decks::deck::write_missing_ids(&path)?;
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read deck {}", path.display()))?;
        let line = crate::decks::lines::edit_line(&text, &path, card_id);
        Ok((path, line, copied, written))
    }

    /// Every deck, sorted by name, each loaded to count its cards. A user
    /// deck that does not load is listed with its problem; only an
    /// unreadable decks directory is an error.
    pub fn list(&self) -> Result<Vec<DeckEntry>> {
        Ok(self
            .load_all(Contents::WithoutAnswers)?
            .into_iter()
            .map(|(entry, _)| entry)
            .collect())
    }

    /// The decks a command works on when no deck is named: every user
    /// deck, and the bundled decks only while the home has no deck of its
    /// own. The bundled decks are there so that the first run has cards;
    /// once you import your own notes, twenty new AWS cards a day before
    /// yours would be in the way, so from then on they are used only when
    /// named (`--deck aws`). A bundled deck you edited is a file in the
    /// decks directory, yours like any other, and is not left out.
    pub fn load_home(&self, contents: Contents) -> Result<Vec<(DeckEntry, Option<Deck>)>> {
        let mut all = self.load_all(contents)?;
        all.retain(|(entry, _)| !entry.only_when_named);
        Ok(all)
    }

    /// The names of the user's deck files, sorted, without loading them.
    pub fn user_deck_names(&self) -> Result<Vec<String>> {
        Ok(self
            .user_files()?
            .into_iter()
            .map(|file| file.name)
            .collect())
    }

    /// The names of the bundled decks left out of [`Collection::load_home`].
    pub fn bundled_left_out(&self) -> Result<Vec<String>> {
        let files = self.user_files()?;
        Ok(left_out_bundled(&files).map(str::to_string).collect())
    }

    /// Every deck, bundled ones included, sorted by name, with its cards,
    /// or with `None` and the problem in the entry when it does not load.
    pub fn load_all(&self, contents: Contents) -> Result<Vec<(DeckEntry, Option<Deck>)>> {
        let mut entries = BTreeMap::new();
        let files = self.user_files()?;
        let load = |file: &UserFile| {
            check_deck_name(&file.name)
                .map_err(|err| anyhow::anyhow!("{}: {err:#}; rename the file", file.path.display()))
                .and_then(|()| self.cache.load(&file.path, contents))
        };
        for (file, loaded) in files.iter().zip(in_parallel(&files, load)) {
            let entry = DeckEntry::user(file.name.clone(), file.path.clone(), loaded.as_ref());
            entries.insert(file.name.clone(), (entry, loaded.ok()));
        }
        let left_out: Vec<&str> = left_out_bundled(&files).collect();
        for (name, text) in BUNDLED {
            entries.entry(name.to_string()).or_insert_with(|| {
                let loaded = parse_bundled(name, text).map(|deck| contents.apply(deck));
                let mut entry = DeckEntry::bundled(name, loaded.as_ref());
                entry.only_when_named = left_out.contains(name);
                (entry, loaded.ok())
            });
        }
        Ok(entries.into_values().collect())
    }

    /// The deck a name means: the user's file if there is one, else the
    /// bundled deck. An unknown name is an error that suggests the closest
    /// known name, if one is close enough to be a typo.
    pub fn load(&self, name: &str, contents: Contents) -> Result<(DeckEntry, Deck)> {
        check_deck_name(name)?;
        let path = self.user_deck_path(name);
        // symlink_metadata, so that a dangling link is reported as the
        // broken deck it is rather than hidden behind a bundled deck.
        match std::fs::symlink_metadata(&path) {
            Ok(_) => {
                let deck = self.cache.load(&path, contents)?;
                let entry = DeckEntry::user(name.to_string(), path, Ok(&deck));
                return Ok((entry, deck));
            }
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
            Err(err) => {
                return Err(err).with_context(|| format!("cannot read deck {}", path.display()));
            }
        }
        if let Some(text) = bundled(name) {
            let deck = contents.apply(parse_bundled(name, text)?);
            let entry = DeckEntry::bundled(name, Ok(&deck));
            return Ok((entry, deck));
        }
        // The decks directory is only read again to make the message
        // better; if that fails, the bundled names still help.
        let user_names: Vec<String> = self
            .user_files()
            .unwrap_or_default()
            .into_iter()
            .map(|file| file.name)
            .collect();
        let mut known: Vec<&str> = user_names.iter().map(String::as_str).collect();
        // Pushed one by one: `extend` would demand `&'static` of the
        // user's names too.
        for bundled in bundled_names() {
            known.push(bundled);
        }
        let hint = match crate::suggest::closest(name, known) {
            Some(near) => format!(" (did you mean {near:?}?)"),
            None => String::new(),
        };
        bail!(
            "no deck named {name:?} in {}{hint}; run `prep decks` to list them",
            self.decks_dir.display()
        )
    }

    /// The decks [`Collection::load_home`] (no names) or
    /// [`Collection::load`] (each name) would read, in the same order and
    /// without reading them: for a session that finds its cards in the
    /// store's deck index. `None` when a name is not a deck or a file is
    /// not named as a deck: reading them is what reports that.
    pub fn sources(&self, names: &[String]) -> Result<Option<Vec<(String, DeckSource)>>> {
        if names.is_empty() {
            let files = self.user_files()?;
            if files
                .iter()
                .any(|file| check_deck_name(&file.name).is_err())
            {
                return Ok(None);
            }
            let left_out: Vec<&str> = left_out_bundled(&files).collect();
            let mut sources = BTreeMap::new();
            for file in &files {
                let source = DeckSource::User(file.path.clone());
                sources.insert(file.name.clone(), source);
            }
            for name in bundled_names().filter(|name| !left_out.contains(name)) {
                sources
                    .entry(name.to_string())
                    .or_insert(DeckSource::Bundled);
            }
            return Ok(Some(sources.into_iter().collect()));
        }
        let mut sources: Vec<(String, DeckSource)> = Vec::new();
        for name in names {
            if sources.iter().any(|(seen, _)| seen == name) {
                continue;
            }
            if check_deck_name(name).is_err() {
                return Ok(None);
            }
            let path = self.user_deck_path(name);
            let source = match std::fs::symlink_metadata(&path) {
                Ok(_) => DeckSource::User(path),
                Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                    if bundled(name).is_none() {
                        return Ok(None);
                    }
                    DeckSource::Bundled
                }
                Err(_) => return Ok(None),
            };
            sources.push((name.clone(), source));
        }
        Ok(Some(sources))
    }

    /// How long a deck file must have been left alone before its stamp
    /// is trusted (the deck cache's settle time).
    pub fn settle(&self) -> std::time::Duration {
        self.cache.settle()
    }

    /// The `*.yaml` files of the decks directory, unloaded. Hidden files
    /// (editor and sync leftovers) are skipped; anything else named
    /// `*.yaml` is meant as a deck, so it is listed even if it will not
    /// load. A missing directory holds no decks.
    fn user_files(&self) -> Result<Vec<UserFile>> {
        let dir = &self.decks_dir;
        let read = match std::fs::read_dir(dir) {
            Ok(read) => read,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(err) => {
                return Err(err)
                    .with_context(|| format!("cannot read deck directory {}", dir.display()));
            }
        };
        let mut files = Vec::new();
        for item in read {
            let item =
                item.with_context(|| format!("cannot read deck directory {}", dir.display()))?;
            let path = item.path();
            if path.extension().is_none_or(|ext| ext != "yaml")
                || item.file_name().as_encoded_bytes().starts_with(b".")
            {
                continue;
            }
            let Some(stem) = path.file_stem() else {
                continue;
            };
            // A name that is not UTF-8 fails check_deck_name later, with
            // the file named, instead of vanishing from the listing.
            let name = stem.to_string_lossy().into_owned();
            files.push(UserFile { name, path });
        }
        files.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(files)
    }
}

/// The import record of the deck at `deck_path`: a hidden file beside it
/// (see `decks::import_record`).
pub fn record_path(deck_path: &Path) -> PathBuf {
    let name = deck_path
        .file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_default();
    deck_path.with_file_name(format!(".{name}.imported.json"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ONE_CARD: &str = "cards:\n- id: mine\n  question: Mine?\n  answer: Yes.\n";

    fn collection(home: &Path) -> Collection {
        Collection::new(home, DeckCache::off())
    }

    fn write_deck(home: &Path, name: &str, text: &str) -> PathBuf {
        let path = home.join("decks").join(format!("{name}.yaml"));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn bundled_decks_parse_and_are_sorted() {
        let names: Vec<_> = bundled_names().collect();
        assert!(names.contains(&"aws") && names.contains(&"devops"));
        assert!(names.windows(2).all(|pair| pair[0] < pair[1]), "{names:?}");
        for name in names {
            let deck = parse_bundled(name, bundled(name).unwrap()).unwrap();
            assert!(!deck.cards.is_empty(), "bundled deck {name} is empty");
        }
        assert_eq!(bundled("nope"), None);
    }

    #[test]
    fn missing_decks_dir_lists_the_bundled_decks() {
        let home = tempfile::tempdir().unwrap();
        let entries = collection(home.path()).list().unwrap();
        let names: Vec<_> = entries.iter().map(|entry| entry.name.as_str()).collect();
        assert_eq!(names, bundled_names().collect::<Vec<_>>());
        assert!(
            entries
                .iter()
                .all(|entry| entry.origin == DeckOrigin::Bundled
                    && entry.path.is_none()
                    && entry.problem.is_none()
                    && entry.cards > 0)
        );
    }

    #[test]
    fn a_user_deck_overrides_the_bundled_one() {
        let home = tempfile::tempdir().unwrap();
        let path = write_deck(home.path(), "aws", ONE_CARD);
        let collection = collection(home.path());

        let entries = collection.list().unwrap();
        let aws: Vec<_> = entries.iter().filter(|entry| entry.name == "aws").collect();
        assert_eq!(aws.len(), 1);
        assert_eq!(aws[0].origin, DeckOrigin::User);
        assert_eq!(aws[0].path.as_deref(), Some(path.as_path()));
        assert_eq!(aws[0].cards, 1);
        assert!(aws[0].overrides_bundled());

        let (entry, deck) = collection.load("aws", Contents::Everything).unwrap();
        assert_eq!(entry, *aws[0]);
        assert_eq!(deck.cards[0].id, "mine");

        let (entry, _) = collection.load("devops", Contents::Everything).unwrap();
        assert_eq!(entry.origin, DeckOrigin::Bundled);
        assert!(!entry.overrides_bundled());
    }

    #[test]
    fn a_broken_user_deck_is_listed_with_its_problem_and_not_replaced() {
        let home = tempfile::tempdir().unwrap();
        write_deck(home.path(), "aws", "cards:\n- id: [\n");
        write_deck(home.path(), "k8s", ONE_CARD);
        let collection = collection(home.path());

        let entries = collection.list().unwrap();
        let aws = entries.iter().find(|entry| entry.name == "aws").unwrap();
        assert_eq!(aws.origin, DeckOrigin::User);
        assert_eq!(aws.cards, 0);
        let problem = aws.problem.as_deref().unwrap();
        assert!(problem.contains("aws.yaml:"), "{problem}");
        let k8s = entries.iter().find(|entry| entry.name == "k8s").unwrap();
        assert_eq!((k8s.cards, k8s.problem.as_deref()), (1, None));

        let err = collection.load("aws", Contents::Everything).unwrap_err();
        assert!(format!("{err:#}").contains("aws.yaml:"), "{err:#}");
    }

    #[test]
    fn only_visible_yaml_files_are_decks_and_bad_names_are_problems() {
        let home = tempfile::tempdir().unwrap();
        write_deck(home.path(), "k8s", ONE_CARD);
        write_deck(home.path(), "my notes", ONE_CARD);
        let decks = home.path().join("decks");
        std::fs::write(decks.join("notes.md"), "# Q&A\n").unwrap();
        std::fs::write(decks.join(".hidden.yaml"), ONE_CARD).unwrap();
        std::fs::write(decks.join(".prep-123.tmp"), "partial").unwrap();

        let entries = collection(home.path()).list().unwrap();
        let users: Vec<_> = entries
            .iter()
            .filter(|entry| entry.origin == DeckOrigin::User)
            .map(|entry| (entry.name.as_str(), entry.problem.is_some()))
            .collect();
        assert_eq!(users, [("k8s", false), ("my notes", true)]);
    }

    #[test]
    fn unknown_names_suggest_a_close_one() {
        let home = tempfile::tempdir().unwrap();
        write_deck(home.path(), "kubernetes", ONE_CARD);
        let collection = collection(home.path());
        let decks = home.path().join("decks");

        let message = format!(
            "{:#}",
            collection.load("awz", Contents::Everything).unwrap_err()
        );
        assert_eq!(
            message,
            format!(
                "no deck named \"awz\" in {} (did you mean \"aws\"?); run `prep decks` to list them",
                decks.display()
            )
        );
        let message = format!(
            "{:#}",
            collection
                .load("kubernets", Contents::Everything)
                .unwrap_err()
        );
        assert!(
            message.contains("(did you mean \"kubernetes\"?)"),
            "{message}"
        );
        let message = format!(
            "{:#}",
            collection.load("devosp", Contents::Everything).unwrap_err()
        );
        assert!(message.contains("(did you mean \"devops\"?)"), "{message}");
    }

    #[test]
    fn unknown_names_far_from_any_deck_suggest_nothing() {
        let home = tempfile::tempdir().unwrap();
        let message = format!(
            "{:#}",
            collection(home.path())
                .load("k8s", Contents::Everything)
                .unwrap_err()
        );
        assert!(
            message.starts_with("no deck named \"k8s\" in "),
            "{message}"
        );
        assert!(!message.contains("did you mean"), "{message}");
        assert!(
            message.ends_with("; run `prep decks` to list them"),
            "{message}"
        );
    }

    #[test]
    fn names_that_are_not_deck_names_are_refused_before_any_file_is_read() {
        let home = tempfile::tempdir().unwrap();
        let message = format!(
            "{:#}",
            collection(home.path())
                .load("../aws", Contents::Everything)
                .unwrap_err()
        );
        assert!(message.contains("not a valid deck name"), "{message}");
    }
}

/*!
The harness every CLI test uses: a throwaway `PREP_HOME`, the real `prep`
binary run in it with none of the tester's own prep variables leaking in,
and one chain that states what a run must print, exit with, and leave on
disk.

It follows ripgrep's `tests/util.rs` (a `Dir` with a command that clears
the config variable) and just's `Test` builder (stdout, stderr and status
checked together, each defaulting to "nothing" and 0, so a test states
everything a command does). Output is compared with the home's path
replaced by `[HOME]`, so expected text reads like a shell session:

```ignore
let home = Home::new();
home.write_deck("k8s", K8S);
home.prep()
    .args(["decks"])
    .stdout_contains("[HOME]/decks/k8s.yaml")
    .unchanged()
    .run();
```
*/

// Each command's tests use a part of the harness; not every part is in use
// at every moment.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// What `PREP_NOW` is in every test, so that anything dated is stable.
pub const NOW: &str = "2026-01-05T09:00:00Z";

/// A one-card deck whose answer has three key points, for typed answers.
pub const RDS_DECK: &str = "\
cards:
- id: rds
  question: How do you connect EC2 to RDS securely?
  answer: |-
    1. **Same VPC**: put both in one VPC.
    2. **Security Groups**: allow the app's group on the DB port.
    3. **SSL/TLS**: encrypt the connection.
";

/// The variables prep reads. None of the tester's values may reach a run.
const PREP_VARS: &[&str] = &[
    "PREP_HOME",
    "PREP_NOW",
    "PREP_CACHE",
    "PREP_CACHE_SETTLE_MS",
    "PREP_DECK_INDEX",
    "PREP_LOG_SEGMENT_BYTES",
    "NO_COLOR",
    "VISUAL",
    "EDITOR",
];

/// A temporary prep home, deleted when dropped.
pub struct Home {
    dir: tempfile::TempDir,
    /// `PREP_LOG_SEGMENT_BYTES` for every run, when a test closes log
    /// segments after a line or two.
    segment_bytes: Option<u64>,
}

impl Home {
    /// An empty home: no `decks/`, no state.
    pub fn new() -> Home {
        let dir = tempfile::Builder::new()
            .prefix("prep-test-")
            .tempdir()
            .expect("cannot create a temporary PREP_HOME");
        Home {
            dir,
            segment_bytes: None,
        }
    }

    /// An empty home whose every run closes a log segment once it holds
    /// `bytes`.
    pub fn with_segment_bytes(bytes: u64) -> Home {
        Home {
            segment_bytes: Some(bytes),
            ..Home::new()
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes `text` to `relative` under the home, creating directories.
    pub fn write(&self, relative: impl AsRef<Path>, text: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path().join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .unwrap_or_else(|err| panic!("cannot create {}: {err}", parent.display()));
        }
        std::fs::write(&path, text)
            .unwrap_or_else(|err| panic!("cannot write {}: {err}", path.display()));
        path
    }

    /// Writes the user deck `decks/NAME.yaml`.
    pub fn write_deck(&self, name: &str, yaml: &str) -> PathBuf {
        self.write(format!("decks/{name}.yaml"), yaml)
    }

    /// Reads a file under the home as text.
    pub fn read(&self, relative: impl AsRef<Path>) -> String {
        let path = self.path().join(relative);
        std::fs::read_to_string(&path)
            .unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()))
    }

    /// Every directory, file and link under the home, with file contents.
    pub fn snapshot(&self) -> Snapshot {
        let mut nodes = BTreeMap::new();
        snapshot_into(self.path(), Path::new(""), &mut nodes);
        Snapshot(nodes)
    }

    /// A run of `prep` in this home, to be given arguments and
    /// expectations and then [`Test::run`].
    pub fn prep(&self) -> Test<'_> {
        Test {
            home: self,
            args: Vec::new(),
            stdin: None,
            env: Vec::new(),
            stdout: Expect::Exactly(String::new()),
            stderr: Expect::Exactly(String::new()),
            status: 0,
            unchanged: false,
        }
    }

    /// The bare command, environment already cleaned and run in the home
    /// (so relative paths in arguments name files there), for the rare
    /// test the builder does not fit.
    pub fn command(&self) -> assert_cmd::Command {
        assert_cmd::Command::from_std(self.spawnable())
    }

    /// The same as [`Home::command`] as a `std::process::Command`, for
    /// tests that spawn prep and talk to it (or kill it) while it runs.
    pub fn spawnable(&self) -> std::process::Command {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_prep"));
        for var in PREP_VARS {
            command.env_remove(var);
        }
        command
            .env("PREP_HOME", self.path())
            .env("PREP_NOW", NOW)
            // No deck cache unless a test asks for one: runs must not
            // write to the tester's cache directory.
            .env("PREP_CACHE", "")
            // Days are counted in the machine's time zone where it agrees
            // with PREP_NOW: UTC, unless a test says otherwise.
            .env("TZ", "UTC")
            .current_dir(self.path());
        if let Some(bytes) = self.segment_bytes {
            command.env("PREP_LOG_SEGMENT_BYTES", bytes.to_string());
        }
        command
    }

    /// `text` with this home's path written as `[HOME]`.
    fn normalize(&self, text: &str) -> String {
        text.replace(&self.path().display().to_string(), "[HOME]")
    }
}

fn snapshot_into(root: &Path, relative: &Path, nodes: &mut BTreeMap<PathBuf, Node>) {
    let dir = root.join(relative);
    let read = std::fs::read_dir(&dir)
        .unwrap_or_else(|err| panic!("cannot read {}: {err}", dir.display()));
    for entry in read {
        let entry = entry.unwrap_or_else(|err| panic!("cannot read {}: {err}", dir.display()));
        let relative = relative.join(entry.file_name());
        let path = entry.path();
        let kind = entry
            .file_type()
            .unwrap_or_else(|err| panic!("cannot stat {}: {err}", path.display()));
        let node = if kind.is_dir() {
            snapshot_into(root, &relative, nodes);
            Node::Dir
        } else if kind.is_symlink() {
            let target = std::fs::read_link(&path)
                .unwrap_or_else(|err| panic!("cannot read link {}: {err}", path.display()));
            Node::Link(target)
        } else {
            let bytes = std::fs::read(&path)
                .unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()));
            Node::File(bytes)
        };
        nodes.insert(relative, node);
    }
}

/// What was under a home at one moment: relative path to content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot(pub BTreeMap<PathBuf, Node>);

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    Dir,
    File(Vec<u8>),
    Link(PathBuf),
}

impl Snapshot {
    /// One line per path that differs: `+` added, `-` removed, `~` changed.
    pub fn changes_to(&self, after: &Snapshot) -> Vec<String> {
        let mut changes = Vec::new();
        for (path, node) in &self.0 {
            match after.0.get(path) {
                None => changes.push(format!("- {}", path.display())),
                Some(new) if new != node => changes.push(format!("~ {}", path.display())),
                Some(_) => {}
            }
        }
        for path in after.0.keys().filter(|path| !self.0.contains_key(*path)) {
            changes.push(format!("+ {}", path.display()));
        }
        changes.sort_by(|a, b| a[2..].cmp(&b[2..]));
        changes
    }

    /// The relative paths, for asserting what a command wrote.
    pub fn paths(&self) -> Vec<String> {
        self.0
            .keys()
            .map(|path| path.display().to_string())
            .collect()
    }
}

/// What a stream must hold.
enum Expect {
    Exactly(String),
    Contains(Vec<String>),
    Anything,
}

impl Expect {
    fn mismatch(&self, actual: &str) -> Option<String> {
        match self {
            Expect::Exactly(expected) if expected != actual => {
                Some(format!("expected exactly:\n{}\n", indent(expected)))
            }
            Expect::Contains(parts) => {
                let missing: Vec<_> = parts
                    .iter()
                    .filter(|part| !actual.contains(*part))
                    .collect();
                (!missing.is_empty()).then(|| format!("expected to contain: {missing:?}\n"))
            }
            _ => None,
        }
    }

    fn contain(&mut self, part: String) {
        match self {
            Expect::Contains(parts) => parts.push(part),
            _ => *self = Expect::Contains(vec![part]),
        }
    }
}

/// One run of `prep`, built up then checked by [`Test::run`].
#[must_use = "a Test does nothing until .run()"]
pub struct Test<'a> {
    home: &'a Home,
    args: Vec<OsString>,
    stdin: Option<Vec<u8>>,
    env: Vec<(OsString, OsString)>,
    stdout: Expect,
    stderr: Expect,
    status: i32,
    unchanged: bool,
}

impl Test<'_> {
    pub fn arg(mut self, arg: impl Into<OsString>) -> Self {
        self.args.push(arg.into());
        self
    }

    pub fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<OsString>,
    {
        self.args.extend(args.into_iter().map(Into::into));
        self
    }

    /// What the command reads on stdin (otherwise it reads nothing).
    pub fn stdin(mut self, text: impl Into<Vec<u8>>) -> Self {
        self.stdin = Some(text.into());
        self
    }

    /// An environment variable for this run, set after the clean-up, so a
    /// test can set `NO_COLOR` or another `PREP_NOW` on purpose.
    pub fn env(mut self, key: impl Into<OsString>, value: impl Into<OsString>) -> Self {
        self.env.push((key.into(), value.into()));
        self
    }

    /// stdout must be exactly this (with `[HOME]` for the home's path).
    pub fn stdout(mut self, text: impl Into<String>) -> Self {
        self.stdout = Expect::Exactly(text.into());
        self
    }

    /// stdout must contain this; may be given several times.
    pub fn stdout_contains(mut self, part: impl Into<String>) -> Self {
        self.stdout.contain(part.into());
        self
    }

    /// stdout is not checked here; the test looks at [`Output::stdout`].
    pub fn any_stdout(mut self) -> Self {
        self.stdout = Expect::Anything;
        self
    }

    /// stderr must be exactly this (with `[HOME]` for the home's path).
    pub fn stderr(mut self, text: impl Into<String>) -> Self {
        self.stderr = Expect::Exactly(text.into());
        self
    }

    /// stderr must contain this; may be given several times.
    /// stderr may be anything (the test inspects it itself).
    pub fn any_stderr(mut self) -> Self {
        self.stderr = Expect::Anything;
        self
    }

    pub fn stderr_contains(mut self, part: impl Into<String>) -> Self {
        self.stderr.contain(part.into());
        self
    }

    /// The exit status the command must end with (default 0).
    pub fn status(mut self, code: i32) -> Self {
        self.status = code;
        self
    }

    /// Nothing under the home may be added, removed or changed.
    pub fn unchanged(mut self) -> Self {
        self.unchanged = true;
        self
    }

    /// Runs the command and checks every expectation, reporting all the
    /// ones that failed along with the whole output.
    #[track_caller]
    pub fn run(self) -> Output {
        let home = self.home;
        let before = self.unchanged.then(|| home.snapshot());

        let mut command = home.command();
        command.args(&self.args);
        for (key, value) in &self.env {
            command.env(key, value);
        }
        command.write_stdin(self.stdin.clone().unwrap_or_default());
        let output = command.output().expect("cannot run prep");

        let run = Output {
            stdout: home.normalize(&String::from_utf8_lossy(&output.stdout)),
            stderr: home.normalize(&String::from_utf8_lossy(&output.stderr)),
            status: output.status.code(),
        };

        let mut failures = String::new();
        if run.status != Some(self.status) {
            let _ = writeln!(
                failures,
                "exit status {:?}, expected {}",
                run.status, self.status
            );
        }
        if let Some(why) = self.stdout.mismatch(&run.stdout) {
            let _ = write!(failures, "stdout {why}");
        }
        if let Some(why) = self.stderr.mismatch(&run.stderr) {
            let _ = write!(failures, "stderr {why}");
        }
        if let Some(before) = before {
            let changes = before.changes_to(&home.snapshot());
            if !changes.is_empty() {
                let _ = writeln!(
                    failures,
                    "the home changed:\n{}",
                    indent(&changes.join("\n"))
                );
            }
        }
        if !failures.is_empty() {
            let args: Vec<_> = self.args.iter().map(|arg| arg.to_string_lossy()).collect();
            panic!(
                "prep {}\n{failures}\nstatus: {:?}\nstdout:\n{}\nstderr:\n{}",
                args.join(" "),
                run.status,
                indent(&run.stdout),
                indent(&run.stderr)
            );
        }
        run
    }
}

/// What a run printed, with the home's path written as `[HOME]`.
#[derive(Debug)]
pub struct Output {
    pub stdout: String,
    pub stderr: String,
    /// `None` when the process was killed by a signal.
    pub status: Option<i32>,
}

impl Output {
    /// stdout parsed as JSON.
    #[track_caller]
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|err| panic!("stdout is not JSON ({err}):\n{}", self.stdout))
    }
}

/// Text set off by a bar, so that blank lines, trailing spaces and a
/// missing final newline show.
fn indent(text: &str) -> String {
    if text.is_empty() {
        return "  | (nothing)".to_string();
    }
    let mut lines: Vec<_> = text.lines().map(|line| format!("  |{line}")).collect();
    if !text.ends_with('\n') {
        lines.push("  | (no newline at the end)".to_string());
    }
    lines.join("\n")
}

/// The harness guards every other test, so it is tested too.
#[test]
fn snapshots_see_files_added_changed_and_removed() {
    let home = Home::new();
    home.write("decks/a.yaml", "a");
    home.write("decks/b.yaml", "b");
    let before = home.snapshot();
    assert_eq!(before.paths(), ["decks", "decks/a.yaml", "decks/b.yaml"]);
    assert!(before.changes_to(&home.snapshot()).is_empty());

    home.write("decks/a.yaml", "A");
    std::fs::remove_file(home.path().join("decks/b.yaml")).unwrap();
    home.write("prep.sqlite", "");
    assert_eq!(
        before.changes_to(&home.snapshot()),
        ["~ decks/a.yaml", "- decks/b.yaml", "+ prep.sqlite"]
    );
}

/// The JSON values of a command's output: one per line (`--json` of
/// `history`), or the items of one array (`cards --json`).
pub fn json_values(stdout: &str) -> Vec<serde_json::Value> {
    let values: Vec<serde_json::Value> = serde_json::Deserializer::from_str(stdout)
        .into_iter::<serde_json::Value>()
        .map(|value| value.unwrap_or_else(|err| panic!("not JSON ({err}):\n{stdout}")))
        .collect();
    match values.as_slice() {
        [serde_json::Value::Array(items)] => items.clone(),
        _ => values,
    }
}

/// Reviews without the time spent answering, which tests cannot fix.
pub fn without_answer_ms(reviews: Vec<serde_json::Value>) -> Vec<serde_json::Value> {
    reviews
        .into_iter()
        .map(|mut review| {
            if let Some(object) = review.as_object_mut() {
                object.remove("answer_ms");
            }
            review
        })
        .collect()
}

/// The cards of a deck file's text, as JSON values.
pub fn deck_cards(yaml: &str) -> Vec<serde_json::Value> {
    let deck: serde_yaml::Value = serde_yaml::from_str(yaml).unwrap();
    serde_json::to_value(&deck["cards"])
        .unwrap()
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// Three cards of an `aws` deck, as the quiz, stats and grading tests use
/// them: a one-line answer, a markdown one, and one tagged `security`.
pub const THREE_CARDS: &str = "\
cards:
- id: one
  question: What does S3 stand for?
  answer: Simple Storage Service.
- id: two
  question: What is an AMI?
  answer: |-
    An **Amazon Machine Image**:

    1. a root volume template
    2. launch permissions
- id: three
  question: What is IAM?
  answer: Identity and Access Management.
  tags: [security]
";

/// `prep grade CARD GRADE --json` at `now` (1.5 s spent answering), parsed.
pub fn grade(home: &Home, now: &str, card: &str, grade: &str) -> serde_json::Value {
    home.prep()
        .args(["grade", card, grade, "--json", "--answer-ms", "1500"])
        .env("PREP_NOW", now)
        .any_stdout()
        .run()
        .json()
}

/// `prep cards --json` at `now`, with more arguments, parsed.
pub fn cards(home: &Home, now: &str, extra: &[&str]) -> Vec<serde_json::Value> {
    let output = home
        .prep()
        .args(["cards", "--json"])
        .args(extra)
        .env("PREP_NOW", now)
        .any_stdout()
        .run();
    output.json().as_array().unwrap().clone()
}

/// The card of this id in a `cards` listing.
pub fn card<'a>(cards: &'a [serde_json::Value], id: &str) -> &'a serde_json::Value {
    cards
        .iter()
        .find(|card| card["id"] == id)
        .unwrap_or_else(|| panic!("no card {id} listed"))
}

/// Every review of `prep history --json`, oldest first.
pub fn history(home: &Home) -> Vec<serde_json::Value> {
    json_values(
        &home
            .prep()
            .args(["history", "--json"])
            .any_stdout()
            .run()
            .stdout,
    )
}

/// Whether the soaks run in full (`PREP_SOAK=1`): the property and stress
/// tests take a few rounds by default, so the suite stays quick, and many
/// with it, as closing notes run them.
pub fn soak() -> bool {
    std::env::var_os("PREP_SOAK").is_some_and(|soak| !soak.is_empty() && soak != "0")
}

/// The segments of `device`'s log in `home` (`sync/DEVICE/AA/BB/NNNNNN.jsonl`),
/// in order.
pub fn log_segments(home: &Home, device: &str) -> Vec<PathBuf> {
    fn walk(dir: &Path, found: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, found);
            } else if path.extension().is_some_and(|ext| ext == "jsonl") {
                found.push(path);
            }
        }
    }
    let mut found = Vec::new();
    walk(&home.path().join("sync").join(device), &mut found);
    found.sort_by_key(|path| {
        path.file_stem()
            .and_then(|stem| stem.to_str())
            .and_then(|stem| stem.parse::<u64>().ok())
    });
    found
}

/// `device`'s log in `home`, its segments one after the other.
pub fn device_log(home: &Home, device: &str) -> String {
    log_segments(home, device)
        .iter()
        .map(|path| std::fs::read_to_string(path).unwrap())
        .collect()
}

/// The segment `device`'s log in `home` appends to.
pub fn last_segment(home: &Home, device: &str) -> PathBuf {
    log_segments(home, device)
        .pop()
        .unwrap_or_else(|| panic!("{device} has no log in {}", home.path().display()))
}

/// Copies the logs in the sync folder `from` into the sync folder `to`,
/// all but `except`'s, as a file-sync tool does; with `cut`, the file
/// each log appends to loses its last 7 bytes (a copy under way).
pub fn copy_sync_folder(from: &Path, to: &Path, except: Option<&str>, cut: bool) {
    let Ok(entries) = std::fs::read_dir(from) else {
        return;
    };
    std::fs::create_dir_all(to).unwrap();
    for entry in entries {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let device = name.strip_suffix(".jsonl").unwrap_or(&name);
        if except == Some(device) {
            continue;
        }
        let mut files = Vec::new();
        if path.is_dir() {
            let mut segments = Vec::new();
            let mut stack = vec![path.clone()];
            while let Some(dir) = stack.pop() {
                for entry in std::fs::read_dir(dir).unwrap() {
                    let path = entry.unwrap().path();
                    if path.is_dir() {
                        stack.push(path);
                    } else {
                        segments.push(path);
                    }
                }
            }
            segments.sort();
            files.extend(segments);
        } else {
            files.push(path.clone());
        }
        let last = files.len().saturating_sub(1);
        for (index, file) in files.iter().enumerate() {
            let mut bytes = std::fs::read(file).unwrap();
            if cut && index == last {
                bytes.truncate(bytes.len().saturating_sub(7));
            }
            let target = to.join(file.strip_prefix(from).unwrap());
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            std::fs::write(target, bytes).unwrap();
        }
    }
}

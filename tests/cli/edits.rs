//! Edit anywhere, lose nothing: a card edited in the notes, in the deck, or
//! in both, through `prep import` again; each case checks the deck file's
//! bytes and that the card's review history is still its own.

use serde_json::Value;

use crate::util::{Home, json_values};

const NOTES: &str = "\
# Kubernetes notes

## What is a pod?

The smallest deployable unit.

## How does a Service find its pods?

Through its label selector.
";

/// A home with NOTES imported and the first card (the pod) reviewed once.
fn imported() -> (Home, String) {
    let home = Home::new();
    home.write("k8s.md", NOTES);
    home.prep().args(["import", "k8s.md"]).any_stdout().run();
    let pod = card_id(&home, "What is a pod?");
    home.prep().args(["grade", &pod, "good"]).any_stdout().run();
    (home, pod)
}

fn card_id(home: &Home, question: &str) -> String {
    let deck: serde_yaml::Value = serde_yaml::from_str(&home.read("decks/k8s.yaml")).unwrap();
    deck["cards"]
        .as_sequence()
        .unwrap()
        .iter()
        .find(|card| card["question"].as_str() == Some(question))
        .unwrap_or_else(|| panic!("no card {question:?}"))["id"]
        .as_str()
        .unwrap()
        .to_string()
}

/// The ids of the cards with a review in `prep history`, one per review.
fn reviewed(home: &Home) -> Vec<String> {
    let out = home
        .prep()
        .args(["history", "--json"])
        .any_stdout()
        .run()
        .stdout;
    json_values(&out)
        .iter()
        .map(|review: &Value| review["card"].as_str().unwrap().to_string())
        .collect()
}

fn import(home: &Home, args: &[&str]) -> Value {
    home.prep()
        .arg("import")
        .args(args)
        .arg("--json")
        .any_stdout()
        .any_stderr()
        .run()
        .json()
}

#[test]
fn an_edit_in_the_deck_survives_an_import_of_unchanged_notes() {
    let (home, pod) = imported();
    let edited = home.read("decks/k8s.yaml").replace(
        "The smallest deployable unit.",
        "The smallest thing Kubernetes deploys, in my words.",
    );
    home.write("decks/k8s.yaml", &edited);
    home.prep()
        .args(["import", "k8s.md"])
        .stdout_contains("2 cards: 0 added, 0 updated, 2 unchanged")
        .stdout_contains("kept 1 edit made in the deck")
        .stdout_contains(format!(
            "{pod}  What is a pod? (answer; deck [HOME]/decks/k8s.yaml:4, notes k8s.md:3)"
        ))
        .run();
    assert_eq!(home.read("decks/k8s.yaml"), edited);
    // And again: the edit stays for good, and was said once, when first
    // kept.
    home.prep()
        .args(["import", "k8s.md"])
        .stdout(
            "imported k8s.md into deck k8s ([HOME]/decks/k8s.yaml)\n  \
             2 cards: 0 added, 0 updated, 2 unchanged\n",
        )
        .run();
    assert_eq!(home.read("decks/k8s.yaml"), edited);
    assert_eq!(reviewed(&home), std::slice::from_ref(&pod));
    // A new edit of the same card is a new edit, and is said.
    let edited_again = edited.replace("in my words", "in my own words");
    home.write("decks/k8s.yaml", &edited_again);
    home.prep()
        .args(["import", "k8s.md"])
        .stdout_contains("kept 1 edit made in the deck")
        .stdout_contains(format!("{pod}  What is a pod? (answer;"))
        .run();
    home.prep()
        .args(["import", "k8s.md"])
        .stdout_contains("2 cards: 0 added, 0 updated, 2 unchanged\n")
        .run();
    assert_eq!(home.read("decks/k8s.yaml"), edited_again);
}

#[test]
fn an_edit_in_the_notes_is_taken_and_the_card_keeps_its_history() {
    let (home, pod) = imported();
    let before = home.read("decks/k8s.yaml");
    home.write(
        "k8s.md",
        NOTES
            .replace("What is a pod?", "What is a Kubernetes pod?")
            .replace("How does a Service", "How does a Kubernetes Service"),
    );
    let report = import(&home, &["k8s.md"]);
    assert_eq!(
        (report["added"].clone(), report["updated"].clone()),
        (0.into(), 2.into())
    );
    let after = home.read("decks/k8s.yaml");
    assert_eq!(
        after,
        before
            .replace("What is a pod?", "What is a Kubernetes pod?")
            .replace("How does a Service", "How does a Kubernetes Service")
    );
    assert_eq!(card_id(&home, "What is a Kubernetes pod?"), pod);
    assert_eq!(reviewed(&home), [pod]);
}

#[test]
fn an_edit_on_both_sides_is_a_conflict_until_settled() {
    let (home, pod) = imported();
    let edited = home
        .read("decks/k8s.yaml")
        .replace("The smallest deployable unit.", "Deck's answer.");
    home.write("decks/k8s.yaml", &edited);
    home.write(
        "k8s.md",
        NOTES.replace("The smallest deployable unit.", "Notes' answer."),
    );
    for _ in 0..2 {
        home.prep()
            .args(["import", "k8s.md"])
            .status(1)
            .stdout_contains("1 card changed in both the notes and the deck; the deck's version is kept:")
            .stdout_contains(format!("{pod}  What is a pod? (answer; deck [HOME]/decks/k8s.yaml:4, notes k8s.md:3)"))
            .stderr_contains("error: k8s.md: 1 card changed in the notes and in deck [HOME]/decks/k8s.yaml since the last import; kept the deck's version; run `prep import k8s.md --from-notes`")
            .run();
        assert_eq!(home.read("decks/k8s.yaml"), edited);
    }
    home.prep()
        .args(["import", "k8s.md", "--from-notes"])
        .stdout_contains("0 added, 1 updated, 1 unchanged")
        .run();
    assert_eq!(
        home.read("decks/k8s.yaml"),
        edited.replace("Deck's answer.", "Notes' answer.")
    );
    home.prep()
        .args(["import", "k8s.md"])
        .stdout_contains("0 added, 0 updated, 2 unchanged")
        .run();
    assert_eq!(reviewed(&home), [pod]);
}

#[test]
fn conflicts_show_what_differs_and_are_settled_one_card_at_a_time() {
    let (home, pod) = imported();
    let service = card_id(&home, "How does a Service find its pods?");
    let edited = home
        .read("decks/k8s.yaml")
        .replace(
            "The smallest deployable unit.",
            "The smallest unit Kubernetes deploys.",
        )
        .replace("Through its label selector.", "Labels.");
    home.write("decks/k8s.yaml", &edited);
    home.write(
        "k8s.md",
        NOTES
            .replace(
                "The smallest deployable unit.",
                "The smallest deployable unit, one or more containers.",
            )
            .replace("Through its label selector.", "Selectors."),
    );
    home.prep()
        .args(["import", "k8s.md"])
        .status(1)
        .stdout_contains(format!(
            "{pod}  What is a pod? (answer; deck [HOME]/decks/k8s.yaml:4, notes k8s.md:3)\n      answer in the deck:  The smallest [unit Kubernetes deploys.]\n      answer in the notes: The smallest [deployable unit, one or more containers.]\n"
        ))
        .stderr_contains("(`--from-notes=ID` settles one card)")
        .run();

    // One card settled for the notes, by a prefix of its id: the other
    // stays a conflict.
    home.prep()
        .args(["import", "k8s.md", &format!("--from-notes={}", &pod[..6])])
        .status(1)
        .stdout_contains("1 card changed in both the notes and the deck")
        .stdout_contains(format!("{service}  How does a Service find its pods?"))
        .any_stderr()
        .run();
    let deck = home.read("decks/k8s.yaml");
    assert!(deck.contains("one or more containers"), "{deck}");
    assert!(deck.contains("Labels."), "{deck}");

    // An id that names no card in conflict settles nothing and says so.
    home.prep()
        .args(["import", "k8s.md", "--from-deck=ffff0000"])
        .status(1)
        .any_stdout()
        .stderr_contains("error: k8s.md: no card in conflict has the id \"ffff0000\"; nothing was settled for it")
        .run();
    home.prep()
        .args(["import", "k8s.md", &format!("--from-deck={service}")])
        .stdout_contains("kept 1 edit made in the deck")
        .run();
    assert_eq!(home.read("decks/k8s.yaml"), deck);
}

#[test]
fn a_conflict_can_be_settled_for_the_deck() {
    let (home, _) = imported();
    let edited = home
        .read("decks/k8s.yaml")
        .replace("Through its label selector.", "Labels.");
    home.write("decks/k8s.yaml", &edited);
    home.write(
        "k8s.md",
        NOTES.replace("Through its label selector.", "Selectors."),
    );
    home.prep()
        .args(["import", "k8s.md"])
        .status(1)
        .any_stdout()
        .any_stderr()
        .run();
    home.prep()
        .args(["import", "k8s.md", "--from-deck"])
        .stdout_contains("kept 1 edit made in the deck")
        .run();
    // Settled is settled: the next import has nothing to say of it.
    home.prep()
        .args(["import", "k8s.md"])
        .stdout(
            "imported k8s.md into deck k8s ([HOME]/decks/k8s.yaml)\n  \
             2 cards: 0 added, 0 updated, 2 unchanged\n",
        )
        .run();
    assert_eq!(home.read("decks/k8s.yaml"), edited);
}

#[test]
fn cards_added_by_hand_stay_and_get_their_ids_written() {
    let (home, pod) = imported();
    let mut deck = home.read("decks/k8s.yaml");
    deck.push_str("- id: mine\n  question: My own question?\n  answer: My own answer.\n");
    deck.push_str("- question: Typed without an id?\n  answer: Yes.\n");
    home.write("decks/k8s.yaml", &deck);
    // The card without an id is usable at once, under the id it will keep.
    let listed = home
        .prep()
        .args(["cards", "--deck", "k8s", "--json"])
        .any_stdout()
        .run()
        .stdout;
    let typed: Vec<String> = json_values(&listed)
        .iter()
        .filter(|card| card["question"] == "Typed without an id?")
        .map(|card| card["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(typed.len(), 1);
    home.prep()
        .args(["import", "k8s.md"])
        .stdout_contains(format!(
            "wrote ids for 1 card typed into the deck without one: {}",
            typed[0]
        ))
        .run();
    let after = home.read("decks/k8s.yaml");
    assert!(
        after.contains("- id: mine\n  question: My own question?\n"),
        "{after}"
    );
    assert!(
        after.contains(&format!(
            "- id: {}\n  question: Typed without an id?\n",
            typed[0]
        )),
        "{after}"
    );
    assert_eq!(reviewed(&home), [pod]);
}

#[test]
fn a_card_removed_from_the_notes_is_kept_unless_pruned() {
    let (home, pod) = imported();
    let service = card_id(&home, "How does a Service find its pods?");
    let notes = NOTES.split("## How does").next().unwrap().to_string()
        + "## What is a node?\n\nA machine that runs pods.\n";
    home.write("k8s.md", &notes);
    home.prep()
        .args(["import", "k8s.md"])
        .stdout_contains(
            "1 card is no longer in the notes, kept in the deck (pass --prune to remove them):",
        )
        .stdout_contains(format!("{service}  How does a Service find its pods?"))
        .run();
    let kept = home.read("decks/k8s.yaml");
    assert!(
        kept.contains(&format!("- id: {service}\n  question: How does a Service find its pods?\n  answer: Through its label selector.\n")),
        "{kept}"
    );
    home.prep()
        .args(["import", "k8s.md", "--prune"])
        .stdout_contains(
            "1 card is no longer in the notes, removed from the deck and kept in [HOME]/deleted/k8s.cards.yaml:",
        )
        .run();
    let after = home.read("decks/k8s.yaml");
    assert!(!after.contains("How does a Service"), "{after}");
    assert!(after.contains(&format!("- id: {pod}\n")), "{after}");
    assert_eq!(reviewed(&home), [pod]);
    // Pruned, not lost: kept, and found again it is the same card.
    assert!(
        home.read("deleted/k8s.cards.yaml")
            .contains("Through its label selector.")
    );
    home.write(
        "k8s.md",
        NOTES.replace("How does a Service", "How does a Kubernetes Service"),
    );
    home.prep()
        .args(["import", "k8s.md", "--prune"])
        .stdout_contains(format!(
            "    {service}  How does a Kubernetes Service find its pods?\n"
        ))
        .run();
    assert_eq!(
        card_id(&home, "How does a Kubernetes Service find its pods?"),
        service
    );
}

#[test]
fn a_folder_of_notes_stays_in_step_with_one_command() {
    let home = Home::new();
    home.write("notes/k8s.md", NOTES);
    home.write(
        "notes/aws/s3.md",
        "## What is S3?\n\nObject storage.\n\n## What is a bucket?\n\nA container of objects.\n",
    );
    home.write("notes/.hidden/x.md", "## Hidden?\n\nNo.\n");
    home.prep()
        .args(["import", "notes"])
        .stdout_contains("into deck aws-s3")
        .stdout_contains("into deck k8s")
        .stdout_contains("total: 2 files into 2 decks, 4 cards: 4 added, 0 updated, 0 unchanged")
        .run();
    home.write(
        "notes/k8s.md",
        NOTES.replace(
            "label selector",
            "label selector, matched against pod labels",
        ),
    );
    home.prep()
        .arg("import")
        .stdout_contains("total: 2 files into 2 decks, 4 cards: 0 added, 1 updated, 3 unchanged")
        .run();
    assert!(
        home.read("decks/k8s.yaml")
            .contains("matched against pod labels")
    );
    // A recorded file that has gone is reported; its deck stays.
    std::fs::remove_file(home.path().join("notes/aws/s3.md")).unwrap();
    let deck = home.read("decks/aws-s3.yaml");
    home.prep()
        .arg("import")
        .status(1)
        .any_stdout()
        .stderr_contains("error: [HOME]/notes/aws/s3.md: the notes of deck aws-s3 are gone; the deck is left as it is")
        .run();
    assert_eq!(home.read("decks/aws-s3.yaml"), deck);
}

#[test]
fn notes_from_standard_input_need_a_deck() {
    let home = Home::new();
    home.prep()
        .args(["import", "-"])
        .stdin(NOTES)
        .status(1)
        .stderr_contains("error: reading notes from standard input needs --deck NAME")
        .unchanged()
        .run();
    home.prep()
        .args(["import", "-", "--deck", "k8s"])
        .stdin(NOTES)
        .stdout_contains("imported standard input into deck k8s")
        .run();
    assert!(home.read("decks/k8s.yaml").contains("source: stdin:3"));
}

#[test]
fn prep_add_appends_a_card_with_an_id() {
    let (home, pod) = imported();
    let before = home.read("decks/k8s.yaml");
    let added = home
        .prep()
        .args([
            "add",
            "--deck",
            "k8s",
            "-q",
            "What is etcd?",
            "-a",
            "The key-value store.",
            "--tag",
            "storage",
            "--json",
        ])
        .any_stdout()
        .run()
        .json();
    let id = added["id"].as_str().unwrap().to_string();
    assert_eq!(id.len(), 12);
    assert_eq!(added["line"], 12);
    assert_eq!(
        home.read("decks/k8s.yaml"),
        format!(
            "{before}- id: {id}\n  question: What is etcd?\n  answer: The key-value store.\n  tags:\n  - storage\n"
        )
    );
    // A re-import of the notes keeps the added card.
    home.prep()
        .args(["import", "k8s.md"])
        .stdout_contains("0 added, 0 updated, 2 unchanged")
        .run();
    assert!(
        home.read("decks/k8s.yaml")
            .contains(&format!("- id: {id}\n"))
    );
    // Without an answer and without a terminal, nothing is added.
    home.prep()
        .args(["add", "--deck", "k8s", "-q", "Half a card?"])
        .status(1)
        .stderr_contains(
            "error: pass both --question and --answer, or run `prep add` in a terminal",
        )
        .unchanged()
        .run();
    assert_eq!(reviewed(&home), [pod]);
}

/// A card typed without an id is reviewed under the id its question gives,
/// and the quiz writes that id into the file, keeping the rest of the text,
/// so a later edit of the question keeps the card's history.
#[test]
fn the_quiz_writes_the_ids_of_cards_typed_without_one() {
    let home = Home::new();
    let text = "# mine\ncards:\n- question: Typed by hand?\n  answer: Yes.\n";
    home.write_deck("mine", text);
    let out = home
        .prep()
        .args(["quiz", "--deck", "mine"])
        .stdin("\n3\n")
        .any_stdout()
        .run()
        .stdout;
    let ids = reviewed(&home);
    assert_eq!(ids.len(), 1);
    assert!(
        out.contains(&format!("the ids of cards typed without one: {}", ids[0])),
        "{out}"
    );
    assert_eq!(
        home.read("decks/mine.yaml"),
        format!(
            "# mine\ncards:\n- id: {}\n  question: Typed by hand?\n  answer: Yes.\n",
            ids[0]
        )
    );
    // Now the question can change and the card keep its history.
    home.write(
        "decks/mine.yaml",
        home.read("decks/mine.yaml")
            .replace("Typed by hand?", "Typed by hand, then edited?"),
    );
    let listed = home
        .prep()
        .args(["cards", "--deck", "mine", "--json"])
        .any_stdout()
        .run()
        .stdout;
    assert_eq!(json_values(&listed)[0]["reps"], 1);
}

/// One of a thing is said in the singular.
#[test]
fn the_report_counts_in_words() {
    let home = Home::new();
    home.write(
        "one.md",
        "# Notes\n\nAn introduction.\n\n## What is a pod?\n\nThe smallest deployable unit.\n",
    );
    home.prep()
        .args(["import", "one.md"])
        .stdout_contains("  1 card: 1 added, 0 updated, 0 unchanged\n")
        .stdout_contains("  skipped 1 block:\n")
        .run();
}

/// Two near-identical cards (one question over two slightly different
/// code blocks, with the same answer) whose questions are both reworded:
/// each keeps its own id, and with it its own history.
#[test]
fn near_identical_cards_keep_their_own_ids_when_both_are_reworded() {
    let home = Home::new();
    let notes = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/corpus/numbered-headings-details-js.md"),
    )
    .unwrap();
    home.write("js.md", &notes);
    home.prep().args(["import", "js.md"]).any_stdout().run();
    let deck = home.read("decks/js.yaml");
    let id_over = |code: &str| {
        let at = deck.find(code).unwrap_or_else(|| panic!("no {code:?}"));
        let id = deck[..at].rfind("- id: ").unwrap() + "- id: ".len();
        deck[id..id + 12].to_string()
    };
    let seventh = id_over(r"function myFunc(){\n\tconsole.log(myFunc.message);");
    let eighth = id_over(r"function myFunc() {\n  myFunc.message = 'Hi John';");
    home.prep()
        .args(["grade", &seventh, "good"])
        .any_stdout()
        .run();
    home.prep()
        .args(["grade", &eighth, "again"])
        .any_stdout()
        .run();

    let lines: Vec<&str> = notes.lines().collect();
    assert_eq!(
        lines[3379],
        "### 7. What would be the output of following code ?"
    );
    assert_eq!(
        lines[3401],
        "### 8. What would be the output of following code ?"
    );
    let mut edited: Vec<String> = lines.iter().map(|line| line.to_string()).collect();
    edited[3379] = "### 7. What is the output of following code?".into();
    edited[3401] = "### 8. What would be the output of the following code?".into();
    home.write("js.md", edited.join("\n") + "\n");
    home.prep()
        .args(["import", "js.md"])
        .stdout_contains("0 added, 2 updated")
        .stdout_contains(format!("{seventh}  What is the output of following code?"))
        .stdout_contains(format!(
            "{eighth}  What would be the output of the following code?"
        ))
        .run();
    let history: Vec<(String, String)> = home
        .prep()
        .args(["history", "--json"])
        .any_stdout()
        .run()
        .stdout
        .lines()
        .map(|line| {
            let review: Value = serde_json::from_str(line).unwrap();
            let question = home
                .prep()
                .args(["show", review["card"].as_str().unwrap(), "--json"])
                .any_stdout()
                .run()
                .json()["question"]
                .as_str()
                .unwrap()
                .lines()
                .next()
                .unwrap()
                .to_string();
            (review["grade"].as_str().unwrap().to_string(), question)
        })
        .collect();
    assert!(
        history.contains(&(
            "good".into(),
            "What is the output of following code?".into()
        )),
        "{history:?}"
    );
    assert!(
        history.contains(&(
            "again".into(),
            "What would be the output of the following code?".into()
        )),
        "{history:?}"
    );
}

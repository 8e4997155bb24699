//! What another device changed in a shared deck, said by `prep sync`, and
//! a card it removed kept, so that the notes bring it back with its
//! reviews.

use crate::sync::{own_device, remote, sync};
use crate::util::{Home, card, cards, history};

const NOTES: &str = "\
# AWS

## What is S3?

Object storage.

## What is EC2?

Virtual machines in the cloud.

## What is SQS?

A managed message queue.

## What is IAM?

Identity and access management.
";

/// The same notes, older: two questions fewer, and EC2's answer as it was.
const OLDER_NOTES: &str = "\
# AWS

## What is S3?

Object storage.

## What is EC2?

Virtual machines.
";

fn import(home: &Home, args: &[&str]) -> String {
    home.prep()
        .arg("import")
        .args(args)
        .env("PREP_NOW", "2026-12-01T10:00:00Z")
        .any_stdout()
        .run()
        .stdout
}

fn id_of(home: &Home, question: &str) -> String {
    cards(home, "2026-12-01T10:00:00Z", &["--deck", "notes"])
        .iter()
        .find(|card| card["question"] == question)
        .unwrap_or_else(|| panic!("no card {question:?}"))["id"]
        .as_str()
        .unwrap()
        .to_string()
}

/// Two homes sharing deck `notes`, imported from NOTES on the laptop.
fn shared_deck() -> (tempfile::TempDir, Home, Home) {
    let remote = remote();
    let laptop = Home::new();
    laptop.write("notes.md", NOTES);
    import(&laptop, &["notes.md", "--deck", "notes"]);
    sync(&laptop, Some(remote.path()));
    let desktop = Home::new();
    sync(&desktop, Some(remote.path()));
    (remote, laptop, desktop)
}

#[test]
fn cards_another_device_removed_and_changed_are_said_and_come_back_with_their_reviews() {
    let (_remote, laptop, desktop) = shared_deck();
    let [sqs, iam, ec2] =
        ["What is SQS?", "What is IAM?", "What is EC2?"].map(|q| id_of(&desktop, q));
    crate::util::grade(&desktop, "2026-12-01T09:10:00Z", &sqs, "good");
    // The desktop imports an older copy of the notes, pruning what it
    // lacks, and syncs.
    desktop.write("notes.md", OLDER_NOTES);
    let pruned = import(&desktop, &["notes.md", "--deck", "notes", "--prune"]);
    assert!(
        pruned.contains(
            "2 cards are no longer in the notes, removed from the deck and kept in [HOME]/deleted/notes.cards.yaml:"
        ),
        "{pruned}"
    );
    sync(&desktop, None);

    let out = sync(&laptop, None);
    let desktop_device = own_device(&desktop);
    let kept = laptop.path().join("deleted/notes.cards.yaml");
    let expected = format!(
        "deck notes changed on {desktop_device}: 2 cards removed, 1 card changed\n\
         \x20 removed  {sqs}  What is SQS?\n\
         \x20 removed  {iam}  What is IAM?\n\
         \x20 changed  {ec2}  What is EC2?\n\
         \x20 the removed cards are kept in [HOME]/deleted/notes.cards.yaml; importing notes that hold them brings them back with their reviews\n"
    );
    assert!(out.contains(&expected), "{out}");
    let deck = laptop.read("decks/notes.yaml");
    assert!(
        !deck.contains("SQS") && deck.contains("Virtual machines.\n"),
        "{deck}"
    );
    assert!(
        laptop
            .read("deleted/notes.cards.yaml")
            .contains("A managed message queue.")
    );

    // The laptop imports its notes again, one of the two questions
    // reworded meanwhile: both come back under their own ids, and the
    // desktop's review of SQS with it.
    laptop.write(
        "notes.md",
        NOTES.replace("What is SQS?", "What is Amazon SQS?"),
    );
    let back = import(&laptop, &["notes.md", "--deck", "notes"]);
    assert!(
        back.contains(&format!(
            "  2 cards were deleted earlier and found in the notes again, back with their review history:\n    {sqs}  What is Amazon SQS?\n    {iam}  What is IAM?\n"
        )),
        "{back}"
    );
    let listed = cards(&laptop, "2026-12-01T10:00:00Z", &["--deck", "notes"]);
    assert_eq!(card(&listed, &sqs)["question"], "What is Amazon SQS?");
    assert_eq!(card(&listed, &sqs)["reps"], 1);
    assert!(!kept.exists(), "nothing is kept as deleted any more");
    assert_eq!(history(&laptop).len(), 1);

    // The desktop hears of it, and keeps them as deleted no more.
    sync(&laptop, None);
    let out = sync(&desktop, None);
    assert!(
        out.contains(&format!(
            "deck notes changed on {}: 2 cards added, 1 card changed\n",
            own_device(&laptop)
        )),
        "{out}"
    );
    assert!(!desktop.path().join("deleted/notes.cards.yaml").exists());
    // Nothing more to say the next time.
    let again = sync(&laptop, None);
    assert!(!again.contains("deck notes"), "{again}");
}

#[test]
fn a_deck_another_device_deleted_is_said_and_kept_whole() {
    let (_remote, laptop, desktop) = shared_deck();
    let deck_text = laptop.read("decks/notes.yaml");
    desktop
        .prep()
        .args(["delete", "--deck", "notes"])
        .any_stdout()
        .run();
    sync(&desktop, None);
    let out = sync(&laptop, None);
    assert!(
        out.contains(&format!(
            "deck notes was deleted on {} (4 cards); its file is kept at [HOME]/deleted/notes.yaml: move it back to [HOME]/decks to have it here again\n",
            own_device(&desktop),
        )),
        "{out}"
    );
    assert!(!laptop.path().join("decks/notes.yaml").exists());
    assert_eq!(laptop.read("deleted/notes.yaml"), deck_text);
    assert!(laptop.path().join("deleted/.notes.imported.json").exists());
}

/// `prep sync` where a line of another device is set aside: an error (it
/// is not applied here), with the rest done.
fn sync_setting_aside(home: &Home) -> crate::util::Output {
    home.prep()
        .arg("sync")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("PREP_NOW", "2026-12-01T12:00:00Z")
        .any_stdout()
        .any_stderr()
        .status(1)
        .run()
}

/// A clone of a home that kept its id and its place (a cloned virtual
/// machine: same host name, same inode) is found out by what it writes:
/// the first home that reads a line of its own log it did not write takes
/// a new device id, and from then on both homes' reviews count.
#[test]
fn a_clone_that_kept_its_place_is_found_by_its_lines_and_writes_as_a_new_device() {
    use std::os::unix::fs::MetadataExt;
    let remote = remote();
    let original = Home::new();
    original.write("notes.md", NOTES);
    import(&original, &["notes.md", "--deck", "notes"]);
    sync(&original, Some(remote.path()));
    let [s3, ec2, sqs, iam] = [
        "What is S3?",
        "What is EC2?",
        "What is SQS?",
        "What is IAM?",
    ]
    .map(|q| id_of(&original, q));
    crate::util::grade(&original, "2026-12-01T09:00:00Z", &s3, "good");
    sync(&original, None);
    let clone = Home::new();
    crate::sync::copy_home(original.path(), clone.path());
    // The clone's store says it is where the original was made.
    let db = |home: &Home| rusqlite::Connection::open(home.path().join("prep.sqlite")).unwrap();
    let place: String = db(&original)
        .query_row("SELECT value FROM meta WHERE key = 'place'", [], |row| {
            row.get(0)
        })
        .unwrap();
    let here = std::fs::metadata(clone.path()).unwrap();
    let host = place.rsplit_once(' ').unwrap().0;
    db(&clone)
        .execute(
            "UPDATE meta SET value = ?1 WHERE key = 'place'",
            [format!("{host} {}:{}", here.dev(), here.ino())],
        )
        .unwrap();
    let device = own_device(&original);
    crate::util::grade(&original, "2026-12-01T10:00:00Z", &ec2, "good");
    crate::util::grade(&clone, "2026-12-01T10:01:00Z", &sqs, "good");
    assert_eq!(own_device(&clone), device, "no copy is seen yet");
    sync(&original, None);
    let found = sync_setting_aside(&clone);
    assert!(
        found.stderr.contains(&format!(
            "another home writes as device {device} too (a cloned machine, or a restored disk image); this home now writes as device"
        )),
        "{}",
        found.stderr
    );
    let new = own_device(&clone);
    assert_ne!(new, device);
    // From now on the clone's reviews are its own device's, and reach the
    // original.
    crate::util::grade(&clone, "2026-12-01T12:10:00Z", &iam, "good");
    sync(&clone, None);
    let out = sync_setting_aside(&original);
    assert!(
        out.stderr.contains("another home writes as device"),
        "{}",
        out.stderr
    );
    let reviewed: Vec<String> = history(&original)
        .iter()
        .map(|review| review["card"].as_str().unwrap().to_string())
        .collect();
    assert!(
        reviewed.contains(&iam) && reviewed.contains(&ec2),
        "{reviewed:?}"
    );
    let log = crate::util::device_log(&original, &new);
    assert!(log.contains(&format!("\"card\":\"{iam}\"")), "{log}");
}

use super::*;

fn plain(markdown: &str, width: Option<usize>) -> Vec<String> {
    render(markdown, width).iter().map(Line::plain).collect()
}

/// The style of the first span whose text is exactly `text`.
fn style_of(lines: &[Line], text: &str) -> Style {
    lines
        .iter()
        .flat_map(|l| &l.spans)
        .find(|s| s.text == text)
        .map(|s| s.style)
        .unwrap_or_else(|| panic!("no span {text:?} in {lines:#?}"))
}

fn words(text: &str) -> Vec<&str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect()
}

/// Layout rules every rendering must keep.
fn check_layout(markdown: &str, width: Option<usize>) -> Vec<Line> {
    let lines = render(markdown, width);
    let limit = width.map(|w| w.max(MIN_WIDTH));
    for (i, line) in lines.iter().enumerate() {
        if let Some(limit) = limit {
            assert!(
                line.width() <= limit,
                "line {i} is {} wide at {limit}: {:?}\n{markdown:?}",
                line.width(),
                line.plain()
            );
        }
        let text = line.plain();
        assert_eq!(text.trim_end(), text, "trailing space in {text:?}");
        assert!(line.spans.iter().all(|s| !s.text.is_empty()));
        if line.is_blank() {
            assert!(line.spans.is_empty());
            assert!(
                i > 0 && i + 1 < lines.len(),
                "blank at an end: {markdown:?}"
            );
            assert!(!lines[i - 1].is_blank(), "two blank lines: {markdown:?}");
        }
    }
    lines
}

// -- paragraphs ---------------------------------------------------------

/// A line break where the author put one (notes are written line by
/// line); each line then wraps at the width.
#[test]
fn soft_breaks_start_new_lines_and_text_wraps_at_the_width() {
    assert_eq!(
        plain("one two\nthree four five six", Some(14)),
        ["one two", "three four", "five six"]
    );
    assert_eq!(
        plain("one two\nthree four five six", None),
        ["one two", "three four five six"]
    );
    assert_eq!(
        plain(
            "Situation: an outage.\nTask: restore it.\nResult: back in an hour.",
            Some(40)
        ),
        [
            "Situation: an outage.",
            "Task: restore it.",
            "Result: back in an hour."
        ]
    );
}

#[test]
fn hard_breaks_start_new_lines() {
    assert_eq!(
        plain("first\\\nsecond  \nthird", Some(40)),
        ["first", "second", "third"]
    );
}

#[test]
fn wide_characters_count_two_columns_and_may_break_anywhere() {
    let lines = check_layout("中文字符测试中文字符测试", Some(10));
    let text: Vec<String> = lines.iter().map(Line::plain).collect();
    assert_eq!(text, ["中文字符测", "试中文字符", "测试"]);
    assert_eq!(lines[0].width(), 10);
    assert_eq!(
        plain("ok 🎉🎉🎉🎉 done", Some(10)),
        ["ok 🎉🎉🎉", "🎉 done"]
    );
}

#[test]
fn a_word_longer_than_the_width_is_broken() {
    assert_eq!(
        plain("abcdefghijklmnopqrstuvwxy", Some(10)),
        ["abcdefghij", "klmnopqrst", "uvwxy"]
    );
    assert_eq!(
        plain("ab abcdefghijklmnopqrstuvwxyz", Some(10)),
        ["ab abcdefg", "hijklmnopq", "rstuvwxyz"]
    );
}

#[test]
fn styles_carry_across_wrapped_lines() {
    let lines = check_layout("plain **bold words that wrap around** end", Some(12));
    let text: Vec<String> = lines.iter().map(Line::plain).collect();
    assert_eq!(text, ["plain bold", "words that", "wrap around", "end"]);
    for line in &lines[1..3] {
        assert!(line.spans.iter().all(|s| s.style.bold), "{line:?}");
    }
    assert_eq!(style_of(&lines, "plain "), Style::default());
    assert_eq!(style_of(&lines, "end"), Style::default());
}

#[test]
fn one_blank_line_between_blocks_and_none_at_the_ends() {
    let markdown = "\n\n# Title\n\n\n\npara\n\n- a\n- b\n\n```\ncode\n```\n\n\n";
    assert_eq!(
        plain(markdown, Some(40)),
        ["Title", "", "para", "", "• a", "• b", "", "│ code"]
    );
    assert!(render("", Some(40)).is_empty());
    assert!(render("   \n\n  ", None).is_empty());
}

#[test]
fn wrapped_lines_carry_no_trailing_or_leading_spaces() {
    let lines = check_layout("aaaa   bbbb    cccc  dddd  ", Some(10));
    let text: Vec<String> = lines.iter().map(Line::plain).collect();
    assert_eq!(text, ["aaaa bbbb", "cccc dddd"]);
}

// -- headings and emphasis ----------------------------------------------

#[test]
fn headings_show_their_text_bold_with_their_level() {
    let lines = render("# One\n\n### Three *it*\n\n###### **Six**", Some(40));
    let text: Vec<String> = lines.iter().map(Line::plain).collect();
    assert_eq!(text, ["One", "", "Three it", "", "Six"]);
    let one = style_of(&lines, "One");
    assert_eq!(one.heading, Some(1));
    assert!(one.bold);
    let it = style_of(&lines, "it");
    assert_eq!(it.heading, Some(3));
    assert!(it.bold && it.italic);
    assert_eq!(style_of(&lines, "Six").heading, Some(6));
}

#[test]
fn emphasis_strong_and_strikethrough_become_styles() {
    let lines = render("*i* **b** ~~s~~ ***bi*** _u_", Some(40));
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0].plain(), "i b s bi u");
    assert!(style_of(&lines, "i").italic);
    assert!(style_of(&lines, "b").bold);
    assert!(style_of(&lines, "s").strikethrough);
    let bi = style_of(&lines, "bi");
    assert!(bi.bold && bi.italic);
    assert!(style_of(&lines, "u").italic);
}

// -- lists --------------------------------------------------------------

#[test]
fn ordered_lists_keep_their_start_number() {
    assert_eq!(
        plain("3. a\n4. b\n5. c", Some(40)),
        ["3. a", "4. b", "5. c"]
    );
    let lines = render("7. seven", Some(40));
    assert!(style_of(&lines, "7.").marker);
}

#[test]
fn ordered_numbers_are_right_aligned() {
    assert_eq!(
        plain("8. eight\n9. nine\n10. ten", Some(40)),
        [" 8. eight", " 9. nine", "10. ten"]
    );
    // continuation lines align under the text, past the widest number
    assert_eq!(
        plain("9. nine\n10. ten words wrap here", Some(14)),
        [" 9. nine", "10. ten words", "    wrap here"]
    );
}

#[test]
fn bullets_change_with_nesting_depth() {
    assert_eq!(
        plain("- a\n  - b\n    - c\n      - d\n- e", Some(40)),
        ["• a", "  ◦ b", "    ▪ c", "      • d", "• e"]
    );
    assert!(style_of(&render("- a", None), "•").marker);
}

#[test]
fn nested_lists_and_wrapped_text_align_under_the_item_text() {
    assert_eq!(
        plain(
            "1. Steps:\n   - one two three four\n   - two\n2. Next",
            Some(16)
        ),
        [
            "1. Steps:",
            "   ◦ one two",
            "     three four",
            "   ◦ two",
            "2. Next"
        ]
    );
}

#[test]
fn later_paragraphs_of_an_item_align_under_its_text() {
    assert_eq!(
        plain(
            "1. alpha beta gamma delta\n\n   second para here\n2. next",
            Some(14)
        ),
        [
            "1. alpha beta",
            "   gamma delta",
            "",
            "   second para",
            "   here",
            "",
            "2. next"
        ]
    );
}

#[test]
fn task_list_items_show_their_box() {
    assert_eq!(
        plain("- [ ] todo that wraps\n- [x] done", Some(16)),
        ["• [ ] todo that", "      wraps", "• [x] done"]
    );
}

// -- code ---------------------------------------------------------------

#[test]
fn fenced_code_gets_its_language_on_the_fence_and_long_lines_go_on_below() {
    let markdown =
        "```bash\necho  hi && a-very-long-command --with --many --flags\n\n\tindented\n```\n";
    let lines = render(markdown, Some(20));
    let text: Vec<String> = lines.iter().map(Line::plain).collect();
    assert_eq!(
        text,
        [
            "╭─ bash",
            "│ echo  hi && a-very",
            "│↪-long-command --wi",
            "│↪th --many --flags",
            "│",
            "│     indented"
        ]
    );
    assert!(style_of(&lines, "╭─ bash").marker);
    assert!(style_of(&lines, "│ ").marker);
    assert!(style_of(&lines, "│↪").marker);
    assert!(style_of(&lines, "    indented").code_block);
    assert!(lines[1].is_code() && !lines[0].is_code());
    // Every character of the long line is there, in order.
    let joined: String = lines[1..4]
        .iter()
        .map(|line| line.plain().chars().skip(2).collect::<String>())
        .collect();
    assert_eq!(
        joined,
        "echo  hi && a-very-long-command --with --many --flags"
    );
    // Piped, without a width, lines stay whole.
    let piped: Vec<String> = render(markdown, None).iter().map(Line::plain).collect();
    assert_eq!(
        piped[1],
        "│ echo  hi && a-very-long-command --with --many --flags"
    );
}

#[test]
fn indented_code_has_no_label() {
    assert_eq!(
        plain("    let x = 1;\n\n    let y = 2;\n", Some(40)),
        ["│ let x = 1;", "│", "│ let y = 2;"]
    );
}

#[test]
fn code_in_a_list_item_is_indented_with_the_item() {
    let markdown = "- Example:\n  ```json\n  {\"a\": 1}\n  ```\n- after";
    assert_eq!(
        plain(markdown, Some(40)),
        ["• Example:", "  ╭─ json", "  │ {\"a\": 1}", "• after"]
    );
}

#[test]
fn inline_code_loses_its_backticks_except_in_plain() {
    let lines = render("run `ls -la` now", Some(40));
    assert_eq!(lines[0].plain(), "run `ls -la` now");
    assert_eq!(lines[0].width(), "run ls -la now".len());
    let code = style_of(&lines, "ls -la");
    assert!(code.code && !code.code_block);
    assert_eq!(render("``a`b``", None)[0].plain(), "``a`b``");
    assert_eq!(render("`` `x` ``", None)[0].plain(), "`` `x` ``");
}

// -- links and images ---------------------------------------------------

#[test]
fn links_show_their_url_after_the_text() {
    let lines = render("see [the docs](https://x.io/d) now", Some(80));
    assert_eq!(lines[0].plain(), "see the docs (https://x.io/d) now");
    assert!(style_of(&lines, " (https://x.io/d)").link);
    assert!(!style_of(&lines, "see the docs").link);
}

#[test]
fn autolinks_show_the_url_once() {
    let lines = render(
        "<https://x.io> and [https://y.io](https://y.io) <me@x.org>",
        None,
    );
    assert_eq!(lines[0].plain(), "https://x.io and https://y.io me@x.org");
    assert!(style_of(&lines, "https://x.io").link);
    assert!(style_of(&lines, "me@x.org").link);
}

#[test]
fn images_show_alt_text_and_file_name() {
    assert_eq!(
        plain("![a logo](logo.png) ![](media/net/x.png)", None),
        ["[image: a logo] (logo.png) [image] (x.png)"]
    );
    // A remote image keeps its address.
    assert_eq!(
        plain("![](https://x.org/a/b.png)", None),
        ["[image] (https://x.org/a/b.png)"]
    );
}

// -- tables -------------------------------------------------------------

const TABLE: &str = "| Name | Qty | Where |\n|:-----|----:|:-----:|\n| apple **red** | 3 | `shelf` |\n| kiwi | 12 | box |\n";

#[test]
fn tables_align_columns_under_a_bold_header() {
    let lines = render(TABLE, Some(40));
    let text: Vec<String> = lines.iter().map(Line::plain).collect();
    assert_eq!(
        text,
        [
            "Name      │ Qty │ Where",
            "──────────┼─────┼──────",
            "apple red │   3 │ `shelf`",
            "kiwi      │  12 │  box",
        ]
    );
    assert!(style_of(&lines, "Name").bold);
    assert!(style_of(&lines, "red").bold);
    assert!(!style_of(&lines, "apple ").bold);
    assert!(style_of(&lines, "shelf").code);
    assert!(lines[1].spans.iter().all(|s| s.style.marker));
    assert_eq!(lines[0].width(), lines[2].width());
}

#[test]
fn a_table_too_wide_becomes_one_block_per_row() {
    let lines = check_layout(TABLE, Some(20));
    let text: Vec<String> = lines.iter().map(Line::plain).collect();
    assert_eq!(
        text,
        [
            "Name: apple red",
            "Qty: 3",
            "Where: `shelf`",
            "",
            "Name: kiwi",
            "Qty: 12",
            "Where: box",
        ]
    );
    assert!(style_of(&lines, "Name:").bold);
    assert!(style_of(&lines, "red").bold);
    assert!(!style_of(&lines, " apple ").bold);
}

// -- quotes, rules, html ------------------------------------------------

#[test]
fn block_quotes_get_a_bar_and_wrap_inside_it() {
    let lines = render(
        "> quoted text that is long enough to wrap\n>\n> two",
        Some(20),
    );
    let text: Vec<String> = lines.iter().map(Line::plain).collect();
    assert_eq!(
        text,
        [
            "│ quoted text that",
            "│ is long enough to",
            "│ wrap",
            "│",
            "│ two"
        ]
    );
    assert!(style_of(&lines, "│").marker);
    assert_eq!(plain("> a\n> > b", None), ["│ a", "│", "│ │ b"]);
}

#[test]
fn horizontal_rules_span_the_width() {
    let rule = "─".repeat(20);
    assert_eq!(
        plain("a\n\n---\n\nb", Some(20)),
        ["a", "", rule.as_str(), "", "b"]
    );
    assert_eq!(plain("***", None), ["─".repeat(40)]);
    assert!(render("---", None)[0].spans[0].style.marker);
}

#[test]
fn html_is_shown_as_text() {
    assert_eq!(
        plain(
            "<div class=\"x\">\n  raw\n</div>\n\nInline <b>bold</b> tag.",
            Some(40)
        ),
        [
            "<div class=\"x\">",
            "raw",
            "</div>",
            "",
            "Inline <b>bold</b> tag."
        ]
    );
}

// -- robustness ---------------------------------------------------------

#[test]
fn tiny_widths_are_treated_as_ten() {
    for fixture in FIXTURES {
        let ten = render(fixture, Some(10));
        for width in [0, 1, 2, 5, 9] {
            assert_eq!(render(fixture, Some(width)), ten);
        }
        check_layout(fixture, Some(10));
    }
}

#[test]
fn deep_nesting_neither_panics_nor_overflows_the_width() {
    let inputs = [
        ">".repeat(3000) + " deep",
        "- ".repeat(2000) + "deep",
        "1. ".repeat(2000) + "deep",
        (0..200)
            .map(|i| format!("{}- item\n", "  ".repeat(i)))
            .collect(),
        (0..200)
            .map(|i| format!("{}> q {i}\n", "> ".repeat(i)))
            .collect(),
        "*a **b ".repeat(2000),
        "[".repeat(5000) + "x" + &"](u)".repeat(5000),
        "`".repeat(3000),
        "| a |\n|---|\n".to_string() + &"| > - x |\n".repeat(100),
    ];
    for input in &inputs {
        for width in [Some(10), Some(13), Some(40), None] {
            check_layout(input, width);
        }
    }
}

#[test]
fn control_characters_do_not_reach_the_terminal() {
    let lines = render(
        "bell\u{7} esc\u{1b}[31m red\r\n\n```\n\u{1b}[2J\r\n```",
        None,
    );
    for line in &lines {
        for span in &line.spans {
            assert!(!span.text.chars().any(char::is_control), "{span:?}");
        }
    }
    assert_eq!(lines[0].plain(), "bell\u{2407} esc\u{241b}[31m red");
}

/// A small deterministic generator of markdown-ish noise.
struct Noise(u64);

impl Noise {
    fn next(&mut self) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 33) as usize
    }
}

#[test]
fn random_markdown_keeps_the_layout_rules() {
    const PIECES: &[&str] = &[
        "word",
        "a",
        "longerword",
        "averyveryverylongwordwithoutanyspaces",
        " ",
        "  ",
        "\n",
        "\n\n",
        "\t",
        "**",
        "*",
        "_",
        "~~",
        "`",
        "```",
        "```rust\n",
        "    ",
        "- ",
        "* ",
        "1. ",
        "10. ",
        "999999999. ",
        "> ",
        "# ",
        "### ",
        "---",
        "[x](http://u.io)",
        "![i](p.png)",
        "<https://a.io>",
        "<b>",
        "</b>",
        "<div>\n",
        "| a | b |\n|---|:-:|\n",
        "| c | d |\n",
        "|",
        "\\",
        "[ ] ",
        "[x] ",
        "中文",
        "字",
        "🎉",
        "e\u{301}",
        "\u{200d}",
        "❤\u{fe0f}",
        "\u{1b}",
        "\r\n",
        "&amp;",
        "<!-- c -->",
        "\u{a0}",
        "> [!NOTE]\n",
    ];
    let mut noise = Noise(0x9e37_79b9_7f4a_7c15);
    for _ in 0..3000 {
        let count = 1 + noise.next() % 60;
        let markdown: String = (0..count)
            .map(|_| PIECES[noise.next() % PIECES.len()])
            .collect();
        let width = [
            None,
            Some(0),
            Some(10),
            Some(11),
            Some(17),
            Some(40),
            Some(80),
        ][noise.next() % 7];
        check_layout(&markdown, width);
    }
}

#[test]
fn line_width_and_plain() {
    let line = Line {
        spans: vec![
            Span::new("中 ", Style::default()),
            Span::new(
                "x",
                Style {
                    code: true,
                    ..Style::default()
                },
            ),
        ],
    };
    assert_eq!(line.width(), 4);
    assert_eq!(line.plain(), "中 `x`");
    assert_eq!(Line::default().width(), 0);
}

// -- real answers -------------------------------------------------------

const FIXTURES: [&str; 4] = [S3_UPLOADS, PRESIGNED, EC2_ACCESS, OPA_EXAMPLE];

#[test]
fn real_answers_fit_the_width() {
    for fixture in FIXTURES {
        for width in [Some(10), Some(40), Some(60), Some(80), Some(120), None] {
            check_layout(fixture, width);
        }
    }
}

/// Joins continuation rows that sit under an indented code line (`   │↪`).
fn joined_continuations(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split('\n') {
        match line.trim_start_matches(' ').strip_prefix("│↪") {
            Some(rest) => out.push_str(rest),
            None => {
                if !out.is_empty() {
                    out.push('\n');
                }
                out.push_str(line);
            }
        }
    }
    out
}

#[test]
fn real_answers_keep_every_word() {
    for fixture in FIXTURES {
        for width in [Some(40), Some(80), None] {
            let out: Vec<String> = render(fixture, width).iter().map(Line::plain).collect();
            // A code line's continuation rows go on where it stopped.
            let out = joined_continuations(&out.join("\n"));
            let kept = words(&out);
            for word in words(fixture) {
                assert!(kept.contains(&word), "{word:?} lost at {width:?}");
            }
        }
    }
}

/// At 40 columns every code line of the real answers can be read whole:
/// its first row and the continuation rows after it give it back.
#[test]
fn real_answers_keep_every_character_of_their_code_lines() {
    for fixture in FIXTURES {
        let out = plain(fixture, Some(40));
        // Each code line as shown, continuation rows joined to it.
        let mut shown: Vec<String> = Vec::new();
        for line in &out {
            let text = line.trim_start_matches(' ');
            if let Some(rest) = text.strip_prefix("│↪") {
                if let Some(last) = shown.last_mut() {
                    last.push_str(rest);
                }
            } else if let Some(rest) = text.strip_prefix("│ ") {
                shown.push(rest.to_string());
            }
        }
        let mut in_code = false;
        for source in fixture.lines() {
            let trimmed = source.trim();
            if trimmed.starts_with("```") {
                in_code = !in_code;
                continue;
            }
            if in_code && !trimmed.is_empty() {
                assert!(
                    shown.iter().any(|line| line.trim() == trimmed),
                    "code line {trimmed:?} not whole"
                );
            }
        }
    }
}

#[test]
fn real_answer_at_forty_columns() {
    let out = plain(PRESIGNED, Some(40));
    let expected_start = [
        "A pre-signed URL in Amazon S3 is a",
        "secure, temporary URL generated to",
        "provide time-limited access to specific",
        "objects in an S3 bucket without",
        "requiring the user to have direct S3",
        "permissions.",
        "",
        "Key Uses of Pre-Signed URLs",
        "",
        "1. Temporary Access to Files:",
        "   ◦ Grant temporary access for",
        "     downloading or uploading files.",
        "   ◦ Useful when you want to restrict",
        "     access to specific objects for a",
        "     limited time.",
        "",
        "2. Avoid Direct Bucket Permissions:",
    ];
    assert_eq!(out[..expected_start.len()], expected_start);
    let workflow = out
        .iter()
        .position(|l| l == "Example Workflow")
        .expect("workflow heading");
    assert_eq!(
        out[workflow..workflow + 8],
        [
            "Example Workflow",
            "",
            "1. Generate a Pre-Signed URL:",
            "   The server generates a pre-signed URL",
            "   for an object.",
            "   ╭─ bash",
            "   │ aws s3 presign s3://bucket-name/obj",
            "   │↪ect-key --expires-in 3600",
        ]
    );
    let s3 = plain(S3_UPLOADS, Some(40));
    assert!(s3.contains(&"10. Automate and Enforce Policies".to_string()));
    assert!(s3.contains(&"  ◦ Example bucket policy:".to_string()));
    assert!(s3.contains(&"    │   \"Statement\": [".to_string()));
    let opa = plain(OPA_EXAMPLE, Some(40));
    assert!(opa.contains(&"3. If a bucket becomes public:".to_string()));
    assert!(opa.contains(&"• It immediately triggers remediation.".to_string()));
}

/// aws.yaml: best practices for S3 uploads (headings, nested lists, json/bash code in items)
const S3_UPLOADS: &str = include_str!("../../../tests/fixtures/answers/s3-uploads.md");

/// aws.yaml: pre-signed URLs (loose numbered list, hard breaks, code in an item)
const PRESIGNED: &str = include_str!("../../../tests/fixtures/answers/presigned-url.md");

/// aws.yaml: EC2 access to services (python code with blank lines inside an item)
const EC2_ACCESS: &str = r#"To securely enable an application running on an EC2 instance to access services like S3, RDS, Secrets Manager, and Parameter Store, you can use **IAM roles** and **instance profiles**. Here's the process:

### 1. **Create an IAM Role for EC2**
   - **IAM Role**: Assign permissions for accessing S3, RDS, Secrets Manager, and Parameter Store.
   - Attach the required policies:
     - **S3 Access**: Add `AmazonS3ReadOnlyAccess` or a custom policy to limit access to specific buckets.
     - **RDS Access**: Add policies for RDS if using RDS APIs for management tasks (e.g., `rds:DescribeDBInstances`). Direct database connections don't require IAM roles.
     - **Secrets Manager Access**: Add policies like `SecretsManagerReadWrite` or custom policies to fetch secrets.
     - **Parameter Store Access**: Add `AmazonSSMReadOnlyAccess` or custom policies to retrieve parameters.

### 2. **Attach the IAM Role to the EC2 Instance**
   - Create an **instance profile** associated with the IAM role.
   - Attach the instance profile to the EC2 instance:
     ```bash
     aws ec2 associate-iam-instance-profile 
       --instance-id i-xxxxxxx 
       --iam-instance-profile Name=YourInstanceProfileName
     ```

### 3. **Use the AWS SDK/CLI in Your Application**
   - Applications running on the EC2 instance can automatically retrieve temporary credentials from the **instance metadata service (IMDS)**.
   - Example:
     ```python
     import boto3

     # Access S3
     s3 = boto3.client('s3')
     s3.list_buckets()

     # Access Secrets Manager
     secrets = boto3.client('secretsmanager')
     secret_value = secrets.get_secret_value(SecretId='your-secret-name')

     # Access Parameter Store
     ssm = boto3.client('ssm')
     parameter = ssm.get_parameter(Name='your-parameter-name', WithDecryption=True)
     ```

### 4. **Enforce Least Privilege**
   - Use specific resource-based policies and restrict access to the required resources only.
   - Example S3 Bucket Policy:
     ```json
     {
       "Version": "2012-10-17",
       "Statement": [
         {
           "Effect": "Allow",
           "Principal": {"AWS": "arn:aws:iam::account-id:role/role-name"},
           "Action": "s3:GetObject",
           "Resource": "arn:aws:s3:::bucket-name/*"
         }
       ]
     }
     ```

### 5. **Secure and Monitor Access**
   - Use **Secrets Manager** or **Parameter Store** for storing sensitive information (e.g., DB credentials).
   - Enable **CloudTrail** and **AWS Config** for auditing.
   - Use **IAM Access Analyzer** to validate permissions.

### 6. **Best Practices**
   - **IAM Role Rotation**: IAM roles automatically rotate credentials.
   - **Instance Metadata Service v2 (IMDSv2)**: Enforce IMDSv2 for enhanced metadata security.
   - **Encryption**: Use KMS for encrypting data in Secrets Manager, Parameter Store, and S3."#;

/// devops.yaml: hard breaks, a numbered list followed by a bullet list
const OPA_EXAMPLE: &str = r#"Most recent real example

In my last project, I used OPA to enforce no public S3 buckets across multiple AWS accounts.

Why?\
SecurityHub kept reporting public buckets → that is a major data leakage risk.

What I did:

1. Wrote a Rego policy that checks bucket ACL and encryption.
2. Integrated it with AWS Config + EventBridge.
3. If a bucket becomes public:
- It immediately triggers remediation.
- ACL is reset to private.
- Encryption is enabled.

Outcome:

- Public buckets reduced to zero
- SecurityHub compliance scores increased
- Passed internal audit successfully

Say this in the interview — it is perfect."#;

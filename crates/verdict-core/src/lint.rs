//! Checks on prose: the mistakes the original site made, caught before a
//! reader sees them. Used by the content checker on every editor-written
//! string and by tests on every generated sentence.

/// What a piece of text is, which decides how it must end and begin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prose {
    /// One or more full sentences: capital first, terminal punctuation last.
    Sentences,
    /// A clause completing "use it if …": starts with "you", no final stop.
    YouClause,
    /// A heading or name: no rules on ending.
    Label,
}

/// Phrases that mean nobody wrote the text.
const PLACEHOLDERS: &[&str] = &[
    "depends on your use case",
    "specific tradeoffs",
    "specific trade-offs",
    "lorem ipsum",
    "lorem",
    "insert text here",
    "coming soon",
];

/// Editor's markers, matched case-sensitively so "a todo app" is fine.
const MARKERS: &[&str] = &["TBD", "TODO", "FIXME", "XXX"];

/// Template seams the original site produced when it glued clauses together.
const BROKEN_JOINS: &[&str] = &[
    "you want it is",
    "you want it's",
    "you prioritize it is",
    "you prioritize it's",
    "you prioritise it is",
    "can live with specific",
    " meets developers should",
    "should learn it is",
];

/// Everything wrong with `text` read as `role`, as short messages; empty
/// when it is fine.
pub fn problems(text: &str, role: Prose) -> Vec<String> {
    problems_naming(text, role, &[])
}

/// [`problems`], where a sentence may also start with one of `names`:
/// names a brand writes in lower case (`aiohttp`, `uv`), such as the
/// catalog's topic names when text is generated from them.
pub fn problems_naming(text: &str, role: Prose, names: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    let trimmed = text.trim();
    if trimmed.is_empty() {
        out.push("is empty".to_owned());
        return out;
    }
    let lower = trimmed.to_lowercase();
    let (found_lower, found_markers) = found(&lower, trimmed);
    for (i, p) in PLACEHOLDERS.iter().enumerate() {
        if found_lower[i] {
            out.push(format!("contains placeholder text \"{p}\""));
        }
    }
    for (i, m) in MARKERS.iter().enumerate() {
        if found_markers[i] {
            out.push(format!("contains placeholder text \"{m}\""));
        }
    }
    for (i, j) in BROKEN_JOINS.iter().enumerate() {
        if found_lower[PLACEHOLDERS.len() + i] {
            out.push(format!("contains a broken template join \"{}\"", j.trim()));
        }
    }
    if let Some(cut) = cut_short(trimmed) {
        out.push(format!("looks cut short: ends with \"{cut}\""));
    }
    if let Some(w) = doubled_word(trimmed) {
        out.push(format!("repeats the word \"{w}\""));
    }
    match role {
        Prose::Sentences => {
            if trimmed.chars().next().is_some_and(char::is_lowercase)
                && !starts_with_lowercase_name(trimmed, names)
            {
                out.push("should start with a capital letter".to_owned());
            }
            if !ends_sentence(trimmed) {
                out.push(
                    "should end with a full stop, question mark or exclamation mark".to_owned(),
                );
            }
        }
        Prose::YouClause => {
            if !(trimmed.starts_with("you ") || trimmed.starts_with("your ")) {
                out.push(
                    "should start with \"you\" or \"your\" so that it completes \"use it if …\""
                        .to_owned(),
                );
            }
            if trimmed.ends_with('.') {
                out.push(
                    "should not end with a full stop: it is completed inside a sentence".to_owned(),
                );
            }
        }
        Prose::Label => {}
    }
    out
}

/// Whether the first word is a name or a piece of code written in
/// lowercase even at the start of a sentence ("npm", "testng.xml").
fn starts_with_lowercase_name(s: &str, names: &[&str]) -> bool {
    const NAMES: &[&str] = &[
        "npm",
        "pnpm",
        "pytest",
        "pandas",
        "webpack",
        "esbuild",
        "htmx",
        "jQuery",
        "iOS",
        "k6",
        "scikit-learn",
        "dbt",
        "unittest",
        "bcrypt",
        "macOS",
        "gRPC",
        "tRPC",
        "eBPF",
    ];
    let first = s
        .split(|c: char| c.is_whitespace() || c == '\'' || c == '’')
        .next()
        .unwrap_or("")
        .trim_end_matches([',', ';', ':']);
    let code_like =
        first.contains(['.', '_', '/', '(', '`']) || first.chars().any(|c| c.is_ascii_digit());
    NAMES.contains(&first) || names.contains(&first) || code_like
}

/// Whether `phrase` occurs in `text` as whole words.
/// Which of [`PLACEHOLDERS`] then [`BROKEN_JOINS`] occur in `lower`, and
/// which of [`MARKERS`] in `text`: one pass over each text (the loader
/// lints every sentence of every topic, so 19 separate searches per
/// sentence showed in profiles of large catalogs). Placeholders and
/// markers count only as whole words ([`contains_phrase`]); joins anywhere.
fn found(lower: &str, text: &str) -> (Vec<bool>, Vec<bool>) {
    use aho_corasick::AhoCorasick;
    use std::sync::LazyLock;
    static LOWER: LazyLock<AhoCorasick> = LazyLock::new(|| {
        AhoCorasick::new(PLACEHOLDERS.iter().chain(BROKEN_JOINS)).expect("fixed patterns")
    });
    static MARKED: LazyLock<AhoCorasick> =
        LazyLock::new(|| AhoCorasick::new(MARKERS).expect("fixed patterns"));
    let whole_word = |t: &str, start: usize, end: usize| {
        !t[..start]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric)
            && !t[end..].chars().next().is_some_and(char::is_alphanumeric)
    };
    let mut in_lower = vec![false; PLACEHOLDERS.len() + BROKEN_JOINS.len()];
    for m in LOWER.find_overlapping_iter(lower) {
        let i = m.pattern().as_usize();
        if i >= PLACEHOLDERS.len() || whole_word(lower, m.start(), m.end()) {
            in_lower[i] = true;
        }
    }
    let mut in_text = vec![false; MARKERS.len()];
    for m in MARKED.find_overlapping_iter(text) {
        if whole_word(text, m.start(), m.end()) {
            in_text[m.pattern().as_usize()] = true;
        }
    }
    (in_lower, in_text)
}

#[cfg(test)]
fn contains_phrase(text: &str, phrase: &str) -> bool {
    text.match_indices(phrase).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + phrase.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

fn ends_sentence(s: &str) -> bool {
    let s = s.trim_end_matches(['"', '\'', ')', '”', '’', '*', '_', '`']);
    s.ends_with(['.', '!', '?', ':'])
}

/// The tail of a text that stops mid-thought, as the original site's
/// excerpts did ("leading migrations (e").
fn cut_short(s: &str) -> Option<String> {
    let tail = s.trim_end();
    let last_word = tail
        .rsplit(|c: char| c.is_whitespace())
        .next()
        .unwrap_or("");
    let bare = last_word.trim_end_matches('.');
    let cut_abbreviations = [
        "(e", "(i", "e.g", "i.e", "(e.g", "(i.e", "eg", "ie", "etc", "vs",
    ];
    if cut_abbreviations.contains(&bare.to_lowercase().as_str()) {
        return Some(last_word.to_owned());
    }
    // An opening bracket that never closes.
    if tail.matches('(').count() > tail.matches(')').count() {
        return Some(last_word.to_owned());
    }
    if tail.ends_with([',', ';', '-', '–', '(']) || tail.ends_with("...") || tail.ends_with('…')
    {
        return Some(last_word.to_owned());
    }
    None
}

fn doubled_word(s: &str) -> Option<String> {
    // "is is" counts; "C, C++" and "that that" do not.
    let words: Vec<&str> = s.split_whitespace().collect();
    words.windows(2).find_map(|w| {
        let first = w[0].trim_start_matches(|c: char| !c.is_alphanumeric());
        let second = w[1].trim_end_matches(|c: char| !c.is_alphanumeric());
        let doubled = !first.is_empty()
            && first.chars().all(char::is_alphabetic)
            && first.eq_ignore_ascii_case(second)
            && !matches!(first.to_lowercase().as_str(), "that" | "had");
        doubled.then(|| first.to_lowercase())
    })
}

#[cfg(test)]
mod tests {
    /// The one-pass search finds what a search per phrase finds.
    #[test]
    fn one_pass_agrees_with_a_search_per_phrase() {
        let texts = [
            "It is Lorem ipsum dolor.",
            "A todo app, TODO: fill in, and a TBD.",
            "Cheaper if you want it is wrong.",
            "Coming soon to a lorem-free page; XXX marks it.",
            "Nothing wrong here, lorems aside.",
            "It depends on your use case and specific trade-offs.",
        ];
        for text in texts {
            let lower = text.to_lowercase();
            let (in_lower, in_text) = found(&lower, text);
            for (i, p) in PLACEHOLDERS.iter().enumerate() {
                assert_eq!(in_lower[i], contains_phrase(&lower, p), "{text}: {p}");
            }
            for (i, j) in BROKEN_JOINS.iter().enumerate() {
                assert_eq!(
                    in_lower[PLACEHOLDERS.len() + i],
                    lower.contains(j),
                    "{text}: {j}"
                );
            }
            for (i, m) in MARKERS.iter().enumerate() {
                assert_eq!(in_text[i], contains_phrase(text, m), "{text}: {m}");
            }
        }
    }

    use super::*;

    fn check(text: &str, role: Prose, expect: &[&str]) {
        assert_eq!(problems(text, role), expect, "{text:?}");
    }

    #[test]
    fn accepts_good_prose() {
        check("Rust has no garbage collector.", Prose::Sentences, &[]);
        check("npm ships with Node.js.", Prose::Sentences, &[]);
        check("testng.xml files configure suites.", Prose::Sentences, &[]);
        check("your team already knows Java", Prose::YouClause, &[]);
        check(
            "you want a fast path from idea to a working admin site",
            Prose::YouClause,
            &[],
        );
        check("It is fast (about 2× Node.js).", Prose::Sentences, &[]);
        check(
            "Speed comes from C, C++ and Fortran.",
            Prose::Sentences,
            &[],
        );
    }

    #[test]
    fn rejects_the_original_sites_defects() {
        check(
            "Specific tradeoffs depend on your use case",
            Prose::Sentences,
            &[
                "contains placeholder text \"specific tradeoffs\"",
                "should end with a full stop, question mark or exclamation mark",
            ],
        );
        check(
            "Use Technical Leadership if: You want it is crucial for managing complex systems and can live with specific tradeoffs depend on your use case.",
            Prose::Sentences,
            &[
                "contains placeholder text \"specific tradeoffs\"",
                "contains a broken template join \"you want it is\"",
                "contains a broken template join \"can live with specific\"",
            ],
        );
        check(
            "It helps when leading migrations (e",
            Prose::Sentences,
            &[
                "looks cut short: ends with \"(e\"",
                "should end with a full stop, question mark or exclamation mark",
            ],
        );
        check(
            "Developers should learn X when they lead meets developers should learn Y.",
            Prose::Sentences,
            &["contains a broken template join \"meets developers should\""],
        );
        check(
            "TBD.",
            Prose::Sentences,
            &["contains placeholder text \"TBD\""],
        );
        check("Good for a todo app.", Prose::Sentences, &[]);
    }

    #[test]
    fn clauses_must_complete_use_it_if() {
        check(
            "You want speed.",
            Prose::YouClause,
            &[
                "should start with \"you\" or \"your\" so that it completes \"use it if …\"",
                "should not end with a full stop: it is completed inside a sentence",
            ],
        );
    }

    #[test]
    fn catches_doubled_words_and_lowercase_starts() {
        check(
            "It is is fast.",
            Prose::Sentences,
            &["repeats the word \"is\""],
        );
        check(
            "it is fast.",
            Prose::Sentences,
            &["should start with a capital letter"],
        );
    }
}

//! The reader-votes block of a comparison page and the home page's "most
//! contested" list. The web layer fills these from the vote store; the
//! static export has no votes and leaves both slots empty.
//!
//! Reasons are readers' own words: the templates escape them like any other
//! text (askama's HTML escaping turns `<`, `>`, `&`, `"` and `'` into
//! numeric entities), so they can never become markup.

use askama::Template;

/// The tally in one sentence: "62 % of 13 readers agree with our pick."
/// `agree_percent` is `None` before the first vote.
pub fn tally_summary(agree_percent: Option<u8>, total: u64) -> String {
    match agree_percent {
        None => "No reader has voted yet. Be the first.".to_owned(),
        Some(p) => {
            let readers = if total == 1 { "reader" } else { "readers" };
            let verb = if total == 1 { "agrees" } else { "agree" };
            format!("{p} % of {total} {readers} {verb} with our pick.")
        }
    }
}

/// The votes block's text when the store cannot be read.
pub fn unavailable() -> String {
    "Reader votes are unavailable right now.".to_owned()
}

/// Which topics readers would pick instead, by share of those who named
/// one: "Readers would pick: Go 60 %, Rust 40 %."
pub fn would_pick_line(shares: &[(&str, f64)]) -> String {
    let parts: Vec<String> = shares
        .iter()
        .map(|(name, percent)| format!("{name} {} %", percent.round()))
        .collect();
    format!("Readers would pick: {}.", parts.join(", "))
}

/// Why a comparison is marked contested, with its own figures.
pub fn contested_note(disagree: u64, total: u64) -> String {
    format!(
        "{disagree} of {total} readers disagree: even the cautious estimate of the disagree share is above half."
    )
}

/// How "contested" is decided, in words (pages, API and docs), for a
/// minimum of `min_votes` votes.
pub fn contested_rule(min_votes: u64) -> String {
    format!(
        "at least {min_votes} votes, and the 95 % Wilson lower bound of the share who disagree is above one half"
    )
}

/// Replaced per request by the reader's form token, so one rendering of the
/// block serves every reader until the tally changes.
pub const TOKEN_PLACEHOLDER: &str = "@@verdict-form-token@@";

/// One topic the reader may say they would pick.
#[derive(Debug, Clone)]
pub struct PickOption {
    pub value: String,
    pub label: String,
}

/// One reader's reason, as shown publicly.
#[derive(Debug, Clone)]
pub struct ReasonView {
    /// `agrees` or `disagrees`, for styling.
    pub class: &'static str,
    /// "Agrees" / "Disagrees".
    pub stance: &'static str,
    pub would_pick: Option<String>,
    pub text: String,
    pub day: String,
}

/// The votes block of a comparison page. Template: `votes.html`.
#[derive(Template, Debug, Clone)]
#[template(path = "votes.html")]
pub struct VotesBlock {
    /// Where the form posts (`/compare/a-vs-b/votes`).
    pub action: String,
    /// The JSON endpoint the page script posts to instead.
    pub api: String,
    /// The pick's name; `None` when the verdict is not a pick.
    pub pick_name: Option<String>,
    /// The verdict when it is not a pick: "Too close to call".
    pub outcome_label: &'static str,
    /// "72 % of 140 readers agree with our pick." or "No reader has voted yet."
    pub summary: String,
    pub contested: bool,
    pub contested_note: String,
    /// "Readers would pick: Rust 60 %, Go 40 %."
    pub picks_line: Option<String>,
    pub options: Vec<PickOption>,
    pub reasons: Vec<ReasonView>,
    pub token: String,
    pub max_reason: usize,
    pub thanks: bool,
    /// The vote store cannot be reached: show the block without the form.
    pub unavailable: bool,
}

/// One comparison in the "most contested" list.
#[derive(Debug, Clone)]
pub struct ContestedItem {
    pub title: String,
    pub url: String,
    pub detail: String,
}

/// The home page's list of contested picks. Template: `contested.html`.
#[derive(Template, Debug, Clone)]
#[template(path = "contested.html")]
pub struct ContestedList {
    pub items: Vec<ContestedItem>,
    pub rule: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block() -> VotesBlock {
        VotesBlock {
            action: "/compare/go-vs-rust/votes".into(),
            api: "/api/v1/comparisons/go-vs-rust/votes".into(),
            pick_name: Some("Rust".into()),
            outcome_label: "Our pick",
            summary: "No reader has voted yet.".into(),
            contested: false,
            contested_note: String::new(),
            picks_line: None,
            options: vec![PickOption {
                value: "go".into(),
                label: "Go".into(),
            }],
            reasons: vec![ReasonView {
                class: "disagrees",
                stance: "Disagrees",
                would_pick: Some("Go".into()),
                text: "<script>alert(\"x\")</script> & 'y'".into(),
                day: "2026-05-04".into(),
            }],
            token: TOKEN_PLACEHOLDER.into(),
            max_reason: 1000,
            thanks: false,
            unavailable: false,
        }
    }

    #[test]
    fn reasons_are_escaped_and_the_token_slot_survives() {
        let html = block().render().unwrap();
        assert!(!html.contains("<script>"), "{html}");
        assert!(
            html.contains("&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62; &#38; &#39;y&#39;"),
            "{html}"
        );
        assert_eq!(html.matches(TOKEN_PLACEHOLDER).count(), 1);
        assert!(
            html.contains(r#"name="website""#),
            "the honeypot field is there"
        );
        assert!(
            !html.contains("votes-thanks\" role=\"status\">Thank"),
            "no thanks before a vote"
        );
    }

    #[test]
    fn unavailable_store_hides_the_form() {
        let mut b = block();
        b.unavailable = true;
        let html = b.render().unwrap();
        assert!(!html.contains("<form"));
        assert!(html.contains("unavailable"));
    }
}

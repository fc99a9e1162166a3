//! The stable identifier of each kind of problem a [`Diagnostic`] reports.
//!
//! Each code is written once, here: `verdict check` prints it in its text
//! and JSON output, tests and tooling match on it, and the loader decides
//! by it which problems leave a file out ([`Code::repaired`]) or stop
//! loading ([`Code::unusable_root`]).
//!
//! [`Diagnostic`]: crate::Diagnostic

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Declares [`Code`] with each variant's kebab-case text, written once.
macro_rules! codes {
    ($($(#[$doc:meta])* $variant:ident => $text:literal,)*) => {
        /// What kind of problem a diagnostic reports. Its text
        /// ([`Code::as_str`]) is what `verdict check` prints and what the
        /// JSON output holds; it never changes once published.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $($(#[$doc])* $variant,)*
        }

        impl Code {
            /// Every code, in declaration order.
            pub const ALL: &[Code] = &[$(Code::$variant,)*];

            /// The code as printed: lowercase words joined by hyphens.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $text,)*
                }
            }
        }
    };
}

codes! {
    // Reading files.
    /// A root file (criteria.toml, categories.toml) is not there.
    MissingFile => "missing-file",
    /// jobs.toml is not there.
    NoJobsFile => "no-jobs-file",
    /// A file is not valid TOML.
    TomlSyntax => "toml-syntax",
    /// A file is not UTF-8 and is left out.
    InvalidUtf8 => "invalid-utf8",
    /// A symbolic link, which the loader never follows.
    Symlink => "symlink",
    /// An entry that is neither a regular file nor a link.
    NotAFile => "not-a-file",
    /// A topic file not directly in its category's folder.
    BadPath => "bad-path",

    // Fields of any table.
    /// A required key is absent.
    MissingField => "missing-field",
    /// A string or list is empty.
    EmptyField => "empty-field",
    /// A key nobody reads.
    UnknownField => "unknown-field",
    /// A value of the wrong TOML type.
    WrongType => "wrong-type",
    /// A date that is not `YYYY-MM-DD` (or `YYYY-MM` in evidence).
    BadDate => "bad-date",
    /// A slug or id that is not lowercase words joined by hyphens.
    BadSlug => "bad-slug",

    // Prose.
    /// Text that breaks a rule of its role (verdict-core's `lint`).
    Prose => "prose",
    /// Placeholder text a reader would see.
    Placeholder => "placeholder",
    /// Text cut short ("e.g.", a trailing ellipsis).
    CutShort => "cut-short",

    // Criteria, categories and profiles.
    /// criteria.toml defines no usable criterion.
    NoCriteria => "no-criteria",
    /// categories.toml defines no usable category.
    NoCategories => "no-categories",
    /// A criterion id that criteria.toml does not define.
    UnknownCriterion => "unknown-criterion",
    /// A `computed_from` that names no known measure.
    UnknownMeasure => "unknown-measure",
    /// A weight or multiplier out of range.
    BadWeight => "bad-weight",
    /// A category without weights, or without a shared criterion.
    MissingWeights => "missing-weights",
    /// A category that categories.toml does not define.
    UnknownCategory => "unknown-category",
    /// A category of categories.toml left with no topic.
    EmptyCategory => "empty-category",

    // Jobs.
    /// A job label that does not read after "is for".
    JobLabel => "job-label",
    /// A topic with an empty `jobs` list.
    MissingJobs => "missing-jobs",
    /// A job id that jobs.toml does not define.
    UnknownJob => "unknown-job",
    /// One job id defined in two job files.
    DuplicateJob => "duplicate-job",
    /// A job no topic does.
    UnusedJob => "unused-job",
    /// An alternative that shares no job with the topic.
    AlternativeOtherJob => "alternative-other-job",
    /// A topic used with one that shares its job.
    UsedWithAlternative => "used-with-alternative",

    // Topics.
    /// A `kind` that verdict-core does not know.
    UnknownKind => "unknown-kind",
    /// A topic whose `category` is not its folder.
    CategoryFolder => "category-folder",
    /// Fewer pros, cons or related topics than `--strict` asks.
    TooFew => "too-few",
    /// A source without an http(s) address, a title or a read date.
    BadSource => "bad-source",
    /// A source title so long that it restates claims instead of naming
    /// the page.
    LongSourceTitle => "long-source-title",
    /// A source in a GitHub repository whose title does not start with
    /// the repository's name.
    GithubSourceTitle => "github-source-title",
    /// A topic with dates, versions, figures or licences and no sources.
    UnsourcedClaims => "unsourced-claims",
    /// A score for a criterion the category does not weigh.
    UnscoredCriterion => "unscored-criterion",
    /// A score outside 0-10, or not a whole number.
    ScoreRange => "score-range",
    /// A score without a reason.
    MissingReason => "missing-reason",
    /// A criterion the category weighs with no score.
    MissingScore => "missing-score",
    /// A score written for a criterion that is computed from measured
    /// figures.
    ComputedScore => "computed-score",
    /// A registry verdict does not import from.
    UnknownRegistry => "unknown-registry",
    /// Two topics with one slug.
    DuplicateSlug => "duplicate-slug",
    /// One alias on two topics.
    DuplicateAlias => "duplicate-alias",
    /// Two topics whose slugs, names or aliases look alike.
    NearDuplicate => "near-duplicate",
    /// A topic that refers to itself.
    SelfReference => "self-reference",
    /// A reference to a topic that does not exist.
    UnknownTopic => "unknown-topic",

    // Evidence.
    /// An evidence file that does not hold what `verdict import` writes.
    BadEvidence => "bad-evidence",
    /// A package with no figure in its registry's evidence file.
    NoEvidence => "no-evidence",
    /// Git evidence whose figures are not what `verdict import git` writes.
    BadActivity => "bad-activity",
    /// Git evidence without the repository URL, the commit read or its date.
    ActivityProvenance => "activity-provenance",
    /// Git evidence for a topic that does not exist.
    ActivityTopic => "activity-topic",

    // Editorial comparisons.
    /// A comparison file name that does not name 2 to 4 distinct topics.
    BadComparison => "bad-comparison",
    /// A comparison file name not in alphabetical order.
    ComparisonOrder => "comparison-order",
    /// An `outcome` that verdict-core does not know.
    UnknownOutcome => "unknown-outcome",
    /// A `pick` on an editorial whose outcome is not a pick.
    PickNotAllowed => "pick-not-allowed",
    /// A pick or section winner that is not a compared topic.
    BadPick => "bad-pick",
    /// A pick between topics that share no job.
    PickAcrossJobs => "pick-across-jobs",
}

impl Code {
    /// Errors the loader repairs, or that say the text is thin rather than
    /// wrong, so the file's data is still published: a dangling reference
    /// is dropped from its list, a comparison file name is put in
    /// canonical order, and `--strict`'s minimums.
    pub(crate) fn repaired(self) -> bool {
        matches!(
            self,
            Code::UnknownTopic | Code::ComparisonOrder | Code::TooFew
        )
    }

    /// Errors that make `criteria.toml` or `categories.toml` unusable as a
    /// whole: everything else is checked against them, so loading stops.
    pub(crate) fn unusable_root(self) -> bool {
        matches!(
            self,
            Code::MissingFile
                | Code::TomlSyntax
                | Code::InvalidUtf8
                | Code::Symlink
                | Code::NotAFile
                | Code::NoCriteria
                | Code::NoCategories
        )
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Code {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Code, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Code::ALL
            .iter()
            .copied()
            .find(|c| c.as_str() == text)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown diagnostic code `{text}`")))
    }
}

#[cfg(test)]
mod tests {
    use super::Code;

    /// Each code's text is unique and kebab-case, so tooling can match it.
    #[test]
    fn texts_are_unique_kebab_case() {
        let mut seen = std::collections::HashSet::new();
        for code in Code::ALL {
            let s = code.as_str();
            assert!(seen.insert(s), "{s} is used twice");
            assert!(
                verdict_core::model::is_valid_slug(s),
                "{s} is not lowercase words joined by hyphens"
            );
        }
        assert_eq!(seen.len(), 60);
    }

    #[test]
    fn serialises_as_its_text() {
        assert_eq!(
            serde_json::to_string(&Code::UsedWithAlternative).unwrap(),
            "\"used-with-alternative\""
        );
    }
}

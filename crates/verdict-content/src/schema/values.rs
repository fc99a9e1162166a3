//! The value types fields share: slugs, prose, dates, web addresses and
//! the closed lists (kinds, outcomes, registries).
//!
//! Each is a string newtype whose JSON Schema carries the loader's rule as
//! a `pattern` or an `enum`, and whose `Deserialize` applies the same rule,
//! so a file that deserialises is one the schema accepts. Their schemas are
//! inlined where used, never `$ref`ed: Taplo ignores a description next to
//! a `$ref`, and the field's description is the hover help editors show.

use std::borrow::Cow;
use std::collections::BTreeMap;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};

use verdict_core::model::{Kind, Measure, Outcome, is_valid_slug};

use crate::evidence::{REGISTRIES, is_month_or_date};
use crate::load::is_web_address;
use crate::reader::is_date;

/// [`is_valid_slug`] as a regular expression: lowercase ASCII words of
/// letters and digits joined by single hyphens, never `vs` alone, never
/// containing `-vs-` nor ending in `-vs`.
pub const SLUG: &str = r"^(?!vs$)(?!.*-vs(-|$))[a-z0-9]+(-[a-z0-9]+)*$";

/// Text with something in it: the loader reports blank text as empty.
pub const NOT_BLANK: &str = r"\S";

/// A `YYYY-MM-DD` date, as the loader's date check reads one (month 1–12,
/// day 1–31).
pub const DATE: &str = r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$";

/// `YYYY-MM` or `YYYY-MM-DD`, an evidence file's `as_of`.
pub const MONTH_OR_DATE: &str = r"^[0-9]{4}-[0-9]{2}(-[0-9]{2})?$";

/// A calendar month, `YYYY-MM`.
pub const MONTH: &str = r"^[0-9]{4}-(0[1-9]|1[0-2])$";

/// An `http://` or `https://` address whose host has a dot (not first)
/// and no spaces anywhere.
pub const WEB_ADDRESS: &str = r"^https?://[^./?#\s][^/?#\s]*\.[^/?#\s]*([/?#]\S*)?$";

/// A full commit id: 40 (SHA-1) or 64 (SHA-256) lowercase hex digits.
pub const COMMIT: &str = r"^([0-9a-f]{40}|[0-9a-f]{64})$";

/// Declares a string newtype whose schema is `schema` and whose
/// deserialisation accepts a string when `valid` holds for it.
macro_rules! string_type {
    ($(#[$doc:meta])* $name:ident, $valid:expr, $what:literal, $schema:tt) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
        #[serde(try_from = "String")]
        pub struct $name(pub String);

        impl TryFrom<String> for $name {
            type Error = String;

            fn try_from(s: String) -> Result<Self, String> {
                let valid: fn(&str) -> bool = $valid;
                if valid(&s) {
                    Ok($name(s))
                } else {
                    Err(format!("`{s}` is not {}", $what))
                }
            }
        }

        impl JsonSchema for $name {
            fn inline_schema() -> bool {
                true
            }

            fn schema_name() -> Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                json_schema!($schema)
            }
        }
    };
}

string_type!(
    /// A topic, category, criterion or job id: `ruby-on-rails`.
    Slug,
    is_valid_slug,
    "a slug (lowercase words joined by single hyphens)",
    { "type": "string", "pattern": SLUG }
);

string_type!(
    /// Text a reader sees; never blank.
    Text,
    |s| !s.trim().is_empty(),
    "text (it is blank)",
    { "type": "string", "pattern": NOT_BLANK }
);

string_type!(
    /// A web address a reader can open.
    WebAddress,
    is_web_address,
    "a web address (http:// or https://, a host with a dot, no spaces)",
    { "type": "string", "pattern": WEB_ADDRESS }
);

string_type!(
    /// A `YYYY-MM-DD` day written as a string (generated files).
    Day,
    is_date,
    "a date written as \"YYYY-MM-DD\"",
    { "type": "string", "pattern": DATE }
);

string_type!(
    /// `YYYY-MM` or `YYYY-MM-DD`.
    MonthOrDate,
    is_month_or_date,
    "a month or a date (\"YYYY-MM\" or \"YYYY-MM-DD\")",
    { "type": "string", "pattern": MONTH_OR_DATE }
);

string_type!(
    /// A calendar month, `YYYY-MM`.
    Month,
    |s| s.is_ascii()
        && s.len() == 7
        && s.as_bytes()[4] == b'-'
        && s[..4].bytes().chain(s[5..].bytes()).all(|c| c.is_ascii_digit())
        && (1..=12).contains(&s[5..].parse::<u8>().unwrap_or(0)),
    "a month written as \"YYYY-MM\"",
    { "type": "string", "pattern": MONTH }
);

string_type!(
    /// A full commit id.
    CommitId,
    |s| (s.len() == 40 || s.len() == 64)
        && s.bytes().all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c)),
    "a full commit id (40 lowercase hexadecimal digits)",
    { "type": "string", "pattern": COMMIT }
);

/// Which of a closed list of names a string is, with the list in its
/// schema.
macro_rules! name_type {
    ($(#[$doc:meta])* $name:ident, $names:expr, $what:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
        #[serde(try_from = "String")]
        pub struct $name(pub String);

        impl $name {
            /// Every name the loader accepts, in the order it lists them.
            pub fn all() -> Vec<&'static str> {
                $names
            }
        }

        impl TryFrom<String> for $name {
            type Error = String;

            fn try_from(s: String) -> Result<Self, String> {
                if $name::all().contains(&s.as_str()) {
                    Ok($name(s))
                } else {
                    Err(format!("unknown {} `{s}`", $what))
                }
            }
        }

        impl JsonSchema for $name {
            fn inline_schema() -> bool {
                true
            }

            fn schema_name() -> Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                json_schema!({ "type": "string", "enum": $name::all() })
            }
        }
    };
}

name_type!(
    /// A topic's `kind`, one of [`Kind::ALL`].
    KindName,
    Kind::ALL.iter().map(|k| k.as_str()).collect(),
    "kind"
);

name_type!(
    /// An editorial's `outcome`, one of [`Outcome::ALL`].
    OutcomeName,
    Outcome::ALL.iter().map(|o| o.as_str()).collect(),
    "outcome"
);

name_type!(
    /// What a criterion's score is computed from, one of [`Measure::ALL`].
    MeasureName,
    Measure::ALL.iter().map(|m| m.as_str()).collect(),
    "measure"
);

name_type!(
    /// A package registry, one of [`REGISTRIES`].
    RegistryName,
    REGISTRIES.to_vec(),
    "registry"
);

/// A date someone checked something: a bare TOML date (`2026-11-20`) or
/// the same as a string, as the loader's date check reads them. Editors see
/// both as the string `"2026-11-20"` (Taplo validates a TOML date as its
/// text), so the schema is a string pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Date(pub String);

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(DateVisitor)
    }
}

struct DateVisitor;

impl<'de> Visitor<'de> for DateVisitor {
    type Value = Date;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a date such as 2026-11-20")
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Date, E> {
        if is_date(s) {
            Ok(Date(s.to_owned()))
        } else {
            Err(E::custom(format!("`{s}` is not a date (YYYY-MM-DD)")))
        }
    }

    /// The toml crate hands a TOML date-time to serde as a one-entry map
    /// holding its text; a date with a time is refused by the text check.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Date, A::Error> {
        match map.next_entry::<String, String>()? {
            Some((_, text)) => self.visit_str(&text),
            None => Err(de::Error::custom("expected a date")),
        }
    }
}

impl JsonSchema for Date {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        "Date".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "string", "pattern": DATE })
    }
}

/// Declares a number newtype that deserialises only when `valid` holds,
/// with `bounds` (JSON Schema keywords) in its schema.
macro_rules! bounded {
    ($(#[$doc:meta])* $name:ident($repr:ty), $repr_name:literal, $valid:expr, $what:literal, $bounds:tt) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Deserialize)]
        #[serde(try_from = $repr_name)]
        pub struct $name(pub $repr);

        impl TryFrom<$repr> for $name {
            type Error = String;

            fn try_from(n: $repr) -> Result<Self, String> {
                let valid: fn($repr) -> bool = $valid;
                if valid(n) {
                    Ok($name(n))
                } else {
                    Err(format!("{n} is not {}", $what))
                }
            }
        }

        impl JsonSchema for $name {
            fn inline_schema() -> bool {
                true
            }

            fn schema_name() -> Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema(generator: &mut SchemaGenerator) -> Schema {
                let mut schema = <$repr>::json_schema(generator);
                let serde_json::Value::Object(bounds) = serde_json::json!($bounds) else {
                    unreachable!("bounds are an object")
                };
                for (k, v) in bounds {
                    schema.insert(k, v);
                }
                schema
            }
        }
    };
}

bounded!(
    /// A topic's score: a whole number from 0 to 10.
    ScoreValue(u8),
    "u8",
    |n| n <= 10,
    "a score from 0 to 10",
    {
        "minimum": 0, "maximum": 10,
        "description": "A whole number from 0 to 10."
    }
);

bounded!(
    /// A category's weight on a criterion: above 0, at most 10.
    Weight(f64),
    "f64",
    |x| x > 0.0 && x <= 10.0,
    "a weight above 0 and at most 10",
    {
        "exclusiveMinimum": 0, "maximum": 10,
        "description": "How much this criterion counts in the category: above 0, at most 10. 3 is decisive, 2 important, 1 worth a look. Example: `productivity = 3`."
    }
);

bounded!(
    /// A profile's multiplier on a weight: 0 to 10.
    Multiplier(f64),
    "f64",
    |x| (0.0..=10.0).contains(&x),
    "a multiplier from 0 to 10",
    {
        "minimum": 0, "maximum": 10,
        "description": "What this criterion's weight is multiplied by for the profile, from 0 to 10: 2 doubles it, 0.5 halves it, 0 ignores it. Example: `learning-curve = 3`."
    }
);

bounded!(
    /// A registry figure: a positive whole number.
    Figure(u64),
    "u64",
    |n| n >= 1,
    "a positive whole number",
    {
        "minimum": 1,
        "description": "The package's figure: a positive whole number. Example: `react = 351327975`."
    }
);

bounded!(
    /// A year a project's history starts in.
    Year(u16),
    "u16",
    |y| (1970..=9999).contains(&y),
    "a year from 1970 to 9999",
    { "minimum": 1970, "maximum": 9999 }
);

/// A map of `N` entries or more (`exactly`: exactly `N`): a file's tables
/// that the loader refuses to find empty, or a window of a fixed length.
#[derive(Debug, Clone, PartialEq)]
pub struct Counted<K, V, const N: usize, const EXACTLY: bool>(pub BTreeMap<K, V>);

/// At least one entry.
pub type NonEmpty<K, V> = Counted<K, V, 1, false>;

impl<'de, K, V, const N: usize, const EXACTLY: bool> Deserialize<'de> for Counted<K, V, N, EXACTLY>
where
    K: Deserialize<'de> + Ord,
    V: Deserialize<'de>,
{
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let map = BTreeMap::<K, V>::deserialize(d)?;
        match (map.len(), EXACTLY) {
            (n, false) if n < N => Err(de::Error::custom(format!(
                "expected at least {N} entries, found {n}"
            ))),
            (n, true) if n != N => Err(de::Error::custom(format!(
                "expected exactly {N} entries, found {n}"
            ))),
            _ => Ok(Counted(map)),
        }
    }
}

impl<K: JsonSchema, V: JsonSchema, const N: usize, const EXACTLY: bool> JsonSchema
    for Counted<K, V, N, EXACTLY>
{
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        format!("Counted_{N}_{EXACTLY}_{}", BTreeMap::<K, V>::schema_name()).into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let mut schema = BTreeMap::<K, V>::json_schema(generator);
        schema.insert("minProperties".into(), N.into());
        if EXACTLY {
            schema.insert("maxProperties".into(), N.into());
        }
        schema
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// Whether a JSON Schema validator finds `s` matches `pattern`, as an
    /// editor would.
    fn matches(pattern: &str, s: &str) -> bool {
        jsonschema::is_valid(&json!({ "type": "string", "pattern": pattern }), &json!(s))
    }

    #[track_caller]
    fn check(pattern: &str, rule: fn(&str) -> bool, samples: &[&str]) {
        for s in samples {
            assert_eq!(matches(pattern, s), rule(s), "{s:?} against {pattern}");
        }
    }

    #[test]
    fn the_slug_pattern_is_the_loaders_rule() {
        check(
            SLUG,
            is_valid_slug,
            &[
                "rust",
                "c",
                "ruby-on-rails",
                "oauth2",
                "k8s",
                "vs-code",
                "vscode",
                "a-vsb",
                "",
                "Rust",
                "ruby--on-rails",
                "-rust",
                "rust-",
                "a-vs-b",
                "a-vs",
                "vs",
                "a_b",
                "a b",
                "café",
                "rust\n",
            ],
        );
    }

    #[test]
    fn the_date_pattern_is_the_loaders_rule() {
        check(
            DATE,
            is_date,
            &[
                "2026-11-20",
                "2026-01-31",
                "2026-12-01",
                "2026-13-01",
                "2026-00-10",
                "2026-11-00",
                "2026-11-32",
                "20-11-2026",
                "2026-11",
                "2026-11-20T10:00:00",
                "2026/11/20",
                "",
            ],
        );
    }

    #[test]
    fn the_month_or_date_pattern_is_the_loaders_rule() {
        check(
            MONTH_OR_DATE,
            is_month_or_date,
            &[
                "2026-11",
                "2026-11-01",
                "2026",
                "2026-1",
                "2026-11-1",
                "26-11",
                "2026-11-01x",
            ],
        );
    }

    #[test]
    fn the_web_address_pattern_is_the_loaders_rule() {
        check(
            WEB_ADDRESS,
            is_web_address,
            &[
                "https://www.rust-lang.org/",
                "http://example.org",
                "https://example.org?q=1",
                "https://a.b#x",
                "www.rust-lang.org",
                "https://localhost/",
                "https://a b.org/",
                "https://example.org/a b",
                "ftp://example.org/",
                "https://.example.org/",
                "https:///example.org",
                "https://example/org.html",
            ],
        );
    }
}

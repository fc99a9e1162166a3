//! Turns catalog data into what people read: view models shared by every
//! output, and the terminal, Markdown and (with `verdict-web`) HTML
//! renderings of them. Returns strings; knows nothing of HTTP or files.

pub mod markdown;
pub mod terminal;
pub mod urls;
pub mod view;

pub use urls::Urls;
pub use view::ComparisonView;

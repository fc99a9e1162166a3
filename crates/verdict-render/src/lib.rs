//! Turns catalog data into what people read: view models shared by every
//! output, and the terminal, Markdown and HTML renderings of them. Returns
//! strings; knows nothing of HTTP or files, so the web server and the static
//! export produce the same bytes for the same page.

pub mod assets;
pub mod badge;
pub mod html;
pub mod markdown;
pub mod og;
pub mod query;
pub mod resources;
pub mod site;
pub mod terminal;
pub mod urls;
pub mod view;
pub mod votes;

pub use html::SiteConfig;
pub use urls::Urls;
pub use view::ComparisonView;

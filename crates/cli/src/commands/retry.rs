//! `guichet batch retry-failed ID [--amounts FILE]`: the failures of a finished batch paid
//! again as a new batch, numbers and amounts corrected by the file, reviewed and confirmed as
//! any batch.

use crate::output::Output;
use guichet_core::Guichet;
use std::path::Path;

/// Pays again the failures of batch `id` (`--amounts`: a file correcting amounts and
/// numbers), reviewed then sent once confirmed, as any batch.
pub fn retry_failed(
    g: &Guichet,
    out: &Output,
    id: i64,
    amounts: Option<&Path>,
    dry_run: bool,
    yes: bool,
) -> anyhow::Result<()> {
    let corrections = match amounts {
        Some(path) => g.retry_corrections(id, path).map_err(super::file_hint)?,
        None => Vec::new(),
    };
    let req = g.retry_failed(id, &corrections).map_err(super::file_hint)?;
    super::batch::review_and_send(g, out, &req, dry_run, yes, &Default::default())
}

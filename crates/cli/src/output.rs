use serde::Serialize;

/// How results are printed: JSON on stdout, or text for people.
pub struct Output {
    pub json: bool,
}

impl Output {
    /// Prints `value` as JSON, or `human` as text.
    pub fn print<T: Serialize>(
        &self,
        value: &T,
        human: impl FnOnce() -> String,
    ) -> anyhow::Result<()> {
        if self.json {
            println!("{}", serde_json::to_string_pretty(value)?);
        } else {
            let text = human();
            if !text.is_empty() {
                println!("{text}");
            }
        }
        Ok(())
    }

    /// Prints `rows` as a JSON array, or a line each, or `none` when there are none.
    pub fn print_lines<T: Serialize>(
        &self,
        rows: &[T],
        none: &str,
        line: impl Fn(&T) -> String,
    ) -> anyhow::Result<()> {
        self.print(&rows, || {
            if rows.is_empty() {
                return none.into();
            }
            rows.iter().map(line).collect::<Vec<_>>().join("\n")
        })
    }
}

/// One step of a payout's or a collection's history, indented under it.
pub fn history_line(at: &str, status: &str, event: &str, provider_status: Option<&str>) -> String {
    format!(
        "  {at}  {status:<22} {event:<11} {}",
        provider_status.unwrap_or("")
    )
}

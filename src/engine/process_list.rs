/// The process ids in a `docker top` answer: the column titled `PID` (host numbering), in
/// whatever position the engine's `ps` put it. Rows without a number there are skipped.
pub(super) fn pids(titles: Option<Vec<String>>, rows: Option<Vec<Vec<String>>>) -> Vec<u32> {
    let Some(column) = titles.unwrap_or_default().iter().position(|t| t == "PID") else {
        return Vec::new();
    };
    rows.unwrap_or_default().iter().filter_map(|row| row.get(column)?.parse().ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn reads_the_pid_column_wherever_it_is() {
        let titles = strings(&["UID", "PID", "PPID", "CMD"]);
        let rows = vec![
            strings(&["root", "4100", "4080", "gunicorn: master"]),
            strings(&["root", "4123", "4100", "gunicorn: worker"]),
            strings(&["root", "-", "4100", "zombie"]),
        ];
        assert_eq!(pids(Some(titles), Some(rows.clone())), [4100, 4123]);
        assert_eq!(pids(Some(strings(&["UID", "CMD"])), Some(rows)), Vec::<u32>::new());
        assert_eq!(pids(None, None), Vec::<u32>::new());
    }
}

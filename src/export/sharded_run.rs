use super::ShardBudgets;

/// What every exported shard runs: the matrix file, the `--only` selection and the plan of N
/// shards, shared by the GitHub Actions and Kubernetes exports.
#[derive(Debug, Clone)]
pub struct ShardedRun {
    /// The matrix file as the jobs pass it to bench (relative to their working directory).
    pub matrix_file: String,
    /// `--only` patterns passed on to `bench run`.
    pub only: Vec<String>,
    pub plan: ShardBudgets,
}

impl ShardedRun {
    /// The shell command that measures shard `shard` (a shell word such as `"$k/4"`) into
    /// `results`, with bench at `bench`; the matrix file and patterns are single-quoted.
    pub fn command(&self, bench: &str, shard: &str, results: &str) -> String {
        let only: String = self.only.iter().map(|p| format!(" --only {}", quote(p))).collect();
        format!(
            "{bench} run {}{only} --shard {shard} --results {results}",
            quote(&self.matrix_file)
        )
    }
}

/// `text` as one shell word.
fn quote(text: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "-_./=:".contains(c);
    match !text.is_empty() && text.chars().all(plain) {
        true => text.to_string(),
        false => format!("'{}'", text.replace('\'', r"'\''")),
    }
}

#[cfg(test)]
mod tests {
    use super::{ShardBudgets, ShardedRun};

    #[test]
    fn patterns_and_paths_are_one_shell_word_each() {
        let run = ShardedRun {
            matrix_file: "my matrix.kdl".into(),
            only: vec!["flask-*".into(), "it's".into(), "hello".into()],
            plan: ShardBudgets { shards: Vec::new() },
        };
        assert_eq!(
            run.command("./bench", "1/2", "results-1"),
            r"./bench run 'my matrix.kdl' --only 'flask-*' --only 'it'\''s' --only hello --shard 1/2 --results results-1"
        );
    }
}

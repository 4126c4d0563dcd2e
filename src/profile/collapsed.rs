use std::collections::BTreeMap;

/// Collapsed stacks, as py-spy's `--format raw` and inferno read them: one line a distinct
/// stack, frames from the root joined by `;`, then a space and its sample count.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Collapsed {
    /// (stack, samples), in the order read.
    pub stacks: Vec<(String, u64)>,
}

impl Collapsed {
    /// Parses collapsed stacks; blank lines are skipped. `Err` names the first line that is
    /// not `stack count` (1-based), so a truncated profile is never rendered as a whole one.
    pub fn parse(text: &str) -> Result<Collapsed, String> {
        let mut stacks = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim_end();
            if line.is_empty() {
                continue;
            }
            let parsed = line
                .rsplit_once(' ')
                .and_then(|(stack, count)| Some((stack, count.parse::<u64>().ok()?)))
                .filter(|(stack, _)| !stack.is_empty());
            match parsed {
                Some((stack, count)) => stacks.push((stack.to_string(), count)),
                None => {
                    return Err(format!(
                        "line {} is not a collapsed stack (`frame;frame count`): {line:?}",
                        n + 1
                    ));
                }
            }
        }
        Ok(Collapsed { stacks })
    }

    /// The text form, one stack a line (what `parse` reads).
    pub fn to_text(&self) -> String {
        self.stacks.iter().map(|(stack, count)| format!("{stack} {count}\n")).collect()
    }

    /// Every sample.
    pub fn samples(&self) -> u64 {
        self.stacks.iter().map(|(_, count)| count).sum()
    }

    /// The share (0..=1) of the samples whose stack holds a frame of the function
    /// `function` (inclusive time); 0 without samples.
    pub fn share_in(&self, function: &str) -> f64 {
        let within: u64 = self
            .stacks
            .iter()
            .filter(|(stack, _)| stack.split(';').any(|frame| function_of(frame) == function))
            .map(|(_, count)| count)
            .sum();
        ratio(within, self.samples())
    }

    /// The `n` functions most often on top of the stack (self time), with their share of
    /// the samples, largest first (ties by name).
    pub fn top_self(&self, n: usize) -> Vec<(String, f64)> {
        let mut by_function: BTreeMap<&str, u64> = BTreeMap::new();
        for (stack, count) in &self.stacks {
            let leaf = stack.rsplit(';').next().unwrap_or(stack);
            *by_function.entry(function_of(leaf)).or_default() += count;
        }
        let mut top: Vec<(&str, u64)> = by_function.into_iter().collect();
        top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let total = self.samples();
        top.into_iter().take(n).map(|(f, count)| (f.to_string(), ratio(count, total))).collect()
    }
}

/// The function of a frame: py-spy writes `function (file:line)`; other frames (a process
/// root, a native symbol) are taken whole.
fn function_of(frame: &str) -> &str {
    match frame.find(" (") {
        Some(at) if frame.ends_with(')') => &frame[..at],
        _ => frame,
    }
}

fn ratio(part: u64, total: u64) -> f64 {
    if total == 0 { 0.0 } else { part as f64 / total as f64 }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RAW: &str = "\
process 7:\"python3 -m gunicorn app\";handle (gunicorn/workers/sync.py:135);cpu_work (cpu.py:9) 80
process 7:\"python3 -m gunicorn app\";handle (gunicorn/workers/sync.py:135);cpu_work (cpu.py:9);<genexpr> (cpu.py:10) 5
process 7:\"python3 -m gunicorn app\";accept (socket.py:294) 15

";

    #[test]
    fn parses_py_spy_raw_output_and_counts_its_samples() {
        let collapsed = Collapsed::parse(RAW).unwrap();
        assert_eq!(collapsed.stacks.len(), 3);
        assert_eq!(collapsed.samples(), 100);
        assert_eq!(collapsed.stacks[2].1, 15);
        assert_eq!(Collapsed::parse(&collapsed.to_text()).unwrap(), collapsed);
    }

    #[test]
    fn a_function_holds_the_samples_of_every_stack_it_is_in() {
        let collapsed = Collapsed::parse(RAW).unwrap();
        assert_eq!(collapsed.share_in("cpu_work"), 0.85);
        assert_eq!(collapsed.share_in("handle"), 0.85);
        assert_eq!(collapsed.share_in("accept"), 0.15);
        // A file name or a prefix of a function is not the function.
        assert_eq!(collapsed.share_in("cpu"), 0.0);
        assert_eq!(Collapsed::default().share_in("cpu_work"), 0.0);
    }

    #[test]
    fn self_time_goes_to_the_top_frame() {
        let top = Collapsed::parse(RAW).unwrap().top_self(2);
        assert_eq!(top, vec![("cpu_work".to_string(), 0.8), ("accept".to_string(), 0.15)]);
    }

    #[test]
    fn a_line_without_a_count_is_refused_with_its_number() {
        let err = Collapsed::parse("a;b 3\na;b\n").unwrap_err();
        assert!(err.contains("line 2"), "{err}");
        assert!(Collapsed::parse("a;b x\n").is_err());
        assert!(Collapsed::parse(" 4\n").is_err());
    }
}

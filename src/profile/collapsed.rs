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

    /// The same stacks as a differential flame graph compares them, function by function:
    /// without a frame's line (`handle (sync.py:135)` is `handle (sync.py)`: a sample finds
    /// a function at one line or another, and two profiles would otherwise differ at every
    /// leaf), and without what changes from one container to the next: py-spy names a
    /// process `process PID:"command line"`, and both the PID and the server's port (a free
    /// port picked per container, `$PORT` in the matrix) differ between two profiles of one
    /// cell. Stacks that become equal are merged.
    pub fn comparable(&self) -> Collapsed {
        let mut merged: BTreeMap<String, u64> = BTreeMap::new();
        for (stack, count) in &self.stacks {
            let frames: Vec<String> = stack.split(';').map(comparable_frame).collect();
            *merged.entry(frames.join(";")).or_default() += count;
        }
        Collapsed { stacks: merged.into_iter().collect() }
    }
}

/// A frame as `Collapsed::comparable` keeps it: a process frame without its PID and port
/// (`process 9:"gunicorn --bind 127.0.0.1:34511"` is `process "gunicorn --bind
/// 127.0.0.1:$PORT"`), a `function (file:line)` frame without its line; others whole.
fn comparable_frame(frame: &str) -> String {
    let process = frame.strip_prefix("process ").and_then(|rest| rest.split_once(':'));
    if let Some((pid, command)) = process
        && !pid.is_empty()
        && pid.bytes().all(|b| b.is_ascii_digit())
    {
        return format!("process {}", mask_ports(command));
    }
    let located = frame.strip_suffix(')').and_then(|inner| inner.rsplit_once(':'));
    match located {
        Some((function_file, line))
            if function_file.contains(" (")
                && !line.is_empty()
                && line.bytes().all(|b| b.is_ascii_digit()) =>
        {
            format!("{function_file})")
        }
        _ => frame.to_string(),
    }
}

/// `command` with each port-like number as `$PORT`: 4 or 5 digits, at most 65535, right
/// after `:` or `=` (`127.0.0.1:34511`, `--port=34511`) or after `port ` (`--port 34511`).
fn mask_ports(command: &str) -> String {
    let mut out = String::with_capacity(command.len());
    let mut rest = command;
    while let Some(start) = rest.find(|c: char| c.is_ascii_digit()) {
        out.push_str(&rest[..start]);
        let digits = &rest[start..];
        let end = digits.find(|c: char| !c.is_ascii_digit()).unwrap_or(digits.len());
        let digits = &digits[..end];
        let port_like = (4..=5).contains(&digits.len())
            && digits.parse::<u32>().is_ok_and(|n| n <= 65535)
            && (out.ends_with(':') || out.ends_with('=') || out.ends_with("port "));
        out.push_str(if port_like { "$PORT" } else { digits });
        rest = &rest[start + end..];
    }
    out.push_str(rest);
    out
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
    fn two_containers_profiles_line_up_without_pids_ports_and_lines() {
        let old = Collapsed::parse(
            "process 1:\"gunicorn --bind 127.0.0.1:34511 --workers 1\";process 9:\"gunicorn --bind 127.0.0.1:34511 --workers 1\";handle (sync.py:135) 4\n\
             process 1:\"gunicorn --bind 127.0.0.1:34511 --workers 1\";process 10:\"gunicorn --bind 127.0.0.1:34511 --workers 1\";handle (sync.py:140) 3\n",
        )
        .unwrap();
        let worker = "process \"gunicorn --bind 127.0.0.1:$PORT --workers 1\"";
        let comparable = old.comparable();
        // Two workers of one command line are one process frame, and a function at two
        // lines one frame: their samples add up.
        assert_eq!(
            comparable.stacks,
            vec![(format!("{worker};{worker};handle (sync.py)"), 7)],
            "{comparable:?}"
        );
        let new = Collapsed::parse(
            "process 1:\"gunicorn --bind 127.0.0.1:40002 --workers 1\";process 6:\"gunicorn --bind 127.0.0.1:40002 --workers 1\";handle (sync.py:135) 2\n",
        )
        .unwrap();
        assert_eq!(new.comparable().stacks[0].0, comparable.stacks[0].0);
        // A `--port` value is a port too; other numbers, and frames without a line, stay.
        let frames = [
            (
                "process 1:\"uvicorn --port 8000 --workers 1024\"",
                "process \"uvicorn --port $PORT --workers 1024\"",
            ),
            ("Py_INCREF (object.h:502)", "Py_INCREF (object.h)"),
            ("0x7fe4c2fc124a (libc.so.6)", "0x7fe4c2fc124a (libc.so.6)"),
            ("process 7", "process 7"),
            ("f (a:b)", "f (a:b)"),
        ];
        for (frame, comparable) in frames {
            assert_eq!(comparable_frame(frame), comparable);
        }
        assert_eq!(
            mask_ports("--bind=0.0.0.0:65536 port 99999"),
            "--bind=0.0.0.0:65536 port 99999"
        );
    }

    #[test]
    fn a_line_without_a_count_is_refused_with_its_number() {
        let err = Collapsed::parse("a;b 3\na;b\n").unwrap_err();
        assert!(err.contains("line 2"), "{err}");
        assert!(Collapsed::parse("a;b x\n").is_err());
        assert!(Collapsed::parse(" 4\n").is_err());
    }
}

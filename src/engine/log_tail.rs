use std::collections::VecDeque;

/// How many trailing log lines errors carry.
pub const TAIL_LINES: usize = 30;

/// Keeps the last `capacity` complete lines of a text that arrives in chunks split anywhere.
#[derive(Debug, Clone)]
pub struct LogTail {
    lines: VecDeque<String>,
    partial: String,
    capacity: usize,
}

impl LogTail {
    pub fn new(capacity: usize) -> Self {
        LogTail { lines: VecDeque::with_capacity(capacity + 1), partial: String::new(), capacity }
    }

    /// Adds a chunk. Carriage returns (progress bars) end a line too.
    pub fn push(&mut self, chunk: &str) {
        for c in chunk.chars() {
            if c == '\n' || c == '\r' {
                let line = std::mem::take(&mut self.partial);
                if !line.trim().is_empty() {
                    self.push_line(line);
                }
            } else {
                self.partial.push(c);
            }
        }
    }

    fn push_line(&mut self, line: String) {
        self.lines.push_back(line);
        if self.lines.len() > self.capacity {
            self.lines.pop_front();
        }
    }

    /// The last lines, the unfinished one included.
    pub fn lines(&self) -> Vec<String> {
        let mut out: Vec<String> = self.lines.iter().cloned().collect();
        if !self.partial.trim().is_empty() {
            out.push(self.partial.clone());
            if out.len() > self.capacity {
                out.remove(0);
            }
        }
        out
    }
}

/// The last `n` non-blank lines of a text.
pub fn last_lines(text: &str, n: usize) -> Vec<String> {
    let mut tail = LogTail::new(n);
    tail.push(text);
    tail.lines()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_split_mid_line_are_joined() {
        let mut tail = LogTail::new(3);
        for chunk in ["Step 1/3 : FR", "OM x\nStep 2", "/3\n\nerr", "or: boom"] {
            tail.push(chunk);
        }
        assert_eq!(tail.lines(), vec!["Step 1/3 : FROM x", "Step 2/3", "error: boom"]);
    }

    #[test]
    fn keeps_only_the_last_lines_and_splits_on_carriage_returns() {
        assert_eq!(last_lines("a\nb\r10%\r100%\nc\n", 2), vec!["100%", "c"]);
        assert!(last_lines("\n \n", 5).is_empty());
    }
}

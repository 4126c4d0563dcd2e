use inferno::differential;
use inferno::flamegraph::{self, Options};

use super::collapsed::Collapsed;

/// A self-contained SVG flame graph of `collapsed` (inferno: the SVG carries its own
/// script for zoom and search, no external file), titled `title`, `subtitle` under it.
pub fn flame_graph(collapsed: &Collapsed, title: &str, subtitle: &str) -> Result<Vec<u8>, String> {
    render(&collapsed.to_text(), title, subtitle)
}

/// A differential flame graph from `old` to `new` (inferno's, after Brendan Gregg's): each
/// frame as wide as in `new`, its own samples (at the top of a stack) red where `new` has
/// more than `old`, blue where it has fewer, the deeper the hue the larger the change; the
/// tooltip gives the change in points of the whole. `old` is first scaled to `new`'s total
/// (inferno's `normalize`): a longer window or another rate does not turn everything red.
/// Frames are compared by function (`Collapsed::comparable`: no line numbers), and what
/// differs from container to container is taken out first: PIDs and ports of process
/// frames (`Collapsed::comparable`), native addresses (inferno's `strip_hex`). A frame
/// only `old` has is not drawn (it has no width in `new`).
pub fn differential_flame_graph(
    old: &Collapsed,
    new: &Collapsed,
    title: &str,
) -> Result<Vec<u8>, String> {
    let (old, new) = (old.comparable(), new.comparable());
    let options = differential::Options { normalize: true, strip_hex: true };
    let mut both = Vec::new();
    differential::from_readers(
        options,
        old.to_text().as_bytes(),
        new.to_text().as_bytes(),
        &mut both,
    )
    .map_err(|e| format!("cannot compare the profiles: {e}"))?;
    let subtitle = format!(
        "widths: new ({} samples); red: more samples than old, blue: fewer (old's {} samples \
         scaled to new's total)",
        new.samples(),
        old.samples()
    );
    render(&String::from_utf8_lossy(&both), title, &subtitle)
}

/// Renders collapsed stacks, one or two counts a line (two: a differential graph).
fn render(text: &str, title: &str, subtitle: &str) -> Result<Vec<u8>, String> {
    let mut options = Options::default();
    options.title = title.to_string();
    options.subtitle = Some(subtitle.to_string());
    options.count_name = "samples".to_string();
    let mut svg = Vec::new();
    flamegraph::from_lines(&mut options, text.lines(), &mut svg)
        .map_err(|e| format!("cannot render the flame graph: {e}"))?;
    Ok(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_svg_names_the_frames_and_the_samples() {
        let collapsed =
            Collapsed::parse("main;handle (app.py:3);cpu_work (cpu.py:9) 85\nmain;idle 15\n")
                .unwrap();
        let svg =
            String::from_utf8(flame_graph(&collapsed, "flask-gunicorn/cpu", "py-spy").unwrap())
                .unwrap();
        assert!(svg.starts_with("<?xml"), "{}", &svg[..80.min(svg.len())]);
        assert!(svg.contains("cpu_work (cpu.py:9)"));
        assert!(svg.contains("85 samples"), "the tooltip counts samples");
        assert!(svg.contains("flask-gunicorn/cpu"));
        assert!(!svg.contains("src=\"http"), "self-contained");
    }

    /// The fill of the rectangle of the frame whose tooltip starts with `title`.
    fn fill_of<'a>(svg: &'a str, title: &str) -> &'a str {
        let at = svg.find(&format!("<title>{title}")).unwrap_or_else(|| panic!("no {title}"));
        let fill = &svg[at..][svg[at..].find("fill=\"").unwrap() + 6..];
        &fill[..fill.find('"').unwrap()]
    }

    #[test]
    fn a_differential_graph_colours_what_grew_red_and_what_shrank_blue() {
        // Two containers (other PIDs and ports), and new sampled twice as long: scaled to
        // the same total, cpu_work's self time grows from a quarter to three quarters.
        let stacks = |pid: u32, port: u32, cpu: u32, select: u32| {
            let process = format!("process {pid}:\"gunicorn --bind 127.0.0.1:{port}\"");
            format!(
                "{process};handle (app.py:3);cpu_work (cpu.py:9) {cpu}\n\
                 {process};handle (app.py:3);select 0x7f00aa12 (libc.so.6) {select}\n"
            )
        };
        let old = Collapsed::parse(&stacks(7, 34511, 10, 30)).unwrap();
        let new = Collapsed::parse(&stacks(9, 40002, 60, 20)).unwrap();
        let svg = differential_flame_graph(&old, &new, "flask-gunicorn/cpu").unwrap();
        let svg = String::from_utf8(svg).unwrap();
        assert!(svg.contains("flask-gunicorn/cpu"));
        assert!(svg.contains("80 samples); red") && svg.contains("40 samples scaled to new"));
        // New's width; the change is 60 - 2 x 10 = +40 samples of 80, +50 points (unscaled
        // it would be +62.50).
        let grown = "cpu_work (cpu.py) (60 samples, 75.00%; +50.00%)";
        assert!(svg.contains(grown), "{svg}");
        let shrunk = "select 0x... (libc.so.6) (20 samples, 25.00%; -50.00%)";
        assert!(svg.contains(shrunk), "{svg}");
        // inferno's convention: more samples red, fewer blue, the largest change deepest;
        // a frame whose own samples did not change (no self time here) stays near white.
        assert_eq!(fill_of(&svg, "cpu_work (cpu.py)"), "rgb(255,100,100)");
        assert_eq!(fill_of(&svg, "select 0x..."), "rgb(100,100,255)");
        assert_eq!(fill_of(&svg, "handle (app.py)"), "rgb(250,250,250)");
        // One process frame for both containers, without PID or port; no line numbers.
        assert!(!svg.contains("cpu.py:9"), "{svg}");
        assert!(svg.contains("127.0.0.1:$PORT"), "{svg}");
        assert!(!svg.contains("34511") && !svg.contains("40002"), "{svg}");
    }
}

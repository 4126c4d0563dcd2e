use inferno::flamegraph::{self, Options};

use super::collapsed::Collapsed;

/// A self-contained SVG flame graph of `collapsed` (inferno: the SVG carries its own
/// script for zoom and search, no external file), titled `title`, `subtitle` under it.
pub fn flame_graph(collapsed: &Collapsed, title: &str, subtitle: &str) -> Result<Vec<u8>, String> {
    let mut options = Options::default();
    options.title = title.to_string();
    options.subtitle = Some(subtitle.to_string());
    options.count_name = "samples".to_string();
    let text = collapsed.to_text();
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
}

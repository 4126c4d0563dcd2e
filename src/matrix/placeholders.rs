/// Where the image holds its launch script, `apps/servers/<script>` (see
/// `dockerfiles/Dockerfile.j2`): `{script}` is filled with the script's path there.
pub const SCRIPTS_DIR_IN_IMAGE: &str = "/app/servers";

/// The placeholders of a server's `command` and a runtime's `compile`/`run`, filled in one
/// place for every cell: `{args}` (the interface's arguments, filled first so that they may
/// use the others), `{app}` (the app target), `{module}` (its module), `{workers}`, and for a
/// script launch `{script}` (the script's path in the image) and `{stem}` (its file stem).
/// The image stage renders what this leaves, so the cell's hash covers the filled text.
pub struct Placeholders {
    values: Vec<(&'static str, String)>,
}

impl Placeholders {
    pub fn new(args: &str, app: &str, workers: u32, script: Option<&str>) -> Placeholders {
        let module = app.split(':').next().unwrap_or_default();
        let mut values = vec![
            ("{args}", args.to_string()),
            ("{app}", app.to_string()),
            ("{module}", module.to_string()),
            ("{workers}", workers.to_string()),
        ];
        if let Some(script) = script {
            values.push(("{script}", format!("{SCRIPTS_DIR_IN_IMAGE}/{script}")));
            values.push(("{stem}", script.strip_suffix(".py").unwrap_or(script).to_string()));
        }
        Placeholders { values }
    }

    /// `template` with every placeholder filled and runs of whitespace made one space (an
    /// empty `{args}` leaves no gap).
    pub fn fill(&self, template: &str) -> String {
        let filled = self
            .values
            .iter()
            .fold(template.to_string(), |text, (key, value)| text.replace(key, value));
        filled.split_whitespace().collect::<Vec<_>>().join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::Placeholders;

    #[test]
    fn fills_every_placeholder_once_and_closes_gaps() {
        let p = Placeholders::new("", "falcon_app:app", 4, None);
        assert_eq!(
            p.fill("gunicorn -w {workers} {args}  {app} # {module}"),
            "gunicorn -w 4 falcon_app:app # falcon_app"
        );
        let p =
            Placeholders::new("--interface {module}", "pkg.app:api", 1, Some("bjoern_server.py"));
        assert_eq!(
            p.fill("x {args} {script} /b/{stem}.bin"),
            "x --interface pkg.app /app/servers/bjoern_server.py /b/bjoern_server.bin"
        );
    }
}

use minijinja::value::Serde;
use minijinja::{Value, context};

use super::templates::DOCKERFILE_TEMPLATE;
use super::{BuildSettings, ImageError, Templates};
use crate::matrix::{Cell, Launch, SCRIPTS_DIR_IN_IMAGE};

/// The virtualenv's interpreter (cpython and pypy venvs both have `bin/python`).
const VENV_PYTHON: &str = "/venv/bin/python";

/// The Dockerfile of `cell`'s image, rendered from `dockerfiles/Dockerfile.j2`.
///
/// Fails with `ImageError::Invalid` on an app directory, script or env name that cannot be
/// used as given (path separators, empty names), on `compile` with a command launch, and with
/// `ImageError::Template` on a template error.
pub fn render_dockerfile(
    cell: &Cell,
    settings: &BuildSettings,
    templates: &Templates,
) -> Result<String, ImageError> {
    let image = &cell.image;
    check_name(cell, "app directory", &image.app_dir)?;
    check_app_target(cell)?;
    if let Some(name) = image.env.keys().find(|name| !is_identifier(name)) {
        let why = "use letters, digits and `_`, not starting with a digit";
        return Err(invalid(cell, "environment variable name", name, why));
    }

    let (cmd, compile_command, script) = match (&image.launch, &image.compile) {
        (Launch::Command { command }, None) => {
            (vec!["sh".to_string(), "-c".to_string(), format!("exec {command}")], None, None)
        }
        (Launch::Command { .. }, Some(_)) => {
            return Err(invalid(
                cell,
                "launch",
                "command",
                "a compiling runtime (Nuitka) needs a server started by a script",
            ));
        }
        (Launch::Script { script, args }, compile) => {
            check_name(cell, "launch script", script)?;
            let mut cmd: Vec<String> = match compile {
                None => vec![VENV_PYTHON.to_string(), format!("{SCRIPTS_DIR_IN_IMAGE}/{script}")],
                Some(compile) => compile.run.split_whitespace().map(String::from).collect(),
            };
            cmd.extend(args.iter().cloned());
            (cmd, compile.as_ref().map(|c| c.command.clone()), Some(script.clone()))
        }
    };

    let env_template = templates.environment()?;
    let template = env_template
        .get_template(DOCKERFILE_TEMPLATE)
        .map_err(|e| ImageError::template(DOCKERFILE_TEMPLATE, &e))?;
    let env_pairs: Vec<[String; 2]> =
        image.env.iter().map(|(n, v)| [n.clone(), v.clone()]).collect();
    template
        .render(context! {
            image => Value::from(Serde(image)),
            cell => Value::from(Serde(cell)),
            ca_bundle => settings.ca_bundle.is_some(),
            pip_index_url => settings.pip_index_url.clone(),
            pip_extra_index_url => settings.pip_extra_index_url.clone(),
            env => env_pairs,
            compile_command => compile_command,
            apt_options => image.apt_options.clone(),
            setup => image.setup.clone(),
            cmd_json => serde_json::to_string(&cmd).unwrap_or_default(),
            script => script,
            scripts_dir => SCRIPTS_DIR_IN_IMAGE,
        })
        .map_err(|e| ImageError::template(DOCKERFILE_TEMPLATE, &e))
}

/// The app target is `module:attribute` or a module name (the launch scripts import it).
fn check_app_target(cell: &Cell) -> Result<(), ImageError> {
    let module = cell.image.app.split(':').next().unwrap_or_default();
    if module.is_empty() || !module.split('.').all(is_identifier) {
        return Err(invalid(
            cell,
            "app target",
            &cell.image.app,
            "give `module:attribute` or a module name",
        ));
    }
    Ok(())
}

/// A plain file or directory name: no separators, not `.`/`..`, not empty.
pub(crate) fn check_name(cell: &Cell, what: &'static str, value: &str) -> Result<(), ImageError> {
    let bad = value.is_empty()
        || value == "."
        || value == ".."
        || value.contains(['/', '\\'])
        || value.chars().any(char::is_whitespace);
    if bad {
        return Err(invalid(
            cell,
            what,
            value,
            "give a plain name (no path separators, spaces or `..`)",
        ));
    }
    Ok(())
}

fn invalid(cell: &Cell, what: &'static str, value: &str, why: &'static str) -> ImageError {
    ImageError::Invalid { cell: cell.id.clone(), what, value: value.to_string(), why }
}

fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

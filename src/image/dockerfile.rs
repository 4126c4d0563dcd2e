use minijinja::{Value, context};

use super::templates::DOCKERFILE_TEMPLATE;
use super::{BuildSettings, ImageError, Templates};
use crate::matrix::{Cell, Launch};

/// Where the app files and the launch scripts live in the image.
const APP_DIR_IN_IMAGE: &str = "/app";
/// The virtualenv's interpreter (cpython and pypy venvs both have `bin/python`).
const VENV_PYTHON: &str = "/venv/bin/python";

/// The Dockerfile of `cell`'s image, rendered from `dockerfiles/Dockerfile.j2`.
///
/// Fails with `ImageError::Invalid` on an app directory, script or env name that cannot be
/// used as given (path separators, empty names), on `compile` with a command launch, and with
/// `ImageError::Template` on a template error.
pub fn render_dockerfile(cell: &Cell, settings: &BuildSettings, templates: &Templates) -> Result<String, ImageError> {
    let image = &cell.image;
    check_name(cell, "app directory", &image.app_dir)?;
    let module = app_module(cell)?;
    let workers = cell.resources.workers.to_string();

    let mut env: Vec<(String, String)> =
        vec![("BENCH_APP".into(), image.app.clone()), ("BENCH_WORKERS".into(), workers.clone())];
    for (name, value) in &image.env {
        if !is_env_name(name) {
            return Err(invalid(cell, "environment variable name", name, "use letters, digits and `_`, not starting with a digit"));
        }
        match env.iter_mut().find(|(n, _)| n == name) {
            Some(slot) => slot.1 = value.clone(),
            None => env.push((name.clone(), value.clone())),
        }
    }

    let (cmd, compile_command) = match (&image.launch, &image.compile) {
        (Launch::Command { command }, None) => {
            let command = fill(command, &[("{app}", &image.app), ("{module}", &module), ("{workers}", &workers)]);
            (vec!["sh".to_string(), "-c".to_string(), format!("exec {command}")], None)
        }
        (Launch::Command { .. }, Some(_)) => {
            return Err(invalid(cell, "launch", "command", "a compiling runtime (Nuitka) needs a server started by a script"));
        }
        (Launch::Script { script, args }, compile) => {
            check_name(cell, "launch script", script)?;
            let path = format!("{APP_DIR_IN_IMAGE}/servers/{script}");
            let stem = script.strip_suffix(".py").unwrap_or(script);
            let vars = [("{script}", path.as_str()), ("{stem}", stem), ("{module}", module.as_str())];
            match compile {
                None => {
                    let mut cmd = vec![VENV_PYTHON.to_string(), path.clone()];
                    cmd.extend(args.iter().cloned());
                    (cmd, None)
                }
                Some(compile) => {
                    let mut cmd: Vec<String> = fill(&compile.run, &vars).split_whitespace().map(String::from).collect();
                    cmd.extend(args.iter().cloned());
                    (cmd, Some(fill(&compile.command, &vars)))
                }
            }
        }
    };

    let env_template = templates.environment()?;
    let template = env_template
        .get_template(DOCKERFILE_TEMPLATE)
        .map_err(|e| ImageError::template(DOCKERFILE_TEMPLATE, &e))?;
    let env_pairs: Vec<Vec<String>> = env.into_iter().map(|(n, v)| vec![n, v]).collect();
    template
        .render(context! {
            image => to_value(image)?,
            cell => to_value(cell)?,
            ca_bundle => settings.ca_bundle.is_some(),
            pip_index_url => settings.pip_index_url.clone(),
            pip_extra_index_url => settings.pip_extra_index_url.clone(),
            env => env_pairs,
            compile_command => compile_command,
            cmd_json => serde_json::to_string(&cmd).unwrap_or_default(),
        })
        .map_err(|e| ImageError::template(DOCKERFILE_TEMPLATE, &e))
}

/// The module part of the app target (`falcon_app` of `falcon_app:app`).
fn app_module(cell: &Cell) -> Result<String, ImageError> {
    let module = cell.image.app.split(':').next().unwrap_or_default();
    if module.is_empty() || !module.split('.').all(is_identifier) {
        return Err(invalid(cell, "app target", &cell.image.app, "give `module:attribute` or a module name"));
    }
    Ok(module.to_string())
}

/// A plain file or directory name: no separators, not `.`/`..`, not empty.
pub(crate) fn check_name(cell: &Cell, what: &'static str, value: &str) -> Result<(), ImageError> {
    let bad = value.is_empty() || value == "." || value == ".." || value.contains(['/', '\\']) || value.chars().any(char::is_whitespace);
    if bad {
        return Err(invalid(cell, what, value, "give a plain name (no path separators, spaces or `..`)"));
    }
    Ok(())
}

fn invalid(cell: &Cell, what: &'static str, value: &str, why: &'static str) -> ImageError {
    ImageError::Invalid { cell: cell.id.clone(), what, value: value.to_string(), why }
}

fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_') && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn is_env_name(s: &str) -> bool {
    is_identifier(s)
}

fn fill(text: &str, vars: &[(&str, &str)]) -> String {
    vars.iter().fold(text.to_string(), |acc, (key, value)| acc.replace(key, value))
}

/// A serializable value as a template value (through JSON: minijinja is built without serde).
fn to_value<T: serde::Serialize>(value: &T) -> Result<Value, ImageError> {
    let json = serde_json::to_value(value)
        .map_err(|e| ImageError::Template { name: DOCKERFILE_TEMPLATE.to_string(), message: e.to_string() })?;
    Ok(json_to_value(json))
}

fn json_to_value(json: serde_json::Value) -> Value {
    match json {
        serde_json::Value::Null => Value::from(()),
        serde_json::Value::Bool(b) => Value::from(b),
        serde_json::Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => Value::from(i),
            (None, Some(u)) => Value::from(u),
            _ => Value::from(n.as_f64().unwrap_or_default()),
        },
        serde_json::Value::String(s) => Value::from(s),
        serde_json::Value::Array(items) => Value::from(items.into_iter().map(json_to_value).collect::<Vec<_>>()),
        serde_json::Value::Object(map) => Value::from(
            map.into_iter().map(|(k, v)| (k, json_to_value(v))).collect::<std::collections::BTreeMap<_, _>>(),
        ),
    }
}

use std::collections::BTreeMap;

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::placeholders::Placeholders;
use super::{
    Cell, Compile, ImageSpec, Inputs, Launch, LoadSettings, RequestSpec, Resources, RunKnobs,
};
use crate::model::setting::{self, Setting};
use crate::model::{Extras, LaunchDef, Model, Row, Server, SettingValue, Settings};

/// Expand the model into cells: rows in matrix order, then the row's scenarios in
/// scenario order, then sweep values in declaration order.
pub fn expand(model: &Model, inputs: &dyn Inputs) -> Vec<Cell> {
    let mut cells = Vec::new();
    for row in &model.rows {
        let runtime = model.runtimes[&row.runtime].with_variant(row.runtime_variant.as_deref());
        let server = &model.servers[&row.server];
        let variant = row.variant.as_ref().and_then(|v| server.variants.get(v));
        let framework = &model.frameworks[&row.framework];
        let digest = inputs.digest(&framework.app, launch_script(server, row));
        let mut row_extras = Extras::default();
        row_extras.overlay(&runtime.extras);
        row_extras.overlay(&server.extras);
        if let Some(v) = variant {
            row_extras.overlay(&v.extras);
        }
        row_extras.overlay(&framework.extras);
        for scenario_name in &row.scenarios {
            // Settings layer in one place (`Model::settings_of`); the other extras
            // (packages, env, ...) layer here in the same order.
            let settings = model.settings_of(row, scenario_name);
            let mut extras = row_extras.clone();
            let mut na = None;
            for o in model.overrides.iter().filter(|o| o.matcher.matches(row, scenario_name)) {
                extras.overlay(&o.extras);
                if o.na.is_some() {
                    na = o.na.clone();
                }
            }
            for point in sweep_points(&settings) {
                cells.push(cell(model, row, scenario_name, &extras, &point, &digest, na.clone()));
            }
        }
    }
    cells
}

/// The launch script of the row's server (variant), if it starts from one.
fn launch_script<'m>(server: &'m Server, row: &Row) -> Option<&'m str> {
    match server.launch_of(row.variant.as_deref()) {
        Some(LaunchDef::Script(script)) => Some(script.as_str()),
        _ => None,
    }
}

/// One resolved value per setting, plus which settings were swept.
struct Point {
    values: BTreeMap<&'static str, SettingValue>,
    swept: Vec<(String, String)>,
}

fn sweep_points(settings: &Settings) -> Vec<Point> {
    let mut points = vec![Point { values: BTreeMap::new(), swept: Vec::new() }];
    for (key, values) in &settings.values {
        let mut next = Vec::with_capacity(points.len() * values.len());
        for p in &points {
            for v in values {
                let mut values_map = p.values.clone();
                values_map.insert(key, v.clone());
                let mut swept = p.swept.clone();
                if values.len() > 1 {
                    swept.push((key.to_string(), v.display()));
                }
                next.push(Point { values: values_map, swept });
            }
        }
        points = next;
    }
    points
}

fn millis(p: &Point, setting: &Setting) -> u64 {
    match p.values.get(setting.name) {
        Some(SettingValue::Millis(v)) => *v,
        _ => 0,
    }
}

fn count(p: &Point, setting: &Setting) -> u64 {
    match p.values.get(setting.name) {
        Some(SettingValue::Count(v)) => *v,
        _ => 0,
    }
}

fn cell(
    model: &Model,
    row: &Row,
    scenario_name: &str,
    extras: &Extras,
    p: &Point,
    digest: &str,
    na: Option<String>,
) -> Cell {
    let runtime = model.runtimes[&row.runtime].with_variant(row.runtime_variant.as_deref());
    let server = &model.servers[&row.server];
    let framework = &model.frameworks[&row.framework];
    let scenario = &model.scenarios[scenario_name];
    let target = framework.target(&row.interface).unwrap_or_default().to_string();
    let workers = count(p, &setting::WORKERS).max(1) as u32;
    let args = server
        .interfaces_of(row.variant.as_deref())
        .iter()
        .find(|i| i.name == row.interface)
        .map(|i| i.args.clone())
        .unwrap_or_default();
    let launch_def = server.launch_of(row.variant.as_deref());
    let placeholders = Placeholders::new(&args, &target, workers, launch_script(server, row));
    // The server's environment: the matrix's `env`, then what bench derives (which wins).
    let mut env: BTreeMap<String, String> =
        extras.env.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    env.insert("BENCH_APP".into(), target.clone());
    env.insert("BENCH_WORKERS".into(), workers.to_string());
    let (launch, compile) = match launch_def {
        Some(LaunchDef::Command(c)) => (Launch::Command { command: placeholders.fill(c) }, None),
        Some(LaunchDef::Script(script)) => {
            let compile = runtime.compile.as_ref().map(|(command, run)| Compile {
                command: placeholders.fill(command),
                run: placeholders.fill(run),
            });
            let args = args.split_whitespace().map(String::from).collect();
            (Launch::Script { script: script.clone(), args }, compile)
        }
        None => (Launch::Command { command: String::new() }, None),
    };
    let runtime_system = runtime.extras.system_packages.clone();
    let system_packages =
        extras.system_packages.iter().filter(|p| !runtime_system.contains(p)).cloned().collect();
    let image = ImageSpec {
        base_image: runtime.base_image.clone().unwrap_or_else(|| model.build.base_image.clone()),
        runtime_system_packages: runtime_system,
        apt_options: runtime.apt_options.clone(),
        system_packages,
        setup: runtime.setup.clone(),
        python: runtime.python.clone(),
        packages: extras.packages.clone(),
        packages_no_deps: extras.packages_no_deps.clone(),
        pip_args: extras.pip_args.clone(),
        app_dir: framework.app.clone(),
        app: target,
        launch,
        compile,
        env,
    };
    let rate = count(p, &setting::RATE);
    let load = LoadSettings {
        duration_ms: millis(p, &setting::DURATION),
        warmup_ms: millis(p, &setting::WARMUP),
        connections: count(p, &setting::CONNECTIONS) as u32,
        threads: count(p, &setting::THREADS).max(1) as u32,
        timeout_ms: millis(p, &setting::TIMEOUT),
        rate: (rate > 0).then_some(rate),
        repeat: count(p, &setting::REPEAT).max(1) as u32,
    };
    let knobs = RunKnobs {
        primer_ms: millis(p, &setting::PRIMER_DURATION),
        primer_connections: count(p, &setting::PRIMER_CONNECTIONS).max(1) as u32,
        readiness_timeout_ms: millis(p, &setting::READINESS_TIMEOUT),
        sample_interval_ms: millis(p, &setting::SAMPLE_INTERVAL),
    };
    let resources = Resources {
        cpus: match p.values.get(setting::CPUS.name) {
            Some(SettingValue::Float(f)) => *f,
            _ => 1.0,
        },
        cpuset: match p.values.get(setting::CPUSET.name) {
            Some(SettingValue::Text(t)) => Some(t.clone()),
            _ => None,
        },
        memory_bytes: match p.values.get(setting::MEMORY.name) {
            Some(SettingValue::Bytes(b)) => *b,
            _ => 0,
        },
        workers,
    };
    let request = RequestSpec {
        path: scenario.path.clone(),
        description: scenario.description.clone(),
        expect_status: scenario.expect_status,
        expect_content_type: scenario.expect_content_type.clone(),
        body: scenario.body.clone(),
    };
    let image_hash = hash_of("bench-image-v1", &(&image, digest));
    let mut id = format!("{}/{}", row.name, scenario_name);
    if !p.swept.is_empty() {
        let parts: Vec<String> = p.swept.iter().map(|(k, v)| format!("{k}={v}")).collect();
        id.push_str(&format!("[{}]", parts.join(",")));
    }
    // `repeat` says how often to measure, not what: it stays out of the hash.
    let hashed_load = LoadSettings { repeat: 1, ..load.clone() };
    let hash = hash_of(
        "bench-cell-v1",
        &(
            &image_hash,
            &row.name,
            scenario_name,
            &p.swept,
            &row.interface,
            &hashed_load,
            &resources,
            &request,
            &na,
            scenario.cpu_bound,
        ),
    );
    Cell {
        name: row.name.clone(),
        scenario: scenario_name.to_string(),
        group: match p.values.get(setting::GROUP.name) {
            Some(SettingValue::Text(group)) => group.clone(),
            _ => scenario_name.to_string(),
        },
        sweep: p.swept.clone(),
        id,
        framework: row.framework.clone(),
        server: row.server.clone(),
        variant: row.variant.clone(),
        runtime: row.runtime.clone(),
        runtime_variant: row.runtime_variant.clone(),
        interface: row.interface.clone(),
        hash,
        image_hash,
        image,
        load,
        knobs,
        resources,
        request,
        na,
        cpu_bound: scenario.cpu_bound,
    }
}

/// SHA-256 of a domain tag and the canonical JSON of a value, in hex.
fn hash_of<T: Serialize>(tag: &str, value: &T) -> String {
    let mut h = Sha256::new();
    h.update(tag.as_bytes());
    h.update([0]);
    h.update(serde_json::to_vec(value).expect("cell parts serialize"));
    hex::encode(h.finalize())
}

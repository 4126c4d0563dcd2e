//! The files that shape an image: a file changes the image hash exactly when the image holds
//! it (`bench::image::ImageInputs` and `build_context` share one listing), and a launch script
//! re-keys only the cells of its own server.

#[path = "fixtures/image/rows.rs"]
mod rows;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use bench::image::{BuildSettings, ImageInputs, Templates, build_context};
use bench::matrix::{Inputs, Launch, expand};
use sha2::{Digest, Sha256};

/// Paths of the build context's files of `row` gathered from `root` (the engine packs
/// exactly these, plus the Dockerfile).
fn context_files(root: &Path, row: &str) -> Vec<String> {
    let context = build_context(&rows::row(row), &BuildSettings::default(), root).unwrap();
    context.files.into_iter().map(|(path, _)| path).collect()
}

/// Copies `apps/`, `dockerfiles/` and `matrix.kdl` of the project into a temporary root.
fn project_copy() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for path in ["apps", "dockerfiles", "matrix.kdl"] {
        let status = Command::new("cp").arg("-r").arg(root.join(path)).arg(tmp.path()).status();
        assert!(status.unwrap().success());
    }
    tmp
}

#[test]
fn a_file_changes_the_image_hash_exactly_when_the_image_holds_it() {
    let root = project_copy();
    // The image of falcon-bjoern: apps/falcon, launched by apps/servers/bjoern_server.py.
    let digest = || ImageInputs::new(root.path()).digest("falcon", Some("bjoern_server.py"));
    let in_image = |path: &str| {
        let template = path.strip_prefix("dockerfiles/").is_some_and(|name| {
            Templates::load(root.path()).unwrap().sources().iter().any(|(n, _)| n == name)
        });
        template || context_files(root.path(), "falcon-bjoern").iter().any(|f| f == path)
    };
    let candidates = [
        ("apps/falcon/.env", false),
        ("apps/common/.cache/state", false),
        ("apps/servers/__pycache__/bjoern_server.cpython-311.pyc", false),
        ("apps/falcon/stale.pyc", false),
        ("apps/flask/other.py", false),
        ("apps/README2.md", false),
        ("dockerfiles/NOTES.txt", false),
        ("apps/servers/granian_server.py", false),
        ("apps/servers/meinheld_server.py", false),
        ("apps/falcon/routes.py", true),
        ("apps/common/helpers.py", true),
        ("apps/servers/bjoern_server.py", true),
        ("dockerfiles/extra.j2", true),
    ];
    for (path, expected) in candidates {
        let before = digest();
        let file = root.path().join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, format!("# {path}\n")).unwrap();
        let changed = digest() != before;
        assert_eq!(in_image(path), expected, "{path}: is it in the image?");
        assert_eq!(changed, expected, "{path}: the hash changes exactly when the image holds it");
    }
    // A change to a file already in the image changes the hash too; a hidden one's does not.
    let before = digest();
    std::fs::write(root.path().join("apps/falcon/.env"), "changed").unwrap();
    assert_eq!(digest(), before);
    std::fs::write(root.path().join("apps/falcon/falcon_app.py"), "changed").unwrap();
    assert_ne!(digest(), before);
}

#[test]
fn the_build_context_holds_the_launch_script_alone() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for row in rows::names() {
        let cell = rows::row(&row);
        let scripts: Vec<String> = context_files(root, &row)
            .into_iter()
            .filter(|path| path.starts_with("apps/servers/"))
            .collect();
        let expected: Vec<String> = match &cell.image.launch {
            Launch::Script { script, .. } => vec![format!("apps/servers/{script}")],
            Launch::Command { .. } => vec![],
        };
        assert_eq!(scripts, expected, "{row}");
    }
}

/// The cells of the copied `matrix.kdl`, hashed from the files under `root`: id → (hash,
/// image hash, launch script).
fn hashes(root: &Path) -> BTreeMap<String, (String, String, Option<String>)> {
    let model =
        bench::model::load(&root.join("matrix.kdl")).unwrap_or_else(|e| panic!("{}", e.render()));
    expand(&model, &ImageInputs::new(root))
        .into_iter()
        .map(|c| {
            let script = match c.image.launch {
                Launch::Script { script, .. } => Some(script),
                Launch::Command { .. } => None,
            };
            (c.id, (c.hash, c.image_hash, script))
        })
        .collect()
}

#[test]
fn a_launch_script_re_keys_the_cells_of_its_server_only() {
    let root = project_copy();
    let mut before = hashes(root.path());
    for script in ["meinheld_server.py", "bjoern_server.py"] {
        let path = root.path().join("apps/servers").join(script);
        let mut text = std::fs::read_to_string(&path).unwrap();
        text.push_str("# changed\n");
        std::fs::write(&path, text).unwrap();
        let after = hashes(root.path());
        assert_eq!(after.keys().collect::<Vec<_>>(), before.keys().collect::<Vec<_>>());
        let mut re_keyed = 0;
        for (id, (hash, image_hash, cell_script)) in &after {
            let own = cell_script.as_deref() == Some(script);
            let (old_hash, old_image_hash, _) = &before[id];
            assert_eq!(hash != old_hash, own, "{id} after changing {script}: cell hash");
            assert_eq!(image_hash != old_image_hash, own, "{id} after changing {script}: image");
            re_keyed += usize::from(own);
        }
        // Both scripts launch rows of the shipped matrix, and not every row.
        assert!(re_keyed > 0 && re_keyed < after.len(), "{script}: {re_keyed} re-keyed");
        before = after;
    }
}

/// The digest in the layout that stored results are keyed by, computed independently of
/// bench: the files of `dockerfiles`, `apps/common`, the launch script (if any) and
/// `apps/<app_dir>` but Python caches, hashed directory by directory.
fn digest_in_stored_layout(root: &Path, app_dir: &str, script: Option<&str>) -> String {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap().map(Result::unwrap) {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name == "__pycache__" || name.ends_with(".pyc") {
                continue;
            }
            if entry.path().is_dir() { walk(&entry.path(), out) } else { out.push(entry.path()) }
        }
    }
    let mut all = Sha256::new();
    for dir in ["dockerfiles", "apps/common", "apps/servers", &format!("apps/{app_dir}")] {
        let mut files = Vec::new();
        if dir == "apps/servers" {
            files.extend(script.map(|s| root.join(dir).join(s)));
        } else {
            walk(&root.join(dir), &mut files);
        }
        files.sort();
        let mut h = Sha256::new();
        for file in files {
            h.update(file.strip_prefix(root).unwrap().to_string_lossy().as_bytes());
            h.update([0]);
            h.update(std::fs::read(&file).unwrap());
            h.update([0]);
        }
        all.update(hex::encode(h.finalize()));
    }
    hex::encode(all.finalize())
}

#[test]
fn the_shipped_apps_hash_in_the_stored_layout() {
    // Results are stored under these hashes: the layout (directory by directory, `path NUL
    // bytes NUL`) must not move, only the files of `apps/servers` an image holds.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let inputs = ImageInputs::new(root);
    for (app_dir, script) in [
        ("falcon", Some("bjoern_server.py")),
        ("flask", None),
        ("plain", Some("meinheld_server.py")),
        ("aiohttp", Some("own_server.py")),
    ] {
        let expected = digest_in_stored_layout(root, app_dir, script);
        assert_eq!(inputs.digest(app_dir, script), expected, "{app_dir} {script:?}");
    }
    assert_ne!(inputs.digest("plain", Some("bjoern_server.py")), inputs.digest("plain", None));
}

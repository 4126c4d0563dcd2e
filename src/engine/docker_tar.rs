//! The tar archives the Docker API speaks: build contexts going in, files copied out of a
//! container coming back.

use crate::image::BuildContext;

/// Where the Docker backend puts the Dockerfile in the tar context.
pub(super) const DOCKERFILE_IN_CONTEXT: &str = "Dockerfile";

/// `context` as an uncompressed tar: `Dockerfile` first, then the files in path order, each
/// directory entry before its first file. mtime 0, owner root, mode 0644 (0755 for
/// directories), so the same context gives the same bytes and the image the same layers.
pub(super) fn context_tar(context: &BuildContext) -> std::io::Result<Vec<u8>> {
    let mut builder = tar::Builder::new(Vec::new());
    builder.mode(tar::HeaderMode::Deterministic);
    append(&mut builder, DOCKERFILE_IN_CONTEXT, context.dockerfile.as_bytes())?;
    let mut dirs_done: Vec<String> = Vec::new();
    for (name, bytes) in &context.files {
        // Directory entries before their files, so that the image gets 0755 directories.
        let mut prefix = String::new();
        for part in name.split('/').take(name.split('/').count() - 1) {
            prefix.push_str(part);
            prefix.push('/');
            if !dirs_done.contains(&prefix) {
                append_entry(&mut builder, &prefix, tar::EntryType::Directory, 0o755, &[])?;
                dirs_done.push(prefix.clone());
            }
        }
        append(&mut builder, name, bytes)?;
    }
    builder.into_inner()
}

/// A tar holding the one regular file `name` with `mode` (what `docker cp` of a file sends).
pub(super) fn one_file_tar(name: &str, mode: u32, bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut builder = tar::Builder::new(Vec::new());
    append_entry(&mut builder, name, tar::EntryType::Regular, mode, bytes)?;
    builder.into_inner()
}

fn append(builder: &mut tar::Builder<Vec<u8>>, name: &str, bytes: &[u8]) -> std::io::Result<()> {
    append_entry(builder, name, tar::EntryType::Regular, 0o644, bytes)
}

fn append_entry(
    builder: &mut tar::Builder<Vec<u8>>,
    name: &str,
    kind: tar::EntryType,
    mode: u32,
    bytes: &[u8],
) -> std::io::Result<()> {
    let mut header = tar::Header::new_gnu();
    header.set_size(bytes.len() as u64);
    header.set_mode(mode);
    header.set_mtime(0);
    header.set_uid(0);
    header.set_gid(0);
    header.set_entry_type(kind);
    builder.append_data(&mut header, name, bytes)
}

/// The content of the first regular file in a tar archive (what `docker cp` of one file
/// gives).
pub(super) fn single_file(archive: &[u8]) -> Option<Vec<u8>> {
    let mut archive = tar::Archive::new(archive);
    for entry in archive.entries().ok()? {
        let mut entry = entry.ok()?;
        if entry.header().entry_type().is_file() {
            let mut content = Vec::new();
            std::io::Read::read_to_end(&mut entry, &mut content).ok()?;
            return Some(content);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    /// (path, mode, bytes) of every entry of a tar.
    fn entries(tar_bytes: &[u8]) -> Vec<(String, u32, Vec<u8>)> {
        let mut archive = tar::Archive::new(tar_bytes);
        let mut out = Vec::new();
        for entry in archive.entries().unwrap() {
            let mut entry = entry.unwrap();
            let path = entry.path().unwrap().to_string_lossy().into_owned();
            let mode = entry.header().mode().unwrap();
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).unwrap();
            out.push((path, mode, bytes));
        }
        out
    }

    fn context() -> BuildContext {
        let file = |path: &str, text: &str| (path.to_string(), text.as_bytes().to_vec());
        BuildContext::new(
            "FROM x\n",
            vec![
                file("bench/ca.pem", "ca"),
                file("apps/falcon/falcon_app.py", "app = None\n"),
                file("apps/common/__init__.py", ""),
                file("apps/common/payload.json", "{}"),
            ],
        )
    }

    #[test]
    fn dockerfile_first_then_each_directory_before_its_files() {
        let tar = context_tar(&context()).unwrap();
        let list = entries(&tar);
        let names: Vec<&str> = list.iter().map(|e| e.0.as_str()).collect();
        assert_eq!(
            names,
            [
                "Dockerfile",
                "apps/",
                "apps/common/",
                "apps/common/__init__.py",
                "apps/common/payload.json",
                "apps/falcon/",
                "apps/falcon/falcon_app.py",
                "bench/",
                "bench/ca.pem",
            ]
        );
        assert_eq!(list[0].2, b"FROM x\n");
        assert_eq!(list.last().unwrap().2, b"ca");
        for (name, mode, _) in &list {
            assert_eq!(*mode, if name.ends_with('/') { 0o755 } else { 0o644 }, "{name}");
        }
    }

    #[test]
    fn the_same_context_gives_the_same_bytes() {
        assert_eq!(context_tar(&context()).unwrap(), context_tar(&context()).unwrap());
        let other = BuildContext { dockerfile: "FROM y\n".into(), ..context() };
        assert_ne!(context_tar(&context()).unwrap(), context_tar(&other).unwrap());
    }

    #[test]
    fn single_file_takes_the_first_regular_file() {
        let mut builder = tar::Builder::new(Vec::new());
        append_entry(&mut builder, "bench/", tar::EntryType::Directory, 0o755, &[]).unwrap();
        append(&mut builder, "versions.txt", b"a==1\n").unwrap();
        let archive = builder.into_inner().unwrap();
        assert_eq!(single_file(&archive).unwrap(), b"a==1\n");
        assert_eq!(single_file(&[]), None);
    }
}

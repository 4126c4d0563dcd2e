use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use super::StoreError;

/// The lock file in a results directory (hidden: result listings skip dot files).
pub const LOCK_FILE: &str = ".bench-run.lock";
/// Room a run needs before its first cell: results are small, build and server logs are not.
pub const MIN_FREE_BYTES: u64 = 64 << 20;

/// One run's hold on a results directory: an exclusive `flock` on `DIR/.bench-run.lock`,
/// which records who holds it. The kernel releases it when the process ends, however it
/// ends (SIGKILL included), so a stale lock never blocks the next run.
#[derive(Debug)]
pub struct RunLock {
    _file: File,
    path: PathBuf,
}

impl RunLock {
    /// Takes the lock of `dir` (created if missing) for the run `holder` (who it is, e.g.
    /// `pid 12 on host h, run 1a2b`), after checking the directory is writable and has room.
    /// Another run holding it is `StoreError::Locked`, naming that run.
    pub fn acquire(dir: &Path, holder: &str) -> Result<RunLock, StoreError> {
        fs::create_dir_all(dir).map_err(|e| StoreError::io("create directory", dir, e))?;
        let path = dir.join(LOCK_FILE);
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| StoreError::io("open the lock file", &path, e))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let mut other = String::new();
                let _ = file.read_to_string(&mut other);
                return Err(StoreError::Locked { dir: dir.to_path_buf(), holder: other });
            }
            Err(TryLockError::Error(e)) => return Err(StoreError::io("lock", &path, e)),
        }
        let record = |file: &mut File| -> std::io::Result<()> {
            file.set_len(0)?;
            file.write_all(holder.as_bytes())?;
            file.sync_all()
        };
        record(&mut file).map_err(|e| StoreError::io("write the lock file", &path, e))?;
        check_room(dir)?;
        Ok(RunLock { _file: file, path })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// At least `MIN_FREE_BYTES` free for an unprivileged writer in `dir`.
fn check_room(dir: &Path) -> Result<(), StoreError> {
    let c_path = std::ffi::CString::new(dir.as_os_str().as_encoded_bytes())
        .map_err(|e| StoreError::io("inspect", dir, std::io::Error::other(e)))?;
    // SAFETY: `c_path` is a valid NUL-terminated string and `stat` a writable statvfs.
    let mut stat: libc::statvfs = unsafe { std::mem::zeroed() };
    if unsafe { libc::statvfs(c_path.as_ptr(), &mut stat) } != 0 {
        return Err(StoreError::io("inspect", dir, std::io::Error::last_os_error()));
    }
    let free = stat.f_bavail as u64 * stat.f_frsize as u64;
    if free < MIN_FREE_BYTES {
        return Err(StoreError::NoRoom { dir: dir.to_path_buf(), free, needed: MIN_FREE_BYTES });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_names_the_holder_and_the_first_is_released_on_drop() {
        let dir = tempfile::tempdir().unwrap();
        let first = RunLock::acquire(dir.path(), "pid 1 on host a").unwrap();
        let second = RunLock::acquire(dir.path(), "pid 2 on host a").unwrap_err();
        let message = second.to_string();
        assert!(message.contains("pid 1 on host a"), "{message}");
        drop(first);
        RunLock::acquire(dir.path(), "pid 2 on host a").unwrap();
    }
}

//! The OS calls the generator needs: a thread's own CPU time, pinning a thread to a CPU, and
//! the process's open-files limit (each connection is a file).

use std::io;
use std::time::Duration;

/// CPU time (user + system) the calling thread has used.
pub fn thread_cpu_time() -> Duration {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `ts` is a valid, writable timespec.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    if rc != 0 {
        return Duration::ZERO;
    }
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// Restricts the calling thread to `cpu`.
pub fn pin_current_thread(cpu: usize) -> io::Result<()> {
    if cpu >= libc::CPU_SETSIZE as usize {
        return Err(io::Error::new(io::ErrorKind::InvalidInput, "CPU number out of range"));
    }
    // SAFETY: a zeroed cpu_set_t is an empty set; CPU_SET stays in bounds (checked above);
    // pid 0 is the calling thread.
    let rc = unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        libc::CPU_SET(cpu, &mut set);
        libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set)
    };
    if rc != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// The process's open-files limit (`RLIMIT_NOFILE`), as `ulimit -Sn` / `ulimit -Hn` show it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FilesLimit {
    pub soft: u64,
    pub hard: u64,
}

impl std::fmt::Display for FilesLimit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let show = |n: u64| {
            if n == libc::RLIM_INFINITY { "unlimited".to_string() } else { n.to_string() }
        };
        write!(f, "open-files limit {}, hard limit {}", show(self.soft), show(self.hard))
    }
}

/// `limit` for a message: "open-files limit 1024, hard limit 4096".
pub fn describe_files_limit(limit: Option<FilesLimit>) -> String {
    limit.map_or("open-files limit unknown".to_string(), |limit| limit.to_string())
}

/// Raises the soft open-files limit as far as the hard limit allows (an unlimited hard limit:
/// to the kernel's `fs.nr_open`), so that many connections need no `ulimit -n` first; the
/// limits in force afterwards (`None` if they cannot be read). Only a privileged process
/// could go past the hard limit; bench does not try.
pub fn raise_open_files_limit() -> Option<FilesLimit> {
    let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: `limit` is a valid, writable rlimit.
    if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } != 0 {
        return None;
    }
    let ceiling = if limit.rlim_max == libc::RLIM_INFINITY {
        // The kernel refuses more than fs.nr_open files even with an unlimited hard limit.
        std::fs::read_to_string("/proc/sys/fs/nr_open")
            .ok()
            .and_then(|text| text.trim().parse().ok())
            .unwrap_or(1 << 20)
    } else {
        limit.rlim_max
    };
    if limit.rlim_cur != libc::RLIM_INFINITY && limit.rlim_cur < ceiling {
        let raised = libc::rlimit { rlim_cur: ceiling, rlim_max: limit.rlim_max };
        // SAFETY: `raised` is a valid rlimit. On failure the limit is as it was.
        if unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &raised) } == 0 {
            limit.rlim_cur = ceiling;
        }
    }
    Some(FilesLimit { soft: limit.rlim_cur, hard: limit.rlim_max })
}

/// Whether a failed connect or accept is this process (or the system) out of files, rather
/// than anything about the server.
pub fn is_out_of_files(err: &io::Error) -> bool {
    matches!(err.raw_os_error(), Some(libc::EMFILE | libc::ENFILE))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn out_of_files_is_told_from_a_refusal_and_limits_read_like_ulimit() {
        assert!(is_out_of_files(&io::Error::from_raw_os_error(libc::EMFILE)));
        assert!(is_out_of_files(&io::Error::from_raw_os_error(libc::ENFILE)));
        assert!(!is_out_of_files(&io::Error::from_raw_os_error(libc::ECONNREFUSED)));
        let limit = FilesLimit { soft: 1024, hard: libc::RLIM_INFINITY };
        assert_eq!(limit.to_string(), "open-files limit 1024, hard limit unlimited");
    }
}

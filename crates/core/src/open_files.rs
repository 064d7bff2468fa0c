//! Every request in flight holds a socket, and a socket is an open file: a process may hold
//! only so many (1,024 in many Linux sessions, 256 on macOS). Past that, a payout's request
//! cannot even connect, and fails without having been sent. So the programs raise their own
//! limit as far as the system lets them, and requests in flight are kept within what is left.

/// Files kept for everything else: the database and its journal, the keyring's bus, logs,
/// the app's window.
const RESERVE: u64 = 64;

/// Raises this process's limit on open files to the most the system allows it. Called once,
/// first thing, by the programs (not by the library).
pub fn raise() {
    #[cfg(unix)]
    if let Some(limit) = current() {
        // Linux refuses an unlimited soft limit for files; macOS refuses more than OPEN_MAX
        // (10,240) even when the hard limit is unlimited.
        for wanted in [limit.rlim_max.min(1 << 20), 10_240] {
            if wanted <= limit.rlim_cur {
                break;
            }
            let raised = libc::rlimit {
                rlim_cur: wanted,
                rlim_max: limit.rlim_max,
            };
            // SAFETY: setrlimit reads the struct it is given and nothing else.
            if unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &raised) } == 0 {
                break;
            }
        }
    }
}

/// How many of `wanted` requests may be in flight at once: each may hold two sockets (a send
/// and the first look its answer starts), and in the demo the sandbox holds the other end of
/// each in the same process.
pub(crate) fn requests_at_once(wanted: usize) -> usize {
    #[cfg(unix)]
    let allowed = current().map_or(u64::MAX, |l| l.rlim_cur);
    #[cfg(not(unix))]
    let allowed = u64::MAX;
    let budget = usize::try_from(allowed.saturating_sub(RESERVE) / 4).unwrap_or(usize::MAX);
    wanted.min(budget).max(1)
}

#[cfg(unix)]
fn current() -> Option<libc::rlimit> {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit writes into the struct it is given and nothing else.
    (unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } == 0).then_some(limit)
}

//! The data folder holds names, phone numbers, amounts and callback bodies: it is the
//! merchant's alone. On Unix the folder is `0700` and every file Guichet writes in it `0600`,
//! whatever the umask, and a folder or file found wider (copied, restored, made by an older
//! Guichet) is narrowed when Guichet opens it. Elsewhere the user's profile already keeps it.

use std::io;
use std::path::Path;

/// Creates `dir` (and its parents) if needed, and makes it `0700`.
pub fn create_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)?;
        narrow(dir, 0o700)
    }
    #[cfg(not(unix))]
    std::fs::create_dir_all(dir)
}

/// Makes an existing file `0600`; a file that is not there is fine.
pub fn restrict_file(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    return match narrow(path, 0o600) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        other => other,
    };
    #[cfg(not(unix))]
    {
        let _ = path;
        Ok(())
    }
}

/// Writes `contents` to a file that is `0600` from the moment it exists.
pub fn write_file(path: &Path, contents: &[u8]) -> io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    // A file that existed keeps its old mode through `open`.
    restrict_file(path)?;
    file.write_all(contents)
}

/// Creates an empty `0600` file unless one is there.
pub fn create_file(path: &Path) -> io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(false);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?;
    restrict_file(path)
}

/// Clears every permission bit beyond `mode` (only ever narrows).
#[cfg(unix)]
fn narrow(path: &Path, mode: u32) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let current = std::fs::metadata(path)?.permissions().mode() & 0o7777;
    if current & !mode != 0 {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(current & mode))?;
    }
    Ok(())
}

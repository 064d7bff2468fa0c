//! Provider calls on tasks of their own.

/// Runs a provider call on a task of its own, so that building requests, connecting and reading
/// answers spread over every core instead of all running in the one task that records them.
/// Dropped, it cancels the call, as an unspawned call would be.
pub(crate) async fn on_own_task<T: Send + 'static>(
    call: impl std::future::Future<Output = T> + Send + 'static,
) -> T {
    struct Cancel<T>(tokio::task::JoinHandle<T>);
    impl<T> Drop for Cancel<T> {
        fn drop(&mut self) {
            self.0.abort();
        }
    }
    let mut task = Cancel(tokio::spawn(call));
    match (&mut task.0).await {
        Ok(v) => v,
        Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
        Err(e) => panic!("provider call cancelled: {e}"),
    }
}

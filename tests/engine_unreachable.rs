//! An unreachable Docker engine gives a clear error with what to do. Its own test binary:
//! it changes `DOCKER_HOST` for the whole process.

use bench::engine::{DockerEngine, EngineError};

#[tokio::test]
async fn connecting_to_a_missing_socket_says_to_start_dockerd() {
    let dir = tempfile::tempdir().unwrap();
    let socket = dir.path().join("no-docker.sock");
    // SAFETY: the only test of this binary, set before any thread reads the environment.
    unsafe { std::env::set_var("DOCKER_HOST", format!("unix://{}", socket.display())) };
    let err = DockerEngine::connect().await.unwrap_err();
    assert!(matches!(err, EngineError::Unreachable { .. }), "{err:?}");
    assert!(err.to_string().starts_with("cannot reach the Docker engine"), "{err}");
    assert!(err.help().unwrap().contains("dockerd &"), "{:?}", err.help());
}

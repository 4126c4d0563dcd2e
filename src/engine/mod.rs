//! Stage 5, engine: containers through the Docker Engine API (bollard), behind the
//! `Engine` trait so the stages around it are tested without Docker.

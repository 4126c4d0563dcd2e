//! The load generator against servers started in-process: exact counts, the error
//! taxonomy, Little's law, open-loop correction and a clean stop at the deadline, also under
//! endless and huge bodies. Every case runs once per HTTP/1.1 client (`lean::` and `hyper::`),
//! from `load_engine/cases.rs` and `load_engine/bodies.rs`.

#[path = "load_support.rs"]
mod support;

mod lean {
    const CLIENT: bench::load::HttpClient = bench::load::HttpClient::Lean;
    include!("load_engine/cases.rs");
    mod bodies {
        include!("load_engine/bodies.rs");
    }
}

mod hyper {
    const CLIENT: bench::load::HttpClient = bench::load::HttpClient::Hyper;
    include!("load_engine/cases.rs");
    mod bodies {
        include!("load_engine/bodies.rs");
    }
}

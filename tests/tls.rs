//! TLS settings against a real HTTPS server on 127.0.0.1 whose certificate is signed by a test
//! CA (tests/fixtures/tls: the CA certificate, a server certificate and key, and a client
//! certificate with its key — made for these tests only, trusted nowhere else): untrusted by
//! default, trusted with `ca_cert`, accepted with `insecure`, and `client_cert` for mutual TLS.

use std::path::PathBuf;
use std::sync::Arc;

use scout::http::HttpError;
use scout::http::build::prepare;
use scout::http::execute::{Memory, execute};
use scout::model::{ClientOptions, RequestSpec, Timeouts};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::rustls::server::WebPkiClientVerifier;
use tokio_rustls::rustls::{RootCertStore, ServerConfig};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/tls")
        .join(name)
}

/// An HTTPS server answering every request with `200 ok`; stops with the test's runtime.
async fn https_server() -> String {
    serve(false).await
}

/// The same server, requiring a client certificate signed by the test CA.
async fn mutual_tls_server() -> String {
    serve(true).await
}

async fn serve(client_auth: bool) -> String {
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(fixture("server.pem"))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let key = PrivateKeyDer::from_pem_file(fixture("server.key")).unwrap();
    let provider = Arc::new(tokio_rustls::rustls::crypto::aws_lc_rs::default_provider());
    let builder = ServerConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .unwrap();
    let builder = if client_auth {
        let mut roots = RootCertStore::empty();
        for ca in CertificateDer::pem_file_iter(fixture("ca.pem")).unwrap() {
            roots.add(ca.unwrap()).unwrap();
        }
        let verifier = WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider)
            .build()
            .unwrap();
        builder.with_client_cert_verifier(verifier)
    } else {
        builder.with_no_client_auth()
    };
    let config = builder.with_single_cert(certs, key).unwrap();
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        loop {
            let Ok((tcp, _)) = listener.accept().await else {
                return;
            };
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                // A client that rejects the certificate ends the handshake: nothing to serve.
                let Ok(mut tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let mut seen = Vec::new();
                let mut buf = [0u8; 1024];
                while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
                    match tls.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => seen.extend_from_slice(&buf[..n]),
                    }
                }
                let _ = tls
                    .write_all(
                        b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok",
                    )
                    .await;
                let _ = tls.shutdown().await;
            });
        }
    });
    format!("https://127.0.0.1:{port}/")
}

async fn get(url: &str, options: ClientOptions) -> Result<u16, HttpError> {
    let client = scout::http::client::build_client(&options)?;
    let spec = RequestSpec {
        url: url.to_string(),
        ..Default::default()
    };
    let prepared = prepare(&spec, &PathBuf::from("."))?;
    let mut sink = Memory::default();
    let response = execute(&client, prepared, Timeouts::default(), &mut sink).await?;
    assert_eq!(sink.0, b"ok");
    Ok(response.status)
}

#[tokio::test]
async fn an_unknown_ca_is_refused_and_the_message_says_so() {
    let url = https_server().await;
    let err = get(&url, ClientOptions::default()).await.unwrap_err();
    let text = format!("{} {err}", err.title());
    assert!(
        text.to_lowercase().contains("certificate") || text.contains("TLS"),
        "{text}"
    );
}

#[tokio::test]
async fn ca_cert_trusts_the_test_ca() {
    let url = https_server().await;
    let options = ClientOptions {
        ca_cert: Some(fixture("ca.pem")),
        ..Default::default()
    };
    assert_eq!(get(&url, options).await.unwrap(), 200);
}

#[tokio::test]
async fn insecure_accepts_any_certificate() {
    let url = https_server().await;
    let options = ClientOptions {
        insecure: true,
        ..Default::default()
    };
    assert_eq!(get(&url, options).await.unwrap(), 200);
}

#[tokio::test]
async fn client_cert_is_presented_when_the_server_asks() {
    let url = mutual_tls_server().await;
    let trusted = ClientOptions {
        ca_cert: Some(fixture("ca.pem")),
        ..Default::default()
    };
    assert!(
        get(&url, trusted.clone()).await.is_err(),
        "without a client certificate the server refuses"
    );
    let with_cert = ClientOptions {
        client_cert: Some(fixture("client.pem")),
        ..trusted
    };
    assert_eq!(get(&url, with_cert).await.unwrap(), 200);
}

#[tokio::test]
async fn a_new_https_connection_times_the_tcp_connect_and_the_tls_handshake_apart() {
    let url = https_server().await;
    let options = ClientOptions {
        ca_cert: Some(fixture("ca.pem")),
        ..Default::default()
    };
    let client = scout::http::client::build_client(&options).unwrap();
    let spec = RequestSpec {
        url,
        ..Default::default()
    };
    let prepared = prepare(&spec, &PathBuf::from(".")).unwrap();
    let response = execute(
        &client,
        prepared,
        Timeouts::default(),
        &mut Memory::default(),
    )
    .await
    .unwrap();
    let timing = response.timing.expect("measured");
    let (Some(tcp), Some(tls)) = (timing.connect, timing.tls) else {
        panic!("both the connect and the handshake are timed: {timing:?}");
    };
    assert!(tcp + tls <= timing.total, "{timing:?}");
    let names: Vec<&str> = timing.phases().iter().map(|(n, _)| *n).collect();
    assert_eq!(
        names,
        ["TCP connect", "TLS handshake", "waiting (TTFB)", "download"]
    );
}

//! The TLS configuration scout hands reqwest, built here rather than by reqwest so that the
//! handshake can be timed apart from the TCP connect: rustls asks its session store for a
//! resumption ticket as it writes the ClientHello, the moment TCP is up; the store here notes
//! that moment for the connection being opened ([`crate::http::connect`]).
//!
//! The rest is what reqwest would build: the platform's verifier (the system's roots, plus
//! `ca_cert`'s), or none with `insecure`; `client_cert` for mutual TLS; TLS 1.2 and 1.3 with
//! aws-lc-rs; ALPN offering HTTP/2 then HTTP/1.1; SNI; session resumption in memory.

use std::path::Path;
use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::{ClientSessionMemoryCache, ClientSessionStore, Resumption};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, NamedGroup, SignatureScheme};

use crate::http::error::HttpError;
use crate::model::ClientOptions;

/// Sessions remembered for resumption (rustls's default).
const SESSIONS: usize = 256;

/// The TLS configuration for `options`. A certificate file that cannot be read or used is an
/// error naming it.
pub fn config(options: &ClientOptions) -> Result<ClientConfig, HttpError> {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let builder = ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| HttpError::Other(format!("could not set up TLS: {e}")))?
        .dangerous();
    let builder = if options.insecure {
        builder.with_custom_certificate_verifier(Arc::new(AcceptAnything(provider.clone())))
    } else {
        let extra = match &options.ca_cert {
            Some(path) => read_ca_cert(path)?,
            None => Vec::new(),
        };
        let verifier = rustls_platform_verifier::Verifier::new_with_extra_roots(extra, provider)
            .map_err(|e| {
                HttpError::Other(format!("could not load the system's certificates: {e}"))
            })?;
        builder.with_custom_certificate_verifier(Arc::new(verifier))
    };
    let mut config = match &options.client_cert {
        Some(path) => {
            let (certs, key) = read_client_cert(path, options.client_key.as_deref())?;
            builder
                .with_client_auth_cert(certs, key)
                .map_err(|e| cert_error("client_cert", path, format!("it cannot be used: {e}")))?
        }
        None => builder.with_no_client_auth(),
    };
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    config.resumption = Resumption::store(Arc::new(TimedSessions(ClientSessionMemoryCache::new(
        SESSIONS,
    ))));
    Ok(config)
}

fn cert_error(setting: &'static str, path: &Path, problem: String) -> HttpError {
    HttpError::CertFile {
        setting,
        path: path.display().to_string(),
        problem,
    }
}

fn read_pem(setting: &'static str, path: &Path) -> Result<Vec<u8>, HttpError> {
    std::fs::read(path).map_err(|e| cert_error(setting, path, format!("cannot read it: {e}")))
}

fn read_ca_cert(path: &Path) -> Result<Vec<CertificateDer<'static>>, HttpError> {
    let pem = read_pem("ca_cert", path)?;
    let certs = CertificateDer::pem_slice_iter(&pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| cert_error("ca_cert", path, format!("not valid PEM: {e}")))?;
    if certs.is_empty() {
        return Err(cert_error(
            "ca_cert",
            path,
            "no certificate in it (expected PEM: -----BEGIN CERTIFICATE----- …)".into(),
        ));
    }
    Ok(certs)
}

/// The certificate chain at `path`, and its private key from `key_path` (else from `path`).
fn read_client_cert(
    path: &Path,
    key_path: Option<&Path>,
) -> Result<(Vec<CertificateDer<'static>>, PrivateKeyDer<'static>), HttpError> {
    let pem = read_pem("client_cert", path)?;
    let problem = |detail: String| {
        cert_error(
            "client_cert",
            path,
            format!("it must hold a PEM certificate and its private key: {detail}"),
        )
    };
    let certs = CertificateDer::pem_slice_iter(&pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| problem(e.to_string()))?;
    if certs.is_empty() {
        return Err(problem("no certificate found".into()));
    }
    let key = match key_path {
        Some(key_path) => {
            let key_pem = read_pem("client_key", key_path)?;
            PrivateKeyDer::from_pem_slice(&key_pem).map_err(|e| {
                cert_error(
                    "client_key",
                    key_path,
                    format!("it must hold a PEM private key: {e}"),
                )
            })?
        }
        None => PrivateKeyDer::from_pem_slice(&pem).map_err(|e| problem(e.to_string()))?,
    };
    Ok((certs, key))
}

/// rustls's in-memory session store, noting when a ClientHello is being written: the first
/// thing it asks for is a session to resume.
#[derive(Debug)]
struct TimedSessions(ClientSessionMemoryCache);

impl ClientSessionStore for TimedSessions {
    fn set_kx_hint(&self, server_name: ServerName<'static>, group: NamedGroup) {
        self.0.set_kx_hint(server_name, group);
    }

    fn kx_hint(&self, server_name: &ServerName<'_>) -> Option<NamedGroup> {
        crate::http::connect::tls_started();
        self.0.kx_hint(server_name)
    }

    fn set_tls12_session(
        &self,
        server_name: ServerName<'static>,
        value: rustls::client::Tls12ClientSessionValue,
    ) {
        self.0.set_tls12_session(server_name, value);
    }

    fn tls12_session(
        &self,
        server_name: &ServerName<'_>,
    ) -> Option<rustls::client::Tls12ClientSessionValue> {
        crate::http::connect::tls_started();
        self.0.tls12_session(server_name)
    }

    fn remove_tls12_session(&self, server_name: &ServerName<'static>) {
        self.0.remove_tls12_session(server_name);
    }

    fn insert_tls13_ticket(
        &self,
        server_name: ServerName<'static>,
        value: rustls::client::Tls13ClientSessionValue,
    ) {
        self.0.insert_tls13_ticket(server_name, value);
    }

    fn take_tls13_ticket(
        &self,
        server_name: &ServerName<'static>,
    ) -> Option<rustls::client::Tls13ClientSessionValue> {
        crate::http::connect::tls_started();
        self.0.take_tls13_ticket(server_name)
    }
}

/// `insecure`: any certificate is accepted (the handshake's signatures are still checked).
#[derive(Debug)]
struct AcceptAnything(Arc<rustls::crypto::CryptoProvider>);

impl ServerCertVerifier for AcceptAnything {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

//! Building the pooled reqwest client: measured connections, the connect timeout, TLS (trust,
//! `insecure` and the client certificate, configured in [`crate::http::tls`]), and the proxy. A
//! certificate file that cannot be used is an [`HttpError`] naming it, shown like any failed
//! request.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use crate::http::build::USER_AGENT;
use crate::http::connect::{TimedLayer, TimedResolver};
use crate::http::error::{HttpError, last_cause};
use crate::http::job::Job;
use crate::model::ClientOptions;

/// The pooled client: no automatic redirects (we follow them ourselves), transparent
/// gzip/brotli/deflate, rustls. A certificate file that cannot be read or holds no usable
/// PEM, or a bad proxy URL, is an error naming it.
pub fn build_client(options: &ClientOptions) -> Result<reqwest::Client, HttpError> {
    let mut builder = reqwest::Client::builder()
        .user_agent(USER_AGENT)
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(options.connect)
        // Measured connections (the Timing tab) and their bytes (the Wire tab); the TLS
        // configuration (trust, `insecure`, the client certificate) is scout's, so that its
        // handshake can be timed.
        .dns_resolver(Arc::new(TimedResolver))
        .connector_layer(TimedLayer)
        .use_preconfigured_tls(crate::http::tls::config(options)?)
        .tls_info(true)
        .connection_verbose(crate::http::tap::install());
    if let Some(proxy) = &options.proxy {
        let proxy = reqwest::Proxy::all(proxy.as_str()).map_err(|e| HttpError::Proxy {
            url: redact_userinfo(proxy),
            detail: last_cause(&e),
        })?;
        builder = builder.proxy(proxy.no_proxy(reqwest::NoProxy::from_env()));
    }
    builder.build().map_err(|e| {
        let files: Vec<String> = [&options.ca_cert, &options.client_cert]
            .into_iter()
            .flatten()
            .map(|p| p.display().to_string())
            .collect();
        let with = if files.is_empty() {
            String::new()
        } else {
            format!(" with {}", files.join(" and "))
        };
        HttpError::Other(format!(
            "could not create the HTTP client{with}: {}",
            last_cause(&e)
        ))
    })
}

/// The pooled clients, one per connect timeout and TLS/proxy settings, shared by every job
/// that has them (connections are reused). A failed build is not kept, so a fixed certificate
/// file is read on the next send. Cloning shares the pool.
#[derive(Debug, Clone, Default)]
pub struct ClientPool(Arc<Mutex<HashMap<ClientOptions, reqwest::Client>>>);

impl ClientPool {
    /// The client for `job`'s connect timeout and TLS/proxy settings. Building one reads
    /// certificate files and the system proxy settings, so it happens on a blocking thread:
    /// the caller's loop never waits for it.
    pub async fn get(&self, job: &Job) -> Result<reqwest::Client, HttpError> {
        let options = job.client_options();
        let cached = self
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&options)
            .cloned();
        if let Some(client) = cached {
            return Ok(client);
        }
        let built = {
            let options = options.clone();
            tokio::task::spawn_blocking(move || build_client(&options))
                .await
                .map_err(|e| HttpError::Other(format!("could not create the HTTP client: {e}")))??
        };
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(options, built.clone());
        Ok(built)
    }
}

/// A client with no TLS or proxy settings (see [`build_client`]).
pub fn client(connect_timeout: Duration) -> Result<reqwest::Client, HttpError> {
    build_client(&ClientOptions::new(connect_timeout))
}

/// A proxy URL fit to show: credentials in it replaced.
fn redact_userinfo(proxy: &str) -> String {
    match proxy.rsplit_once('@') {
        Some((before, host)) => match before.split_once("://") {
            Some((scheme, _)) => format!("{scheme}://[redacted]@{host}"),
            None => format!("[redacted]@{host}"),
        },
        None => proxy.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proxy_credentials_are_not_shown() {
        assert_eq!(
            redact_userinfo("http://me:pw@proxy:3128"),
            "http://[redacted]@proxy:3128"
        );
        assert_eq!(redact_userinfo("http://proxy:3128"), "http://proxy:3128");
        let err = build_client(&ClientOptions {
            proxy: Some("http://me:pw@bad host".into()),
            ..Default::default()
        })
        .unwrap_err();
        assert!(matches!(err, HttpError::Proxy { .. }), "{err:?}");
        assert!(!err.to_string().contains("pw"), "{err}");
    }

    fn cert_error(options: ClientOptions) -> String {
        match build_client(&options) {
            Err(e @ HttpError::CertFile { .. }) => e.to_string(),
            other => panic!("expected a certificate file error, got {other:?}"),
        }
    }

    #[test]
    fn a_missing_ca_file_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("certs/ca.pem");
        let text = cert_error(ClientOptions {
            ca_cert: Some(path.clone()),
            ..Default::default()
        });
        assert!(
            text.starts_with(&format!("ca_cert `{}`: cannot read it:", path.display())),
            "{text}"
        );
    }

    #[test]
    fn garbage_pem_files_are_errors_saying_what_is_wrong() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, text: &str| {
            let path = dir.path().join(name);
            std::fs::write(&path, text).unwrap();
            Some(path)
        };
        let text = cert_error(ClientOptions {
            ca_cert: write("plain.pem", "not a certificate at all\n"),
            ..Default::default()
        });
        assert!(
            text.contains("plain.pem") && text.contains("no certificate in it"),
            "{text}"
        );
        let broken = "-----BEGIN CERTIFICATE-----\n!!!not base64!!!\n-----END CERTIFICATE-----\n";
        let text = cert_error(ClientOptions {
            ca_cert: write("broken.pem", broken),
            ..Default::default()
        });
        assert!(
            text.contains("broken.pem") && text.contains("not valid PEM"),
            "{text}"
        );
        let text = cert_error(ClientOptions {
            client_cert: write("client.pem", "nothing here\n"),
            ..Default::default()
        });
        assert!(
            text.starts_with("client_cert `")
                && text.contains("client.pem")
                && text.contains("certificate and its private key"),
            "{text}"
        );
    }

    /// A self-signed certificate (`CN=scout-test`, valid until 2126), public material only.
    const TEST_CA: &str = "\
-----BEGIN CERTIFICATE-----\n\
MIIBgDCCASegAwIBAgIUOIB3iuHDHHYYFCA+ZD+v94akL0QwCgYIKoZIzj0EAwIw\n\
FTETMBEGA1UEAwwKc2NvdXQtdGVzdDAgFw0yNjExMjMxMzM0NTdaGA8yMTI2MTAz\n\
MDEzMzQ1N1owFTETMBEGA1UEAwwKc2NvdXQtdGVzdDBZMBMGByqGSM49AgEGCCqG\n\
SM49AwEHA0IABMVh9ZGw2Qw2fGL9yyMc2T74X9mx8U9dnfY8yg1OQ+x4R/bRLslg\n\
xyD6JxNM7jOlkv4Jv5jF6Kx5okKVXM1fK5OjUzBRMB0GA1UdDgQWBBSZqkHRNRy0\n\
rCXuB/JmL0Q8DZ8fHzAfBgNVHSMEGDAWgBSZqkHRNRy0rCXuB/JmL0Q8DZ8fHzAP\n\
BgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0cAMEQCIEhSnqM5dvCQDKXyo2u1\n\
QlQ+UpZHLZ3HXwiYWZrnISMNAiBLUKkljI0mbXXBl7AaXgp6tCQiEJOkRuRcnNIs\n\
P2LBeQ==\n\
-----END CERTIFICATE-----\n\
";

    #[test]
    fn a_pem_ca_file_is_trusted_besides_the_system_roots() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ca.pem");
        std::fs::write(&path, TEST_CA).unwrap();
        let options = ClientOptions {
            ca_cert: Some(path),
            ..Default::default()
        };
        assert!(build_client(&options).is_ok());
    }

    #[test]
    fn plain_options_build_a_client() {
        assert!(build_client(&ClientOptions::default()).is_ok());
        assert!(
            build_client(&ClientOptions {
                insecure: true,
                proxy: Some("http://127.0.0.1:3128".into()),
                ..Default::default()
            })
            .is_ok()
        );
    }
}

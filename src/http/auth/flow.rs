//! Sending a request with an auth profile: adding the credentials, answering a Digest challenge,
//! getting (and after a 401, renewing) an OAuth2 token.
//!
//! The rule for credentials the user wrote by hand: **an explicit header wins.** When the request
//! already has an `Authorization` header (or, for a header API key, a header of the key's name),
//! the profile adds nothing and the request is sent as written, once. A query-string API key is the
//! exception: the profile's key replaces any parameter of that name already in the URL, so a stale
//! key pasted along with a URL is never sent next to the right one.

use std::future::Future;
use std::time::SystemTime;

use url::Url;

use super::digest::{Challenge, cnonce};
use super::oauth::TokenCache;
use crate::http::HttpError;
use crate::http::build::Prepared;
use crate::model::{KeyLocation, ResolvedAuth, ResponseData, basic_header, set_query_param};

const AUTHORIZATION: &str = "Authorization";

/// Sends `req` with `auth`'s credentials; `attempt` sends one request (the caller's execute, with
/// its redirects, timeouts and body sink) and may be called twice:
///
/// - no profile, or an explicit header (see the module docs): sent once as it is;
/// - `basic`, `bearer`, `api-key`: the credentials are added ([`apply_static`]), sent once;
/// - `digest`: sent without credentials; a 401 carrying a Digest challenge is answered (the URI is
///   the request's path and query, `nc=1`, a fresh client nonce) and the request sent again, once.
///   A second 401, or a 401 without a usable challenge, is returned as it is: the response pane
///   explains it.
/// - `oauth2-client-credentials`: a token from `tokens` (fetched with `client` when needed) is sent
///   as `Authorization: Bearer …`; on a 401 the token is dropped, a new one fetched, and the request
///   retried exactly once. A failed token request is [`HttpError::Auth`].
pub async fn send_authenticated<F, Fut>(
    mut req: Prepared,
    auth: Option<&ResolvedAuth>,
    tokens: &TokenCache,
    client: &reqwest::Client,
    mut attempt: F,
) -> Result<ResponseData, HttpError>
where
    F: FnMut(Prepared) -> Fut,
    Fut: Future<Output = Result<ResponseData, HttpError>>,
{
    let Some(auth) = auth.filter(|auth| !has_explicit_credentials(&req, auth)) else {
        return attempt(req).await;
    };
    match auth {
        ResolvedAuth::Basic { .. } | ResolvedAuth::Bearer { .. } | ResolvedAuth::ApiKey { .. } => {
            apply_static(&mut req, auth);
            attempt(req).await
        }
        ResolvedAuth::Digest { username, password } => {
            let first = attempt(req.clone()).await?;
            if first.status != 401 {
                return Ok(first);
            }
            let challenges = first
                .headers
                .iter()
                .filter(|(name, _)| name.eq_ignore_ascii_case("www-authenticate"))
                .map(|(_, value)| value.as_str());
            let Ok(challenge) = Challenge::from_header_values(challenges) else {
                return Ok(first);
            };
            let cnonce = cnonce().map_err(|e| HttpError::Auth {
                message: format!("could not answer the Digest challenge: {e}"),
            })?;
            let answer = challenge.authorization(
                req.method.as_str(),
                &request_target(&req.url),
                username,
                password,
                1,
                &cnonce,
            );
            req.headers.push((AUTHORIZATION.to_owned(), answer));
            attempt(req).await
        }
        ResolvedAuth::OAuth2(params) => {
            let token = tokens
                .bearer(client, params, SystemTime::now)
                .await
                .map_err(token_failed)?;
            let mut first = req.clone();
            first.headers.push(bearer(&token));
            let response = attempt(first).await?;
            if response.status != 401 {
                return Ok(response);
            }
            tokens.invalidate_token(&params.key(), &token);
            let fresh = tokens
                .bearer(client, params, SystemTime::now)
                .await
                .map_err(token_failed)?;
            req.headers.push(bearer(&fresh));
            attempt(req).await
        }
    }
}

/// Adds the credentials of the kinds that need no server round trip — `basic`, `bearer` and
/// `api-key` — unless the request already carries them explicitly (see the module docs). `digest`
/// and `oauth2-client-credentials` add nothing here: their header exists only at send time
/// ([`ResolvedAuth::preview`] describes it).
pub fn apply_static(req: &mut Prepared, auth: &ResolvedAuth) {
    if has_explicit_credentials(req, auth) {
        return;
    }
    match auth {
        ResolvedAuth::Basic { username, password } => req
            .headers
            .push((AUTHORIZATION.to_owned(), basic_header(username, password))),
        ResolvedAuth::Bearer { token } => req.headers.push(bearer(token)),
        ResolvedAuth::ApiKey {
            name,
            value,
            location: KeyLocation::Header,
        } => req.headers.push((name.clone(), value.clone())),
        ResolvedAuth::ApiKey {
            name,
            value,
            location: KeyLocation::Query,
        } => set_query_param(&mut req.url, name, value),
        ResolvedAuth::Digest { .. } | ResolvedAuth::OAuth2(_) => {}
    }
}

/// Whether the request already carries, in a header, the credentials this profile would add.
fn has_explicit_credentials(req: &Prepared, auth: &ResolvedAuth) -> bool {
    match auth {
        ResolvedAuth::ApiKey {
            name,
            location: KeyLocation::Header,
            ..
        } => req.header(name).is_some(),
        ResolvedAuth::ApiKey {
            location: KeyLocation::Query,
            ..
        } => false,
        _ => req.header(AUTHORIZATION).is_some(),
    }
}

/// The request target as sent: path and query (the Digest `uri`).
fn request_target(url: &Url) -> String {
    match url.query() {
        Some(query) => format!("{}?{query}", url.path()),
        None => url.path().to_owned(),
    }
}

fn bearer(token: &str) -> (String, String) {
    (AUTHORIZATION.to_owned(), format!("Bearer {token}"))
}

fn token_failed(error: super::oauth::AuthError) -> HttpError {
    HttpError::Auth {
        message: format!("could not get an OAuth2 token: {error}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Method;

    fn get(url: &str) -> Prepared {
        Prepared {
            method: Method::Get,
            url: Url::parse(url).unwrap(),
            headers: Vec::new(),
            body: None,
        }
    }

    fn key(location: KeyLocation) -> ResolvedAuth {
        ResolvedAuth::ApiKey {
            name: "api_key".into(),
            value: "a b&c=d/é".into(),
            location,
        }
    }

    #[test]
    fn query_key_replaces_the_parameter_and_keeps_the_rest_as_written() {
        let mut req = get("http://h/p?x=1%202&api_key=old&flag&api%5Fkey=older&y=a+b");
        apply_static(&mut req, &key(KeyLocation::Query));
        assert_eq!(
            req.url.query(),
            Some("x=1%202&api_key=a+b%26c%3Dd%2F%C3%A9&flag&y=a+b")
        );
        let pairs: Vec<_> = req.url.query_pairs().collect();
        assert_eq!(pairs[1].1, "a b&c=d/é");

        let mut bare = get("http://h/p");
        apply_static(&mut bare, &key(KeyLocation::Query));
        assert_eq!(bare.url.as_str(), "http://h/p?api_key=a+b%26c%3Dd%2F%C3%A9");
    }

    #[test]
    fn static_kinds_add_their_header() {
        let cases = [
            (
                ResolvedAuth::Basic {
                    username: "Aladdin".into(),
                    password: "open sesame".into(),
                },
                ("Authorization", "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="),
            ),
            (
                ResolvedAuth::Bearer {
                    token: "tok".into(),
                },
                ("Authorization", "Bearer tok"),
            ),
            (key(KeyLocation::Header), ("api_key", "a b&c=d/é")),
        ];
        for (auth, (name, value)) in cases {
            let mut req = get("http://h/p");
            apply_static(&mut req, &auth);
            assert_eq!(req.headers, vec![(name.to_owned(), value.to_owned())]);
            assert_eq!(req.url.as_str(), "http://h/p");
        }
    }

    #[test]
    fn an_explicit_header_wins() {
        let mut req = get("http://h/p");
        req.headers
            .push(("authorization".into(), "Bearer mine".into()));
        req.headers.push(("API_KEY".into(), "mine".into()));
        let before = req.clone();
        for auth in [
            ResolvedAuth::Bearer {
                token: "profile".into(),
            },
            ResolvedAuth::Basic {
                username: "u".into(),
                password: "p".into(),
            },
            key(KeyLocation::Header),
        ] {
            apply_static(&mut req, &auth);
            assert_eq!(req, before, "{auth:?}");
        }
    }

    #[test]
    fn challenge_kinds_add_nothing_statically() {
        let mut req = get("http://h/p");
        apply_static(
            &mut req,
            &ResolvedAuth::Digest {
                username: "u".into(),
                password: "p".into(),
            },
        );
        assert_eq!(req, get("http://h/p"));
    }

    #[test]
    fn digest_uri_is_path_and_query() {
        assert_eq!(
            request_target(&Url::parse("http://h/a/b?c=1").unwrap()),
            "/a/b?c=1"
        );
        assert_eq!(request_target(&Url::parse("http://h").unwrap()), "/");
    }
}

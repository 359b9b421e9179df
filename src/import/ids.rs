//! Ids for imported requests: readable and stable — from the request's name, else its method and
//! path (`get-users-id`) — and unique in the file (`-2`, `-3` for repeats, in input order).

use crate::collection::SavedRequest;
use crate::collection::model::{slug, unique};

/// Gives every request without an id one; ids already set are kept, and all end up unique.
pub fn assign(requests: &mut [SavedRequest]) {
    let mut taken = std::collections::HashSet::new();
    for req in requests.iter_mut() {
        let base = if !req.id.is_empty() {
            slug(&req.id)
        } else if let Some(name) = req.name.as_deref().filter(|n| !n.trim().is_empty()) {
            slug(name)
        } else {
            slug(&format!("{} {}", req.method.as_str(), path_of(&req.url)))
        };
        let id = unique(&base, |id| taken.contains(id));
        taken.insert(id.clone());
        req.id = id;
    }
}

/// The path of a URL (templates in it kept as words): `https://h/users/{{id}}?x` → `/users/{{id}}`.
fn path_of(url: &str) -> &str {
    let without_query = url.split(['?', '#']).next().unwrap_or(url);
    let after_scheme = without_query
        .split_once("://")
        .map_or(without_query, |(_, rest)| rest);
    // `{{base_url}}/users`: the template is the host.
    match after_scheme.find('/') {
        Some(i) => &after_scheme[i..],
        None => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Method, RequestSpec};

    fn req(method: Method, url: &str, name: Option<&str>) -> SavedRequest {
        let spec = RequestSpec {
            method,
            url: url.into(),
            ..RequestSpec::default()
        };
        let mut r = SavedRequest::new("", None, &spec);
        r.name = name.map(str::to_string);
        r
    }

    #[test]
    fn ids_come_from_names_else_method_and_path_and_are_unique() {
        let mut list = vec![
            req(
                Method::Get,
                "https://api.example.com/users/{{id}}?x=1",
                None,
            ),
            req(Method::Post, "{{base_url}}/users", Some("Create a user")),
            req(Method::Get, "https://api.example.com/users/{{id}}", None),
            req(Method::Get, "https://api.example.com", None),
            req(Method::Delete, "x", Some("Create a user")),
        ];
        assign(&mut list);
        let ids: Vec<&str> = list.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "get-users-id",
                "create-a-user",
                "get-users-id-2",
                "get",
                "create-a-user-2"
            ]
        );
    }
}

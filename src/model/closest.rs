//! "Did you mean …?": the known name closest to one that was typed, if it is close enough to be
//! a typo of it (an edit distance, ignoring case, of at most a third of the name, and at least 2).

/// The name among `names` closest to `typed` (`GETT` → `GET`, `prd` → `prod`), if any is close
/// enough; the first of equally close ones.
pub fn closest<'a>(typed: &str, names: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let typed = typed.trim().to_lowercase();
    if typed.is_empty() {
        return None;
    }
    names
        .into_iter()
        .map(|name| (strsim::levenshtein(&typed, &name.to_lowercase()), name))
        .filter(|(d, name)| *d > 0 && *d <= (name.chars().count() / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, name)| name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typo_finds_the_name_and_a_stranger_finds_nothing() {
        let methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];
        assert_eq!(closest("GETT", methods), Some("GET"));
        assert_eq!(closest("pots", methods), Some("POST"));
        assert_eq!(closest("DELTE", methods), Some("DELETE"));
        assert_eq!(closest("BREW", methods), None);
        assert_eq!(
            closest("cache-contol", ["cache-control", "etag"]),
            Some("cache-control")
        );
        assert_eq!(closest("prd", ["local", "prod"]), Some("prod"));
        // The same name is not a suggestion.
        assert_eq!(closest("GET", ["GET"]), None);
        assert_eq!(closest("", ["a"]), None);
    }
}

//! The portal's CSS and JS, embedded in the binary and served under content-hashed names
//! (`/gui/assets/portal.<hash>.css`) with a one-year immutable cache lifetime: a new build changes
//! the name, so browsers never keep a stale file and never re-ask for a current one.

use super::Reply;
use sha2::Digest;
use std::sync::LazyLock;

struct Asset {
    name: String,
    content_type: &'static str,
    body: &'static str,
}

fn asset(stem: &str, ext: &str, content_type: &'static str, body: &'static str) -> Asset {
    let hash = hex::encode(sha2::Sha256::digest(body.as_bytes()));
    Asset {
        name: format!("{stem}.{}.{ext}", &hash[..12]),
        content_type,
        body,
    }
}

static CSS: LazyLock<Asset> = LazyLock::new(|| {
    asset(
        "portal",
        "css",
        "text/css; charset=utf-8",
        include_str!("assets/portal.css"),
    )
});
static JS: LazyLock<Asset> = LazyLock::new(|| {
    asset(
        "portal",
        "js",
        "text/javascript; charset=utf-8",
        include_str!("assets/portal.js"),
    )
});

pub fn css_url() -> String {
    format!("/gui/assets/{}", CSS.name)
}

pub fn js_url() -> String {
    format!("/gui/assets/{}", JS.name)
}

/// The asset with this exact (hashed) name; an old hash is not found.
pub fn serve(name: &str) -> Option<Reply> {
    let a = [&*CSS, &*JS].into_iter().find(|a| a.name == name)?;
    Some(Reply {
        status: 200,
        headers: vec![
            ("Content-Type".into(), a.content_type.into()),
            (
                "Cache-Control".into(),
                "public, max-age=31536000, immutable".into(),
            ),
        ],
        body: a.body.as_bytes().to_vec(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_carry_the_content_hash() {
        let css = css_url();
        let name = css.strip_prefix("/gui/assets/").unwrap();
        assert!(name.starts_with("portal.") && name.ends_with(".css") && name.len() == 23);
        let r = serve(name).unwrap();
        assert_eq!(r.status, 200);
        assert!(
            r.headers
                .iter()
                .any(|(k, v)| k == "Cache-Control" && v.contains("immutable"))
        );
        assert!(serve("portal.000000000000.css").is_none());
        assert!(serve(js_url().strip_prefix("/gui/assets/").unwrap()).is_some());
    }
}

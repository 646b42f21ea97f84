//! Keyset paging shared by every list (HTTP, CLI and portal): a `limit` (default 100, at most
//! 1,000) and an opaque `cursor` naming the sort key of the last item handed out. The next page
//! starts strictly after that key, so it neither skips nor repeats an item while records are
//! added (an offset would shift) and a cursor stays valid for as long as the caller likes.
//!
//! A cursor is base64url of `<list>\n<key>` plus a 6-byte SHA-256 check: a cursor of another list,
//! an edited or truncated one is refused with `INVALID_REQUEST` instead of silently paging from
//! a wrong place. It is not a secret (the key is a timestamp and an id the caller has seen).
//!
//! [`collect`] pages any stream of records with memory bounded by the page (a heap of
//! `limit + 1` items), so lists whose store has no sorted index yet still answer in O(page)
//! memory; their time is one pass over the records. [`indexed`] pages a list with a sorted index
//! (`store::listindex`) in O(page) time: it walks the index from the cursor, merging scopes, and
//! reads only the records it hands out.

use crate::error::{Error, ErrorCode, Result};
use crate::store::DataDir;
use crate::store::listindex::{self, ChunkMeta, Entry, Kind, Walk};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};
use std::cmp::Ordering;
use std::collections::BinaryHeap;

pub const DEFAULT_LIMIT: usize = 100;
pub const MAX_LIMIT: usize = 1000;
const CHECK_LEN: usize = 6;

/// What one list call asks for: at most `limit` items after `after` (a decoded cursor).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRequest {
    pub limit: usize,
    pub after: Option<String>,
}

impl PageRequest {
    /// The first page with the default limit.
    pub fn first() -> PageRequest {
        PageRequest {
            limit: DEFAULT_LIMIT,
            after: None,
        }
    }

    /// Checks `limit` (1–1,000; default 100) and decodes `cursor` (empty = first page) for the
    /// list named `list`.
    pub fn new(list: &str, limit: Option<usize>, cursor: Option<&str>) -> Result<PageRequest> {
        let limit = match limit {
            None => DEFAULT_LIMIT,
            Some(n) if (1..=MAX_LIMIT).contains(&n) => n,
            Some(n) => return Err(bad_limit(&n.to_string())),
        };
        let after = match cursor.map(str::trim).filter(|c| !c.is_empty()) {
            None => None,
            Some(c) => Some(decode(list, c)?),
        };
        Ok(PageRequest { limit, after })
    }

    /// [`PageRequest::new`] from query-string values (`?limit=&cursor=`).
    pub fn from_query(
        list: &str,
        limit: Option<&str>,
        cursor: Option<&str>,
    ) -> Result<PageRequest> {
        let limit = match limit.map(str::trim).filter(|l| !l.is_empty()) {
            None => None,
            Some(l) => Some(l.parse::<usize>().map_err(|_| bad_limit(l))?),
        };
        PageRequest::new(list, limit, cursor)
    }
}

fn bad_limit(given: &str) -> Error {
    Error::new(
        ErrorCode::InvalidRequest,
        format!("limit {given:?} is out of range: it must be a whole number from 1 to {MAX_LIMIT}"),
    )
    .with_hint(format!(
        "omit limit for {DEFAULT_LIMIT} items per page, and follow next_cursor for more"
    ))
    .with_details(serde_json::json!({"field": "limit"}))
}

fn bad_cursor(list: &str, why: &str) -> Error {
    Error::new(
        ErrorCode::InvalidRequest,
        format!("invalid cursor for the {list} list: {why}"),
    )
    .with_hint(
        "pass back the next_cursor of the previous page unchanged, or omit cursor to start over",
    )
    .with_details(serde_json::json!({"field": "cursor"}))
}

fn check(payload: &[u8]) -> [u8; CHECK_LEN] {
    let d = Sha256::digest(payload);
    let mut out = [0u8; CHECK_LEN];
    out.copy_from_slice(&d[..CHECK_LEN]);
    out
}

/// The opaque cursor for `key` in the list `list`.
pub fn encode(list: &str, key: &str) -> String {
    let mut payload = format!("{list}\n{key}").into_bytes();
    let c = check(&payload);
    payload.extend_from_slice(&c);
    URL_SAFE_NO_PAD.encode(payload)
}

/// The sort key a cursor of `list` names.
pub fn decode(list: &str, cursor: &str) -> Result<String> {
    let raw = URL_SAFE_NO_PAD
        .decode(cursor)
        .map_err(|_| bad_cursor(list, "not a cursor this server handed out"))?;
    if raw.len() < CHECK_LEN {
        return Err(bad_cursor(list, "too short"));
    }
    let (payload, c) = raw.split_at(raw.len() - CHECK_LEN);
    if check(payload) != c {
        return Err(bad_cursor(list, "it was changed or truncated"));
    }
    let text = std::str::from_utf8(payload).map_err(|_| bad_cursor(list, "not UTF-8"))?;
    match text.split_once('\n') {
        Some((l, key)) if l == list => Ok(key.to_string()),
        Some((l, _)) => Err(bad_cursor(list, &format!("it belongs to the {l} list"))),
        None => Err(bad_cursor(list, "malformed")),
    }
}

/// Which end of the key order a list starts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// Smallest key first (e.g. oldest first).
    Asc,
    /// Largest key first (e.g. newest first).
    Desc,
}

/// One page of a list.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// The cursor of the next page; `None` on the last one.
    pub next_cursor: Option<String>,
    /// How many items match in all (every page together).
    pub total: usize,
    pub limit: usize,
}

impl<T> Page<T> {
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            next_cursor: self.next_cursor,
            total: self.total,
            limit: self.limit,
        }
    }

    /// The JSON body of a list response: `field` holds the items (the name the list always had,
    /// so existing clients keep working), plus `next_cursor`, `total` and `limit`.
    pub fn json(self, field: &str) -> serde_json::Value
    where
        T: serde::Serialize,
    {
        let mut m = serde_json::Map::new();
        m.insert(field.into(), serde_json::json!(self.items));
        m.insert("next_cursor".into(), serde_json::json!(self.next_cursor));
        m.insert("total".into(), serde_json::json!(self.total));
        m.insert("limit".into(), serde_json::json!(self.limit));
        serde_json::Value::Object(m)
    }
}

/// An item with its key, ordered so that the heap's top is the item to drop first.
struct Keyed<T> {
    key: String,
    order: Order,
    item: T,
}

impl<T> PartialEq for Keyed<T> {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}
impl<T> Eq for Keyed<T> {}
impl<T> PartialOrd for Keyed<T> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<T> Ord for Keyed<T> {
    fn cmp(&self, other: &Self) -> Ordering {
        // Max-heap: the top is the item furthest from the start of the list.
        match self.order {
            Order::Asc => self.key.cmp(&other.key),
            Order::Desc => other.key.cmp(&self.key),
        }
    }
}

/// Pages `items` (any order; keys must be unique) for `req`: the `limit` items right after the
/// cursor in `order`, holding at most `limit + 1` of them at any time.
pub fn collect<T>(
    list: &str,
    items: impl IntoIterator<Item = T>,
    key: impl Fn(&T) -> String,
    order: Order,
    req: &PageRequest,
) -> Page<T> {
    let mut heap: BinaryHeap<Keyed<T>> = BinaryHeap::with_capacity(req.limit + 2);
    let mut total = 0;
    for item in items {
        total += 1;
        let k = key(&item);
        let past_cursor = req.after.as_deref().is_none_or(|after| match order {
            Order::Asc => k.as_str() > after,
            Order::Desc => k.as_str() < after,
        });
        if !past_cursor {
            continue;
        }
        heap.push(Keyed {
            key: k,
            order,
            item,
        });
        if heap.len() > req.limit + 1 {
            heap.pop();
        }
    }
    // One extra item tells whether another page follows without a second pass.
    let more = heap.len() > req.limit;
    let mut v = heap.into_sorted_vec();
    v.truncate(req.limit);
    let next_cursor = more
        .then(|| v.last().map(|k| encode(list, &k.key)))
        .flatten();
    Page {
        items: v.into_iter().map(|k| k.item).collect(),
        next_cursor,
        total,
        limit: req.limit,
    }
}

/// [`collect`] over records read one by one: the first read error ends the pass and is returned.
pub fn try_collect<T>(
    list: &str,
    items: impl IntoIterator<Item = Result<T>>,
    key: impl Fn(&T) -> String,
    order: Order,
    req: &PageRequest,
) -> Result<Page<T>> {
    let mut err = None;
    let page = collect(
        list,
        items
            .into_iter()
            .map_while(|r| r.map_err(|e| err = Some(e)).ok()),
        key,
        order,
        req,
    );
    match err {
        Some(e) => Err(e),
        None => Ok(page),
    }
}

/// How to page one list from its sorted index (see [`indexed`]).
pub struct Indexed<'a, T> {
    pub kind: Kind,
    /// The index scopes whose union is the list (an owner's inbox merges several).
    pub scopes: Vec<String>,
    pub order: Order,
    /// Whether a chunk may hold a matching entry, from the manifest alone (lets a filter such as
    /// "pending" skip chunks of resolved requests without reading them).
    pub visit: &'a dyn Fn(&ChunkMeta) -> bool,
    /// Whether an entry matches the list's filters.
    pub matches: &'a dyn Fn(&Entry) -> bool,
    /// How many entries of a chunk match, when the manifest alone can tell.
    pub count: &'a dyn Fn(&ChunkMeta) -> Option<usize>,
    /// The entry's record when it still matches (the index may lag a crashed write, or a record
    /// was deleted by hand): `None` skips it.
    pub load: &'a dyn Fn(&Entry) -> Result<Option<T>>,
}

/// Chunks a writer replaced under a reader are rare (a writer per page at most): a few retries.
const STALE_RETRIES: usize = 8;

/// One page of an indexed list, or `None` when the index cannot be used (it is missing and
/// cannot be rebuilt now, e.g. the writer lock is busy or the directory is read-only): the
/// caller then pages by reading every record, as before.
pub fn indexed<T>(
    dd: &DataDir,
    list: &str,
    spec: &Indexed<'_, T>,
    req: &PageRequest,
) -> Result<Option<Page<T>>> {
    if dd.ensure_list_index(spec.kind).is_err() {
        return Ok(None);
    }
    let mut rebuilt = false;
    for _ in 0..STALE_RETRIES {
        match indexed_once(dd, list, spec, req) {
            Ok(Some(p)) => return Ok(Some(p)),
            // A writer replaced a chunk under us: read the page again.
            Ok(None) => continue,
            Err(e) if listindex::is_index_error(&e) && !rebuilt => {
                // A damaged index file: it is a cache, so rebuild it from the records.
                rebuilt = true;
                let _lock = dd.lock()?;
                dd.rebuild_list_index(spec.kind)?;
            }
            Err(e) => return Err(e),
        }
    }
    Ok(None)
}

/// One attempt; `Ok(None)` when a chunk vanished under a writer.
fn indexed_once<T>(
    dd: &DataDir,
    list: &str,
    spec: &Indexed<'_, T>,
    req: &PageRequest,
) -> Result<Option<Page<T>>> {
    let root = dd.root();
    let descending = spec.order == Order::Desc;
    let mut walks = Vec::with_capacity(spec.scopes.len());
    for scope in &spec.scopes {
        let Some(m) = listindex::manifest(root, spec.kind, scope)? else {
            return Ok(None);
        };
        walks.push(Walk::new(
            root,
            spec.kind,
            scope.clone(),
            m,
            descending,
            req.after.clone(),
        ));
    }
    // Total first, from the manifests (chunks only where they cannot tell).
    let mut total = 0;
    for w in &walks {
        for meta in &w.manifest().chunks {
            total += match (spec.count)(meta) {
                Some(n) => n,
                None => match listindex::chunk(root, spec.kind, w.scope(), meta)? {
                    Some(entries) => entries.iter().filter(|e| (spec.matches)(e)).count(),
                    None => return Ok(None),
                },
            };
        }
    }
    // A k-way merge of the scopes' walks, each already in list order.
    let mut heads: Vec<Option<Entry>> = Vec::with_capacity(walks.len());
    for w in &mut walks {
        heads.push(next_matching(w, spec)?);
    }
    let mut items: Vec<(String, T)> = Vec::with_capacity(req.limit + 1);
    while items.len() <= req.limit {
        let best = heads
            .iter()
            .enumerate()
            .filter_map(|(i, h)| h.as_ref().map(|e| (i, e)))
            .reduce(|a, b| {
                let b_first = if descending {
                    b.1.key > a.1.key
                } else {
                    b.1.key < a.1.key
                };
                if b_first { b } else { a }
            })
            .map(|(i, _)| i);
        let Some(i) = best else { break };
        let entry = heads[i]
            .take()
            .ok_or_else(|| Error::internal("empty head"))?;
        heads[i] = next_matching(&mut walks[i], spec)?;
        if let Some(item) = (spec.load)(&entry)? {
            items.push((entry.key, item));
        }
    }
    if walks.iter().any(|w| w.stale) {
        return Ok(None);
    }
    let more = items.len() > req.limit;
    items.truncate(req.limit);
    let next_cursor = more
        .then(|| items.last().map(|(k, _)| encode(list, k)))
        .flatten();
    Ok(Some(Page {
        items: items.into_iter().map(|(_, t)| t).collect(),
        next_cursor,
        total,
        limit: req.limit,
    }))
}

fn next_matching<T>(w: &mut Walk<'_>, spec: &Indexed<'_, T>) -> Result<Option<Entry>> {
    while let Some(e) = w.next_entry(spec.visit)? {
        if (spec.matches)(&e) {
            return Ok(Some(e));
        }
    }
    Ok(None)
}

/// A sort key that orders like `n` (for signed numbers inside string keys).
pub fn sortable_i64(n: i64) -> String {
    listindex::sortable_i64(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(limit: usize, after: Option<&str>) -> PageRequest {
        PageRequest {
            limit,
            after: after.map(String::from),
        }
    }

    #[test]
    fn pages_cover_every_item_once_in_both_orders() {
        let items: Vec<u32> = (0..250).rev().collect();
        for order in [Order::Asc, Order::Desc] {
            let mut seen = Vec::new();
            let mut r = req(100, None);
            let mut pages = 0;
            loop {
                let p = collect("t", items.clone(), |n| format!("{n:05}"), order, &r);
                assert_eq!(p.total, 250);
                pages += 1;
                seen.extend(p.items);
                match p.next_cursor {
                    Some(c) => r = PageRequest::new("t", Some(100), Some(&c)).unwrap(),
                    None => break,
                }
            }
            assert_eq!(pages, 3);
            let mut want: Vec<u32> = (0..250).collect();
            if order == Order::Desc {
                want.reverse();
            }
            assert_eq!(seen, want);
        }
    }

    #[test]
    fn exact_multiple_has_no_empty_last_page() {
        let p = collect(
            "t",
            0..10u32,
            |n| format!("{n:02}"),
            Order::Asc,
            &req(10, None),
        );
        assert_eq!(p.items.len(), 10);
        assert_eq!(p.next_cursor, None);
    }

    #[test]
    fn limits_are_checked() {
        for bad in ["0", "1001", "-1", "ten", "1.5"] {
            let e = PageRequest::from_query("t", Some(bad), None).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidRequest, "{bad}");
            assert!(e.message.contains("1 to 1000"), "{}", e.message);
        }
        assert_eq!(PageRequest::from_query("t", None, None).unwrap().limit, 100);
        assert_eq!(
            PageRequest::from_query("t", Some("1000"), None)
                .unwrap()
                .limit,
            1000
        );
    }

    #[test]
    fn tampered_or_foreign_cursors_are_refused() {
        let c = encode("approvals", "2025-01-01T00:00:00.000Z\u{1f}abc");
        assert_eq!(
            decode("approvals", &c).unwrap(),
            "2025-01-01T00:00:00.000Z\u{1f}abc"
        );
        let mut flipped = c.clone().into_bytes();
        flipped[3] = if flipped[3] == b'A' { b'B' } else { b'A' };
        let flipped = String::from_utf8(flipped).unwrap();
        for bad in [flipped.as_str(), &c[..c.len() - 2], "!!!", "", "k42"] {
            if bad.is_empty() {
                continue;
            }
            assert_eq!(
                decode("approvals", bad).unwrap_err().code,
                ErrorCode::InvalidRequest,
                "{bad}"
            );
        }
        let e = decode("agents", &c).unwrap_err();
        assert!(e.message.contains("approvals list"), "{}", e.message);
    }

    #[test]
    fn sortable_numbers_sort_like_numbers() {
        let ns = [i64::MIN, -100, -1, 0, 1, 100, i64::MAX];
        let keys: Vec<String> = ns.iter().map(|n| sortable_i64(*n)).collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted);
    }
}

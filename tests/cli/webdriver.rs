//! A minimal W3C WebDriver client over `ureq` (already a dependency) for the portal's browser
//! tests: it drives the distribution's `chromedriver` + headless `chromium`, started on a free
//! loopback port and stopped on drop. A dozen JSON calls cover what the tests need, so a Rust
//! WebDriver crate (async runtime and all) or a Python selenium detour would add more than it saves.

use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// `chromedriver` and a Chromium binary, when installed (`scripts/test` installs both).
pub fn find_browser() -> Option<(PathBuf, PathBuf)> {
    let which = |names: &[&str]| {
        names.iter().find_map(|n| {
            std::env::var_os("PATH").and_then(|p| {
                std::env::split_paths(&p)
                    .map(|d| d.join(n))
                    .find(|f| f.is_file())
            })
        })
    };
    let driver = which(&["chromedriver"])?;
    let browser = ["/usr/lib/chromium/chromium", "/usr/bin/chromium"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_file())
        .or_else(|| which(&["chromium", "chromium-browser", "google-chrome"]))?;
    Some((driver, browser))
}

pub struct Browser {
    driver: Child,
    base: String,
    session: String,
    http: ureq::Agent,
    pub shots: PathBuf,
}

pub type El = String;

const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

impl Browser {
    pub fn start(driver: &Path, browser: &Path, shots: &Path) -> Browser {
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        };
        let child = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let http: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(60)))
            .build()
            .into();
        let base = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let ready = http
                .get(&format!("{base}/status"))
                .call()
                .ok()
                .and_then(|mut r| r.body_mut().read_to_string().ok())
                .and_then(|t| serde_json::from_str::<Value>(&t).ok())
                .is_some_and(|v| v["value"]["ready"] == true);
            if ready {
                break;
            }
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        let mut b = Browser {
            driver: child,
            base,
            session: String::new(),
            http,
            shots: shots.to_path_buf(),
        };
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            // window.confirm() dialogs are accepted, as a person clicking OK would.
            "unhandledPromptBehavior": "accept",
            "goog:chromeOptions": {
                "binary": browser.to_string_lossy(),
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--window-size=1280,900", "--force-device-scale-factor=1", "--hide-scrollbars",
                         "--no-first-run", "--disable-extensions", "--disable-background-networking"]
            }
        }}});
        let v = b.call("POST", "/session", Some(caps));
        b.session = v["sessionId"].as_str().unwrap().to_string();
        std::fs::create_dir_all(&b.shots).unwrap();
        b
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        self.try_call(method, path, body)
            .unwrap_or_else(|e| panic!("webdriver {method} {path}: {e}"))
    }

    fn try_call(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, String> {
        let url = format!("{}{}", self.base, path);
        let mut resp = match method {
            "GET" => self.http.get(&url).call(),
            "DELETE" => self.http.delete(&url).call(),
            _ => self
                .http
                .post(&url)
                .header("Content-Type", "application/json")
                .send(body.unwrap_or(json!({})).to_string()),
        }
        .map_err(|e| e.to_string())?;
        let text = resp.body_mut().read_to_string().unwrap_or_default();
        let v: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
        if let Some(err) = v["value"]["error"].as_str() {
            return Err(format!(
                "{err}: {}",
                v["value"]["message"].as_str().unwrap_or_default()
            ));
        }
        Ok(v["value"].clone())
    }

    fn s(&self, rest: &str) -> String {
        format!("/session/{}{rest}", self.session)
    }

    pub fn goto(&self, url: &str) {
        self.call("POST", &self.s("/url"), Some(json!({ "url": url })));
    }

    pub fn back(&self) {
        self.call("POST", &self.s("/back"), None);
    }

    pub fn url(&self) -> String {
        self.call("GET", &self.s("/url"), None)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// The visible text of the page body. A page that replaces itself between finding the body
    /// and reading it (a live refresh) makes the element stale: read the new page's instead.
    pub fn text(&self) -> String {
        for _ in 0..20 {
            // Between pages (a live refresh under way) there is briefly no body.
            let Some(body) = self.try_find("body") else {
                std::thread::sleep(Duration::from_millis(100));
                continue;
            };
            match self.try_call("GET", &self.s(&format!("/element/{body}/text")), None) {
                Ok(v) => return v.as_str().unwrap_or_default().to_string(),
                Err(e) if e.starts_with("stale element reference") => {
                    std::thread::sleep(Duration::from_millis(100));
                }
                Err(e) => panic!("webdriver: reading the page text: {e}"),
            }
        }
        panic!("the page kept replacing itself while its text was read");
    }

    pub fn try_find(&self, css: &str) -> Option<El> {
        let v = self.call(
            "POST",
            &self.s("/elements"),
            Some(json!({"using": "css selector", "value": css})),
        );
        v.as_array()?
            .first()
            .and_then(|e| e[ELEMENT_KEY].as_str())
            .map(str::to_string)
    }

    pub fn find(&self, css: &str) -> El {
        self.try_find(css)
            .unwrap_or_else(|| panic!("no element {css:?} on {}", self.url()))
    }

    /// Clicks a link or submit button and waits until the next page has loaded (every click in
    /// these tests navigates; a confirm() dialog is accepted on the way).
    pub fn click(&self, css: &str) {
        let el = self.find(css);
        self.exec("window.__before_click = 1; return 1");
        self.call("POST", &self.s(&format!("/element/{el}/click")), None);
        self.wait_loaded();
    }

    /// Waits until the document that replaced the one marked by `click` is complete.
    pub fn wait_loaded(&self) {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let done = self
                .try_call(
                    "POST",
                    &self.s("/execute/sync"),
                    Some(json!({"script": "return typeof window.__before_click === 'undefined' && document.readyState === 'complete'", "args": []})),
                )
                .ok()
                .and_then(|v| v.as_bool())
                .unwrap_or(false);
            if done {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "the page did not load after a click"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn clear(&self, css: &str) {
        let el = self.find(css);
        self.call("POST", &self.s(&format!("/element/{el}/clear")), None);
    }

    pub fn type_into(&self, css: &str, text: &str) {
        let el = self.find(css);
        self.call(
            "POST",
            &self.s(&format!("/element/{el}/value")),
            Some(json!({ "text": text })),
        );
    }

    pub fn exec(&self, script: &str) -> Value {
        self.call(
            "POST",
            &self.s("/execute/sync"),
            Some(json!({"script": script, "args": []})),
        )
    }

    pub fn set_size(&self, width: u32, height: u32) {
        self.call(
            "POST",
            &self.s("/window/rect"),
            Some(json!({"width": width, "height": height})),
        );
    }

    pub fn new_tab(&self) -> String {
        self.call("POST", &self.s("/window/new"), Some(json!({"type": "tab"})))["handle"]
            .as_str()
            .unwrap()
            .to_string()
    }

    pub fn window(&self) -> String {
        self.call("GET", &self.s("/window"), None)
            .as_str()
            .unwrap()
            .to_string()
    }

    pub fn switch_to(&self, handle: &str) {
        self.call(
            "POST",
            &self.s("/window"),
            Some(json!({ "handle": handle })),
        );
    }

    /// Waits until `cond` holds, reloading the page between tries when `reload`.
    pub fn wait_for(&self, what: &str, reload: bool, cond: impl Fn(&Browser) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while !cond(self) {
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what} on {}",
                self.url()
            );
            std::thread::sleep(Duration::from_millis(200));
            if reload {
                self.call("POST", &self.s("/refresh"), None);
            }
        }
    }

    /// A PNG of the whole page at `width` (the window grows to the page's height).
    pub fn screenshot(&self, name: &str, width: u32) {
        self.set_size(width, 900);
        let h = self
            .exec("return Math.ceil(document.documentElement.scrollHeight)")
            .as_u64()
            .unwrap_or(900)
            .clamp(600, 4000) as u32;
        self.set_size(width, h);
        let b64 = self.call("GET", &self.s("/screenshot"), None);
        use base64::Engine;
        let png = base64::engine::general_purpose::STANDARD
            .decode(b64.as_str().unwrap_or_default())
            .unwrap();
        std::fs::write(self.shots.join(format!("{name}.png")), png).unwrap();
        self.set_size(1280, 900);
    }

    /// Whether the page is wider than the window (horizontal scrolling on a phone).
    pub fn overflows(&self) -> bool {
        self.exec("return document.documentElement.scrollWidth > window.innerWidth + 1")
            .as_bool()
            .unwrap_or(true)
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = self
                .http
                .delete(&format!("{}/session/{}", self.base, self.session))
                .call();
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

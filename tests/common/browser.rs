//! A real browser for the page's end-to-end tests: Debian's headless
//! Chromium driven by its chromedriver over the W3C WebDriver protocol.
//!
//! The protocol is JSON over HTTP on loopback, and these tests need a
//! dozen of its commands, so they are spoken here with the HTTP client the
//! API tests already use (ureq) rather than through a WebDriver crate,
//! which would add some sixty crates to the test build (ICU among them) to
//! send the same requests.
//!
//! When Chromium or chromedriver is missing, [`Browser::start`] fails with
//! the command that installs them if `AKHBAR_BROWSER_TESTS=required` or
//! `CI` is set (as in `.ci/run`), and otherwise returns `None` after
//! printing why, so that `cargo test` on a machine without a browser still
//! runs everything else.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// The key WebDriver names an element reference with.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// How long a page test waits for what it expects: long enough for a
/// debug build on a busy two-core machine.
pub const WAIT: Duration = Duration::from_secs(60);
/// A desktop window, CSS pixels.
pub const DESKTOP: (u32, u32) = (1280, 900);
/// A phone's window, CSS pixels.
pub const PHONE: (u32, u32) = (390, 844);

/// One browser at a time (a test binary's tests take turns: two cores).
pub fn turn() -> std::sync::MutexGuard<'static, ()> {
    static TURN: std::sync::Mutex<()> = std::sync::Mutex::new(());
    TURN.lock().unwrap_or_else(|p| p.into_inner())
}

/// Where the screenshots go: `target/screenshots/`.
pub fn screenshot_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .unwrap_or_else(|| Path::new("target"))
        .join("screenshots")
        .join(name)
}

/// A script true once the page's view shows the current URL and is not
/// waiting.
pub const SHOWN: &str = "const v = document.getElementById('view'); \
    return document.documentElement.dataset.shown === location.pathname + location.search \
    && v && !v.hasAttribute('aria-busy');";

/// Console errors (a CSP violation, a failed script, a 404) since the last call.
pub fn console_errors(b: &Browser) -> Vec<String> {
    b.console()
        .into_iter()
        .filter(|e| e["level"] == "SEVERE")
        .map(|e| e["message"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// Asserts that the page is no wider than the window (nothing to scroll
/// sideways), naming what sticks out when it is.
pub fn assert_fits_width(b: &Browser, what: &str) {
    let out = b.run(
        "if (document.documentElement.scrollWidth <= window.innerWidth) return [];
         return [...document.querySelectorAll('body *')].filter(e => {
             const r = e.getBoundingClientRect(); return r.width && (r.left < -1 || r.right > window.innerWidth + 1);
         }).slice(0, 8).map(e => `${e.tagName}.${e.className}: ${Math.round(e.getBoundingClientRect().left)}..${Math.round(e.getBoundingClientRect().right)}`)
         .concat([`scrollWidth ${document.documentElement.scrollWidth} > ${window.innerWidth}`]);",
        &[],
    );
    assert_eq!(out, json!([]), "{what}: wider than the window");
}

/// How to install what the browser tests need.
pub const INSTALL: &str =
    "apt-get update && apt-get install -y chromium chromium-driver fonts-noto-core";

/// A headless Chromium session; the browser and its driver stop on drop.
pub struct Browser {
    driver: Child,
    base: String,
    session: String,
    agent: ureq::Agent,
    size: std::cell::Cell<(u32, u32)>,
    _profile: tempfile::TempDir,
}

/// An element of the page.
#[derive(Clone, Debug)]
pub struct Element(String);

/// A command's failure: the WebDriver error code and message.
#[derive(Debug)]
pub struct Failure {
    /// W3C error code, such as `no such alert`.
    pub error: String,
    /// The driver's message.
    pub message: String,
}

fn find_program(env: &str, names: &[&str]) -> Option<PathBuf> {
    if let Some(path) = std::env::var_os(env) {
        return Some(PathBuf::from(path));
    }
    let paths = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&paths) {
        for name in names {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    None
}

/// True when the browser tests must run (CI): a missing browser fails.
pub fn required() -> bool {
    std::env::var("AKHBAR_BROWSER_TESTS").is_ok_and(|v| v == "required")
        || std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false")
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

impl Browser {
    /// Starts chromedriver and a headless Chromium session with a fresh
    /// profile and a window of `width` × `height` CSS pixels. `None` (with
    /// a printed reason) when no browser is installed and none is required.
    pub fn start(width: u32, height: u32) -> Option<Browser> {
        let chromium = find_program(
            "AKHBAR_CHROMIUM",
            &["chromium", "chromium-browser", "google-chrome"],
        );
        let driver = find_program("AKHBAR_CHROMEDRIVER", &["chromedriver"]);
        let (Some(chromium), Some(driver)) = (chromium, driver) else {
            let why = format!(
                "the browser tests need headless Chromium and chromedriver, and this machine \
                 lacks them: install Debian's packages ({INSTALL}), or name the programs in \
                 AKHBAR_CHROMIUM and AKHBAR_CHROMEDRIVER"
            );
            assert!(!required(), "{why}");
            // Written to the process's stderr, not through eprintln!, which
            // the test harness captures and hides for a passing test: a
            // test that could not run says so where the user looks.
            let test = std::thread::current()
                .name()
                .unwrap_or("a browser test")
                .to_string();
            let _ = writeln!(std::io::stderr().lock(), "SKIPPED {test}: {why}");
            return None;
        };
        Some(Browser::launch(&chromium, &driver, width, height))
    }

    fn launch(chromium: &Path, driver: &Path, width: u32, height: u32) -> Browser {
        let port = free_port();
        let mut child = Command::new(driver)
            .arg(format!("--port={port}"))
            .arg("--allowed-ips=127.0.0.1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", driver.display()));
        // chromedriver says "… started successfully" once it listens.
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if line.contains("started successfully") {
                    let _ = tx.send(());
                }
            }
        });
        if rx.recv_timeout(Duration::from_secs(30)).is_err() {
            let _ = child.kill();
            panic!("{} did not start within 30 s", driver.display());
        }
        let profile = tempfile::tempdir().expect("profile dir");
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(90)))
            .build();
        let mut browser = Browser {
            driver: child,
            base: format!("http://127.0.0.1:{port}"),
            session: String::new(),
            agent: config.into(),
            size: std::cell::Cell::new((width, height)),
            _profile: profile,
        };
        let args = [
            "--headless".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-quic".into(),
            "--no-first-run".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--disable-dev-shm-usage".into(),
            "--hide-scrollbars".into(),
            "--lang=ar".into(),
            format!("--window-size={width},{height}"),
            format!("--user-data-dir={}", browser._profile.path().display()),
        ];
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "pageLoadStrategy": "normal",
            "unhandledPromptBehavior": "ignore",
            "goog:chromeOptions": {"binary": chromium, "args": args, "prefs": {
                "download.default_directory": browser._profile.path().join("downloads"),
                "download.prompt_for_download": false,
            }},
            "goog:loggingPrefs": {"browser": "ALL"},
        }}});
        // Chromium can be slow to start on a busy machine: a second try.
        let answer = browser
            .post_at("/session", &capabilities)
            .or_else(|first| {
                eprintln!("Chromium did not start ({first:?}); trying again");
                browser.kill_browser();
                browser.post_at("/session", &capabilities)
            })
            .unwrap_or_else(|f| panic!("cannot start a Chromium session: {f:?}"));
        browser.session = answer["sessionId"]
            .as_str()
            .expect("a session id")
            .to_string();
        browser.set_size(width, height);
        browser
    }

    fn call(&self, method: &str, path: &str, body: Option<&Value>) -> Result<Value, Failure> {
        let url = format!("{}{path}", self.base);
        let result = match body {
            Some(body) => self
                .agent
                .post(&url)
                .header("content-type", "application/json")
                .send(body.to_string()),
            None if method == "DELETE" => self.agent.delete(&url).call(),
            None => self.agent.get(&url).call(),
        };
        let mut response = result.map_err(|e| Failure {
            error: "transport".into(),
            message: e.to_string(),
        })?;
        let text = response
            .body_mut()
            .with_config()
            .limit(256 * 1024 * 1024)
            .read_to_string()
            .map_err(|e| Failure {
                error: "transport".into(),
                message: e.to_string(),
            })?;
        let value: Value = serde_json::from_str(&text).map_err(|e| Failure {
            error: "not json".into(),
            message: format!("{e}: {text}"),
        })?;
        let value = value.get("value").cloned().unwrap_or(Value::Null);
        if let Some(error) = value.get("error").and_then(Value::as_str) {
            return Err(Failure {
                error: error.to_string(),
                message: value["message"].as_str().unwrap_or_default().to_string(),
            });
        }
        Ok(value)
    }

    fn post_at(&self, path: &str, body: &Value) -> Result<Value, Failure> {
        self.call("POST", path, Some(body))
    }

    fn post(&self, path: &str, body: &Value) -> Value {
        self.try_post(path, body)
            .unwrap_or_else(|f| panic!("WebDriver {path}: {f:?}"))
    }

    fn try_post(&self, path: &str, body: &Value) -> Result<Value, Failure> {
        self.post_at(&format!("/session/{}{path}", self.session), body)
    }

    fn get(&self, path: &str) -> Result<Value, Failure> {
        self.call("GET", &format!("/session/{}{path}", self.session), None)
    }

    /// Sets the window so that the page sees `width` × `height` CSS
    /// pixels (window rect, then corrected by what the window's frame
    /// takes). WebDriver's own commands only: Chromium's DevTools
    /// commands through chromedriver were seen to hang on a busy machine.
    pub fn set_size(&self, width: u32, height: u32) {
        self.size.set((width, height));
        let rect = |w: u32, h: u32| {
            self.post("/window/rect", &json!({"width": w, "height": h}));
        };
        rect(width, height);
        let inner = self.run("return [window.innerWidth, window.innerHeight]", &[]);
        let (iw, ih) = (
            inner[0].as_u64().unwrap_or(u64::from(width)) as u32,
            inner[1].as_u64().unwrap_or(u64::from(height)) as u32,
        );
        if (iw, ih) != (width, height) {
            rect(
                width + width.saturating_sub(iw),
                height + height.saturating_sub(ih),
            );
        }
    }

    /// Opens a URL and waits for its load event.
    pub fn goto(&self, url: &str) {
        self.post("/url", &json!({"url": url}));
    }

    /// The current URL.
    pub fn url(&self) -> String {
        self.get("/url")
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    }

    /// The browser's Back button.
    pub fn back(&self) {
        self.post("/back", &json!({}));
    }

    /// The browser's Forward button.
    pub fn forward(&self) {
        self.post("/forward", &json!({}));
    }

    /// Where the browser saves downloads (a folder of its own profile).
    pub fn download_dir(&self) -> PathBuf {
        self._profile.path().join("downloads")
    }

    /// Runs `script` (a function body; `arguments` holds `args`) in the
    /// page and returns what it returns.
    pub fn run(&self, script: &str, args: &[Value]) -> Value {
        self.post("/execute/sync", &json!({"script": script, "args": args}))
    }

    /// As [`Browser::run`], reporting a failure instead of panicking.
    pub fn try_run(&self, script: &str, args: &[Value]) -> Result<Value, Failure> {
        self.try_post("/execute/sync", &json!({"script": script, "args": args}))
    }

    /// Polls `script` until it returns something truthy, or panics with
    /// `what` after `within`.
    pub fn wait(&self, what: &str, within: Duration, script: &str, args: &[Value]) -> Value {
        let started = Instant::now();
        loop {
            let value = self.try_run(script, args).unwrap_or(Value::Null);
            let truthy = match &value {
                Value::Null => false,
                Value::Bool(b) => *b,
                Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
                Value::String(s) => !s.is_empty(),
                Value::Array(a) => !a.is_empty(),
                Value::Object(_) => true,
            };
            if truthy {
                return value;
            }
            if started.elapsed() > within {
                let text = self
                    .try_run("return document.body ? document.body.innerText : ''", &[])
                    .unwrap_or(Value::Null);
                panic!(
                    "waited {within:?} for {what} at {}; the page shows:\n{}\nconsole: {:?}",
                    self.url(),
                    text.as_str().unwrap_or_default(),
                    self.console()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The first element matching a CSS selector.
    pub fn find(&self, css: &str) -> Element {
        let value = self.post("/element", &json!({"using": "css selector", "value": css}));
        Element(value[ELEMENT].as_str().expect("element id").to_string())
    }

    /// Every element matching a CSS selector.
    pub fn find_all(&self, css: &str) -> Vec<Element> {
        let value = self.post("/elements", &json!({"using": "css selector", "value": css}));
        value
            .as_array()
            .map(|list| {
                list.iter()
                    .filter_map(|v| v[ELEMENT].as_str())
                    .map(|id| Element(id.to_string()))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// A real click on an element (scrolled into view first).
    pub fn click(&self, element: &Element) {
        self.post(&format!("/element/{}/click", element.0), &json!({}));
    }

    /// Types into an element.
    pub fn type_into(&self, element: &Element, text: &str) {
        self.post(
            &format!("/element/{}/value", element.0),
            &json!({"text": text}),
        );
    }

    /// Presses keys on whatever has the focus (`\u{E007}` is Enter,
    /// `\u{E004}` Tab).
    pub fn press(&self, keys: &str) {
        let mut actions = Vec::new();
        for key in keys.chars() {
            actions.push(json!({"type": "keyDown", "value": key.to_string()}));
            actions.push(json!({"type": "keyUp", "value": key.to_string()}));
        }
        self.post(
            "/actions",
            &json!({"actions": [{"type": "key", "id": "keyboard", "actions": actions}]}),
        );
        let _ = self.call(
            "DELETE",
            &format!("/session/{}/actions", self.session),
            None,
        );
    }

    /// The text of an open alert, confirm or prompt, if one is open.
    pub fn alert_text(&self) -> Option<String> {
        match self.get("/alert/text") {
            Ok(v) => Some(v.as_str().unwrap_or_default().to_string()),
            Err(_) => None,
        }
    }

    /// The browser console's entries since the last call
    /// (`{"level", "message"}`).
    pub fn console(&self) -> Vec<Value> {
        self.try_post("/se/log", &json!({"type": "browser"}))
            .ok()
            .and_then(|v| v.as_array().cloned())
            .unwrap_or_default()
    }

    /// Saves a PNG of the whole page (beyond the window) to `path`: the
    /// window is made as tall as the page for the shot, then put back.
    pub fn screenshot(&self, path: &Path) {
        // The pointer out of the way, so no hover colour shows.
        let _ = self.try_post(
            "/actions",
            &json!({"actions": [{"type": "pointer", "id": "mouse", "actions": [
                {"type": "pointerMove", "x": 0, "y": 0, "origin": "viewport"}]}]}),
        );
        let (width, height) = self.size.get();
        let tall = self.run(
            "return Math.ceil(document.documentElement.scrollHeight)",
            &[],
        );
        let tall = tall.as_u64().unwrap_or(u64::from(height)) as u32;
        self.set_size(width, tall.max(height));
        let shot = self
            .get("/screenshot")
            .unwrap_or_else(|f| panic!("screenshot: {f:?}"));
        self.set_size(width, height);
        let data = shot.as_str().expect("screenshot data");
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("screenshot folder");
        }
        std::fs::write(path, base64_decode(data)).expect("write screenshot");
    }
}

impl Browser {
    /// Kills the Chromium processes of this session's profile (found by
    /// their `--user-data-dir`, unique to this session), which outlive
    /// chromedriver when a session does not end cleanly.
    fn kill_browser(&self) {
        let profile = format!("--user-data-dir={}", self._profile.path().display());
        let Ok(entries) = std::fs::read_dir("/proc") else {
            return;
        };
        for entry in entries.flatten() {
            let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
                continue;
            };
            let Ok(cmdline) = std::fs::read(entry.path().join("cmdline")) else {
                continue;
            };
            if cmdline
                .split(|&b| b == 0)
                .any(|arg| arg == profile.as_bytes())
            {
                let _ = Command::new("kill")
                    .args(["-KILL", &pid.to_string()])
                    .status();
            }
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = self.call("DELETE", &format!("/session/{}", self.session), None);
        }
        self.kill_browser();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// Standard base64 (the screenshots) to bytes.
fn base64_decode(text: &str) -> Vec<u8> {
    let value = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in text.bytes().filter_map(value) {
        acc = (acc << 6) | c;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

#[test]
fn base64_decodes() {
    assert_eq!(base64_decode("aGVsbG8="), b"hello");
    assert_eq!(base64_decode("YQ=="), b"a");
    assert_eq!(base64_decode("YWI="), b"ab");
    assert_eq!(base64_decode(""), b"");
}

//! A small WebDriver client (classic protocol, as WebKitWebDriver speaks it behind tauri-driver)
//! with what Guichet's end-to-end tests need: find, click, type, read, wait, screenshot.
//! A session is closed when it is dropped, also when a test panics: tauri-driver allows one
//! session at a time, and a session left open fails every later test with "Maximum number of
//! active sessions".

use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The W3C key for a web element reference in WebDriver JSON.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

pub mod eye;

pub struct Session {
    http: reqwest::blocking::Client,
    base: String,
    artifacts: PathBuf,
    /// The window size screenshots are cropped to (the app opens at 1280×800).
    size: std::cell::Cell<(u32, u32)>,
    /// The app's command line, to find its process if closing the session leaves it running.
    command: Vec<String>,
}

#[derive(Clone)]
pub struct Element(String);

impl Session {
    /// Starts the app built by `tests/e2e/run.sh` (GUICHET_E2E_APP) on the data folder
    /// `data_dir`, through tauri-driver (GUICHET_E2E_DRIVER); screenshots go to tests/artifacts/.
    pub fn app(data_dir: &Path) -> Session {
        let app = std::env::var("GUICHET_E2E_APP")
            .expect("run through tests/e2e/run.sh (GUICHET_E2E_APP unset)");
        let driver =
            std::env::var("GUICHET_E2E_DRIVER").unwrap_or_else(|_| "http://127.0.0.1:4444".into());
        Session::start(
            &driver,
            Path::new(&app),
            &["--data-dir".into(), data_dir.display().to_string()],
            &artifacts_dir(),
        )
    }

    /// Starts the app at `application` through the WebDriver server at `driver_url`.
    pub fn start(
        driver_url: &str,
        application: &Path,
        args: &[String],
        artifacts: &Path,
    ) -> Session {
        let http = reqwest::blocking::Client::builder()
            .timeout(Duration::from_secs(60))
            .build()
            .unwrap();
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "wry",
            "tauri:options": {"application": application, "args": args}
        }}});
        let resp: Value = http
            .post(format!("{driver_url}/session"))
            .json(&caps)
            .send()
            .unwrap()
            .json()
            .unwrap();
        let id = resp["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("WebDriver refused the session: {resp}"))
            .to_string();
        std::fs::create_dir_all(artifacts).unwrap();
        let mut command = vec![application.display().to_string()];
        command.extend(args.iter().cloned());
        Session {
            http,
            base: format!("{driver_url}/session/{id}"),
            artifacts: artifacts.to_path_buf(),
            size: std::cell::Cell::new((1280, 800)),
            command,
        }
    }

    fn cmd(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        self.try_cmd(method, path, body)
            .unwrap_or_else(|(err, message)| panic!("WebDriver {path}: {err} {message}"))
    }

    /// A WebDriver command's value, or its error and message.
    fn try_cmd(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<Value, (Value, Value)> {
        let mut req = self.http.request(method, format!("{}{path}", self.base));
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp: Value = req.send().unwrap().json().unwrap();
        match resp["value"].get("error") {
            Some(err) => Err((err.clone(), resp["value"]["message"].clone())),
            None => Ok(resp["value"].clone()),
        }
    }

    fn try_find(&self, css: &str) -> Option<Element> {
        let resp: Value = self
            .http
            .post(format!("{}/element", self.base))
            .json(&json!({"using": "css selector", "value": css}))
            .send()
            .ok()?
            .json()
            .ok()?;
        resp["value"][ELEMENT_KEY]
            .as_str()
            .map(|id| Element(id.to_string()))
    }

    /// Waits up to 30 s for an element matching `css`.
    pub fn find(&self, css: &str) -> Element {
        self.wait_for(&format!("element {css}"), || self.try_find(css))
    }

    /// Polls `f` until it gives a value, failing the test with `what` after 30 s (the demo's
    /// first start seeds its history: on a loaded machine it took more than 15 s).
    pub fn wait_for<T>(&self, what: &str, mut f: impl FnMut() -> Option<T>) -> T {
        let start = Instant::now();
        loop {
            if let Some(v) = f() {
                return v;
            }
            if start.elapsed() > Duration::from_secs(30) {
                self.screenshot("timeout");
                panic!("timed out waiting for {what}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Waits until the text of `css` contains `needle`, and returns it.
    pub fn wait_text(&self, css: &str, needle: &str) -> String {
        self.wait_for(&format!("`{needle}` in {css}"), || {
            let el = self.try_find(css)?;
            // The element found may be replaced before its text is read (a screen swapped for
            // another with the same tag): that is "not yet", and the next poll finds the new one.
            let text = self.try_text_of(&el)?;
            text.contains(needle).then_some(text)
        })
    }

    /// The text of `css` if it is there now.
    pub fn try_text(&self, css: &str) -> Option<String> {
        let el = self.try_find(css)?;
        self.try_text_of(&el)
    }

    /// Clicks `css` once it is enabled (a screen may wait for data before it allows an action),
    /// scrolled to the middle of the window first (a click outside the visible area is refused).
    pub fn click(&self, css: &str) {
        let el = self.wait_for(&format!("{css} to be there and enabled"), || {
            let el = self.try_find(css)?;
            let disabled = self.cmd(
                reqwest::Method::POST,
                "/execute/sync",
                Some(json!({"script": "return arguments[0].disabled === true",
                            "args": [{ELEMENT_KEY: el.0}]})),
            );
            (disabled == false).then_some(el)
        });
        self.cmd(
            reqwest::Method::POST,
            "/execute/sync",
            Some(
                json!({"script": "arguments[0].scrollIntoView({block: 'center'})",
                        "args": [{ELEMENT_KEY: el.0}]}),
            ),
        );
        self.cmd(
            reqwest::Method::POST,
            &format!("/element/{}/click", el.0),
            Some(json!({})),
        );
    }

    /// Presses `key` (a WebDriver key code such as `\u{E00C}` for Escape) on whatever has the
    /// focus, as the keyboard would.
    pub fn press(&self, key: char) {
        self.cmd(
            reqwest::Method::POST,
            "/actions",
            Some(
                json!({"actions": [{"type": "key", "id": "keyboard", "actions": [
                    {"type": "keyDown", "value": key.to_string()},
                    {"type": "keyUp", "value": key.to_string()}
                ]}]}),
            ),
        );
    }

    pub fn type_into(&self, css: &str, text: &str) {
        let el = self.find(css);
        self.cmd(
            reqwest::Method::POST,
            &format!("/element/{}/clear", el.0),
            Some(json!({})),
        );
        self.cmd(
            reqwest::Method::POST,
            &format!("/element/{}/value", el.0),
            Some(json!({"text": text})),
        );
    }

    /// A screen that draws again may replace the element between finding it and reading it:
    /// it is then found again.
    pub fn text(&self, css: &str) -> String {
        for _ in 0..50 {
            let el = self.find(css);
            if let Some(text) = self.try_text_of(&el) {
                return text;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("{css}: the element was replaced each time before its text was read")
    }

    /// The text as drawn (`innerText`; WebKitWebDriver's own element text counts the rows of a
    /// virtual-scrolling table, absolutely positioned, as hidden and returns nothing for them),
    /// or `None` when the element is no longer in the page.
    fn try_text_of(&self, el: &Element) -> Option<String> {
        let read = self.try_cmd(
            reqwest::Method::POST,
            "/execute/sync",
            Some(json!({"script": "return arguments[0].innerText", "args": [{ELEMENT_KEY: el.0}]})),
        );
        match read {
            Ok(text) => Some(text.as_str().unwrap_or_default().to_string()),
            Err((err, _)) if err == "stale element reference" => None,
            Err((err, message)) => panic!("WebDriver /execute/sync: {err} {message}"),
        }
    }

    /// `Some` once the payouts table lists a paid payout to `name` (for `wait_for`).
    pub fn paid(&self, name: &str) -> Option<()> {
        let js = format!(
            "return [...document.querySelectorAll('#payouts-table [role=row][data-status=succeeded]')]\
             .some(r => r.textContent.includes('{name}'))"
        );
        (self.script(&js) == json!(true)).then_some(())
    }

    /// Runs JavaScript in the page and returns its result.
    pub fn script(&self, js: &str) -> Value {
        self.cmd(
            reqwest::Method::POST,
            "/execute/sync",
            Some(json!({"script": js, "args": []})),
        )
    }

    /// Saves a PNG of the screen as `<artifacts>/<name>.png`. Taken from the X display with
    /// ImageMagick's `import`: WebKitWebDriver's own screenshot hangs under Xvfb.
    pub fn screenshot(&self, name: &str) {
        let path = self.artifacts.join(format!("{name}.png"));
        let (w, h) = self.size.get();
        let status = std::process::Command::new("import")
            .args(["-window", "root", "-crop", &format!("{w}x{h}+0+0")])
            .arg(&path)
            .status();
        assert!(
            status.is_ok_and(|s| s.success()),
            "screenshot {name} failed (is imagemagick installed?)"
        );
    }

    /// Resizes the window (the display is 1920×1080) and waits for the page to follow.
    pub fn resize(&self, width: u32, height: u32) {
        self.cmd(
            reqwest::Method::POST,
            "/window/rect",
            Some(json!({"x": 0, "y": 0, "width": width, "height": height})),
        );
        self.size.set((width, height));
        self.wait_for(&format!("a {width}px wide page"), || {
            let w = self.script("return window.innerWidth").as_u64()?;
            (w as u32 == width).then_some(())
        });
    }

    /// Closes the window and ends the session (dropping the session does the same).
    pub fn quit(self) {}

    /// The app processes started with this session's command line.
    fn app_processes(&self) -> Vec<u32> {
        let Ok(entries) = std::fs::read_dir("/proc") else {
            return Vec::new();
        };
        let wanted = self.command.join("\0");
        entries
            .filter_map(|e| {
                let pid: u32 = e.ok()?.file_name().to_str()?.parse().ok()?;
                let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).ok()?;
                // The driver may add arguments of its own after ours.
                String::from_utf8_lossy(&cmdline)
                    .starts_with(wanted.as_str())
                    .then_some(pid)
            })
            .collect()
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        // Closing the session closes the app; an app that outlives it (a hung window) is
        // ended by its process id, after a grace period.
        let _ = self.http.delete(&self.base).send();
        let start = Instant::now();
        while !self.app_processes().is_empty() && start.elapsed() < Duration::from_secs(5) {
            std::thread::sleep(Duration::from_millis(100));
        }
        for pid in self.app_processes() {
            let _ = std::process::Command::new("kill")
                .arg(pid.to_string())
                .status();
        }
    }
}

/// `tests/artifacts/`, where screenshots and exported files are kept.
pub fn artifacts_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../artifacts")
}

//! A real `akhbar serve` process on 127.0.0.1 and a free port, and a real
//! HTTP client (ureq) to talk to it, for the API's end-to-end tests.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A running server; stopped with SIGTERM when dropped.
pub struct Server {
    child: Option<Child>,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// The port.
    pub port: u16,
    /// Everything the server printed on stderr so far.
    pub stderr: Arc<Mutex<String>>,
    agent: ureq::Agent,
}

/// One answer: status, content type and body.
#[derive(Debug)]
pub struct Answer {
    /// HTTP status.
    pub status: u16,
    /// `content-type`, when sent.
    pub content_type: String,
    /// Every header, lowercased names.
    pub headers: Vec<(String, String)>,
    /// Body as text.
    pub body: String,
}

impl Answer {
    /// The body as JSON (panics with the body when it is not).
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}), status {}: {}", self.status, self.body))
    }

    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Percent-encodes a parameter value (everything but unreserved bytes).
pub fn enc(text: &str) -> String {
    const SET: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~');
    percent_encoding::utf8_percent_encode(text, SET).to_string()
}

impl Server {
    /// Starts `akhbar serve --index INDEX --addr 127.0.0.1:0 EXTRA…` in
    /// `cwd` and waits until it listens.
    pub fn start(cwd: &Path, index: &Path, extra: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_akhbar"))
            .arg("serve")
            .arg("--index")
            .arg(index)
            .args(["--addr", "127.0.0.1:0"])
            .args(extra)
            .current_dir(cwd)
            .env_remove("AKHBAR_INDEX")
            .env_remove("AKHBAR_SOURCES")
            .env_remove("RUST_BACKTRACE")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start akhbar serve");
        let stderr = child.stderr.take().expect("stderr");
        let log = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = std::sync::mpsc::channel();
        let sink = Arc::clone(&log);
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(rest) = line.split("http://").nth(1) {
                    let addr = rest.split('/').next().unwrap_or_default().to_string();
                    let _ = tx.send(addr);
                }
                if let Ok(mut s) = sink.lock() {
                    s.push_str(&line);
                    s.push('\n');
                }
            }
        });
        let addr = rx
            .recv_timeout(Duration::from_secs(60))
            .unwrap_or_else(|_| panic!("server did not start: {}", log.lock().expect("log")));
        let port = addr
            .rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .expect("port");
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(60)))
            .build();
        Server {
            child: Some(child),
            base: format!("http://{addr}"),
            port,
            stderr: log,
            agent: config.into(),
        }
    }

    /// GET `path_and_query` (already encoded).
    pub fn get(&self, path_and_query: &str) -> Answer {
        self.try_get(path_and_query)
            .unwrap_or_else(|e| panic!("GET {path_and_query}: {e}"))
    }

    /// GET, reporting a transport failure instead of panicking.
    pub fn try_get(&self, path_and_query: &str) -> Result<Answer, String> {
        let url = format!("{}{path_and_query}", self.base);
        let mut response = self.agent.get(&url).call().map_err(|e| e.to_string())?;
        let status = response.status().as_u16();
        let headers: Vec<(String, String)> = response
            .headers()
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_string(),
                    v.to_str().unwrap_or_default().to_string(),
                )
            })
            .collect();
        let content_type = headers
            .iter()
            .find(|(n, _)| n == "content-type")
            .map(|(_, v)| v.clone())
            .unwrap_or_default();
        let body = response
            .body_mut()
            .with_config()
            .limit(64 * 1024 * 1024)
            .read_to_string()
            .map_err(|e| e.to_string())?;
        Ok(Answer {
            status,
            content_type,
            headers,
            body,
        })
    }

    /// Sends raw bytes and reads the raw answer (status line, headers,
    /// body) until the server closes or 10 s pass.
    pub fn raw(&self, request: &[u8]) -> (u16, String) {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .expect("timeout");
        // The server may answer and close before reading everything.
        let _ = stream.write_all(request);
        let mut bytes = Vec::new();
        let mut chunk = [0u8; 65536];
        loop {
            match stream.read(&mut chunk) {
                Ok(0) | Err(_) => break,
                Ok(n) => bytes.extend_from_slice(&chunk[..n]),
            }
            if complete(&bytes) {
                break;
            }
        }
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let status = text
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let body = text
            .split_once("\r\n\r\n")
            .map(|(_, b)| b.to_string())
            .unwrap_or_default();
        (status, body)
    }

    /// Polls `path` until `done` holds for its answer, or `within` passes;
    /// returns the time it took.
    pub fn wait_for(
        &self,
        path: &str,
        within: Duration,
        done: impl Fn(&Answer) -> bool,
    ) -> Result<Duration, Answer> {
        let started = Instant::now();
        loop {
            let answer = self.get(path);
            if done(&answer) {
                return Ok(started.elapsed());
            }
            if started.elapsed() > within {
                return Err(answer);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Sends SIGTERM and waits for the exit code (killed after 30 s).
    pub fn stop(&mut self) -> i32 {
        let Some(mut child) = self.child.take() else {
            return -1;
        };
        let _ = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status();
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(30) {
            if let Ok(Some(status)) = child.try_wait() {
                return status.code().unwrap_or(-1);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = child.kill();
        let _ = child.wait();
        -1
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.as_ref().map_or(0, Child::id)
    }

    /// True while the process runs.
    pub fn alive(&mut self) -> bool {
        self.child
            .as_mut()
            .is_some_and(|c| matches!(c.try_wait(), Ok(None)))
    }

    /// What the server printed on stderr.
    pub fn log(&self) -> String {
        self.stderr.lock().map(|s| s.clone()).unwrap_or_default()
    }
}

/// True once a raw HTTP answer with a `content-length` is all there.
fn complete(bytes: &[u8]) -> bool {
    let text = String::from_utf8_lossy(bytes);
    let Some((head, body)) = text.split_once("\r\n\r\n") else {
        return false;
    };
    head.lines()
        .find_map(|l| {
            let l = l.to_ascii_lowercase();
            l.strip_prefix("content-length:")
                .and_then(|n| n.trim().parse::<usize>().ok())
        })
        .is_some_and(|n| body.len() >= n)
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

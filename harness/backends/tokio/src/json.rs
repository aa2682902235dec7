//! bench::JsonLine (harness/common/src/json.cpp): flat one-line JSON objects, keys in insertion
//! order, written to stdout with one write.
use std::io::Write;

#[derive(Default)]
pub struct JsonLine {
    body: String,
}

impl JsonLine {
    pub fn new() -> Self {
        Self::default()
    }

    fn key(&mut self, k: &str) {
        self.body.push_str(if self.body.is_empty() { "{\"" } else { ",\"" });
        escape_into(&mut self.body, k);
        self.body.push_str("\":");
    }

    pub fn int(mut self, k: &str, v: i64) -> Self {
        self.key(k);
        self.body.push_str(&v.to_string());
        self
    }

    pub fn uint(mut self, k: &str, v: u64) -> Self {
        self.key(k);
        self.body.push_str(&v.to_string());
        self
    }

    pub fn str(mut self, k: &str, v: &str) -> Self {
        self.key(k);
        self.body.push('"');
        escape_into(&mut self.body, v);
        self.body.push('"');
        self
    }

    pub fn line(&self) -> String {
        let mut s = if self.body.is_empty() { String::from("{") } else { self.body.clone() };
        s.push_str("}\n");
        s
    }

    pub fn print(&self) {
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(self.line().as_bytes());
        let _ = out.flush();
    }
}

fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_bytes_as_the_cpp_json_line() {
        let l = JsonLine::new().str("backend", "tokio_ct").int("syscalls", -1).uint("bytes", 7).str("skip", "a\"b\n");
        assert_eq!(l.line(), "{\"backend\":\"tokio_ct\",\"syscalls\":-1,\"bytes\":7,\"skip\":\"a\\\"b\\n\"}\n");
        assert_eq!(JsonLine::new().line(), "{}\n");
    }
}

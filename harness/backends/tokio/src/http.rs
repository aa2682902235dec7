//! proto::HttpSession (workloads/protocol/src/http.cpp) ported line for line: the same limits, the
//! same status for each kind of bad input, the same response bytes. The conformance corpus
//! (workloads/protocol/corpus) holds this port and the C++ original to the same bytes.

pub struct HttpLimits {
    pub max_request_line: usize,
    pub max_header_bytes: usize,
    pub max_headers: usize,
    pub max_body: usize,
}

impl Default for HttpLimits {
    fn default() -> Self {
        Self { max_request_line: 8 * 1024, max_header_bytes: 16 * 1024, max_headers: 100, max_body: 64 * 1024 }
    }
}

#[derive(Debug, PartialEq, Eq)]
pub enum Parse<'a> {
    Incomplete,
    Error(u16),
    Complete(Request<'a>),
}

#[derive(Debug, PartialEq, Eq)]
pub struct Request<'a> {
    pub method: &'a [u8],
    pub target: &'a [u8],
    pub version_minor: u8,
    pub keep_alive: bool,
    pub length: usize,
}

fn is_tchar(c: u8) -> bool {
    c.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&c)
}

fn is_target_char(c: u8) -> bool {
    c > 0x20 && c < 0x7f
}

fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    if from > hay.len() {
        return None;
    }
    hay[from..].windows(needle.len()).position(|w| w == needle).map(|p| p + from)
}

fn trim_ows(mut s: &[u8]) -> &[u8] {
    while let [b' ' | b'\t', rest @ ..] = s {
        s = rest;
    }
    while let [rest @ .., b' ' | b'\t'] = s {
        s = rest;
    }
    s
}

fn apply_connection(value: &[u8], saw_close: &mut bool, saw_keep_alive: &mut bool) {
    for option in value.split(|&c| c == b',') {
        let option = trim_ows(option);
        if option.eq_ignore_ascii_case(b"close") {
            *saw_close = true;
        }
        if option.eq_ignore_ascii_case(b"keep-alive") {
            *saw_keep_alive = true;
        }
    }
}

/// std::from_chars for size_t: digits only, no sign, no overflow.
fn parse_length(value: &[u8]) -> Option<usize> {
    if value.is_empty() || !value.iter().all(u8::is_ascii_digit) {
        return None;
    }
    value.iter().try_fold(0usize, |n, &d| n.checked_mul(10)?.checked_add((d - b'0') as usize))
}

/// Parses the first request in `buf`; never reads past it, never allocates.
pub fn parse_request<'a>(buf: &'a [u8], limits: &HttpLimits) -> Parse<'a> {
    let line_end = match find(buf, 0, b"\r\n") {
        Some(e) => e,
        None => {
            // A read may end between the line's CR and LF: that CR is not part of the line's length.
            let trailing_cr = usize::from(buf.last() == Some(&b'\r'));
            if buf.len() - trailing_cr > limits.max_request_line {
                return Parse::Error(414);
            }
            if buf.contains(&b'\n') {
                return Parse::Error(400); // bare LF
            }
            return Parse::Incomplete;
        }
    };
    if line_end > limits.max_request_line {
        return Parse::Error(414);
    }
    let line = &buf[..line_end];
    let sp1 = match line.iter().position(|&c| c == b' ') {
        Some(p) if p != 0 && p <= 16 => p,
        _ => return Parse::Error(400),
    };
    let method = &line[..sp1];
    if !method.iter().all(|&c| is_tchar(c)) {
        return Parse::Error(400);
    }
    let sp2 = match line[sp1 + 1..].iter().position(|&c| c == b' ') {
        Some(p) if p != 0 => sp1 + 1 + p,
        _ => return Parse::Error(400),
    };
    let target = &line[sp1 + 1..sp2];
    if !target.iter().all(|&c| is_target_char(c)) {
        return Parse::Error(400);
    }
    let version = &line[sp2 + 1..];
    let minor = if version == b"HTTP/1.1" {
        1
    } else if version == b"HTTP/1.0" {
        0
    } else if version.len() == 8
        && &version[..5] == b"HTTP/"
        && version[5].is_ascii_digit()
        && version[6] == b'.'
        && version[7].is_ascii_digit()
    {
        return Parse::Error(505);
    } else {
        return Parse::Error(400);
    };

    let (mut saw_close, mut saw_keep_alive, mut saw_length) = (false, false, false);
    let (mut content_length, mut headers) = (0usize, 0usize);
    let mut pos = line_end + 2;
    loop {
        if pos > limits.max_header_bytes {
            return Parse::Error(431);
        }
        let end = match find(buf, pos, b"\r\n") {
            Some(e) => e,
            None => {
                if buf.len() > limits.max_header_bytes {
                    return Parse::Error(431);
                }
                if buf[pos.min(buf.len())..].contains(&b'\n') {
                    return Parse::Error(400); // bare LF
                }
                return Parse::Incomplete;
            }
        };
        if end + 2 > limits.max_header_bytes {
            return Parse::Error(431);
        }
        if end == pos {
            pos += 2; // empty line: end of the header block
            break;
        }
        headers += 1;
        if headers > limits.max_headers {
            return Parse::Error(431);
        }
        let field = &buf[pos..end];
        pos = end + 2;
        if field[0] == b' ' || field[0] == b'\t' {
            return Parse::Error(400); // obsolete line folding
        }
        let colon = match field.iter().position(|&c| c == b':') {
            Some(c) if c != 0 => c,
            _ => return Parse::Error(400),
        };
        let name = &field[..colon];
        if !name.iter().all(|&c| is_tchar(c)) {
            return Parse::Error(400); // also rejects whitespace before the colon
        }
        let value = trim_ows(&field[colon + 1..]);
        if value.iter().any(|&c| (c < 0x20 && c != b'\t') || c == 0x7f) {
            return Parse::Error(400);
        }
        if name.eq_ignore_ascii_case(b"connection") {
            apply_connection(value, &mut saw_close, &mut saw_keep_alive);
        } else if name.eq_ignore_ascii_case(b"content-length") {
            let n = match parse_length(value) {
                Some(n) => n,
                None => return Parse::Error(400),
            };
            if saw_length && n != content_length {
                return Parse::Error(400);
            }
            if n > limits.max_body {
                return Parse::Error(413);
            }
            saw_length = true;
            content_length = n;
        } else if name.eq_ignore_ascii_case(b"transfer-encoding") {
            return Parse::Error(501); // chunked bodies are not part of the benchmark protocol
        }
    }
    if buf.len() - pos < content_length {
        return Parse::Incomplete;
    }
    Parse::Complete(Request {
        method,
        target,
        version_minor: minor,
        keep_alive: if minor == 1 { !saw_close } else { saw_keep_alive && !saw_close },
        length: pos + content_length,
    })
}

pub fn reason_phrase(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        413 => "Content Too Large",
        414 => "URI Too Long",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        505 => "HTTP Version Not Supported",
        _ => "Unknown",
    }
}

pub fn append_response(out: &mut Vec<u8>, status: u16, content_type: &str, body: &[u8], keep_alive: bool) {
    out.extend_from_slice(format!("HTTP/1.1 {} {}\r\n", status, reason_phrase(status)).as_bytes());
    out.extend_from_slice(b"Server: ringcore-bench\r\nContent-Type: ");
    out.extend_from_slice(content_type.as_bytes());
    out.extend_from_slice(format!("\r\nContent-Length: {}", body.len()).as_bytes());
    out.extend_from_slice(if keep_alive { b"\r\n\r\n" as &[u8] } else { b"\r\nConnection: close\r\n\r\n" });
    out.extend_from_slice(body);
}

/// An error response; the connection is closed after it. Error paths only, so format! is fine.
pub fn append_error(out: &mut Vec<u8>, status: u16) {
    let body = format!("{}\n", reason_phrase(status));
    append_response(out, status, "text/plain", body.as_bytes(), false);
}

pub const DEFAULT_HELLO_SIZE: usize = 13;

pub fn hello_body_byte(i: usize) -> u8 {
    b'a' + ((i * 7 + i / 26) % 26) as u8
}

pub fn make_hello_body(size: usize) -> Vec<u8> {
    if size == DEFAULT_HELLO_SIZE {
        return b"Hello, World!".to_vec();
    }
    (0..size).map(hello_body_byte).collect()
}

/// Precomputed once per server; every connection shares them.
pub struct Responses {
    pub keep_alive: Vec<u8>,
    pub close: Vec<u8>,
    pub keep_alive_head_len: usize,
    pub close_head_len: usize,
}

impl Responses {
    pub fn new(body_size: usize) -> Self {
        let body = make_hello_body(body_size);
        let (mut keep_alive, mut close) = (Vec::new(), Vec::new());
        append_response(&mut keep_alive, 200, "text/plain", &body, true);
        append_response(&mut close, 200, "text/plain", &body, false);
        Self {
            keep_alive_head_len: keep_alive.len() - body.len(),
            close_head_len: close.len() - body.len(),
            keep_alive,
            close,
        }
    }
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Step {
    pub consumed: usize,
    pub responses: usize,
    pub close: bool,
    pub error: bool,
}

/// A connection's HTTP side: feed it the bytes read, it appends the responses (pipelined requests
/// answered in order) and says when to close.
pub struct HttpSession<'r> {
    responses: &'r Responses,
    limits: HttpLimits,
}

impl<'r> HttpSession<'r> {
    pub fn new(responses: &'r Responses) -> Self {
        Self { responses, limits: HttpLimits::default() }
    }

    pub fn on_data(&self, input: &[u8], out: &mut Vec<u8>) -> Step {
        let mut step = Step::default();
        while step.consumed < input.len() {
            let r = match parse_request(&input[step.consumed..], &self.limits) {
                Parse::Incomplete => break,
                Parse::Error(status) => {
                    append_error(out, status);
                    step.responses += 1;
                    step.close = true;
                    step.error = true;
                    step.consumed = input.len(); // the rest of a broken stream is not read
                    break;
                }
                Parse::Complete(r) => r,
            };
            step.consumed += r.length;
            step.responses += 1;
            if r.method != b"GET" && r.method != b"HEAD" {
                append_error(out, 405);
                step.close = true;
                step.error = true;
                break;
            }
            let (full, head_len) = if r.keep_alive {
                (&self.responses.keep_alive, self.responses.keep_alive_head_len)
            } else {
                (&self.responses.close, self.responses.close_head_len)
            };
            out.extend_from_slice(if r.method == b"HEAD" { &full[..head_len] } else { full });
            if !r.keep_alive {
                step.close = true;
                break;
            }
        }
        step
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pipelined_gets_are_answered_in_order() {
        let responses = Responses::new(DEFAULT_HELLO_SIZE);
        let session = HttpSession::new(&responses);
        let mut out = Vec::new();
        let req = b"GET / HTTP/1.1\r\n\r\nHEAD / HTTP/1.1\r\n\r\nGET /";
        let step = session.on_data(req, &mut out);
        assert_eq!(step, Step { consumed: 37, responses: 2, close: false, error: false });
        let expected = [
            &b"HTTP/1.1 200 OK\r\nServer: ringcore-bench\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n\r\nHello, World!"[..],
            b"HTTP/1.1 200 OK\r\nServer: ringcore-bench\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n\r\n",
        ]
        .concat();
        assert_eq!(out, expected);
    }

    #[test]
    fn errors_close_with_their_status() {
        let limits = HttpLimits::default();
        assert_eq!(parse_request(b"GET / HTTP/2.0\r\n\r\n", &limits), Parse::Error(505));
        assert_eq!(parse_request(b"GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", &limits), Parse::Error(501));
        assert_eq!(parse_request(b"GET / HTTP/1.1\r\nContent-Length: 65537\r\n\r\n", &limits), Parse::Error(413));
        assert_eq!(parse_request(b"GET / HTTP/1.1\nHost: x\r\n\r\n", &limits), Parse::Error(400));
        assert_eq!(parse_request(b"GET / HTTP/1.1\r\nContent-Length: +1\r\n\r\n", &limits), Parse::Error(400));
        assert_eq!(parse_request(b"GET / HTTP/1.1\r", &limits), Parse::Incomplete);
    }
}

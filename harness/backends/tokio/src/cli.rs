//! The contract's command line, parsed exactly as bench::backend_main does
//! (harness/common/src/backend.cpp): the same flags, limits, messages and exit codes.

pub const EXIT_OK: i32 = 0;
pub const EXIT_FAILURE: i32 = 1;
pub const EXIT_USAGE: i32 = 2;
pub const EXIT_SKIP: i32 = 77;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Proto {
    Echo,
    Http,
}

pub struct ServeOptions {
    pub proto: Proto,
    pub bind: String,
    pub port: u16,
    pub size: usize,
}

pub struct FileReadOptions {
    pub path: String,
    pub block: usize,
    pub depth: usize,
    pub direct: bool,
}

pub struct CopyChainOptions {
    pub src: String,
    pub dst: String,
    pub chunk: usize,
}

pub enum Command {
    Help,
    Serve(ServeOptions),
    FileRead(FileReadOptions),
    CopyChain(CopyChainOptions),
}

pub fn usage(argv0: &str) -> String {
    format!(
        "usage:\n  \
  {0} serve --proto echo|http [--port N] [--size B] [--bind ADDR]\n      \
      serve on ADDR (default 127.0.0.1) until SIGTERM/SIGINT; prints \"ready N\" once accepting,\n      \
      and a JSON line of counters at exit. --size: HTTP body bytes (default 13, \"Hello, World!\").\n  \
  {0} file-read --path P [--block B] [--depth Q] [--direct]\n      \
      read P end to end in blocks of B (default 64K), up to Q in flight (default 1);\n      \
      prints a JSON line: bytes, checksum, elapsed_ns, syscalls.\n  \
  {0} copy-chain --src P --dst Q [--chunk B]\n      \
      copy P to Q chunk by chunk, each chunk a read then a write (default 64K);\n      \
      prints a JSON line: bytes, chunks, elapsed_ns, syscalls.\n\
sizes take K, M, G suffixes. exit codes: 0 ok, 1 failed, 2 usage, 77 not supported here.\n",
        argv0
    )
}

/// "64K" -> 65536; plain numbers, K, M, G (powers of two). None on garbage or overflow.
pub fn parse_size(text: &str) -> Option<u64> {
    let (digits, mult) = match text.as_bytes().last()? {
        b'K' | b'k' => (&text[..text.len() - 1], 1u64 << 10),
        b'M' | b'm' => (&text[..text.len() - 1], 1u64 << 20),
        b'G' | b'g' => (&text[..text.len() - 1], 1u64 << 30),
        _ => (text, 1),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse::<u64>().ok()?.checked_mul(mult)
}

struct Args<'a> {
    argv: &'a [String],
    i: usize,
}

impl<'a> Args<'a> {
    fn value(&mut self) -> Option<&'a str> {
        if self.i + 1 >= self.argv.len() {
            return None;
        }
        self.i += 1;
        Some(&self.argv[self.i])
    }

    fn size(&mut self, flag: &str, lo: u64, hi: u64) -> Result<u64, String> {
        let v = self.value().ok_or_else(|| format!("{} needs a value", flag))?;
        match parse_size(v) {
            Some(n) if n >= lo && n <= hi => Ok(n),
            _ => Err(format!("{} must be a number from {} to {}, got '{}'", flag, lo, hi, v)),
        }
    }
}

/// The command to run, or Err(message) for a usage error (exit 2).
pub fn parse(argv: &[String]) -> Result<Command, String> {
    if argv.len() < 2 {
        return Err("missing command: serve, file-read or copy-chain".into());
    }
    let cmd = argv[1].as_str();
    if cmd == "--help" || cmd == "-h" || cmd == "help" {
        return Ok(Command::Help);
    }
    let mut a = Args { argv, i: 2 };
    match cmd {
        "serve" => {
            let mut o = ServeOptions { proto: Proto::Echo, bind: "127.0.0.1".into(), port: 0, size: 0 };
            let (mut proto_set, mut size_set) = (false, false);
            while a.i < argv.len() {
                match argv[a.i].as_str() {
                    "--help" | "-h" => return Ok(Command::Help),
                    "--proto" => {
                        let v = a.value().ok_or("--proto needs a value: echo or http")?;
                        o.proto = match v {
                            "echo" => Proto::Echo,
                            "http" => Proto::Http,
                            _ => return Err(format!("--proto must be echo or http, got '{}'", v)),
                        };
                        proto_set = true;
                    }
                    "--port" => o.port = a.size("--port", 0, 65535)? as u16,
                    "--size" => {
                        o.size = a.size("--size", 1, 16 << 20)? as usize;
                        size_set = true;
                    }
                    "--bind" => o.bind = a.value().ok_or("--bind needs an address")?.to_string(),
                    f => return Err(format!("unknown flag '{}' for serve", f)),
                }
                a.i += 1;
            }
            if !proto_set {
                return Err("serve needs --proto echo|http".into());
            }
            if !size_set {
                o.size = if o.proto == Proto::Http { 13 } else { 64 };
            }
            Ok(Command::Serve(o))
        }
        "file-read" => {
            let mut o = FileReadOptions { path: String::new(), block: 64 * 1024, depth: 1, direct: false };
            while a.i < argv.len() {
                match argv[a.i].as_str() {
                    "--path" => o.path = a.value().ok_or("--path needs a file")?.to_string(),
                    "--block" => o.block = a.size("--block", 1, 1 << 30)? as usize,
                    "--depth" => o.depth = a.size("--depth", 1, 4096)? as usize,
                    "--direct" => o.direct = true,
                    "--help" | "-h" => return Ok(Command::Help),
                    f => return Err(format!("unknown flag '{}' for file-read", f)),
                }
                a.i += 1;
            }
            if o.path.is_empty() {
                return Err("file-read needs --path".into());
            }
            if o.direct && o.block % 4096 != 0 {
                return Err("--direct needs --block to be a multiple of 4096".into());
            }
            Ok(Command::FileRead(o))
        }
        "copy-chain" => {
            let mut o = CopyChainOptions { src: String::new(), dst: String::new(), chunk: 64 * 1024 };
            while a.i < argv.len() {
                match argv[a.i].as_str() {
                    "--src" => o.src = a.value().ok_or("--src needs a file")?.to_string(),
                    "--dst" => o.dst = a.value().ok_or("--dst needs a file")?.to_string(),
                    "--chunk" => o.chunk = a.size("--chunk", 1, 1 << 30)? as usize,
                    "--help" | "-h" => return Ok(Command::Help),
                    f => return Err(format!("unknown flag '{}' for copy-chain", f)),
                }
                a.i += 1;
            }
            if o.src.is_empty() || o.dst.is_empty() {
                return Err("copy-chain needs --src and --dst".into());
            }
            Ok(Command::CopyChain(o))
        }
        _ => Err(format!("unknown command '{}': serve, file-read or copy-chain", cmd)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_like_bench_parse_size() {
        assert_eq!(parse_size("64K"), Some(65536));
        assert_eq!(parse_size("2m"), Some(2 << 20));
        assert_eq!(parse_size("7"), Some(7));
        assert_eq!(parse_size(""), None);
        assert_eq!(parse_size("K"), None);
        assert_eq!(parse_size("+5"), None);
        assert_eq!(parse_size("99999999999999999999"), None);
        assert_eq!(parse_size("17179869184G"), None);
    }

    #[test]
    fn unknown_flag_is_a_usage_error() {
        let argv: Vec<String> = ["b", "serve", "--proto", "http", "--bogus"].iter().map(|s| s.to_string()).collect();
        assert_eq!(parse(&argv).err().unwrap(), "unknown flag '--bogus' for serve");
    }
}

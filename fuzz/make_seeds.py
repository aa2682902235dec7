#!/usr/bin/python3
"""Writes the seed corpora in fuzz/corpus/<fuzzer>/ (committed; re-run after changing a seed here).

Each seed is a small input a fuzzer's format expects, one per behaviour worth reaching: every kind of
valid request or response, each error class, and lengths at the limits. The fuzzers mutate from these.
"""
import pathlib
import shutil
import struct

HERE = pathlib.Path(__file__).resolve().parent
CRLF = b"\r\n"

# proto::HttpLimits defaults and the request fuzzer's tiny limits.
MAX_REQUEST_LINE = 8 * 1024
MAX_HEADERS = 100
TINY_REQUEST_LINE = 24


def request(line, *headers, body=b""):
    return line + CRLF + b"".join(h + CRLF for h in headers) + CRLF + body


GET = request(b"GET / HTTP/1.1", b"Host: localhost")


def request_seeds():
    """name -> (split point, stream). The fuzzer reads the split as two little-endian bytes."""
    long_target = lambda line_size: b"/" + b"a" * (line_size - len(b"GET  HTTP/1.1") - 1)
    line_at_limit = b"GET " + long_target(MAX_REQUEST_LINE) + b" HTTP/1.1"
    assert len(line_at_limit) == MAX_REQUEST_LINE
    tiny_line = b"GET " + long_target(TINY_REQUEST_LINE) + b" HTTP/1.1"
    assert len(tiny_line) == TINY_REQUEST_LINE
    seeds = {
        "get_minimal": (0, b"GET / HTTP/1.1\r\n\r\n"),
        "get_headers": (20, request(b"GET /index.html?x=1 HTTP/1.1", b"Host: localhost:8080",
                                    b"User-Agent: wrk", b"Accept: */*", b"X-Empty:")),
        "head_headers": (5, request(b"HEAD / HTTP/1.1", b"Host: localhost", b"Accept-Encoding: gzip")),
        "absolute_form": (0, request(b"GET http://localhost:8080/a/b HTTP/1.1", b"Host: localhost")),
        "pipelined_three": (len(GET) + 3, GET * 3),
        "pipelined_get_head_get": (len(GET), GET + request(b"HEAD /h HTTP/1.1", b"Host: x") + GET),
        "pipelined_then_partial": (len(GET) * 2, GET * 2 + b"GET /next HT"),
        "http10": (0, request(b"GET / HTTP/1.0")),
        "http10_keep_alive": (7, request(b"GET / HTTP/1.0", b"Connection: keep-alive") + GET),
        "http10_keep_alive_then_close": (0, request(b"GET / HTTP/1.0", b"Connection: Keep-Alive, close")),
        "connection_close": (0, request(b"GET / HTTP/1.1", b"Host: x", b"Connection: close") + GET),
        "connection_list": (0, request(b"GET / HTTP/1.1", b"Connection: keep-alive , Upgrade,\tclose ")),
        "connection_two_headers": (0, request(b"GET / HTTP/1.1", b"connection: KEEP-ALIVE", b"CONNECTION: upgrade")),
        "content_length_body": (30, request(b"GET / HTTP/1.1", b"Content-Length: 5", body=b"hello") + GET),
        "content_length_zero": (0, request(b"GET / HTTP/1.1", b"Content-Length: 0") + GET),
        "content_length_repeated_equal": (0, request(b"GET / HTTP/1.1", b"Content-Length: 3", b"content-length:3",
                                                     body=b"abc")),
        "content_length_body_at_tiny_limit": (0, request(b"GET / HTTP/1.1", b"Content-Length: 16", body=b"b" * 16)),
        "incomplete_headers": (10, b"GET / HTTP/1.1\r\nHost: x\r\n"),
        "incomplete_body": (0, request(b"GET / HTTP/1.1", b"Content-Length: 10", body=b"abc")),
        "split_between_cr_lf": (15, GET),
        "split_at_header_end": (len(GET) - 1, GET * 2),
        "post_405": (0, request(b"POST /form HTTP/1.1", b"Content-Length: 2", body=b"ok") + GET),
        "delete_405_after_get": (0, GET + request(b"DELETE /x HTTP/1.1")),
        "err_400_bare_lf": (0, b"GET / HTTP/1.1\n\n"),
        "err_400_bare_lf_in_headers": (0, b"GET / HTTP/1.1\r\nHost: x\nY: z\r\n\r\n"),
        "err_400_empty_target": (0, b"GET  HTTP/1.1\r\n\r\n"),
        "err_400_space_in_target": (0, b"GET /a b HTTP/1.1\r\n\r\n"),
        "err_400_bad_method_char": (0, b"G(T / HTTP/1.1\r\n\r\n"),
        "err_400_long_method": (0, b"ABCDEFGHIJKLMNOPQ / HTTP/1.1\r\n\r\n"),
        "err_400_bad_version": (0, b"GET / HTTX/1.1\r\n\r\n"),
        "err_400_space_before_colon": (0, request(b"GET / HTTP/1.1", b"Host : x")),
        "err_400_no_colon": (0, request(b"GET / HTTP/1.1", b"NoColon")),
        "err_400_obsolete_fold": (0, request(b"GET / HTTP/1.1", b"X: a", b" folded")),
        "err_400_control_in_value": (0, request(b"GET / HTTP/1.1", b"X: a\x01b")),
        "err_400_content_length_sign": (0, request(b"GET / HTTP/1.1", b"Content-Length: +5", body=b"hello")),
        "err_400_content_length_conflict": (0, request(b"GET / HTTP/1.1", b"Content-Length: 1", b"Content-Length: 2")),
        "err_400_content_length_overflow": (0, request(b"GET / HTTP/1.1", b"Content-Length: 18446744073709551616")),
        "err_413_body_too_large": (0, request(b"GET / HTTP/1.1", b"Content-Length: 65537")),
        "err_414_line_too_long": (0, request(b"GET " + long_target(MAX_REQUEST_LINE + 1) + b" HTTP/1.1")),
        "err_431_too_many_headers": (0, request(b"GET / HTTP/1.1", *[b"X-%d: v" % i for i in range(MAX_HEADERS + 1)])),
        "err_501_chunked": (0, request(b"GET / HTTP/1.1", b"Transfer-Encoding: chunked") + b"0\r\n\r\n"),
        "err_505_http2": (0, b"GET / HTTP/2.0\r\n\r\n"),
        "line_at_limit": (0, request(line_at_limit)),
        "line_at_limit_split_in_crlf": (len(line_at_limit) + 1, request(line_at_limit)),
        "line_at_tiny_limit": (len(tiny_line) + 1, request(tiny_line)),
        "headers_near_limit": (0, request(b"GET / HTTP/1.1", b"X-Big: " + b"v" * 16000)),
    }
    return {name: struct.pack("<H", split) + stream for name, (split, stream) in seeds.items()}


HELLO = b"Hello, World!"


def hello_body(size):
    # proto::hello_body_byte(i)
    return bytes(ord("a") + (i * 7 + i // 26) % 26 for i in range(size))


def response(status_line, *headers, body=b""):
    return status_line + CRLF + b"".join(h + CRLF for h in headers) + CRLF + body


OK = response(b"HTTP/1.1 200 OK", b"Server: ringcore-bench", b"Content-Type: text/plain",
              b"Content-Length: 13", body=HELLO)


def response_seeds():
    """name -> (expected body choice, read size, stream); see http_response_reader_fuzzer.cpp."""
    body_hello, body_empty, body_one, body_1000 = 0, 1, 2, 3
    seeds = {
        "ok_at_once": (body_hello, 0, OK),
        "ok_byte_by_byte": (body_hello, 1, OK),
        "ok_three_in_reads_of_7": (body_hello, 7, OK * 3),
        "ok_connection_close": (body_hello, 0, response(b"HTTP/1.1 200 OK", b"Content-Length: 13",
                                                        b"Connection: close", body=HELLO)),
        "ok_http10": (body_hello, 3, response(b"HTTP/1.0 200 OK", b"Content-Length: 13", body=HELLO)),
        "ok_http10_keep_alive": (body_hello, 0, response(b"HTTP/1.0 200 OK", b"Connection: keep-alive",
                                                         b"Content-Length: 13", body=HELLO)),
        "ok_nginx_style": (body_hello, 64, response(b"HTTP/1.1 200 OK", b"Server: nginx/1.22.1",
                                                    b"Date: Mon, 01 Jan 2024 00:00:00 GMT",
                                                    b"content-type: text/plain", b"CONTENT-LENGTH:  13 ",
                                                    b"Connection: keep-alive", body=HELLO)),
        "ok_no_reason": (body_hello, 0, response(b"HTTP/1.1 200", b"Content-Length: 13", body=HELLO)),
        "ok_leading_zero_length": (body_hello, 0, response(b"HTTP/1.1 200 OK", b"Content-Length: 013", body=HELLO)),
        "ok_identity": (body_hello, 0, response(b"HTTP/1.1 200 OK", b"Transfer-Encoding: identity",
                                                b"Content-Length: 13", body=HELLO)),
        "ok_empty_body": (body_empty, 2, response(b"HTTP/1.1 200 OK", b"Content-Length: 0") * 2),
        "ok_one_byte_body": (body_one, 0, response(b"HTTP/1.1 200 OK", b"Content-Length: 1", body=hello_body(1))),
        "ok_body_1000": (body_1000, 100, response(b"HTTP/1.1 200 OK", b"Content-Length: 1000",
                                                   body=hello_body(1000))),
        "partial_headers": (body_hello, 0, b"HTTP/1.1 200 OK\r\nContent-Len"),
        "partial_body": (body_hello, 0, response(b"HTTP/1.1 200 OK", b"Content-Length: 13", body=b"Hello")),
        "bad_status_400": (body_hello, 0, response(b"HTTP/1.1 400 Bad Request", b"Content-Length: 12",
                                                   body=b"Bad Request\n")),
        "bad_length": (body_hello, 0, response(b"HTTP/1.1 200 OK", b"Content-Length: 12", body=HELLO[:12])),
        "bad_body_byte": (body_hello, 5, response(b"HTTP/1.1 200 OK", b"Content-Length: 13", body=b"Hello, world!")),
        "bad_chunked": (body_hello, 0, response(b"HTTP/1.1 200 OK", b"Transfer-Encoding: chunked")),
        "bad_no_length": (body_hello, 0, response(b"HTTP/1.1 200 OK", b"Server: x")),
        "bad_length_text": (body_hello, 0, response(b"HTTP/1.1 200 OK", b"Content-Length: x")),
        "bad_length_conflict": (body_hello, 0, response(b"HTTP/1.1 200 OK", b"Content-Length: 13",
                                                        b"Content-Length: 14", body=HELLO)),
        "bad_status_line": (body_hello, 0, b"SMTP 220 hello\r\n\r\n"),
        "bad_no_colon": (body_hello, 0, response(b"HTTP/1.1 200 OK", b"NoColon")),
        "bad_after_good": (body_hello, 9, OK + response(b"HTTP/1.1 500 Oops", b"Content-Length: 0")),
        "long_headers": (body_hello, 255, response(b"HTTP/1.1 200 OK", b"X-Long: " + b"x" * 8000,
                                                   b"Content-Length: 13", body=HELLO)),
    }
    return {name: bytes([body, piece]) + stream for name, (body, piece, stream) in seeds.items()}


def path_seeds():
    """name -> request target, raw."""
    return {
        "root": b"/",
        "file": b"/index.html",
        "nested": b"/a/b/c.txt",
        "directory": b"/dir/",
        "query": b"/a/b?x=1&y=/../..",
        "fragment": b"/a#../../etc",
        "absolute_form": b"http://localhost:8080/a/b",
        "absolute_form_upper": b"HTTPS://HOST/a",
        "absolute_form_no_path": b"http://host",
        "absolute_form_query_only": b"http://host?q=/..",
        "asterisk": b"*",
        "relative": b"a/b",
        "dotdot_relative": b"../x",
        "dotdot": b"/../etc/passwd",
        "dotdot_inside": b"/a/b/../../../etc/passwd",
        "dot": b"/a/./b",
        "encoded_dotdot": b"/%2e%2e/etc/passwd",
        "encoded_dotdot_upper": b"/%2E%2E/%2E%2E/etc",
        "encoded_dotdot_slash": b"/..%2f..%2fetc%2fpasswd",
        "encoded_all": b"/%2e%2e%2f%2e%2e%2fetc",
        "mixed_dotdot": b"/.%2e/secret",
        "double_encoded": b"/%252e%252e/x",
        "overlong_utf8": b"/%c0%ae%c0%ae/x",
        "backslash": b"/a\\..\\b",
        "encoded_backslash": b"/a%5c..%5cb",
        "nul": b"/a\x00b",
        "encoded_nul": b"/a%00.txt",
        "encoded_newline": b"/a%0d%0ab",
        "encoded_del": b"/a%7f",
        "bad_escape": b"/%zz",
        "short_escape": b"/a%4",
        "lone_percent": b"/a%",
        "empty_segment": b"/a//b",
        "double_slash_start": b"//etc/passwd",
        "hidden": b"/.git/config",
        "hidden_encoded": b"/%2ehtpasswd",
        "space_encoded": b"/a%20b.txt",
        "utf8": b"/caf%C3%A9/men\xc3\xbc",
        "encoded_query_mark": b"/a%3fb%23c",
        "long_path": b"/" + b"/".join([b"d" * 100] * 41),
        "too_long_path": b"/" + b"x" * 4100,
    }


def write(fuzzer, seeds):
    folder = HERE / "corpus" / fuzzer
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for name, data in seeds.items():
        assert len(data) <= 16384, name  # the runs' -max_len
        (folder / name).write_bytes(data)
    print(f"{fuzzer}: {len(seeds)} seeds")


if __name__ == "__main__":
    write("http_request_fuzzer", request_seeds())
    write("http_response_reader_fuzzer", response_seeds())
    write("file_server_path_fuzzer", path_seeds())

#!/usr/bin/python3
"""Writes the HTTP conformance corpus's request streams: NAME.request (the bytes a client sends on one
connection, then it half-closes) and, where the stream is sent in pieces, NAME.splits (byte offsets,
one a line, at which the client pauses so the server sees a partial request).

The expected answers, NAME.response, come from proto::HttpSession: run the protocol test with
RINGCORE_WRITE_CORPUS=1 (see README.md here). Run this script from anywhere; it writes beside itself.
"""
import pathlib

HERE = pathlib.Path(__file__).resolve().parent
GET = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
HEAD = b"HEAD / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
CLOSE = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"


def body_request(body: bytes, method: bytes = b"GET") -> bytes:
    return method + b" /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body


# name -> (request bytes, split offsets)
CASES = {
    # keep-alive and pipelining
    "get_keep_alive": (GET, []),
    "head_no_body": (HEAD, []),
    "pipelined_get_head_in_order": (GET + HEAD + GET + GET + HEAD, []),
    "pipelined_twenty_gets": (GET * 20, []),
    "keep_alive_then_connection_close": (GET + GET + CLOSE, []),
    "connection_close": (CLOSE, []),
    "connection_close_option_list_any_case": (b"GET / HTTP/1.1\r\nHost: x\r\nconnection: Upgrade ,  CLOSE\r\n\r\n", []),
    "connection_keep_alive_on_1_1": (b"GET / HTTP/1.1\r\nConnection: keep-alive\r\n\r\n" + GET, []),
    # HTTP/1.0
    "http_1_0_closes_by_default": (b"GET / HTTP/1.0\r\n\r\n", []),
    "http_1_0_keep_alive": (b"GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\nGET /again HTTP/1.0\r\n\r\n", []),
    "http_1_0_head": (b"HEAD / HTTP/1.0\r\n\r\n", []),
    # bodies
    "content_length_body_then_get": (body_request(b"hello") + GET, []),
    "content_length_zero": (body_request(b"") + GET, []),
    "body_split_across_reads": (body_request(b"0123456789" * 100) + GET, [70, 500, 900]),
    "largest_body_allowed": (body_request(b"b" * 65536), []),
    "repeated_equal_content_length": (b"GET / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc", []),
    # requests in pieces
    "headers_split_between_cr_and_lf": (GET + GET, [15, 16, 33, 34, 50]),
    "request_in_small_pieces": (GET + HEAD, list(range(5, len(GET + HEAD), 9))),
    "incomplete_request_at_close": (GET + b"GET / HT", []),
    # header details the parser accepts
    "header_value_tabs_and_spaces": (b"GET / HTTP/1.1\r\nHost:\t 127.0.0.1 \t\r\nX-Empty:\r\n\r\n", []),
    "odd_but_valid_target_and_method_case": (b"GET /a/b?c=d&e=%20#f HTTP/1.1\r\n\r\n", []),
    "hundred_headers_allowed": (b"GET / HTTP/1.1\r\n" + b"".join(b"X-H%d: v\r\n" % i for i in range(100)) + b"\r\n", []),
    # errors: the status, then the connection closes
    "error_400_bare_lf": (b"GET / HTTP/1.1\nHost: 127.0.0.1\n\n", []),
    "error_400_space_before_colon": (b"GET / HTTP/1.1\r\nHost : 127.0.0.1\r\n\r\n", []),
    "error_400_obsolete_line_folding": (b"GET / HTTP/1.1\r\nX-A: 1\r\n  folded\r\n\r\n", []),
    "error_400_bad_content_length": (b"GET / HTTP/1.1\r\nContent-Length: 1x\r\n\r\n", []),
    "error_400_signed_content_length": (b"GET / HTTP/1.1\r\nContent-Length: +1\r\n\r\nx", []),
    "error_400_conflicting_content_length": (b"GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", []),
    "error_400_no_target": (b"GET  HTTP/1.1\r\n\r\n", []),
    "error_400_garbage_line": (b"HELLO\r\n\r\n", []),
    "error_400_control_char_in_value": (b"GET / HTTP/1.1\r\nX-A: a\x01b\r\n\r\n", []),
    "error_400_after_two_good_requests": (GET + GET + b"BROKEN\r\n\r\n" + GET, []),
    "error_405_post_with_body": (body_request(b"abc", b"POST"), []),
    "error_405_after_pipelined_get": (GET + b"DELETE / HTTP/1.1\r\n\r\n" + GET, []),
    "error_413_body_too_large": (b"GET / HTTP/1.1\r\nContent-Length: 65537\r\n\r\n", []),
    "error_414_uri_too_long": (b"GET /" + b"u" * 9000 + b" HTTP/1.1\r\n\r\n", []),
    "error_431_too_many_headers": (b"GET / HTTP/1.1\r\n" + b"".join(b"X-H%d: v\r\n" % i for i in range(101)) + b"\r\n", []),
    "error_431_header_bytes": (b"GET / HTTP/1.1\r\nX-Big: " + b"h" * 17000 + b"\r\n\r\n", []),
    "error_501_chunked": (b"GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", []),
    "error_505_http_2_0": (b"GET / HTTP/2.0\r\n\r\n", []),
    "error_505_split_request_line": (b"GET / HTTP/3.1\r\n\r\n", [4, 12]),
}


def main() -> None:
    for old in HERE.glob("*.request"):
        old.unlink()
    for old in HERE.glob("*.splits"):
        old.unlink()
    for name, (request, splits) in CASES.items():
        (HERE / f"{name}.request").write_bytes(request)
        if splits:
            assert all(0 < s < len(request) for s in splits) and splits == sorted(splits), name
            (HERE / f"{name}.splits").write_text("".join(f"{s}\n" for s in splits))


if __name__ == "__main__":
    main()

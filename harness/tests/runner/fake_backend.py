#!/usr/bin/python3
"""A backend for the runner's own tests, speaking the contract of harness/README.md badly on purpose.

Run as `fake_backend.py <behaviour> <command> [flags]`; the tests put one small wrapper per behaviour,
`backend-<behaviour>`, in a temporary backend directory. It is never registered with
ringcore_add_backend, so no real benchmark ever sees it.

  good         does every command right (echo only, for serve)
  wrongdata    file-read reports a wrong checksum, copy-chain writes one wrong byte, serve flips a byte
  unsupported  exits 77 with {"skip": "fake: not supported here"} for every command
  dies         SIGKILLs itself: during file-read, or on its first connection after "ready"
  dieslate     serve closes its first connection, then SIGKILLs itself when SIGTERM comes: a death
               the runner sees only after its SIGTERM (as when a killed server is not yet reaped)
  stubborn     serves correctly but ignores SIGTERM (the runner must SIGKILL it after 5 s)
  stall        serve accepts and never answers; file-read never finishes
  mute         serve never prints "ready"

With FAKE_PID_DIR set, every serve writes an empty file named after its pid there, so a test can
check afterwards that no server outlived the runner.
"""
import json
import os
import signal
import socket
import struct
import sys
import threading
import time

MASK = (1 << 64) - 1


def checksum(data):
    """bench::Checksum over a whole file: sum of word_i * (2i + 1), the tail zero-padded, then mixed."""
    padded = data + b"\0" * (-len(data) % 8)
    words = struct.unpack("<%dQ" % (len(padded) // 8), padded)
    h = 0
    for i, w in enumerate(words):
        h = (h + w * (2 * i + 1)) & MASK
    x = h ^ 0x9E3779B97F4A7C15
    x ^= x >> 30
    x = (x * 0xBF58476D1CE4E5B9) & MASK
    x ^= x >> 27
    x = (x * 0x94D049BB133111EB) & MASK
    x ^= x >> 31
    return x


def flags(argv):
    out, i = {}, 0
    while i < len(argv):
        if argv[i] == "--direct":
            out["direct"] = True
            i += 1
        else:
            out[argv[i].lstrip("-")] = argv[i + 1]
            i += 2
    return out


def emit(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def syscalls():
    """A fixed count while counting is on, -1 (not counted) with RINGCORE_COUNT_SYSCALLS=0, as the
    real backends report; the runner sets it per repetition."""
    return -1 if os.environ.get("RINGCORE_COUNT_SYSCALLS") == "0" else 42


def file_read(behaviour, f):
    if behaviour == "dies":
        os.kill(os.getpid(), signal.SIGKILL)
    if behaviour == "stall":
        time.sleep(600)
    start = time.monotonic_ns()
    with open(f["path"], "rb") as fh:
        data = fh.read()
    value = checksum(data) + (1 if behaviour == "wrongdata" else 0)
    emit({"backend": "fake", "command": "file-read", "bytes": len(data), "elapsed_ns": time.monotonic_ns() - start,
          "syscalls": syscalls(), "checksum": "%016x" % (value & MASK), "block": int(f.get("block", 65536)), "depth": 1})
    return 0


def copy_chain(behaviour, f):
    start = time.monotonic_ns()
    with open(f["src"], "rb") as fh:
        data = bytearray(fh.read())
    if behaviour == "wrongdata" and data:
        data[len(data) // 2] ^= 0xFF
    with open(f["dst"], "wb") as fh:
        fh.write(data)
    chunk = int(f.get("chunk", 65536))
    emit({"backend": "fake", "command": "copy-chain", "bytes": len(data), "elapsed_ns": time.monotonic_ns() - start,
          "syscalls": syscalls(), "chunks": (len(data) + chunk - 1) // chunk})
    return 0


def serve(behaviour, f):
    if os.environ.get("FAKE_PID_DIR"):
        open(os.path.join(os.environ["FAKE_PID_DIR"], str(os.getpid())), "w").close()
    if behaviour == "mute":
        time.sleep(600)
        return 1
    counts = {"requests": 0, "connections": 0}
    stop = threading.Event()
    if behaviour == "stubborn":
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    elif behaviour == "dieslate":
        signal.signal(signal.SIGTERM, lambda *_: os.kill(os.getpid(), signal.SIGKILL))
    else:
        signal.signal(signal.SIGTERM, lambda *_: stop.set())

    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", int(f.get("port", 0))))
    listener.listen(4096)
    listener.settimeout(0.1)

    def echo(conn):
        with conn:
            while True:
                try:
                    data = conn.recv(65536)
                except OSError:
                    return
                if not data:
                    return
                if behaviour == "stall":
                    continue
                if behaviour == "wrongdata":
                    data = bytes([data[0] ^ 0xFF]) + data[1:]
                counts["requests"] += 1
                try:
                    conn.sendall(data)
                except OSError:
                    return

    print("ready %d" % listener.getsockname()[1], flush=True)
    while not stop.is_set():
        try:
            conn, _ = listener.accept()
        except socket.timeout:
            continue
        except InterruptedError:
            continue
        if behaviour == "dies":
            os.kill(os.getpid(), signal.SIGKILL)
        if behaviour == "dieslate":
            conn.close()
            continue
        counts["connections"] += 1
        threading.Thread(target=echo, args=(conn,), daemon=True).start()
    cpu = os.times()
    emit({"backend": "fake", "command": "serve", "requests": counts["requests"], "connections": counts["connections"],
          "errors": 0, "bytes_in": 0, "bytes_out": 0, "cpu_user_ns": int(cpu.user * 1e9),
          "cpu_sys_ns": int(cpu.system * 1e9), "syscalls": syscalls(), "wall_ns": 0})
    return 0


def main():
    behaviour, argv = sys.argv[1], sys.argv[2:]
    # `--ring-config NAME` before the command (a configured backend, `good.NAME`): file-read reports
    # it, and as many io_uring_enter calls as the name has letters (to check enters_per_op).
    ring_config = None
    if argv[:1] == ["--ring-config"]:
        ring_config, argv = argv[1], argv[2:]
    command, rest = argv[0], argv[1:]
    if ring_config is not None:
        global emit
        plain_emit = emit
        emit = lambda obj: plain_emit(dict(obj, ring_config=ring_config, enters=len(ring_config)))
    if behaviour == "unsupported":
        emit({"backend": "fake", "skip": "fake: not supported here"})
        return 77
    f = flags(rest)
    if command == "file-read":
        return file_read(behaviour, f)
    if command == "copy-chain":
        return copy_chain(behaviour, f)
    if command == "serve":
        if f.get("proto") != "echo":
            emit({"backend": "fake", "skip": "fake: echo only"})
            return 77
        return serve(behaviour, f)
    print("fake: unknown command " + command, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())

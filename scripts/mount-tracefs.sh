#!/usr/bin/env bash
# The kernel-counted syscall figures (harness) and the enter-count test read tracepoints from tracefs.
# Mount it when it is missing and we may; otherwise say so once (those figures then show as unavailable).
if [[ -e /sys/kernel/tracing/events/raw_syscalls/sys_enter/id ]]; then exit 0; fi
if [[ $(id -u) -eq 0 ]] && mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null; then exit 0; fi
echo "note: tracefs is not mounted at /sys/kernel/tracing; syscall counts will be reported as unavailable" >&2
exit 0

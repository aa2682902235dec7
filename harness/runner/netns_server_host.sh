#!/bin/sh
# The "second machine" of `ringcore-bench --server-netns`: a network namespace joined to this one by a
# veth pair, with a real OpenSSH server inside it that accepts only a key generated for this run.
# The runner starts this script in a session of its own and holds its stdin open; EOF on stdin (the
# runner finished, failed, was interrupted or killed outright) tears everything down: sshd, every
# process left in the namespace, the veth pair, the namespace, the temporary directory.
#
#   netns_server_host.sh TAG     (TAG: the runner's pid; names ringcore-TAG, rcTAGh/rcTAGn)
#
# stdout, once sshd listens, one line:
#   ready NAMESPACE HOST_ADDRESS SERVER_ADDRESS USER KEY KNOWN_HOSTS
# Exit 77 with "skip: <reason>" on stdout when namespaces (or the tools) are not available here,
# 1 with a reason on stderr when a step fails; either way nothing is left behind.
set -u
tag=${1:?usage: netns_server_host.sh TAG}
ns=ringcore-$tag
veth_host=rc${tag}h
veth_ns=rc${tag}n
dir=
sshd_pid=
created_ns=0
created_link=0

skip() { echo "skip: $*"; exit 77; }
fail() { echo "netns_server_host: $*" >&2; exit 1; }

teardown() {
  trap '' INT TERM HUP
  [ -n "$sshd_pid" ] && kill -TERM "$sshd_pid" 2>/dev/null
  if [ "$created_ns" = 1 ]; then
    # Sessions and the backends they started live in the namespace: TERM, up to 3 s, then KILL.
    pids=$(ip netns pids "$ns" 2>/dev/null)
    [ -n "$pids" ] && kill -TERM $pids 2>/dev/null
    i=0
    while [ -n "$(ip netns pids "$ns" 2>/dev/null)" ] && [ $i -lt 30 ]; do sleep 0.1; i=$((i + 1)); done
    pids=$(ip netns pids "$ns" 2>/dev/null)
    [ -n "$pids" ] && kill -KILL $pids 2>/dev/null
  fi
  [ -n "$sshd_pid" ] && wait "$sshd_pid" 2>/dev/null
  [ "$created_link" = 1 ] && ip link del "$veth_host" 2>/dev/null
  [ "$created_ns" = 1 ] && ip netns del "$ns" 2>/dev/null
  [ -n "$dir" ] && rm -rf "$dir"
}
trap teardown EXIT
trap 'exit 130' INT TERM HUP

for tool in ip ssh-keygen; do command -v $tool >/dev/null 2>&1 || skip "$tool is not installed"; done
[ -x /usr/sbin/sshd ] || skip "/usr/sbin/sshd is not installed (Debian package openssh-server)"
[ "$(id -u)" = 0 ] || skip "network namespaces need root (this is uid $(id -u))"

# A /30 of 10.213.0.0/16 that no interface address or route on this machine already covers.
pick_subnet() {
  start=$(( tag % 16384 ))
  for step in 0 1 2 3 4 5 6 7; do
    n=$(( (start + step * 997) % 16384 ))
    base="10.213.$(( n / 64 )).$(( n % 64 * 4 ))"
    prefix="10.213.$(( n / 64 ))."
    used=0
    for last in 0 1 2 3; do
      a="$prefix$(( n % 64 * 4 + last ))"
      ip -o addr show | grep -q "inet $a/" && used=1
      ip route show to match "$a" | grep -qv '^default' && used=1
    done
    if [ $used = 0 ]; then
      host_addr="$prefix$(( n % 64 * 4 + 1 ))"
      server_addr="$prefix$(( n % 64 * 4 + 2 ))"
      return 0
    fi
  done
  return 1
}
pick_subnet || fail "no unused /30 found in 10.213.0.0/16"

if ! err=$(ip netns add "$ns" 2>&1); then
  case $err in
    *"ermission"*|*"not permitted"*) skip "cannot create a network namespace here ($err)" ;;
  esac
  fail "ip netns add $ns: $err"
fi
created_ns=1
ip link add "$veth_host" type veth peer name "$veth_ns" 2>/dev/null || skip "cannot create a veth pair here"
created_link=1
ip link set "$veth_ns" netns "$ns" &&
  ip addr add "$host_addr/30" dev "$veth_host" &&
  ip link set "$veth_host" up &&
  ip -n "$ns" addr add "$server_addr/30" dev "$veth_ns" &&
  ip -n "$ns" link set "$veth_ns" up &&
  ip -n "$ns" link set lo up || fail "could not configure the veth pair"

dir=$(mktemp -d "/tmp/ringcore-netns-$tag.XXXXXX") || fail "mktemp failed"
ssh-keygen -q -t ed25519 -N '' -C "ringcore-$tag host" -f "$dir/host_key" || fail "ssh-keygen failed"
ssh-keygen -q -t ed25519 -N '' -C "ringcore-$tag client" -f "$dir/client_key" || fail "ssh-keygen failed"
cp "$dir/client_key.pub" "$dir/authorized_keys"
echo "$server_addr $(cut -d' ' -f1,2 "$dir/host_key.pub")" >"$dir/known_hosts"
cat >"$dir/sshd_config" <<EOF
ListenAddress $server_addr
Port 22
HostKey $dir/host_key
PidFile $dir/sshd.pid
AuthorizedKeysFile $dir/authorized_keys
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PrintMotd no
PrintLastLog no
X11Forwarding no
AllowTcpForwarding no
MaxStartups 100:30:200
EOF
mkdir -p /run/sshd  # sshd's privilege-separation directory; Debian creates it only when its service runs

# `ip netns exec` gives its command a fresh /sys, without tracefs: mount it there too, so that the
# backends' kernel-counted syscalls work as they do outside (they report -1 when it fails).
ip netns exec "$ns" /bin/sh -c 'mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null; exec "$@"' sshd \
  /usr/sbin/sshd -D -e -f "$dir/sshd_config" 2>"$dir/sshd.log" &
sshd_pid=$!
i=0
until grep -q "Server listening" "$dir/sshd.log" 2>/dev/null; do
  kill -0 "$sshd_pid" 2>/dev/null || fail "sshd exited: $(tail -n 1 "$dir/sshd.log")"
  [ $i -ge 100 ] && fail "sshd did not listen within 10 s"
  sleep 0.1
  i=$((i + 1))
done

echo "ready $ns $host_addr $server_addr $(id -un) $dir/client_key $dir/known_hosts"
# Until the runner's end closes our stdin. In the background (with stdin passed explicitly: an
# asynchronous command's default is /dev/null) so that a TERM to this script is handled at once.
exec 3<&0
cat <&3 >/dev/null 2>&1 &
wait $!

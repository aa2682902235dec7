#!/usr/bin/env bash
# Installs, from Debian's packages, whatever the build, tests and benchmarks need and the machine lacks.
# Quiet when nothing is missing. Without root it prints the exact apt-get line and fails.
set -euo pipefail

packages=(
  g++ cmake make ninja-build pkg-config git
  liburing-dev libuv1-dev libboost1.81-dev
  libbenchmark-dev libgtest-dev libgmock-dev
  python3-numpy python3-matplotlib
  rustc cargo librust-tokio-dev
  wrk nginx-light clang libclang-rt-14-dev valgrind iproute2 procps
  openssh-server openssh-client
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

extra=()
# libboost1.81-dev conflicts with libboost1.74-dev, which Debian's libboost-dev pulls in.
if [[ " ${missing[*]} " == *" libboost1.81-dev "* ]] && dpkg-query -W -f='${Status}' libboost-dev 2>/dev/null | grep -q 'install ok installed'; then
  extra+=("libboost-dev-")
fi

cmd=(apt-get install -y -qq --no-install-recommends "${missing[@]}" "${extra[@]}")
if [[ $(id -u) -ne 0 ]]; then
  echo "missing packages: ${missing[*]}" >&2
  echo "run as root:  apt-get update && ${cmd[*]}" >&2
  exit 1
fi
echo "installing: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
"${cmd[@]}" >/dev/null
# nginx-light starts a system nginx on port 80 on install; the harness starts its own.
if command -v service >/dev/null 2>&1; then service nginx stop >/dev/null 2>&1 || true; fi
pkill -x nginx 2>/dev/null || true
# openssh-server starts a system sshd on install; --server-netns starts its own inside a namespace.
# Stopped only when this script just installed it (a machine's own sshd is left alone).
if [[ " ${missing[*]} " == *" openssh-server "* ]] && command -v service >/dev/null 2>&1; then
  service ssh stop >/dev/null 2>&1 || true
fi

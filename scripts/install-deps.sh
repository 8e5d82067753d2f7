#!/usr/bin/env bash
# Installs what leadproc needs to build and run on Debian 12 (with --test: and to test; with
# --fuzz: and to build the libFuzzer targets), and nothing when it is already there. Used by
# `make run`, `make test` (and so by .ci/run), `make test-sanitize` and `make fuzz`.
#
# libphonenumber: Debian's libphonenumber-dev depends on Boost 1.74's -dev packages, which
# conflict with the Boost 1.81 headers we build against. The library itself does not use Boost,
# so we install the runtime (libphonenumber8) from apt and unpack only the headers and the
# linker symlink of libphonenumber-dev into a build-local folder, .deps/phonenumber/.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake ninja-build ccache mold pkg-config
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libsqlite3-dev sqlite3 libpq-dev libcrypt-dev libssl-dev
  libcurl4-openssl-dev libhowardhinnant-date-dev tzdata
  libgtest-dev libgmock-dev libbenchmark-dev
  libphonenumber8 libprotobuf-dev libabsl-dev libicu-dev
  libcli11-dev curl procps libtcmalloc-minimal4
  libbson-dev
)
for option in "$@"; do
  case "$option" in
    --test) # make test: what only the tests need on top.
      packages+=(
        postgresql # the PostgreSQL adapter's tests start their own server (scripts/pg-test-server.sh)
        chromium # the web UI's browser tests (tests/ui), driven by playwright-core
        nodejs   # runs those tests; Node >= 20 (tests/ui/run.sh checks), npm included in this kind's package
      )
      ;;
    --fuzz) # make fuzz: clang 14 and its runtime libraries (libFuzzer, ASan, UBSan).
      packages+=(clang-14 libclang-rt-14-dev)
      ;;
    *)
      echo "install-deps: unknown option $option (--test, --fuzz)" >&2
      exit 2
      ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

pn=.deps/phonenumber
if [ ! -f "$pn/include/phonenumbers/phonenumberutil.h" ]; then
  echo "install-deps: unpacking libphonenumber-dev headers into $pn"
  tmp=$(mktemp -d)
  (cd "$tmp" && apt-get download libphonenumber-dev >/dev/null 2>&1) || {
    $SUDO apt-get update -qq
    (cd "$tmp" && apt-get download libphonenumber-dev)
  }
  mkdir -p "$pn"
  dpkg-deb -x "$tmp"/libphonenumber-dev_*.deb "$tmp/x"
  rm -rf "$pn/include" "$pn/lib"
  mkdir -p "$pn/lib"
  cp -r "$tmp/x/usr/include" "$pn/include"
  ln -sf "$(ls /usr/lib/x86_64-linux-gnu/libphonenumber.so.8* | head -n1)" "$pn/lib/libphonenumber.so"
  rm -rf "$tmp"
fi

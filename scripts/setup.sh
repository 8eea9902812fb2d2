#!/usr/bin/env bash
# Idempotent provisioning for skew: system packages, npm deps (with Node 24 from node_modules),
# a Docker daemon and the offline nginx image `local/nginx:bookworm`.
#
#   npm run setup            # or, before node_modules exist:  bash scripts/setup.sh
#
# Every step checks first and is skipped when already satisfied; with everything in place the
# whole script takes ~1 s. Each step prints one line: `setup: <thing> ok|installing|skipped (…)`.
#
# Environment:
#   SKEW_SETUP_CONTAINER=0   skip the container part (docker.io, debootstrap, dockerd, image)
#   SKEW_DEBIAN_MIRROR=URL   mirror for debootstrap (default: the machine's apt sources)
#
# Exit codes: 0 ready; 69 something is missing that this script may not install here (not root
# or not Debian), with the exact commands printed; 1 a step failed.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin" # nginx, dockerd, debootstrap live in sbin

IMAGE=local/nginx:bookworm
NJS_MODULE=/usr/lib/nginx/modules/ngx_http_js_module.so
CONTAINER=${SKEW_SETUP_CONTAINER:-1}
[[ $CONTAINER == 0 || $CONTAINER == false || $CONTAINER == no ]] && CONTAINER=0 || CONTAINER=1

now_ms() { local t=${EPOCHREALTIME/[.,]/}; echo $((t / 1000)); }
T_START=$(now_ms)
secs() { local d=$(($(now_ms) - $1)); printf '%d.%01ds' $((d / 1000)) $((d % 1000 / 100)); }

say() { printf 'setup: %s\n' "$*"; }
die() { printf 'setup: FAILED: %s\n' "$*" >&2; exit 1; }
DONE=()      # what this run changed, for the summary
MANUAL=()    # commands the user must run (not root / not Debian); exit 69 at the end

# wait_for <what> <timeout seconds> <command...>: polls every 0.2 s, bounded, named on timeout.
wait_for() {
  local what=$1 timeout=$2; shift 2
  local deadline=$(($(now_ms) + timeout * 1000))
  until "$@" >/dev/null 2>&1; do
    if (($(now_ms) >= deadline)); then
      printf 'setup: timed out after %ss waiting for %s\n' "$timeout" "$what" >&2
      return 1
    fi
    sleep 0.2
  done
}

# One setup at a time on this machine: dockerd and the image are machine-wide.
mkdir -p "$ROOT/.skew"
LOCK="${TMPDIR:-/tmp}/skew-setup.$(id -u).lock"
exec 9>"$LOCK"
if ! flock -n 9; then
  say "waiting for another setup to finish (lock $LOCK)"
  flock -w 600 9 || die "timed out after 600s waiting for the setup lock $LOCK"
fi

# Things created during the run that must go on any exit.
CLEANUP=()
cleanup() { local c; for c in "${CLEANUP[@]}"; do eval "$c" || true; done; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------------------------------------
# 1. Platform
OS_ID=unknown OS_VERSION="" OS_CODENAME=""
if [[ -r /etc/os-release ]]; then
  # shellcheck disable=SC1091
  OS_ID=$(. /etc/os-release && echo "${ID:-unknown}")
  OS_VERSION=$(. /etc/os-release && echo "${VERSION_ID:-}")
  OS_CODENAME=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
fi
IS_DEBIAN=0; [[ $OS_ID == debian ]] && IS_DEBIAN=1
IS_ROOT=0; [[ $EUID -eq 0 ]] && IS_ROOT=1
CAN_INSTALL=$((IS_DEBIAN && IS_ROOT))
if ((CAN_INSTALL)); then
  say "platform ok (debian $OS_VERSION $OS_CODENAME, root)"
else
  why=(); ((IS_DEBIAN)) || why+=("not Debian"); ((IS_ROOT)) || why+=("not root")
  say "platform ok ($OS_ID $OS_VERSION, uid $EUID): checking only, installing nothing ($(IFS=,; echo "${why[*]}" | sed 's/,/, /g'))"
fi

# ---------------------------------------------------------------------------------------------
# 2. System packages. Checked by what we use, not by package name: any nginx flavour is fine as
#    long as `nginx -V` works and the njs module file exists.
pkg_ok() {
  case $1 in
    chromium) [[ -n ${SKEW_CHROMIUM:-} && -x ${SKEW_CHROMIUM:-} ]] || command -v chromium >/dev/null ;;
    nginx-light) nginx -V >/dev/null 2>&1 ;;
    libnginx-mod-http-js) [[ -f $NJS_MODULE ]] ;;
    docker.io) command -v docker >/dev/null && command -v dockerd >/dev/null ;;
    bubblewrap) command -v bwrap >/dev/null ;;
    npm) command -v npm >/dev/null ;;
    *) command -v "$1" >/dev/null ;;
  esac
}
# bubblewrap confines command deployers (harness/deployers/external/sandbox.ts).
PKGS=(chromium nginx-light libnginx-mod-http-js rsync curl jq sqlite3 bubblewrap)
((CONTAINER)) && PKGS+=(docker.io debootstrap)
# npm is needed only to create node_modules; Debian's npm is enough to bootstrap Node 24.
[[ -x node_modules/.bin/node ]] || PKGS+=(npm)
MISSING=()
for p in "${PKGS[@]}"; do pkg_ok "$p" || MISSING+=("$p"); done

APT_PROCS=(apt apt-get aptitude dpkg unattended-upgr) # comm names are cut at 15 characters
apt_busy() { local n; for n in "${APT_PROCS[@]}"; do pgrep -a -x "$n" && return 0; done; return 1; }
apt_idle() { ! apt_busy >/dev/null; }
NGINX_WAS_RUNNING=0
default_nginx_pid() { local p; p=$(cat /run/nginx.pid 2>/dev/null) && [[ -n $p ]] && kill -0 "$p" 2>/dev/null && echo "$p"; }
default_nginx_pid >/dev/null && NGINX_WAS_RUNNING=1

if ((${#MISSING[@]} == 0)); then
  say "apt packages ok (${PKGS[*]})"
elif ((CAN_INSTALL)); then
  t=$(now_ms)
  say "apt packages installing: ${MISSING[*]}"
  if ! apt_idle; then
    say "waiting for another apt/dpkg to finish ($(apt_busy | head -n 1))"
    wait_for "other apt-get/dpkg processes to exit" 600 apt_idle || die "apt/dpkg busy"
  fi
  # No service may start from a package's postinst (no systemd here, and we want no default
  # nginx on :80 nor a dockerd with iptables): Debian's policy-rc.d mechanism, removed afterwards.
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\n# skew setup: temporary, deny service starts during apt-get install\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    CLEANUP+=("grep -q 'skew setup: temporary' /usr/sbin/policy-rc.d && rm -f /usr/sbin/policy-rc.d")
  fi
  export DEBIAN_FRONTEND=noninteractive
  APT_OPTS=(-y -q --no-install-recommends -o DPkg::Lock::Timeout=300 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
  if [[ -n $(dpkg --audit 2>/dev/null) ]]; then dpkg --configure -a || true; fi
  apt-get -q -o DPkg::Lock::Timeout=300 update >/dev/null 9>&- || die "apt-get update failed"
  apt-get install "${APT_OPTS[@]}" "${MISSING[@]}" 9>&- || die "apt-get install ${MISSING[*]} failed"
  cleanup; CLEANUP=()
  still=()
  for p in "${MISSING[@]}"; do pkg_ok "$p" || still+=("$p"); done
  ((${#still[@]} == 0)) || die "still not usable after apt-get install: ${still[*]} (nginx: 'nginx -V' must work and $NJS_MODULE exist)"
  DONE+=("apt install ${MISSING[*]} ($(secs "$t"))")
else
  say "apt packages missing: ${MISSING[*]}"
  if ((IS_DEBIAN)); then
    MANUAL+=("sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${MISSING[*]}")
  else
    note=""; [[ " ${MISSING[*]} " == *" nginx-light "* || " ${MISSING[*]} " == *" libnginx-mod-http-js "* ]] && note=" (nginx needs the njs module at $NJS_MODULE)"
    MANUAL+=("install your distribution's equivalents of the Debian packages: ${MISSING[*]}$note")
  fi
fi

# 2b. No default nginx left on :80 by a package install of this run. We never touch /etc/nginx.
if p=$(default_nginx_pid); then
  if ((NGINX_WAS_RUNNING)); then
    say "default nginx left alone (pid $p was running before setup)"
  else
    kill -QUIT "$p" 2>/dev/null || true
    wait_for "the default nginx (pid $p) to stop" 10 bash -c "! kill -0 $p" || kill -KILL "$p" 2>/dev/null || true
    say "default nginx stopped (pid $p, started by the package install)"
    DONE+=("stopped default nginx")
  fi
else
  say "default nginx ok (not running)"
fi

# ---------------------------------------------------------------------------------------------
# 3. npm dependencies. node@24 (devDependency) provides node_modules/.bin/node from its
#    preinstall script, so npm ci must run scripts (package.json `allowScripts` approves it).
npm_reason=""
if [[ ! -x node_modules/.bin/node ]]; then
  npm_reason="node_modules/.bin/node missing"
elif [[ ! -e node_modules/.package-lock.json ]]; then
  npm_reason="node_modules/.package-lock.json missing"
elif [[ package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm_reason="package-lock.json newer than node_modules"
fi
if [[ -z $npm_reason ]]; then
  say "npm deps ok (node $(node_modules/.bin/node --version))"
elif ! command -v npm >/dev/null; then
  say "npm deps skipped (no npm on PATH; $npm_reason)"
  MANUAL+=("install Node.js >= 20 with npm, then: cd $ROOT && npm ci")
else
  t=$(now_ms)
  NPM_LOG=$ROOT/.skew/npm-install.log
  say "npm deps installing (npm ci with npm $(npm --version) on node $(node --version): $npm_reason; log $NPM_LOG)"
  how="npm ci"
  # package-lock.json lists every platform's optional packages (test/lockfile.test.ts), so npm ci
  # installs exactly it on any machine; a refusal is a broken lockfile to fix, not to work around.
  if ! npm ci --no-audit --no-fund >"$NPM_LOG" 2>&1 9>&-; then
    grep '^npm error' "$NPM_LOG" | sed '/^npm error Clean install a project/q' | tail -n 30 >&2
    die "npm ci failed (log $NPM_LOG): if it says the lockfile is out of sync, run \`npm install\` where the registry serves every platform and commit package-lock.json"
  fi
  [[ -x node_modules/.bin/node ]] ||
    die "$how did not produce node_modules/.bin/node: the preinstall script of the 'node' package did not run (approve it: npm install-scripts approve node)"
  DONE+=("$how ($(secs "$t"))")
  say "npm deps ok (node $(node_modules/.bin/node --version); $how: $(grep -E '^(added|changed|removed|up to date)' "$NPM_LOG" | tail -n 1))"
fi
export PATH="$ROOT/node_modules/.bin:$PATH"

# ---------------------------------------------------------------------------------------------
# 4. Docker daemon and the local nginx image.
docker_ok() { docker info --format '{{.ServerVersion}}' >/dev/null 2>&1; }
dockerd_alive() { pgrep -x dockerd >/dev/null; }

IMAGE_READY=0
if ((!CONTAINER)); then
  say "docker skipped (SKEW_SETUP_CONTAINER=0)"
  say "image $IMAGE skipped (SKEW_SETUP_CONTAINER=0)"
elif ! command -v docker >/dev/null; then
  say "docker skipped (no docker CLI; see above)"
  say "image $IMAGE skipped (no docker)"
else
  # 4a. dockerd
  if docker_ok; then
    say "dockerd ok (server $(docker info --format '{{.ServerVersion}}' 2>/dev/null))"
  elif [[ -n ${DOCKER_HOST:-} && ${DOCKER_HOST} != unix:///var/run/docker.sock ]]; then
    die "DOCKER_HOST=$DOCKER_HOST does not answer (docker info failed); not starting a local dockerd"
  elif ((!IS_ROOT)) && [[ -S /var/run/docker.sock ]]; then
    say "dockerd skipped (a daemon runs but uid $EUID may not use /var/run/docker.sock)"
    MANUAL+=("sudo usermod -aG docker $(id -un)   # then log in again")
  elif ((!IS_ROOT)); then
    say "dockerd skipped (not running, and starting it needs root)"
    MANUAL+=("sudo bash $ROOT/scripts/setup.sh   # starts dockerd --iptables=false in the background")
  elif ! command -v dockerd >/dev/null; then
    die "no dockerd binary (docker.io not installed?)"
  else
    t=$(now_ms)
    if dockerd_alive; then
      say "dockerd starting (already launched as pid $(pgrep -x dockerd | head -1), waiting for it)"
    else
      DOCKERD_LOG=/var/log/skew-dockerd.log
      touch "$DOCKERD_LOG" 2>/dev/null || DOCKERD_LOG=$ROOT/.skew/dockerd.log
      say "dockerd starting (dockerd --iptables=false in the background, log $DOCKERD_LOG)"
      # Own session, no inherited lock fd, so it outlives this script and CI steps.
      setsid nohup dockerd --iptables=false </dev/null >>"$DOCKERD_LOG" 2>&1 9>&- &
    fi
    deadline=$(($(now_ms) + 30000))
    until docker_ok; do
      if ! dockerd_alive; then
        tail -n 20 "${DOCKERD_LOG:-/var/log/skew-dockerd.log}" >&2 2>/dev/null || true
        die "dockerd exited during startup (log above)"
      fi
      if (($(now_ms) >= deadline)); then
        tail -n 20 "${DOCKERD_LOG:-/var/log/skew-dockerd.log}" >&2 2>/dev/null || true
        die "timed out after 30s waiting for the docker daemon to answer 'docker info'"
      fi
      sleep 0.2
    done
    DONE+=("started dockerd ($(secs "$t"))")
    say "dockerd ok (server $(docker info --format '{{.ServerVersion}}'), pid $(cat /var/run/docker.pid 2>/dev/null || pgrep -x dockerd | head -1))"
    # A daemon that died took its containers down with it: skew's are orphans now (a run's own
    # teardown never sees them again), so they go before tests count leftovers.
    orphans=$(docker ps -aq --filter label=skew.run --filter status=exited 2>/dev/null)
    if [[ -n $orphans ]]; then
      docker rm $orphans >/dev/null && say "removed $(wc -w <<<"$orphans") exited skew container(s) left by the previous daemon"
    fi
  fi

  # 4b. local/nginx:bookworm, built from Debian's archive (no Docker registry is reachable).
  if ! docker_ok; then
    say "image $IMAGE skipped (no usable docker daemon)"
  elif size=$(docker image inspect --format '{{.Size}}' "$IMAGE" 2>/dev/null); then
    say "image $IMAGE ok ($((size / 1000000)) MB)"
    IMAGE_READY=1
  elif ((!IS_ROOT)); then
    say "image $IMAGE skipped (debootstrap needs root)"
    MANUAL+=("sudo bash $ROOT/scripts/setup.sh   # builds $IMAGE with debootstrap")
  elif ! command -v debootstrap >/dev/null; then
    die "no debootstrap (apt-get install debootstrap)"
  else
    # The machine's own Debian mirror (the one reachable archive), from sources.list or deb822.
    debian_mirror() {
      local m=""
      if [[ -r /etc/apt/sources.list ]]; then
        m=$(awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^(https?|ftp):\/\// && $i !~ /security/) { print $i; exit } }' /etc/apt/sources.list)
      fi
      if [[ -z $m ]]; then
        m=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '
          BEGIN { RS = ""; FS = "\n" }
          {
            types = ""; uris = ""; suites = ""; signed = ""; enabled = "yes"
            for (i = 1; i <= NF; i++) {
              l = $i; if (l ~ /^#/) continue
              if (l ~ /^Types:/)     { sub(/^Types:[ \t]*/, "", l); types = l }
              if (l ~ /^URIs:/)      { sub(/^URIs:[ \t]*/, "", l); split(l, u, /[ \t]+/); uris = u[1] }
              if (l ~ /^Suites:/)    { sub(/^Suites:[ \t]*/, "", l); suites = " " l " " }
              if (l ~ /^Signed-By:/) { signed = l }
              if (l ~ /^Enabled:/)   { enabled = tolower(l) ~ /no/ ? "no" : "yes" }
            }
            if (types ~ /(^| )deb( |$)/ && enabled == "yes" && uris ~ /^(https?|ftp):\/\// && uris !~ /security/ &&
                (signed ~ /debian-archive-keyring/ || uris ~ /\/debian\/?$/) && suites ~ / [a-z]+ /) { print uris; exit }
          }')
      fi
      echo "${m:-http://deb.debian.org/debian}"
    }
    MIRROR=${SKEW_DEBIAN_MIRROR:-$(debian_mirror)}
    t=$(now_ms)
    ROOTFS=$(mktemp -d /var/tmp/skew-rootfs.XXXXXX)
    BLOG=$ROOT/.skew/debootstrap.log
    # Unmount anything debootstrap left mounted (proc, sys) before deleting, and never cross
    # into another file system.
    CLEANUP+=("grep -o \" $ROOTFS[^ ]*\" /proc/mounts | sort -r | xargs -r -n1 umount -l; rm -rf --one-file-system '$ROOTFS'")
    say "image $IMAGE installing (debootstrap bookworm from $MIRROR, ~30 s, log $BLOG)"
    if ! debootstrap --variant=minbase --include=nginx-light,libnginx-mod-http-js bookworm "$ROOTFS" "$MIRROR" >"$BLOG" 2>&1 9>&-; then
      tail -n 20 "$BLOG" >&2
      die "debootstrap failed (log $BLOG)"
    fi
    t_boot=$(secs "$t")
    # Nothing may keep running from inside the chroot (debootstrap fakes service starts anyway).
    for p in $(pgrep . || true); do
      if [[ $(readlink "/proc/$p/root" 2>/dev/null) == "$ROOTFS" ]]; then
        kill -KILL "$p" 2>/dev/null || true
        say "killed pid $p left running inside the rootfs"
      fi
    done
    [[ -f $ROOTFS$NJS_MODULE ]] || die "the rootfs has no $NJS_MODULE"
    rm -rf "$ROOTFS"/var/cache/apt/* "$ROOTFS"/var/lib/apt/lists/* \
      "$ROOTFS"/usr/share/doc/* "$ROOTFS"/usr/share/man/* "$ROOTFS"/usr/share/info/* \
      "$ROOTFS"/usr/share/lintian "$ROOTFS"/usr/share/bash-completion \
      "$ROOTFS"/var/log/*.log "$ROOTFS"/var/cache/debconf/*-old "$ROOTFS"/var/lib/dpkg/*-old \
      "$ROOTFS"/etc/resolv.conf "$ROOTFS"/etc/hostname
    # Message catalogs are a third of the image; nothing in it is localised.
    find "$ROOTFS/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name locale.alias -exec rm -rf {} +
    # Like the official nginx image: default logs go to the container's stdout/stderr.
    ln -sf /dev/stdout "$ROOTFS/var/log/nginx/access.log"
    ln -sf /dev/stderr "$ROOTFS/var/log/nginx/error.log"
    tar -C "$ROOTFS" --numeric-owner -c . |
      docker import \
        -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        -c 'CMD ["nginx","-g","daemon off;"]' \
        -m "skew setup: debootstrap --variant=minbase bookworm + nginx-light, libnginx-mod-http-js from $MIRROR" \
        - "$IMAGE" >/dev/null || die "docker import failed"
    cleanup; CLEANUP=()
    # Verify: nginx runs, the njs module is there and loads with the default configuration.
    if ! out=$(docker run --rm --network host "$IMAGE" sh -c \
      "nginx -V 2>&1 | head -n 1 && test -f $NJS_MODULE && nginx -t -q -c /etc/nginx/nginx.conf && echo njs-ok" 2>&1) ||
      [[ $out != *njs-ok* ]]; then
      printf '%s\n' "$out" >&2
      docker image rm "$IMAGE" >/dev/null 2>&1 || true
      die "the new image $IMAGE failed its check (nginx -V, $NJS_MODULE, nginx -t); removed it"
    fi
    size=$(docker image inspect --format '{{.Size}}' "$IMAGE")
    DONE+=("built $IMAGE ($(secs "$t"), debootstrap $t_boot, $((size / 1000000)) MB)")
    say "image $IMAGE ok ($((size / 1000000)) MB, $(head -n 1 <<<"$out" | sed 's/^nginx version: //'), njs module present)"
    IMAGE_READY=1
  fi
fi

# ---------------------------------------------------------------------------------------------
if ((${#MANUAL[@]})); then
  say "not ready: run these, then run setup again:"
  printf '    %s\n' "${MANUAL[@]}"
  exit 69
fi
if ((${#DONE[@]})); then
  say "done in $(secs "$T_START"): $(IFS=';'; echo "${DONE[*]}" | sed 's/;/; /g')"
else
  say "done in $(secs "$T_START"): nothing to do"
fi
say "hint: export PATH=\"$ROOT/node_modules/.bin:\$PATH\"$( ((IMAGE_READY)) && echo " SKEW_NGINX_IMAGE=$IMAGE")"

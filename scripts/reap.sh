#!/usr/bin/env bash
# Removes what interrupted skew runs leave behind, and prints each thing it removed:
#   - nginx masters started with `-p <prefix>` where the prefix is under a `runs/` or `.skew`
#     directory or a `skew-*` temporary directory (with their workers),
#   - `next start` / next-server processes (with their children),
#   - headless Chromium browser processes (with their renderers and helpers),
#   - Docker containers labelled `skew.run`.
#
#   bash scripts/reap.sh [-n|--dry-run]
#
# It does not know which run a process belongs to: with a skew run in progress on this machine
# (any checkout), it stops that run too. Use --dry-run to look first. nginx inside containers is
# left to `docker rm`. Processes get SIGTERM, then SIGKILL after 3 s.
set -uo pipefail
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

DRY=0
for a in "$@"; do
  case $a in
    -n | --dry-run) DRY=1 ;;
    -h | --help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "reap: unknown argument $a (try --help)" >&2; exit 2 ;;
  esac
done

say() { printf 'reap: %s\n' "$*"; }
cmdline() { tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null; }
exe_name() { local e; e=$(readlink "/proc/$1/exe" 2>/dev/null) && echo "${e##*/}"; }
MY_PIDNS=$(readlink /proc/self/ns/pid)
# Only processes of this pid namespace (container processes are visible here too).
same_ns() { [[ $(readlink "/proc/$1/ns/pid" 2>/dev/null) == "$MY_PIDNS" ]]; }
descendants() { local c; for c in $(pgrep -P "$1"); do echo "$c"; descendants "$c"; done; }

ROOTS=() WHAT=()
add() { ROOTS+=("$1"); WHAT+=("$2"); }

# nginx masters. Their title is "nginx: master process <argv>".
for pid in $(pgrep -f '^nginx: master process'); do
  same_ns "$pid" || continue
  c=$(cmdline "$pid")
  [[ $c =~ [[:space:]]-p[[:space:]]+([^[:space:]]+) ]] || continue
  prefix=${BASH_REMATCH[1]}
  if [[ $prefix =~ (^|/)(runs|\.skew)(/|$) || $prefix =~ /skew-[^/]*(/|$) ]]; then
    add "$pid" "nginx master (prefix $prefix)"
  fi
done

# next start, which may retitle itself "next-server (vX)"; only node processes.
NEXT=()
for pid in $(pgrep -f '(^|/| )next start( |$)|^next-server'); do
  same_ns "$pid" || continue
  [[ $(exe_name "$pid") == node* ]] || continue
  c=$(cmdline "$pid")
  [[ $c == next-server* || $c =~ (^|/|[[:space:]])next[[:space:]]start ]] && NEXT+=("$pid")
done
for pid in "${NEXT[@]}"; do
  # A child of another matched next process goes with its parent.
  ppid=$(ps -o ppid= -p "$pid" | tr -d ' ')
  [[ " ${NEXT[*]} " == *" $ppid "* ]] && continue
  c=$(cmdline "$pid")
  port=$([[ $c =~ [[:space:]]-p[[:space:]]+([0-9]+) ]] && echo ", port ${BASH_REMATCH[1]}")
  add "$pid" "next server (cwd $(readlink "/proc/$pid/cwd")$port)"
done

# Headless Chromium: the browser process only (no --type=); its helpers are its descendants.
for pid in $(pgrep -f -- '--headless'); do
  same_ns "$pid" || continue
  [[ $(exe_name "$pid") =~ ^(chromium|chrome|headless_shell|chrome-headless-shell)$ ]] || continue
  c=$(cmdline "$pid")
  [[ $c == *--type=* ]] && continue
  dir=$([[ $c =~ --user-data-dir=([^[:space:]]+) ]] && echo ", profile ${BASH_REMATCH[1]}")
  add "$pid" "headless chromium$dir"
done

killed=0
if ((${#ROOTS[@]})); then
  ALL=()
  for i in "${!ROOTS[@]}"; do
    pid=${ROOTS[$i]}
    mapfile -t kids < <(descendants "$pid")
    more=$( ((${#kids[@]} == 1)) && echo " + 1 child process"; ((${#kids[@]} > 1)) && echo " + ${#kids[@]} child processes")
    if ((DRY)); then
      say "would kill pid $pid: ${WHAT[$i]}$more"
    else
      say "killing pid $pid: ${WHAT[$i]}$more"
      ALL+=("$pid" "${kids[@]}")
      kill -TERM "$pid" 2>/dev/null
    fi
  done
  if ((!DRY)); then
    for _ in $(seq 30); do
      alive=()
      for p in "${ALL[@]}"; do kill -0 "$p" 2>/dev/null && alive+=("$p"); done
      ((${#alive[@]})) || break
      sleep 0.1
    done
    if ((${#alive[@]})); then
      say "SIGKILL to ${#alive[@]} processes still alive after 3 s: ${alive[*]}"
      kill -KILL "${alive[@]}" 2>/dev/null
    fi
    killed=${#ROOTS[@]}
  fi
fi

removed=0
if ! command -v docker >/dev/null; then
  say "containers skipped (no docker CLI)"
elif ! rows=$(docker ps -a --filter label=skew.run --format '{{.ID}}	{{.Names}}	{{.Label "skew.run"}}	{{.Status}}' 2>/dev/null); then
  say "containers skipped (no docker daemon answers)"
elif [[ -n $rows ]]; then
  while IFS=$'\t' read -r id name run status; do
    if ((DRY)); then
      say "would remove container $name ($id, skew.run=$run, $status)"
    elif docker rm -f "$id" >/dev/null; then
      say "removed container $name ($id, skew.run=$run, $status)"
      removed=$((removed + 1))
    else
      say "could not remove container $name ($id)"
    fi
  done <<<"$rows"
fi

if ((DRY)); then
  say "dry run: nothing removed"
elif ((killed + removed)); then
  say "done: $killed process trees killed, $removed containers removed"
else
  say "nothing to remove"
fi

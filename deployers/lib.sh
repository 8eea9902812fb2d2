# Shared steps of our reference deploy scripts, written the way the rollback document shows them
# (rsync, ln -sfn, curl to the purge API). Sourced by each deployer; every variable comes from
# the skew deployer contract (docs/deployer-contract.md).
set -euo pipefail

# Named by the deployment id, or for a build without one by its build id (SKEW_RELEASE_ID).
TARGET_RELEASE="${RELEASES_DIR}/${SKEW_RELEASE_ID:-${SKEW_DEPLOYMENT_ID}}"
# Empty for a build made without a deployment id (--deployment-id off).
DEPLOYMENT_ID="${SKEW_DEPLOYMENT_ID:-}"
# The release that was live when this action started (empty on the first deploy: -e, because
# -f would name the missing `current` itself).
PREVIOUS_RELEASE="$(readlink -e "${CURRENT_LINK}" 2>/dev/null || true)"
# Releases a rollback moved away from, one file each holding when their HTML purge completed.
RETIRED_DIR="${SKEW_DEPLOY_ROOT}/retired"
# The scenario clock (the system clock outside skew).
NOW="${SKEW_NOW:-$(date +%s)}"

# Install the artifact as its own release directory (a rollback reinstalls one that aged out).
install_release() {
  mkdir -p "${RELEASES_DIR}"
  if [[ ! -d "${TARGET_RELEASE}" ]]; then
    rsync -a --exclude .next/cache "${SKEW_BUILD_DIR}/" "${TARGET_RELEASE}.tmp/"
    mv "${TARGET_RELEASE}.tmp" "${TARGET_RELEASE}"
  fi
  touch "${TARGET_RELEASE}"
  wait_uploaded
}

# A store can show an upload late (eventual consistency, replication) or in another order than
# it was written (static files last). Before anything points at the release, every file of the
# build must be visible in it. Bounded: a release that never completes is not switched to.
UPLOAD_TRIES="${UPLOAD_TRIES:-150}" # checks 0.2 s apart
wait_uploaded() {
  local try missing
  for ((try = 1; try <= UPLOAD_TRIES; try++)); do
    missing=$(comm -23 <(cd "${SKEW_BUILD_DIR}" && find . -path ./.next/cache -prune -o -type f -print | sort) \
      <(cd "${TARGET_RELEASE}" && find . -type f -print | sort) | wc -l)
    if ((missing == 0)); then
      ((try > 1)) && echo "every file of the upload is visible in the store (after ${try} checks)"
      return 0
    fi
    sleep 0.2
  done
  echo "${missing} file(s) of the upload are still not visible after ${UPLOAD_TRIES} checks: not switching to it" >&2
  exit "${SKEW_REFUSE_EXIT:-77}"
}

# Step 3 of the document: verify the target release, then the symlink swap.
switch_current() {
  if [[ ! -f "${TARGET_RELEASE}/.next/BUILD_ID" ]]; then
    echo "ERROR: Target release missing BUILD_ID. Aborting." >&2
    exit 1
  fi
  echo "${SKEW_ACTION}: buildId $(cat "${TARGET_RELEASE}/.next/BUILD_ID")"
  point_current "${TARGET_RELEASE}"
}

# Points current at $1 in one step: a new link under a temporary name, renamed over current
# (rename(2) replaces atomically; `ln -sfn` alone is atomic only where ln renames a temporary link
# over the old one, as coreutils 9 does: busybox and older ln unlink, then link).
point_current() {
  ln -sfn "$1" "${CURRENT_LINK}.next"
  mv -Tf "${CURRENT_LINK}.next" "${CURRENT_LINK}"
}

# Keep the newest $1 releases (never the current one).
keep_releases() {
  ls -1t "${RELEASES_DIR}" | tail -n +$(($1 + 1)) | while read -r old; do
    [[ "${RELEASES_DIR}/${old}" == "$(readlink -f "${CURRENT_LINK}")" ]] || rm -rf "${RELEASES_DIR:?}/${old}"
  done
}

# `pm2 reload all`: returns once the app serves the current release.
reload_app() {
  local out
  out=$(curl -sS --fail-with-body -X POST "${SKEW_RELOAD_URL}") || { local rc=$?; echo "reload failed: ${out}" >&2; return "${rc}"; }
}

# Before the purge sends everyone to the new release, it must answer through the edge as the new
# deployment (x-nextjs-deployment-id), on a URL no cache holds. Bounded: a release that never
# answers is switched back and the action refused (SKEW_REFUSE_EXIT), so the previous one keeps
# serving and nothing was purged.
HEALTH_TRIES="${HEALTH_TRIES:-30}"
# Each check may take this long: an origin that is slow, not dead, must not be refused.
HEALTH_MAX_TIME="${HEALTH_MAX_TIME:-5}"
# One good answer is not proof: after it, HEALTH_SOAK more checks run at once, and more than
# HEALTH_SOAK_FAILS failures among them mean an unstable release (one reset is not a verdict).
HEALTH_SOAK="${HEALTH_SOAK:-20}"
HEALTH_SOAK_FAILS="${HEALTH_SOAK_FAILS:-2}"
# Makes each action's health URLs its own: not $$, which the sandbox's PID namespace gives the
# same small number in every action, nor the build id, which Next 16 builds share (a check of B
# then got A's page from the edge's cache).
HEALTH_NONCE="$(date +%s%N)-${RANDOM}"
wait_serving() {
  local try path status code id
  # The first path, without a pipe into `head`: under pipefail, printf killed by SIGPIPE once
  # head has its line made the whole deploy exit 141 now and then (seen under parallel load).
  local paths=()
  read -r -d '' -a paths <<<"${SKEW_HTML_PATHS:-/}" || true
  path=${paths[0]:-/}
  for ((try = 1; try <= HEALTH_TRIES; try++)); do
    read -r status code id < <(check_urls "${SITE_URL}${path}?skew-health=${SKEW_BUILD_ID}-${HEALTH_NONCE}-${try}")
    if healthy "${status}" "${code}" "${id:-}"; then
      ((try > 1)) && echo "the new release answers through the edge (after ${try} checks)"
      soak "${path}"
      return 0
    fi
    sleep 0.5
  done
  refuse_release "the new release does not answer through the edge after ${HEALTH_TRIES} checks (last: HTTP ${status:-none}, curl exit ${code:-none})"
}

# GETs the URLs at once (--parallel-immediate: new connections, curl otherwise waits to
# multiplex on one); one line each: HTTP status, curl's exit code, and the build that answered:
# its x-nextjs-deployment-id header (Next sends it on RSC and /_next/data answers only), else the deployment
# id its page's asset URLs carry (?dpl=), else, for a build without one, its BUILD_ID when the
# page carries it.
check_urls() {
  local url i=0 args=() dir status code file id
  dir=$(mktemp -d)
  for url in "$@"; do
    args+=(-o "${dir}/${i}" "${url}")
    i=$((i + 1))
  done
  # Fields split at '|' with the file last: its path may hold spaces (TMPDIR under a run folder
  # named "My Projects"), and an empty header must stay an empty field.
  curl -sS --parallel --parallel-immediate --parallel-max 50 --max-time "${HEALTH_MAX_TIME}" \
    -w '%{http_code}|%{exitcode}|%header{x-nextjs-deployment-id}|%{filename_effective}\n' "${args[@]}" 2>/dev/null |
    while IFS='|' read -r status code id file; do
      if [[ -z "${id}" && -f "${file}" ]]; then
        if [[ -n "${DEPLOYMENT_ID}" ]]; then
          grep -qF -- "dpl=${DEPLOYMENT_ID}" "${file}" && id="${DEPLOYMENT_ID}"
        else
          grep -qF -- "${SKEW_BUILD_ID}" "${file}" && id="${SKEW_BUILD_ID}"
        fi
      fi
      echo "${status} ${code} ${id}"
    done || true
  rm -rf "${dir}"
}

# A whole answer (an answer cut off after its headers is a failure) from the new build: its
# deployment id in the header, or its build id in the page.
healthy() {
  [[ "$2" == 0 && "$3" == "${DEPLOYMENT_ID:-${SKEW_BUILD_ID}}" ]]
}

soak() {
  ((HEALTH_SOAK > 0)) || return 0
  local i urls=() good=0 bad status code id
  for ((i = 1; i <= HEALTH_SOAK; i++)); do urls+=("${SITE_URL}$1?skew-health=${SKEW_BUILD_ID}-${HEALTH_NONCE}-soak-${i}"); done
  while read -r status code id; do
    healthy "${status}" "${code}" "${id:-}" && good=$((good + 1))
  done < <(check_urls "${urls[@]}")
  bad=$((HEALTH_SOAK - good)) # a check with no line at all failed too
  ((bad <= HEALTH_SOAK_FAILS)) || refuse_release "the new release is unstable: ${bad} of ${HEALTH_SOAK} checks through the edge failed"
  ((bad == 0)) || echo "${bad} of ${HEALTH_SOAK} checks through the edge failed (up to ${HEALTH_SOAK_FAILS} tolerated)"
}

# Switch back to the release that was live and refuse the action: nothing was purged yet.
refuse_release() {
  echo "$1: switching back" >&2
  if [[ -n "${PREVIOUS_RELEASE}" && "${PREVIOUS_RELEASE}" != "${TARGET_RELEASE}" ]]; then
    point_current "${PREVIOUS_RELEASE}"
    reload_app
  fi
  exit "${SKEW_REFUSE_EXIT:-77}"
}

# POST a purge body to the Cloudflare-compatible API, the way Cloudflare asks clients to behave:
# a 429 waits its Retry-After, a 5xx / non-JSON answer / no answer within PURGE_TIMEOUT_S backs
# off and retries, up to PURGE_ATTEMPTS; any other rejection is our mistake and fails at once.
# The deploy fails when the purge never got through: a purge that did not happen is not success.
PURGE_ATTEMPTS="${PURGE_ATTEMPTS:-5}"
PURGE_TIMEOUT_S="${PURGE_TIMEOUT_S:-5}"
purge() {
  local attempt code wait body headers
  body=$(mktemp) headers=$(mktemp)
  for ((attempt = 1; ; attempt++)); do
    code=$(curl -sS -o "${body}" -D "${headers}" -w '%{http_code}' --max-time "${PURGE_TIMEOUT_S}" -X POST \
      "${CF_API_BASE}/zones/${CF_ZONE_ID}/purge_cache" \
      -H "Authorization: Bearer ${CF_API_TOKEN}" \
      -H "Content-Type: application/json" \
      -d "$1") || code=000
    if [[ "${code}" == 200 ]] && jq -e '.success == true' "${body}" >/dev/null 2>&1; then
      rm -f "${body}" "${headers}"
      return 0
    fi
    if [[ "${code}" != 429 && "${code}" != 5?? && "${code}" != 000 ]] || ((attempt >= PURGE_ATTEMPTS)); then
      echo "purge failed (HTTP ${code}, attempt ${attempt}/${PURGE_ATTEMPTS}): $(head -c 300 "${body}")" >&2
      rm -f "${body}" "${headers}"
      return 1
    fi
    wait=$(grep -i '^retry-after:' "${headers}" | tr -dc '0-9' || true)
    wait="${wait:-${attempt}}"
    echo "purge: HTTP ${code}, retrying in ${wait} s (attempt ${attempt}/${PURGE_ATTEMPTS})" >&2
    sleep "${wait}"
  done
}

# The document's verification: right after the purge the edge must answer MISS (Age 0); a HIT
# whose Age reaches back before the purge means it has not landed. Every URL is checked at once
# (a slow origin answers each MISS late: one after another, 16 pages would take 16 times as
# long), the stale ones again until they are fresh (bounded), with one more purge half-way; the
# deploy fails if an old copy is still served.
VERIFY_TRIES="${VERIFY_TRIES:-30}"
verify_purged() {
  local since="$1" body="$2" try url status age args=() stale=() last=""
  shift 2
  local left=("$@")
  for ((try = 1; ; try++)); do
    args=()
    for url in "${left[@]}"; do args+=(-o /dev/null "${url}"); done
    stale=()
    while IFS=$'\t' read -r url status age; do
      if [[ "${status}" == HIT && "${age:-0}" -gt $(($(date +%s) - since)) ]]; then
        stale+=("${url}")
        last="${url} still ${status} with Age ${age}"
      fi
    done < <(curl -sS --parallel --parallel-immediate --parallel-max 50 --max-time 5 \
      -w '%{url_effective}\t%header{cf-cache-status}\t%header{age}\n' "${args[@]}" 2>/dev/null || true)
    ((${#stale[@]} == 0)) && return 0
    if ((try >= VERIFY_TRIES)); then
      echo "purge did not land: ${last}" >&2
      return 1
    fi
    if ((try == VERIFY_TRIES / 2)); then
      echo "purge not landed after ${try} checks: purging again" >&2
      while read -r again; do purge "${again}"; done <<<"${body}"
    fi
    left=("${stale[@]}")
    sleep 0.5
  done
}

# Cloudflare takes at most 100 files (or prefixes) per purge request (code 1094 beyond): purge
# the items given on stdin, one per line, in requests of PURGE_BATCH. Prints each request's body
# (one line each), for the verification to purge a batch again.
PURGE_BATCH="${PURGE_BATCH:-100}"
purge_items() {
  local key=$1 batch
  while read -r batch; do
    purge "{\"${key}\": ${batch}}" || return 1
    echo "{\"${key}\": ${batch}}"
  done < <(batches)
}

# The lines on stdin as JSON arrays of at most PURGE_BATCH strings, one array per line.
batches() {
  jq -R 'select(length > 0)' | jq -s -c --argjson n "${PURGE_BATCH}" '[range(0; length; $n) as $i | .[$i:$i + $n]] | .[]'
}

# Step 4 of the document: purge only the HTML entry points, NOT _next/static/*, then verify
# at every edge location (SKEW_EDGE_URLS): a purge that has not reached a PoP shows there.
purge_html() {
  local since bodies base
  since=$(date +%s)
  bodies=$(printf '%s\n' ${SKEW_HTML_PATHS} | sed "s|^|${SITE_URL}|" | purge_items files)
  for base in ${SKEW_EDGE_URLS:-${SITE_URL}}; do
    verify_purged "${since}" "${bodies}" $(printf "${base}%s\n" ${SKEW_HTML_PATHS})
  done
  purge_html_prefixes
}

# Pages a route renders on demand and the edge then caches (getStaticProps with fallback) are
# HTML entry points no build lists: purge them by their route's prefix (hostname/path: no
# scheme, no port, as Cloudflare takes prefixes).
purge_html_prefixes() {
  [[ -n "${SKEW_HTML_PREFIXES:-}" ]] || return 0
  echo "purging pages rendered on demand under: ${SKEW_HTML_PREFIXES//$'\n'/ }"
  printf '%s\n' ${SKEW_HTML_PREFIXES} | sed "s|^|${SKEW_HOST:-${DOMAIN%%:*}}|" | purge_items prefixes >/dev/null
}

# public/ files carry no hash: purge exactly the ones that differ from the previous release
# ("If the bad deploy changed a public/ file, you must explicitly purge that path").
purge_changed_public() {
  [[ -n "${PREVIOUS_RELEASE}" && "${PREVIOUS_RELEASE}" != "${TARGET_RELEASE}" && -d "${PREVIOUS_RELEASE}/public" ]] || return 0
  local changed
  changed=$({ (cd "${TARGET_RELEASE}/public" && find . -type f); (cd "${PREVIOUS_RELEASE}/public" && find . -type f); } | sort -u |
    while read -r f; do cmp -s "${TARGET_RELEASE}/public/${f}" "${PREVIOUS_RELEASE}/public/${f}" || echo "${f#.}"; done)
  [[ -n "${changed}" ]] || return 0
  echo "purging changed public files: ${changed//$'\n'/ }"
  printf '%s\n' ${changed} | sed "s|^|${SITE_URL}${SKEW_BASE_PATH:-}|" | purge_items files >/dev/null
}

# The number of a migration file: db/migrations/002_rename.sql → 2.
migration_number() {
  local name
  name=$(basename "$1")
  echo $((10#${name%%_*}))
}

# The schema a build's code reads: its highest migration (0 without any).
schema_of() {
  local f n=0
  for f in "$1"/db/migrations/*.sql; do [[ -f "${f}" ]] && n=$(migration_number "${f}"); done
  echo "${n}"
}

# Apply the release's pending migrations to the shared database before it goes live, the way
# `prisma migrate deploy` runs in a pipeline. PRAGMA user_version holds the schema number.
migrate_database() {
  [[ -n "${DATABASE_PATH:-}" && -d "${TARGET_RELEASE}/db/migrations" ]] || return 0
  command -v sqlite3 >/dev/null || { echo "sqlite3 is missing (apt-get install sqlite3; npm run setup installs it)" >&2; return 1; }
  mkdir -p "$(dirname "${DATABASE_PATH}")"
  local f n db
  db=$(sqlite3 "${DATABASE_PATH}" 'PRAGMA user_version;')
  for f in "${TARGET_RELEASE}"/db/migrations/*.sql; do
    [[ -f "${f}" ]] || continue # an empty directory (a copy killed part-way) leaves the pattern
    n=$(migration_number "${f}")
    ((n > db)) || continue
    echo "migrating the database to schema ${n} ($(basename "${f}"))"
    sqlite3 "${DATABASE_PATH}" "BEGIN; $(cat "${f}") PRAGMA user_version = ${n}; COMMIT;"
    db=${n}
  done
}

# The document's table, "Database/schema dependency": rolled-back code must be compatible with
# the current database. A migration the target's code predates must be marked
# "-- backward-compatible: yes" (expand only), or the rollback is refused: forward-fix instead.
refuse_unsafe_rollback() {
  [[ "${SKEW_ACTION}" == rollback && -n "${DATABASE_PATH:-}" && -f "${DATABASE_PATH}" ]] || return 0
  local db target f n
  db=$(sqlite3 "${DATABASE_PATH}" 'PRAGMA user_version;')
  target=$(schema_of "${SKEW_BUILD_DIR}")
  ((db > target)) || return 0
  for f in "${RELEASES_DIR}"/*/db/migrations/*.sql; do
    [[ -f "${f}" ]] || continue
    n=$(migration_number "${f}")
    ((n > target && n <= db)) || continue
    grep -q -- '-- backward-compatible: yes' "${f}" && continue
    echo "REFUSED: rolling back to ${SKEW_VERSION} is unsafe: the database is at schema ${db}, ${SKEW_VERSION}'s code reads schema ${target}, and $(basename "${f}") is not backward-compatible. Forward-fix instead."
    exit "${SKEW_REFUSE_EXIT:-77}"
  done
}

# After a rollback's purge went through: stamp the release rolled back from. The FAQ: keep
# its static files "for at least fifteen minutes after the CDN purge reports complete".
retire_previous() {
  [[ "${SKEW_ACTION}" == rollback && -n "${PREVIOUS_RELEASE}" && "${PREVIOUS_RELEASE}" != "$(readlink -f "${CURRENT_LINK}")" ]] || return 0
  mkdir -p "${RETIRED_DIR}"
  echo "${NOW}" >"${RETIRED_DIR}/$(basename "${PREVIOUS_RELEASE}")"
}

# The delayed cleanup: remove each retired release once its purge is at least $1 seconds old.
remove_retired() {
  local min_age=$1 stamp id age
  for stamp in "${RETIRED_DIR}"/*; do
    [[ -f "${stamp}" ]] || continue
    id=$(basename "${stamp}")
    age=$((NOW - $(cat "${stamp}")))
    if [[ "$(readlink -f "${RELEASES_DIR}/${id}")" == "$(readlink -f "${CURRENT_LINK}")" ]]; then
      rm -f "${stamp}" # live again (rolled forward onto it): not retired any more
    elif ((age >= min_age)); then
      echo "removing retired release ${id} ($((age / 60)) min after its purge, window $((min_age / 60)) min)"
      rm -rf "${RELEASES_DIR:?}/${id}" "${stamp}"
    else
      echo "keeping retired release ${id} ($((age / 60)) min after its purge, window $((min_age / 60)) min)"
    fi
  done
}

# The single-origin and rolling worlds (docs/worlds.md): one server (or a Deployment's pods) runs
# current behind the team's nginx.
# Skew protection of its own: the release that was live keeps its server (the process manager's
# `pm2 start`, SKEW_PM_URL), and the team's nginx map sends every request carrying that
# release's deployment id (x-deployment-id: RSC payloads, /_next/data, Server Actions) to it.
# One file per kept server in SERVERS_DIR: "<port> <when it was replaced>".
SERVERS_DIR="${SKEW_DEPLOY_ROOT}/servers"
keep_previous_server() {
  [[ -n "${SKEW_PM_URL:-}" && -n "${PREVIOUS_RELEASE}" && "${PREVIOUS_RELEASE}" != "${TARGET_RELEASE}" ]] || return 0
  local id answer
  id=$(basename "${PREVIOUS_RELEASE}")
  answer=$(curl -sS --fail-with-body -X POST "${SKEW_PM_URL}/start/${id}") || { echo "could not keep ${id}'s server: ${answer}" >&2; return 1; }
  mkdir -p "${SERVERS_DIR}"
  echo "$(jq -r .port <<<"${answer}") ${NOW}" >"${SERVERS_DIR}/${id}"
  echo "keeping ${id}'s server up for its open tabs (port $(jq -r .port <<<"${answer}"))"
  write_routes
}

# The team's nginx: a map from a kept release's deployment id to its server, and the switch.
# Applied by the next reload (nginx -t first).
write_routes() {
  mkdir -p "${SKEW_NGINX_DIR}/http.d" "${SKEW_NGINX_DIR}/server.d"
  local f
  {
    # The deployment id a request carries, as Next sends it: ?dpl= (assets, /_next/image) or
    # x-deployment-id (RSC, data, Server Actions). Paths OWN_ROUTING_SKIP matches go to current.
    echo 'map "$arg_dpl|$http_x_deployment_id" $own_id {'
    echo '  "~^(?<own_dpl>[A-Za-z0-9_-]+)\|" $own_dpl;'
    echo '  "~^\|(?<own_header>[A-Za-z0-9_-]+)$" $own_header;'
    echo '  default "";'
    echo '}'
    echo 'map $uri $own_pin {'
    echo '  default $own_id;'
    [[ -n "${OWN_ROUTING_SKIP:-}" ]] && echo "  \"~${OWN_ROUTING_SKIP}\" \"\";"
    echo '}'
    echo 'map $own_pin $own_release {'
    echo '  default "";'
    for f in "${SERVERS_DIR}"/*; do
      [[ -f "${f}" ]] && echo "  \"$(basename "${f}")\" 127.0.0.1:$(cut -d' ' -f1 "${f}");"
    done
    echo '}'
    # A Pages Router data request of Next 14 carries no deployment id, only its build's id in the
    # path (/_next/data/<build id>/page.json): route it by that to the kept server of that build.
    echo 'map $uri $own_data_build {'
    echo "  \"~^${SKEW_BASE_PATH:-}/_next/data/(?<own_bid>[^/]+)/\" \$own_bid;"
    echo '  default "";'
    echo '}'
    # Only a build id no other build has: Next 16 without generateBuildId gives every build the
    # same one, and the live build's own requests must stay with it.
    echo 'map $own_data_build $own_data_release {'
    echo '  default "";'
    local bid seen=" $(cat "$(readlink -f "${CURRENT_LINK}")/.next/BUILD_ID" 2>/dev/null) " dup=" "
    for f in "${SERVERS_DIR}"/*; do
      bid=$(cat "${RELEASES_DIR}/$(basename "${f}")/.next/BUILD_ID" 2>/dev/null) || continue
      [[ "${seen}" == *" ${bid} "* ]] && dup+="${bid} "
      seen+="${bid} "
    done
    for f in "${SERVERS_DIR}"/*; do
      bid=$(cat "${RELEASES_DIR}/$(basename "${f}")/.next/BUILD_ID" 2>/dev/null) || continue
      [[ "${dup}" == *" ${bid} "* ]] || echo "  \"${bid}\" 127.0.0.1:$(cut -d' ' -f1 "${f}");"
    done
    echo '}'
  } >"${SKEW_NGINX_DIR}/http.d/own-routing.conf"
  {
    echo 'if ($own_data_release) { set $skew_backend $own_data_release; }'
    echo 'if ($own_release) { set $skew_backend $own_release; }'
  } >"${SKEW_NGINX_DIR}/server.d/own-routing.conf"
  [[ "${SKEW_WORLD:-}" == rolling ]] && write_static_from_store
  return 0
}

# The rolling world: each pod serves only its own build's files, so an old tab's chunk that
# round-robin sends to a new pod is a 404. Serve /_next/static from the release store instead
# (a volume every release is installed to, as a team mounts one or uploads to a bucket): the
# target release first, then current and every kept one.
write_static_from_store() {
  local id candidates="/current/.next/static/\$own_static"
  for id in "$(basename "${TARGET_RELEASE}")" $(ls -1t "${RELEASES_DIR}" 2>/dev/null); do
    candidates+=" /${RELEASES_DIR##*/}/${id}/.next/static/\$own_static"
  done
  cat >"${SKEW_NGINX_DIR}/server.d/own-static.conf" <<EOF_STATIC
location ~ "^/_next/static/(?<own_static>.+)\$" {
  root "${SKEW_DEPLOY_ROOT}";
  add_header Cache-Control "public, max-age=31536000, immutable";
  try_files ${candidates} =404;
}
EOF_STATIC
}

# The delayed cleanup: stop each kept server replaced at least $1 seconds ago (a server that is
# current again is no longer a kept one), and route nothing more to it.
stop_replaced_servers() {
  local min_age=$1 f id age
  for f in "${SERVERS_DIR}"/*; do
    [[ -f "${f}" ]] || continue
    id=$(basename "${f}")
    age=$((NOW - $(cut -d' ' -f2 "${f}")))
    if [[ "$(readlink -f "${RELEASES_DIR}/${id}")" == "$(readlink -f "${CURRENT_LINK}")" ]]; then
      rm -f "${f}"
    elif ((age >= min_age)); then
      echo "stopping ${id}'s server ($((age / 60)) min after it was replaced, window $((min_age / 60)) min)"
      rm -f "${f}"
      write_routes
      reload_app
      curl -sS --fail-with-body -X POST "${SKEW_PM_URL}/stop/${id}" >/dev/null
    fi
  done
}

# The rollback document's whole deploy (and rollback) in its order: the release complete on
# disk, the database migrated, then the atomic switch, the reload, and the purge of HTML and
# changed public/ files only — never _next/static. Keeps the last 3 releases.
deploy_release() {
  install_release
  migrate_database
  switch_current
  keep_releases 3
  reload_app
  wait_serving
  purge_html
  purge_changed_public
  retire_previous
}

# SKEW_ACTION=cleanup: a script with a delayed cleanup defines on_cleanup before sourcing this
# file; the others keep everything until their next deploy.
if [[ "${SKEW_ACTION}" == cleanup ]]; then
  if declare -F on_cleanup >/dev/null; then
    on_cleanup
  else
    echo "cleanup: nothing to do (releases are pruned on deploy)"
  fi
  exit 0
fi

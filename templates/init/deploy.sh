#!/usr/bin/env bash
# Our deploy, as skew runs it. Written by `npx skew init`: replace each step with your own
# commands (rsync to your hosts, `pm2 reload`, your CDN's purge) and keep the order, which is
# what keeps users on older builds working. The contract this follows:
# node_modules/next-skew/docs/deployer-contract.md.
#
#   skew calls:  deploy.sh deploy|rollback|cleanup <version>   (everything else comes from the env)
#
# What skew gives, every variable of the contract (each is used below):
#   SKEW_ACTION, SKEW_VERSION   the action and the version letter (also $1 and $2)
#   SKEW_BUILD_DIR              the built app of that version (.next/, public/, package.json). Read-only: copy from it
#   SKEW_BUILD_ID               its .next/BUILD_ID
#   SKEW_DEPLOYMENT_ID          the deployment id it was built with (asset URLs carry ?dpl=<id>); NEXT_DEPLOYMENT_ID
#                               is the same; both unset for a build without one
#   SKEW_RELEASE_ID             what to name the release by (the deployment id, else the build id)
#   SKEW_DEPLOY_ROOT            the folder this script owns, and its working directory
#   RELEASES_DIR, CURRENT_LINK  $SKEW_DEPLOY_ROOT/releases and $SKEW_DEPLOY_ROOT/current: the stack runs `next start`
#                               in each release folder and sends new visitors to `current` once it reloads
#   SITE_URL, DOMAIN, SKEW_HOST the CDN edge (http://127.0.0.1:<port>, 127.0.0.1:<port>, 127.0.0.1)
#   SKEW_EDGE_URLS              every edge location, SITE_URL first: verify a purge at each
#   SKEW_HTML_PATHS             this build's HTML entry points, one per line: what "purge the HTML" purges
#   SKEW_HTML_PREFIXES          where it renders pages on demand that the edge caches: purged by prefix
#   SKEW_BASE_PATH              the app's basePath ('' for none)
#   CF_API_BASE, CF_ZONE_ID, CF_API_TOKEN   a Cloudflare-compatible purge API (swap the base URL for Cloudflare's)
#   SKEW_RELOAD_URL             POST = your process manager's reload (`pm2 reload`)
#   DATABASE_PATH               the database every release shares
#   SKEW_NOW, SKEW_CLOCK_OFFSET_S   the scenario clock (epoch seconds; how far it runs ahead of the system clock)
#   SKEW_REFUSE_EXIT            77: exit with it to refuse an unsafe action (nothing may have changed)
#   SKEW_WORLD                  pinned | single-origin | rolling (docs/worlds.md)
#   SKEW_NGINX_DIR, SKEW_PM_URL single-origin and rolling: your part of the origin nginx, and the process manager
#                               that keeps a release's server running (`pm2 start`)
set -euo pipefail

ACTION="${SKEW_ACTION:-$1}"
VERSION="${SKEW_VERSION:-$2}"
RELEASE="${RELEASES_DIR}/${SKEW_RELEASE_ID}"
# The release live before this action (empty on the first deploy).
PREVIOUS="$(readlink -e "${CURRENT_LINK}" 2>/dev/null || true)"
# The scenario clock: decide what is old enough to delete by it, never by `date` or mtimes.
NOW="${SKEW_NOW:-$(date +%s)}"
# The edge answers with the new build once its pages carry this (see healthy below).
MARKER="${SKEW_DEPLOYMENT_ID:+dpl=${SKEW_DEPLOYMENT_ID}}"
MARKER="${MARKER:-${SKEW_BUILD_ID}}"
# How long a rolled-back build's files stay after its purge (old tabs still load them).
RETENTION_S=$((15 * 60))
echo "${ACTION} ${VERSION}: build ${SKEW_BUILD_ID}${NEXT_DEPLOYMENT_ID:+, deployment ${NEXT_DEPLOYMENT_ID}} (${SKEW_WORLD:-pinned} world, clock +${SKEW_CLOCK_OFFSET_S:-0} s)"

# 1. The release, complete on disk before anything points at it (a temporary name, then a rename).
install_release() {
  mkdir -p "${RELEASES_DIR}"
  if [[ ! -d "${RELEASE}" ]]; then
    rm -rf "${RELEASE}.tmp"
    cp -a "${SKEW_BUILD_DIR}/." "${RELEASE}.tmp/"
    rm -rf "${RELEASE}.tmp/.next/cache"
    mv "${RELEASE}.tmp" "${RELEASE}"
  fi
  touch "${RELEASE}"
}

# 2. Migrations before the switch (your `prisma migrate deploy`). Here: a release's
#    db/migrations/NNN_*.sql against the shared SQLite database, PRAGMA user_version as its schema.
migrate() {
  [[ -n "${DATABASE_PATH:-}" && -d "${RELEASE}/db/migrations" ]] || return 0
  local f n db
  mkdir -p "$(dirname "${DATABASE_PATH}")"
  db=$(sqlite3 "${DATABASE_PATH}" 'PRAGMA user_version;')
  for f in "${RELEASE}"/db/migrations/*.sql; do
    [[ -f "${f}" ]] || continue
    n=$((10#$(basename "${f}" | cut -d_ -f1)))
    ((n > db)) || continue
    if [[ "${ACTION}" == rollback ]]; then
      echo "refusing to roll back to ${VERSION}: the database is at schema ${db}, below its own migrations: forward-fix instead"
      exit "${SKEW_REFUSE_EXIT}"
    fi
    sqlite3 "${DATABASE_PATH}" "BEGIN; $(cat "${f}") PRAGMA user_version = ${n}; COMMIT;"
    db=${n}
  done
}

# A rollback to code older than the database's schema is refused, not run: its server could not read it.
refuse_unsafe_rollback() {
  [[ "${ACTION}" == rollback && -n "${DATABASE_PATH:-}" && -f "${DATABASE_PATH}" ]] || return 0
  local db target=0 f
  db=$(sqlite3 "${DATABASE_PATH}" 'PRAGMA user_version;')
  for f in "${SKEW_BUILD_DIR}"/db/migrations/*.sql; do [[ -f "${f}" ]] && target=$((10#$(basename "${f}" | cut -d_ -f1))); done
  if ((db > target)); then
    echo "refusing to roll back to ${VERSION}: its code reads schema ${target}, the database is at ${db}: forward-fix instead"
    exit "${SKEW_REFUSE_EXIT}"
  fi
}

# 3. Keep the previous release's server for its open tabs (single-origin and rolling worlds: one
#    server runs `current`; pinned runs every release folder already), and route requests that
#    carry its deployment id (?dpl=, x-deployment-id) to it with a map in your nginx.
keep_previous_server() {
  [[ -n "${SKEW_PM_URL:-}" && -n "${PREVIOUS}" && "${PREVIOUS}" != "${RELEASE}" ]] || return 0
  local id port
  id=$(basename "${PREVIOUS}")
  port=$(curl -sS --fail-with-body -X POST "${SKEW_PM_URL}/start/${id}" | jq -r .port)
  mkdir -p "${SKEW_DEPLOY_ROOT}/servers"
  echo "${port} ${NOW}" >"${SKEW_DEPLOY_ROOT}/servers/${id}"
  echo "keeping ${id}'s server (port ${port}) for the tabs still on it"
  write_routes
}

write_routes() {
  [[ -n "${SKEW_NGINX_DIR:-}" ]] || return 0
  mkdir -p "${SKEW_NGINX_DIR}/http.d" "${SKEW_NGINX_DIR}/server.d"
  local f
  {
    echo 'map "$arg_dpl|$http_x_deployment_id" $team_dpl {'
    echo '  "~^(?<q>[A-Za-z0-9_-]+)\|" $q;'
    echo '  "~^\|(?<h>[A-Za-z0-9_-]+)$" $h;'
    echo '  default "";'
    echo '}'
    echo 'map $team_dpl $team_release {'
    echo '  default "";'
    for f in "${SKEW_DEPLOY_ROOT}"/servers/*; do
      [[ -f "${f}" ]] && echo "  \"$(basename "${f}")\" 127.0.0.1:$(cut -d' ' -f1 "${f}");"
    done
    echo '}'
  } >"${SKEW_NGINX_DIR}/http.d/team-routes.conf"
  echo 'if ($team_release) { set $skew_backend $team_release; }' >"${SKEW_NGINX_DIR}/server.d/team-routes.conf"
  # Rolling: each pod serves only its own build's files; serve /_next/static from every release,
  # hashed and so cacheable for a year (without it the CDN caches none of them).
  if [[ "${SKEW_WORLD:-}" == rolling ]]; then
    local tries="" id
    for id in $(ls -1t "${RELEASES_DIR}"); do tries+=" /releases/${id}/.next/static/\$team_static"; done
    printf 'location ~ "^/_next/static/(?<team_static>.+)$" {\n  root "%s";\n  add_header Cache-Control "public, max-age=31536000, immutable";\n  try_files%s =404;\n}\n' \
      "${SKEW_DEPLOY_ROOT}" "${tries}" >"${SKEW_NGINX_DIR}/server.d/team-static.conf"
  fi
}

# 4. The switch: a new link under a temporary name renamed over `current` (atomic), then the
#    reload (`pm2 reload`), which returns once the app serves the new release.
switch_and_reload() {
  ln -sfn "$1" "${CURRENT_LINK}.next"
  mv -Tf "${CURRENT_LINK}.next" "${CURRENT_LINK}"
  curl -sS --fail-with-body -X POST "${SKEW_RELOAD_URL}" >/dev/null
}

# 5. Before anyone is sent there: the new build answers through the edge, on a URL no cache
#    holds. Bounded; a build that never answers is switched back and the action refused.
healthy() {
  local path try nonce
  path=$(printf '%s\n' "${SKEW_HTML_PATHS:-/}" | sed -n 1p)
  nonce="$(date +%s%N)"
  for ((try = 1; try <= 30; try++)); do
    if curl -sS --max-time 5 "${SITE_URL}${path}?health=${nonce}-${try}" 2>/dev/null | grep -qF -- "${MARKER}"; then return 0; fi
    sleep 0.5
  done
  return 1
}

# 6. Purge the HTML only (never /_next/static: old tabs still load their chunks), 100 URLs per
#    request as Cloudflare allows, retrying what the API asks to retry; then verify it landed at
#    every edge location (a HIT older than the purge is a copy the purge missed).
purge() {
  local body=$1 attempt code
  for ((attempt = 1; attempt <= 5; attempt++)); do
    code=$(curl -sS -o /dev/null -w '%{http_code}' --max-time 10 -X POST "${CF_API_BASE}/zones/${CF_ZONE_ID}/purge_cache" \
      -H "Authorization: Bearer ${CF_API_TOKEN}" -H 'Content-Type: application/json' -d "${body}") || code=000
    [[ "${code}" == 200 ]] && return 0
    [[ "${code}" == 429 || "${code}" == 5?? || "${code}" == 000 ]] || break
    sleep "${attempt}"
  done
  echo "purge failed (HTTP ${code}): ${body:0:200}" >&2
  return 1
}

purge_html() {
  local since edge url status age
  since=$(date +%s)
  local urls=()
  while read -r url; do [[ -n "${url}" ]] && urls+=("${SITE_URL}${url}"); done <<<"${SKEW_HTML_PATHS:-/}"
  # public/ files carry no hash: purge the ones this release changed.
  if [[ -n "${PREVIOUS}" && "${PREVIOUS}" != "${RELEASE}" && -d "${RELEASE}/public" ]]; then
    while read -r url; do
      cmp -s "${RELEASE}/public/${url}" "${PREVIOUS}/public/${url}" || urls+=("${SITE_URL}${SKEW_BASE_PATH:-}/${url#./}")
    done < <(cd "${RELEASE}/public" && find . -type f)
  fi
  local i
  for ((i = 0; i < ${#urls[@]}; i += 100)); do
    purge "{\"files\": $(printf '%s\n' "${urls[@]:i:100}" | jq -R . | jq -sc .)}"
  done
  # Pages rendered on demand are listed by no build: purge their prefixes (host/path, no scheme or port).
  if [[ -n "${SKEW_HTML_PREFIXES:-}" ]]; then
    purge "{\"prefixes\": $(printf '%s\n' ${SKEW_HTML_PREFIXES} | jq -R --arg host "${SKEW_HOST:-${DOMAIN%%:*}}" '$host + .' | jq -sc .)}"
  fi
  for edge in ${SKEW_EDGE_URLS:-${SITE_URL}}; do
    while read -r url; do
      [[ -n "${url}" ]] || continue
      read -r status age < <(curl -sS -o /dev/null --max-time 5 -w '%header{cf-cache-status} %header{age}\n' "${edge}${url}" || true) || true
      if [[ "${status}" == HIT && "${age:-0}" -gt $(($(date +%s) - since)) ]]; then
        echo "the purge did not land: ${edge}${url} is still a HIT of age ${age}" >&2
        return 1
      fi
    done <<<"${SKEW_HTML_PATHS:-/}"
  done
}

# 7. Later (a cron job, the next pipeline): remove what a rollback retired once its files have
#    outlived every open tab, and stop the servers kept for old tabs.
cleanup() {
  local f id
  for f in "${SKEW_DEPLOY_ROOT}"/retired/*; do
    [[ -f "${f}" ]] || continue
    id=$(basename "${f}")
    if [[ "$(readlink -f "${RELEASES_DIR}/${id}")" == "$(readlink -f "${CURRENT_LINK}")" ]]; then
      rm -f "${f}"
    elif ((NOW - $(cat "${f}") >= RETENTION_S)); then
      echo "removing ${id}, retired $(((NOW - $(cat "${f}")) / 60)) min ago"
      rm -rf "${RELEASES_DIR:?}/${id}" "${f}"
    fi
  done
  for f in "${SKEW_DEPLOY_ROOT}"/servers/*; do
    [[ -f "${f}" ]] || continue
    id=$(basename "${f}")
    [[ "$(readlink -f "${RELEASES_DIR}/${id}")" == "$(readlink -f "${CURRENT_LINK}")" ]] && { rm -f "${f}"; continue; }
    if ((NOW - $(cut -d' ' -f2 "${f}") >= RETENTION_S)); then
      rm -f "${f}"
      write_routes
      curl -sS --fail-with-body -X POST "${SKEW_RELOAD_URL}" >/dev/null
      curl -sS --fail-with-body -X POST "${SKEW_PM_URL}/stop/${id}" >/dev/null
    fi
  done
}

case "${ACTION}" in
deploy | rollback)
  refuse_unsafe_rollback
  install_release
  migrate
  keep_previous_server
  switch_and_reload "${RELEASE}"
  if ! healthy; then
    echo "${VERSION} does not answer through the edge: switching back" >&2
    [[ -n "${PREVIOUS}" && "${PREVIOUS}" != "${RELEASE}" ]] && switch_and_reload "${PREVIOUS}"
    exit "${SKEW_REFUSE_EXIT}"
  fi
  purge_html
  # A rollback retires the build it moved away from; cleanup removes it after RETENTION_S.
  if [[ "${ACTION}" == rollback && -n "${PREVIOUS}" && "${PREVIOUS}" != "${RELEASE}" ]]; then
    mkdir -p "${SKEW_DEPLOY_ROOT}/retired"
    echo "${NOW}" >"${SKEW_DEPLOY_ROOT}/retired/$(basename "${PREVIOUS}")"
  fi
  # Keep the newest 5 releases on deploy: old tabs' chunks live in them.
  if [[ "${ACTION}" == deploy ]]; then
    ls -1t "${RELEASES_DIR}" | tail -n +6 | while read -r old; do
      [[ "${RELEASES_DIR}/${old}" == "$(readlink -f "${CURRENT_LINK}")" || -f "${SKEW_DEPLOY_ROOT}/servers/${old}" ]] || rm -rf "${RELEASES_DIR:?}/${old}"
    done
  fi
  ;;
cleanup) cleanup ;;
*)
  echo "unknown action ${ACTION}" >&2
  exit 64
  ;;
esac

#!/usr/bin/env bash
# BROKEN: the document's script with its purge list taken from the build's own page list
# (.next/prerender-manifest.json's routes, which Next keeps without the basePath): on an app
# served under a basePath every purge and every check of it names a path that is not a page
# (`/post/1` for `/docs/post/1`), both succeed, and every page keeps the old build's HTML at the
# edge. Without a basePath it is the document's script.
source "$(dirname "$0")/../lib.sh"
purge_html() {
  local since bodies base listed
  listed=$(printf '%s\n' ${SKEW_HTML_PATHS} | sed "s|^${SKEW_BASE_PATH:-}||; s|^$|/|")
  since=$(date +%s)
  bodies=$(printf '%s\n' ${listed} | sed "s|^|${SITE_URL}|" | purge_items files)
  for base in ${SKEW_EDGE_URLS:-${SITE_URL}}; do
    verify_purged "${since}" "${bodies}" $(printf "${base}%s\n" ${listed})
  done
  purge_html_prefixes
}
refuse_unsafe_rollback
deploy_release

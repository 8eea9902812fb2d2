#!/usr/bin/env bash
# BROKEN: the good rollback, then the cleanup deletes the bad build's _next/static/<buildId>/
# at once — the FAQ's "Can I delete the bad build's _next/static/<buildId>/ directory
# immediately after rollback?" (no). A tab still holding the bad HTML requests that build's
# _buildManifest.js and gets a 404.
on_cleanup() {
  local stamp release
  for stamp in "${RETIRED_DIR}"/*; do
    [[ -f "${stamp}" ]] || continue
    release="${RELEASES_DIR}/$(basename "${stamp}")"
    [[ -f "${release}/.next/BUILD_ID" ]] || continue
    echo "deleting ${release}/.next/static/$(cat "${release}/.next/BUILD_ID")/ (the bad build is rolled back)"
    rm -rf "${release:?}/.next/static/$(cat "${release}/.next/BUILD_ID")"
  done
}
source "$(dirname "$0")/../lib.sh"
refuse_unsafe_rollback
deploy_release

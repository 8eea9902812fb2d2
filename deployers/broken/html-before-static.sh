#!/usr/bin/env bash
# BROKEN: the wrong order. The new release goes live (app reloaded, HTML purged) first and its
# static files are uploaded last, like a pipeline whose asset sync is a later job. A visitor in
# between gets the new HTML and 404s for its chunks, and an edge that caches 404s (Cloudflare
# does, for 3 minutes, when the origin sends no Cache-Control) keeps serving them afterwards.
source "$(dirname "$0")/../lib.sh"
mkdir -p "${RELEASES_DIR}"
# The app ships without its static files (next start only needs the directory to exist).
rsync -a --exclude .next/cache --exclude .next/static "${SKEW_BUILD_DIR}/" "${TARGET_RELEASE}/"
mkdir -p "${TARGET_RELEASE}/.next/static"
switch_current
keep_releases 3
reload_app
purge_html
purge_changed_public
echo "uploading static files"
rsync -a "${SKEW_BUILD_DIR}/.next/static/" "${TARGET_RELEASE}/.next/static/"

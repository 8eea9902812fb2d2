#!/usr/bin/env bash
# BROKEN: like releases-symlink, but a rollback only re-points `current` at the kept release
# (`ln -sfn releases/B current`, as most scripts do), and retention keeps the newest 3 by file
# age (`ls -t | tail`). The release a rollback made live again is the oldest on disk, so the
# next deploy deletes it under the tabs it serves.
source "$(dirname "$0")/../lib.sh"
if [[ ${SKEW_ACTION} == rollback && -d ${TARGET_RELEASE} ]]; then
  switch_current
  reload_app
  wait_serving
  purge_html
  exit 0
fi
deploy_release

#!/usr/bin/env bash
# BROKEN: the document's deploy, but it copies a release straight to its final name and, on a
# rerun, skips a release directory that already exists. Killed part-way through the copy, it
# leaves a half-copied release; the rerun takes it for complete and puts it live.
source "$(dirname "$0")/../lib.sh"
install_release() {
  mkdir -p "${RELEASES_DIR}"
  [[ -d "${TARGET_RELEASE}" ]] || rsync -a --exclude .next/cache "${SKEW_BUILD_DIR}/" "${TARGET_RELEASE}/"
  touch "${TARGET_RELEASE}"
}
refuse_unsafe_rollback
deploy_release

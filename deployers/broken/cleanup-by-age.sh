#!/usr/bin/env bash
# BROKEN: the good deploy, plus a cron cleanup that removes every release which stopped serving
# 30 minutes ago ("nobody keeps a tab open that long"). A background tab that idled an hour on
# the previous build comes back to find its chunks gone. Keep releases by count (or by the
# sessions that still use them), not by the time since they were replaced.
SUPERSEDED_DIR="${SKEW_DEPLOY_ROOT}/superseded"
on_cleanup() {
  local stamp id
  for stamp in "${SUPERSEDED_DIR}"/*; do
    [[ -f "${stamp}" ]] || continue
    id=$(basename "${stamp}")
    if [[ "$(readlink -f "${RELEASES_DIR}/${id}")" != "$(readlink -f "${CURRENT_LINK}")" ]] && ((NOW - $(cat "${stamp}") >= 30 * 60)); then
      echo "removing release ${id}: replaced $(((NOW - $(cat "${stamp}")) / 60)) min ago"
      rm -rf "${RELEASES_DIR:?}/${id}" "${stamp}"
    fi
  done
}
source "$(dirname "$0")/../lib.sh"
refuse_unsafe_rollback
deploy_release
# Stamp the release this deploy replaced, on the scenario clock.
if [[ -n "${PREVIOUS_RELEASE}" && "${PREVIOUS_RELEASE}" != "${TARGET_RELEASE}" ]]; then
  mkdir -p "${SUPERSEDED_DIR}"
  echo "${NOW}" > "${SUPERSEDED_DIR}/$(basename "${PREVIOUS_RELEASE}")"
fi

#!/usr/bin/env bash
# The rollback document's atomic deploy + rollback pattern, as a deploy script run through the
# skew deployer contract (docs/deployer-contract.md). Good reference: keeps the last 3 releases,
# flips `current`, reloads the app, then purges the HTML entry points only.
#   usage: releases-symlink.sh deploy|rollback <version>   (everything else comes from the env)
set -euo pipefail
ACTION="${1:?deploy or rollback}"
KEEP=3
TARGET_RELEASE="${RELEASES_DIR}/${SKEW_DEPLOYMENT_ID}"

# Install the artifact as its own release (a rollback reinstalls one that aged out).
mkdir -p "${RELEASES_DIR}"
if [[ ! -d "${TARGET_RELEASE}" ]]; then
  rsync -a --exclude .next/cache "${SKEW_BUILD_DIR}/" "${TARGET_RELEASE}.tmp/"
  mv "${TARGET_RELEASE}.tmp" "${TARGET_RELEASE}"
fi
touch "${TARGET_RELEASE}"

# Step 3 — verify the target release, then the atomic symlink swap.
if [[ ! -f "${TARGET_RELEASE}/.next/BUILD_ID" ]]; then
  echo "ERROR: Target release missing BUILD_ID. Aborting." >&2
  exit 1
fi
echo "${ACTION}: buildId $(cat "${TARGET_RELEASE}/.next/BUILD_ID")"
ln -sfn "${TARGET_RELEASE}" "${CURRENT_LINK}"

# Keep the last ${KEEP} releases on origin so in-flight sessions keep their chunks.
ls -1t "${RELEASES_DIR}" | tail -n +$((KEEP + 1)) | while read -r old; do
  [[ "${RELEASES_DIR}/${old}" == "$(readlink -f "${CURRENT_LINK}")" ]] || rm -rf "${RELEASES_DIR:?}/${old}"
done

# pm2 reload all: the Node process serves the new release before its HTML is purged.
curl -sf -X POST "${SKEW_RELOAD_URL}" >/dev/null

# Step 4 — purge only HTML entry points, NOT _next/static/*.
FILES=$(printf '%s\n' ${SKEW_HTML_PATHS} | jq -R --arg site "${SITE_URL}" '$site + .' | jq -s -c .)
curl -sf -X POST \
  "${CF_API_BASE}/zones/${CF_ZONE_ID}/purge_cache" \
  -H "Authorization: Bearer ${CF_API_TOKEN}" \
  -H "Content-Type: application/json" \
  -d "{\"files\": ${FILES}}" | jq -e '.success' >/dev/null

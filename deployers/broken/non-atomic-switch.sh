#!/usr/bin/env bash
# BROKEN: the document's script, but the switch removes `current` first and links it again
# (`rm -f current; …; ln -s`), as scripts written for busybox `ln` or a copy-then-link step do.
# For that moment there is no current: a VPS's nginx serving /_next/static and public/ through
# it answers 404, and the CDN in front may keep the 404.
source "$(dirname "$0")/../lib.sh"
point_current() {
  rm -f "${CURRENT_LINK}"
  sleep 0.3 # what runs in between: a copy, a chown, a slow disk
  ln -s "$1" "${CURRENT_LINK}"
}
deploy_release

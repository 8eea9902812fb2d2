#!/usr/bin/env bash
# BROKEN: the document's "most common mistake": purges /_next/static/* along with the HTML.
# Hashed files are immutable; purging them only turns every request into an origin miss.
source "$(dirname "$0")/../lib.sh"
install_release
switch_current
keep_releases 3
reload_app
purge_html
purge "{\"prefixes\": [\"${DOMAIN%%:*}/_next/static/\"]}"

#!/usr/bin/env bash
# BROKEN: deploys correctly but never purges the HTML. App Router HTML is cached with
# s-maxage=31536000, so new visitors keep getting the previous build's pages from the edge.
source "$(dirname "$0")/../lib.sh"
install_release
switch_current
keep_releases 3
reload_app

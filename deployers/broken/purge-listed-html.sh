#!/usr/bin/env bash
# BROKEN: the document's script purging only the HTML paths the build lists (static pages and
# those getStaticPaths prerendered). A page a getStaticProps route rendered on demand
# (fallback: 'blocking') is cached at the edge like the others, and stays the old build's there.
export SKEW_HTML_PREFIXES=''
exec "$(dirname "$0")/../releases-symlink.sh" "$@"

#!/usr/bin/env bash
# BROKEN: the document's script purging only the HTML paths the build lists (static pages and
# those getStaticPaths prerendered). A page a getStaticProps route rendered on demand
# (fallback: 'blocking') is cached at the edge like the others, and stays the old build's there.
SKEW_HTML_PREFIXES=''
source "$(dirname "$0")/../lib.sh"
refuse_unsafe_rollback
deploy_release

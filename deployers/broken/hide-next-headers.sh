#!/usr/bin/env bash
# BROKEN (single-origin, rolling): own-routing plus the usual hardening snippet that hides the
# framework's response headers from the world (X-Powered-By, x-nextjs-*). It also hides
# x-nextjs-deployment-id, the header Next's client compares with its own deployment id to tell
# another build's RSC or data answer from its own: routing still works, the detection does not.
[[ -n "${SKEW_NGINX_DIR:-}" ]] || { echo "hide-next-headers needs the single-origin or rolling world" >&2; exit 1; }
mkdir -p "${SKEW_NGINX_DIR}/server.d"
cat >"${SKEW_NGINX_DIR}/server.d/hardening.conf" <<'EOF_CONF'
proxy_hide_header X-Powered-By;
proxy_hide_header x-nextjs-cache;
proxy_hide_header x-nextjs-prerender;
proxy_hide_header x-nextjs-deployment-id;
EOF_CONF
exec "$(dirname "$0")/../own-routing.sh" "$@"

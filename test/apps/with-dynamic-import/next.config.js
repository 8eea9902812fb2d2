// Not upstream: added for the skew corpus. Upstream's pages/index.tsx calls
// setResults(fuse.search(value)) on a useState() typed `undefined`, which
// Next's build-time type check rejects; skip the type check, keep the code.
/** @type {import('next').NextConfig} */
module.exports = {
  typescript: {
    ignoreBuildErrors: true,
  },
};

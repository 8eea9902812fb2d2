/** @type {import('next').NextConfig} */
export default { transpilePackages: ['@repo/ui'] };

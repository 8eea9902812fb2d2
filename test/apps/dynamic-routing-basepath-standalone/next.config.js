/** @type {import('next').NextConfig} */
module.exports = {
  output: "standalone",
  basePath: "/docs",
};

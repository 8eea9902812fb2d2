import { deflateSync } from 'node:zlib';

/**
 * A solid 32×32 PNG whose colour names a version: red = 16 + 8 × (letter − A), so that the
 * optimizer's lossy re-encoding (WebP, quality 75) cannot move it to another letter; green and
 * blue tell the two images of a build apart. The page reads the colour back (the fixture's
 * VersionedImage) to show which build's image a tab got.
 */
export function versionImage(variant: string, kind: 'public' | 'static'): Buffer {
  const index = variant.charCodeAt(0) - 65;
  const pixel = kind === 'public' ? [16 + 8 * index, 200, 40] : [16 + 8 * index, 40, 200];
  const size = 32;
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: size }, () => pixel).flat())]);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits per channel, RGB, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(Array.from({ length: size }, () => row)))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

const TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

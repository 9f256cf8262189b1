// Draws the app icon, build/icon.png (1024×1024), from an SVG with sharp: an open kraft shoebox
// with two photos standing in it, on a slate rounded square. electron-builder derives the
// .ico/.icns and Linux sizes from it. Run `node scripts/make-icon.ts` after changing the drawing;
// the PNG is committed.
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const OUT = fileURLToPath(new URL('../build/icon.png', import.meta.url));
const SIZE = 1024;

function photo(cx: number, cy: number, angle: number, sky: string, hill: string): string {
  const w = 300;
  const h = 236;
  const x = cx - w / 2;
  const y = cy - h / 2;
  return `
  <g transform="rotate(${angle} ${cx} ${cy})" filter="url(#lift)">
    <rect x="${x}" y="${y}" width="${w}" height="${h}" rx="14" fill="#fbfaf7"/>
    <clipPath id="c${cx}"><rect x="${x + 18}" y="${y + 18}" width="${w - 36}" height="${h - 36}" rx="6"/></clipPath>
    <g clip-path="url(#c${cx})">
      <rect x="${x}" y="${y}" width="${w}" height="${h}" fill="${sky}"/>
      <circle cx="${x + w * 0.72}" cy="${y + h * 0.34}" r="24" fill="#ffd66b"/>
      <path d="M ${x} ${y + h * 0.8} Q ${x + w * 0.3} ${y + h * 0.42} ${x + w * 0.56} ${y + h * 0.7} T ${x + w} ${y + h * 0.6} V ${y + h} H ${x} Z" fill="${hill}"/>
    </g>
  </g>`;
}

const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${SIZE}" height="${SIZE}" viewBox="0 0 ${SIZE} ${SIZE}">
  <defs>
    <linearGradient id="bg" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="#3d5a6c"/><stop offset="1" stop-color="#22333f"/>
    </linearGradient>
    <linearGradient id="front" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="#e2ac72"/><stop offset="1" stop-color="#c98b4f"/>
    </linearGradient>
    <filter id="lift" x="-20%" y="-20%" width="140%" height="140%">
      <feDropShadow dx="0" dy="6" stdDeviation="8" flood-color="#000" flood-opacity="0.25"/>
    </filter>
    <filter id="soft" x="-30%" y="-60%" width="160%" height="220%"><feGaussianBlur stdDeviation="22"/></filter>
  </defs>
  <rect x="64" y="64" width="896" height="896" rx="200" fill="url(#bg)"/>
  <ellipse cx="512" cy="818" rx="330" ry="38" fill="#0d161c" opacity="0.45" filter="url(#soft)"/>
  <path d="M 232 470 L 792 470 L 770 540 L 254 540 Z" fill="#9c6637"/>
  ${photo(420, 470, -9, '#8ec5e8', '#5fa36a')}
  ${photo(610, 452, 8, '#f2b6a0', '#7a8fc9')}
  <rect x="212" y="520" width="600" height="290" rx="30" fill="url(#front)"/>
  <rect x="212" y="520" width="600" height="26" rx="13" fill="#f0c48e" opacity="0.9"/>
  <rect x="402" y="622" width="220" height="96" rx="14" fill="#fbf3e4"/>
  <rect x="436" y="652" width="152" height="12" rx="6" fill="#c98b4f" opacity="0.7"/>
  <rect x="436" y="678" width="104" height="12" rx="6" fill="#c98b4f" opacity="0.45"/>
</svg>`;

await mkdir(fileURLToPath(new URL('../build/', import.meta.url)), { recursive: true });
await sharp(Buffer.from(svg)).png({ compressionLevel: 9 }).toFile(OUT);
process.stdout.write(`wrote ${OUT}\n`);

// `shoebox text <photo>`: the real CLI reads a photo's text through the inference process's OCR
// models and prints each line with its confidence and box; a photo with no text says so.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliFor, jsonOutput } from '#support/cli.ts';
import { makeTestModel } from '#support/test-model.ts';

interface Line {
  text: string;
  confidence: number;
  box: [number, number][];
}

describe('shoebox text', () => {
  let tmp = '';
  let sb: ReturnType<typeof cliFor>;
  let receipt = '';
  let blank = '';

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'shoebox-text-cli-'));
    sb = cliFor(path.join(tmp, 'library'), await makeTestModel(path.join(tmp, 'model')));
    receipt = path.join(tmp, 'receipt.jpg');
    // Stored on its side with EXIF orientation 6, as a phone held upright saves it: read upright.
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="700" height="400"><rect width="700" height="400" fill="#fff"/><text x="50" y="130" font-family="DejaVu Sans" font-size="54" font-weight="bold">INVOICE 4711</text><text x="50" y="230" font-family="DejaVu Sans" font-size="34">Total 23.50</text></svg>`;
    await sharp(await sharp(Buffer.from(svg)).rotate(-90).png().toBuffer())
      .withMetadata({ orientation: 6 })
      .jpeg({ quality: 92 })
      .toFile(receipt);
    blank = path.join(tmp, 'blank.png');
    await sharp({ create: { width: 300, height: 200, channels: 3, background: '#4a8' } })
      .png()
      .toFile(blank);
    // A library to read through: the text reader runs in its inference process, beside CLIP.
    expect((await sb('add', tmp)).code).toBe(0);
  }, 60_000);
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it('prints each line of a photo with its confidence and box, upright', async () => {
    const lines = jsonOutput(await sb('text', receipt, '--json'), ['text', '--json']) as Line[];
    // The recogniser (trained mostly on Chinese) sometimes drops the space between words.
    expect(lines.map((l) => l.text.replace(/ /g, ''))).toEqual(['INVOICE4711', 'Total23.50']);
    for (const l of lines) {
      expect(l.confidence).toBeGreaterThan(0.9);
      expect(l.box).toHaveLength(4);
    }
    // Upright, the title runs along x from about 50 to 420 near the top.
    const xs = lines[0]!.box.map((p) => p[0]);
    expect(Math.min(...xs)).toBeLessThan(80);
    expect(Math.max(...xs)).toBeGreaterThan(380);
    const plain = await sb('text', receipt);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toMatch(/^0\.\d\d {2}\d+,\d+ \d+×\d+ +INVOICE ?4711$/m);
  }, 60_000);

  it('says when a photo has no text, and names a file it cannot read', async () => {
    const none = await sb('text', blank);
    expect(none.code).toBe(0);
    expect(none.stdout).toBe('no text found\n');
    const missing = await sb('text', path.join(tmp, 'nope.jpg'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('nope.jpg');
  }, 60_000);

  it('lists the text languages, the built-in one in use, and refuses an unknown one or a bad command line', async () => {
    const list = jsonOutput(await sb('text-language', '--json'), ['text-language', '--json']) as {
      id: string;
      inUse: boolean;
      installed: boolean;
      bytes: number;
    }[];
    expect(list.filter((l) => l.inUse).map((l) => l.id)).toEqual(['built-in']);
    const latin = list.find((l) => l.id === 'latin');
    expect(latin).toMatchObject({ installed: false, inUse: false });
    expect(latin!.bytes).toBeGreaterThan(8_000_000);
    const plain = await sb('text-language');
    expect(plain.stdout).toMatch(/^\* built-in .*built in$/m);
    expect(plain.stdout).toMatch(/^ {2}latin .*Latin script · PP-OCRv5 mobile · 8\.\d MB to download$/m);
    const unknown = await sb('text-language', 'klingon');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no text language "klingon": choose built-in, latin, /);
    expect((await sb('text-language', 'latin', 'greek')).code).toBe(2);
    // Removing: a recogniser never downloaded, the built-in one, and no id at all.
    const notThere = await sb('text-language', 'remove', 'latin');
    expect(notThere.code).toBe(0);
    expect(notThere.stdout).toBe('the Latin script recogniser (latin) was not downloaded\n');
    const builtIn = await sb('text-language', 'remove', 'built-in');
    expect(builtIn.code).toBe(1);
    expect(builtIn.stderr).toContain('the built-in recogniser ships with Shoebox and stays');
    expect((await sb('text-language', 'remove')).code).toBe(2);
  }, 60_000);
});

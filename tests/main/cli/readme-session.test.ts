// The example session in the README, run as written: its commands are read from README.md, with
// `~` a fresh home folder holding a test model and a few photos where the session has them.
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '#support/cli.ts';
import { solid, writePhoto } from '#support/photos.ts';
import { COLOURS, makeTestModel } from '#support/test-model.ts';

const README = new URL('../../../README.md', import.meta.url);

/** The `$ shoebox …` lines of the README's example session, split into words as a shell would. */
async function sessionCommands(): Promise<string[][]> {
  const text = await readFile(README, 'utf8');
  const block = /An example session:\s*```console\n([\s\S]*?)```/.exec(text)?.[1];
  if (!block) throw new Error('README.md has no example session');
  return block
    .split('\n')
    .filter((line) => line.startsWith('$ shoebox '))
    .map((line) => [...line.slice('$ shoebox '.length).matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!));
}

describe("the README's example session", () => {
  let home = '';
  beforeAll(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), 'shoebox-home-'));
    await makeTestModel(path.join(home, 'models', 'clip-vit-base-patch32'));
    for (const name of ['red', 'green', 'blue', 'yellow']) {
      await writePhoto(path.join(home, 'Pictures', '2023', `${name}.jpg`), solid(COLOURS[name]!));
    }
    await mkdir(path.join(home, '.local', 'share'), { recursive: true });
  });
  afterAll(async () => rm(home, { recursive: true, force: true }));

  it('runs as written: add with --model, then index, search and status use that model', async () => {
    const commands = await sessionCommands();
    expect(commands.map((c) => c.find((w) => !w.startsWith('-') && !w.startsWith('~')))).toEqual([
      'add',
      'index',
      'search',
      'status',
    ]);
    // The default library of a Linux user with this home.
    const env = { HOME: home, XDG_DATA_HOME: path.join(home, '.local', 'share') };
    const outputs: string[] = [];
    for (const words of commands) {
      const args = words.map((w) => w.replace(/^~(?=\/|$)/, home));
      const r = await runCli(args, { env, timeoutMs: 60_000 });
      expect(r.code, `shoebox ${words.join(' ')}\n${r.stderr}`).toBe(0);
      outputs.push(r.stdout);
    }
    const [added, indexed, found, status] = outputs;
    expect(added).toBe(`added ${path.join(home, 'Pictures')}\nrun "shoebox index" to index its photos\n`);
    expect(indexed).toMatch(/^4 indexed, 0 reused, 0 unchanged, 0 failed, 0 removed/);
    // At most the three asked for, then how many more match loosely, if any.
    const lines = found!.trimEnd().split('\n');
    const ranked = lines.filter((l) => /^ {2}\d\. \d\.\d{3} {2}\//.test(l));
    expect(ranked.length).toBeGreaterThanOrEqual(1);
    expect(ranked.length).toBeLessThanOrEqual(3);
    expect(lines.slice(ranked.length).every((l) => /^\d+ more match loosely \(--all shows them\)$/.test(l))).toBe(true);
    expect(found).toMatch(/^ {2}1\. \d\.\d{3} {2}\//);
    expect(status).toContain(`library: ${path.join(home, '.local', 'share', 'shoebox')}`);
    expect(status).toContain(`(${path.join(home, 'models', 'clip-vit-base-patch32')})`);
  });
});

// What a CLI start loads: every command starts a fresh process, so packages only some commands
// need (the HTTP client for downloads, the web server for `serve`) load when those run.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_SCRIPT, runCli } from '#support/cli.ts';

let tmp: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'shoebox-cli-start-'));
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** The packages (node_modules folder names) a CLI run loaded, recorded by a module hook. */
async function packagesLoaded(args: readonly string[]): Promise<{ packages: Set<string>; stderr: string }> {
  const record = path.join(tmp, 'loaded.txt');
  const hook = path.join(tmp, 'record-loads.mjs');
  await writeFile(
    hook,
    `import { registerHooks } from 'node:module';
import { writeFileSync } from 'node:fs';
const urls = [];
registerHooks({ load(url, context, next) { urls.push(url); return next(url, context); } });
process.on('exit', () => writeFileSync(${JSON.stringify(record)}, urls.join('\\n')));
`,
  );
  const r = await runCli([], {
    command: [process.execPath, '--import', pathToFileURL(hook).href, CLI_SCRIPT, ...args],
  });
  const urls = (await readFile(record, 'utf8')).split('\n');
  const packages = new Set(urls.flatMap((u) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(u)?.[1] ?? []));
  return { packages, stderr: r.stderr };
}

describe('a CLI start', () => {
  it('loads neither the HTTP client nor the web server for a command that needs neither', async () => {
    const { packages, stderr } = await packagesLoaded(['--library', path.join(tmp, 'lib'), 'status']);
    // The engine itself was loaded (the hook saw it), and the command ran to its own answer.
    expect(packages).toContain('@lancedb/lancedb');
    expect(stderr).toContain('shoebox status');
    expect(packages).not.toContain('undici');
    expect(packages).not.toContain('ws');
  });
});

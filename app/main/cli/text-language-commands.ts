// `shoebox text-language …`: which script's recogniser reads text in photos. Runs without opening
// the engine, like `model`: it downloads a recogniser and writes library.json.
import { resolveLibraryDir } from '../core/library/library-dir.ts';
import { formatBytes } from '../core/model-store/progress-meter.ts';
import {
  BUILT_IN,
  chooseTextLanguageIn,
  listTextLanguages,
  removeTextLanguageIn,
} from '../core/model-store/text-languages.ts';
import type { TextLanguageEntry } from '../../shared/types.ts';
import type { InstallProgress } from '../core/model-store/model-install.ts';
import { installReporter } from './model-commands.ts';
import { writeOut } from './terminal-text.ts';

export const TEXT_LANGUAGE_USAGE = `  text-language [--json]   the scripts text in photos can be read in, and the one in use
  text-language <id>       read text with that script's recogniser (downloaded, verified); every photo
                           is read again for text at the next index (built-in: the default)
  text-language remove <id>
                           delete a downloaded recogniser the library does not read with
`;

export class TextLanguageUsageError extends Error {}

export function formatTextLanguages(list: readonly TextLanguageEntry[]): string {
  const width = Math.max(...list.map((l) => l.id.length));
  const lines = list.flatMap((l) => {
    const state = l.id === BUILT_IN ? 'built in' : l.installed ? 'installed' : `${formatBytes(l.bytes)} to download`;
    return [
      `${l.inUse ? '*' : ' '} ${l.id.padEnd(width)}  ${l.name} · ${l.version} · ${state}`,
      `  ${' '.repeat(width)}  ${l.languages.join(', ')}${l.verified ? '' : ' · not yet run end to end by Shoebox'}`,
    ];
  });
  return `${lines.join('\n')}\n`;
}

export async function runTextLanguageCommand(
  args: string[],
  v: { library?: string | undefined; json?: boolean | undefined },
  signal: AbortSignal,
): Promise<void> {
  const out = (text: string): boolean => writeOut(text, v.json === true);
  const libraryDir = resolveLibraryDir(v.library);
  if (args[0] === 'remove') {
    if (args.length !== 2 || args[1] === '') throw new TextLanguageUsageError('expected: text-language remove <id>');
    const { language, removed } = await removeTextLanguageIn(libraryDir, args[1]!);
    out(
      v.json === true
        ? `${JSON.stringify({ removed: removed ? language.id : null })}\n`
        : removed
          ? `the ${language.name} recogniser (${language.id}) is deleted\n`
          : `the ${language.name} recogniser (${language.id}) was not downloaded\n`,
    );
    return;
  }
  if (args.length > 1 || args[0] === '') throw new TextLanguageUsageError('expected at most one text language id');
  const [id] = args;
  if (id === undefined) {
    const list = await listTextLanguages(libraryDir);
    out(v.json === true ? `${JSON.stringify(list)}\n` : formatTextLanguages(list));
    return;
  }
  const progress = installReporter(process.stderr);
  let result: Awaited<ReturnType<typeof chooseTextLanguageIn>>;
  try {
    result = await chooseTextLanguageIn(libraryDir, id, {
      signal,
      onProgress: (p: InstallProgress) => progress.update(p),
    });
  } finally {
    progress.end();
  }
  const { language, alreadyInstalled } = result;
  if (v.json === true) {
    out(`${JSON.stringify({ textLanguage: language?.id ?? BUILT_IN, downloaded: !alreadyInstalled })}\n`);
    return;
  }
  out(
    `${language === null ? 'text in photos is read with the built-in recogniser' : `text in photos is read as ${language.name} (${language.id})${alreadyInstalled ? '' : ', downloaded and checked'}`}: the photos are read again for text at the next index\n`,
  );
}

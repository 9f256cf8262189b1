// Text for a terminal from names and messages the user did not write: a file called
// "x\e]52;c;…\a.jpg" must not set the clipboard, recolour the screen or fake a result line.

// C0 controls but the line feed and tab the CLI writes itself, DEL, and the C1 controls
// (U+0080–U+009F, which a UTF-8 terminal obeys as CSI, OSC and the rest).
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** `text` with every control character a terminal would act on written out as `\xNN`. */
export function printable(text: string): string {
  return text.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Writes to stdout, escaped unless it is JSON (JSON.stringify escapes C0 itself, and JSON readers expect the text unchanged). */
export function writeOut(text: string, json: boolean): boolean {
  return process.stdout.write(json ? text : printable(text));
}

/** Writes a message to stderr, always escaped: errors quote paths and names. */
export function writeErr(text: string): boolean {
  return process.stderr.write(printable(text));
}

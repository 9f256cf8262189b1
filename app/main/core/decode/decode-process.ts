import './thread-pool.ts';
// The decode process: every untrusted file the library holds is parsed here (libvips through
// sharp, libheif, LibRaw, exifr), so a decoder bug that a crafted file reaches runs outside the
// app's main process, which holds the window, the library and the network-facing server. A crash
// here fails the files in flight (decoder.ts reports them) and the next file starts a fresh one.
import { parentLink } from '../child-process.ts';
import { ShoeboxError, errorMessage } from '../errors.ts';
import { decodeForReading, decodePhoto, renderForDisplay } from './decode-photo.ts';
import type { DecodeReply, DecodeRequest, DecodeValue } from './decode-protocol.ts';
import { readSource } from './file-source.ts';

const link = parentLink<DecodeReply, DecodeRequest>('decode');

async function run(request: DecodeRequest): Promise<DecodeValue> {
  if (request.op === 'photo-file') return decodePhoto(await readSource(request.source), request.opts);
  if (request.op === 'read-file') return decodeForReading(await readSource(request.source), request.opts);
  const bytes = Buffer.from(request.bytes.buffer, request.bytes.byteOffset, request.bytes.byteLength);
  switch (request.op) {
    case 'photo':
      return decodePhoto(bytes, request.opts);
    case 'display':
      return renderForDisplay(bytes, request.opts);
    case 'read':
      return decodeForReading(bytes, request.opts);
  }
}

link.onMessage((request) => {
  run(request).then(
    (value) => link.post({ id: request.id, ok: true, value }),
    (err: unknown) =>
      link.post({
        id: request.id,
        ok: false,
        code: err instanceof ShoeboxError ? err.code : null,
        message: errorMessage(err),
      }),
  );
});

import { fileURLToPath } from 'node:url';
import { utilityProcess } from 'electron';
import { channelOf } from '../core/child-process.ts';
import { DECODE_PROCESS_URL } from '../core/decode/decoder.ts';
import type { SpawnDecoder } from '../core/decode/decoder.ts';
import type { DecodeReply, DecodeRequest } from '../core/decode/decode-protocol.ts';

/**
 * The app's decode process: an Electron utility process, so untrusted photo files are parsed
 * outside the main process. postMessage clones a typed array's whole buffer, and the indexer reads
 * files into pooled buffers larger than the file: only the file's own bytes are sent (when any
 * are: the indexer's photos are read from disk by the decode process itself).
 */
export const spawnUtilityDecoder: SpawnDecoder = () => {
  const child = utilityProcess.fork(fileURLToPath(DECODE_PROCESS_URL), [], {
    serviceName: 'Shoebox decoder',
    stdio: 'inherit',
  });
  return channelOf<DecodeRequest, DecodeReply>(
    {
      send: (message) => {
        if (!('bytes' in message)) {
          child.postMessage(message);
          return;
        }
        const { bytes } = message;
        const exact = bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
        child.postMessage({ ...message, bytes: exact });
      },
      onMessage: (listener) => child.on('message', (m: unknown) => listener(m as DecodeReply)),
      kill: () => {
        child.kill();
      },
      get pid() {
        return child.pid;
      },
    },
    (report) => child.once('exit', report),
  );
};

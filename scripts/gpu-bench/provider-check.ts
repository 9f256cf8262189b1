// Do a GPU provider's embeddings match the CPU's? Opens the model through the app's own Embedder
// (the inference process) once on `provider` and once on the CPU, embeds the same 16 images and
// 8 texts with each, and prints the lowest cosine similarity between the two answers per input.
// Usage: node scripts/gpu-bench/provider-check.ts <model dir> <provider>
import { dot } from '../../app/main/core/vectors.ts';
import { Embedder } from '../../app/main/core/embed/embedder.ts';
import { isDevice, providersFor } from '../../app/main/core/embed/providers.ts';
import type { Device } from '../../app/main/core/embed/providers.ts';
import { openModelFolder } from '../../app/main/core/model/model-folder.ts';
import { mulberry32 } from '../../bench/random.ts';

const [dir, asked = 'webgpu'] = process.argv.slice(2);
if (!dir || !isDevice(asked)) throw new Error('usage: provider-check.ts <model dir> <provider>');
const provider: Device = asked;
const model = await openModelFolder(dir);
const TEXTS = [
  'a dog on the beach at sunset',
  'birthday cake with candles',
  'red car',
  'snowy mountains',
  'a cat asleep on a sofa',
  'city at night',
  'two children playing football in a park',
  'receipt',
];

async function embedAll(
  device: Device,
): Promise<{ provider: string; fallbacks: string[]; images: Float32Array; texts: Float32Array; dim: number }> {
  const embedder = await Embedder.start(model, { providers: providersFor(device) });
  try {
    const { width, height } = embedder.info.inputSize;
    // Uniform bytes: 16 images as different from each other as images can be.
    const next = mulberry32(1);
    const pixels = Uint8Array.from({ length: 16 * 3 * width * height }, () => next() & 255);
    return {
      provider: embedder.info.provider,
      fallbacks: embedder.info.fallbacks,
      images: await embedder.embedImages(pixels, 16),
      texts: await embedder.embedTexts(TEXTS),
      dim: embedder.info.dim,
    };
  } finally {
    await embedder.close();
  }
}

function lowestCosine(a: Float32Array, b: Float32Array, dim: number): number {
  let low = 1;
  for (let off = 0; off < a.length; off += dim) low = Math.min(low, dot(a, off, b, off, dim));
  return low;
}

const gpu = await embedAll(provider);
const cpu = await embedAll('cpu');
// A provider that fell back to the CPU would compare the CPU with itself: say so by failing.
if (gpu.provider !== provider) process.exitCode = 1;
console.log(
  JSON.stringify({
    asked: provider,
    ran: gpu.provider,
    fallbacks: gpu.fallbacks,
    lowestImageCosine: lowestCosine(gpu.images, cpu.images, gpu.dim),
    lowestTextCosine: lowestCosine(gpu.texts, cpu.texts, gpu.dim),
  }),
);

// The names people call their cameras by, from what the photos' EXIF says: the maker ("Canon",
// "Sony" for "SONY", "Nikon" for "NIKON CORPORATION"), the model as written ("iPhone 13 Pro"), without
// the maker's name ("EOS R5"), and its family, the model's first word past the maker's ("iPhone",
// "Pixel", "EOS").

import type { CameraRef as Camera } from '../../store/photo-vocabulary.ts';

/** Title case for a maker written all in capitals or all in lower case; others as written. */
function tidyWord(word: string): string {
  return word === word.toUpperCase() || word === word.toLowerCase()
    ? word.charAt(0).toUpperCase() + word.slice(1).toLowerCase()
    : word;
}

/** Each name a camera answers to, with the cameras (make and model as stored) it stands for. */
export function cameraNames(cameras: readonly Camera[]): Map<string, Camera[]> {
  const out = new Map<string, Camera[]>();
  // One name in any case: "Apple" from one photo and "APPLE" from another are one maker.
  const byLower = new Map<string, string>();
  const add = (name: string, camera: Camera): void => {
    if (name.length < 2 || !/\p{L}/u.test(name)) return;
    const key = byLower.get(name.toLowerCase()) ?? name;
    byLower.set(name.toLowerCase(), key);
    const list = out.get(key) ?? [];
    if (!list.includes(camera)) list.push(camera);
    out.set(key, list);
  };
  for (const camera of cameras) {
    const make = camera.make?.trim().split(/\s+/)[0];
    if (make) add(tidyWord(make.replace(/[.,]+$/, '')), camera);
    const model = camera.model?.trim();
    if (!model) continue;
    add(model, camera);
    const words = model.split(/\s+/);
    // "Canon EOS R5" is also "EOS R5"; "NIKON D750" also "D750".
    if (make && words.length > 1 && words[0]!.toLowerCase() === make.toLowerCase()) {
      words.shift();
      add(words.join(' '), camera);
    }
    if (words.length > 1) add(words[0]!, camera);
  }
  return out;
}

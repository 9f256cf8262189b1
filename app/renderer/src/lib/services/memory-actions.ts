// Memories on the Photos screen: read them, and open one as the album it is.
import { api } from '../api/index.ts';
import { feed } from '../state/feed.svelte.ts';
import { ui } from '../state/ui.svelte.ts';
import { openAlbum } from './album-actions.ts';

export async function loadMemories(): Promise<void> {
  const list = await api.call('photos.memories', {});
  if (list) feed.memories = list;
}

export async function openMemory(albumId: string): Promise<void> {
  ui.screen = 'albums';
  await openAlbum(albumId);
}

import { describe, expect, it } from 'vitest';
import { memberRole, membersAmong, primaryAmong } from '#core/scan/companions.ts';

describe('which files are one item', () => {
  it('pairs a Live Photo (still + MOV) and RAW+JPEG by name, whatever the case of the extension', () => {
    const live = ['IMG_0001.HEIC', 'IMG_0001.mov'];
    expect(primaryAmong('IMG_0001.mov', live)).toBe('IMG_0001.HEIC');
    expect(membersAmong('IMG_0001.HEIC', live)).toEqual([{ name: 'IMG_0001.mov', role: 'motion' }]);
    const pair = ['DSC_0002.JPG', 'DSC_0002.NEF'];
    expect(primaryAmong('DSC_0002.NEF', pair)).toBe('DSC_0002.JPG');
    expect(membersAmong('DSC_0002.JPG', pair)).toEqual([{ name: 'DSC_0002.NEF', role: 'raw' }]);
  });

  it('makes the HEIC the item when an export JPEG sits beside it too, and the JPEG an item of its own', () => {
    const group = ['IMG_0003.JPG', 'IMG_0003.HEIC', 'IMG_0003.MOV', 'IMG_0003.DNG'];
    expect(primaryAmong('IMG_0003.MOV', group)).toBe('IMG_0003.HEIC');
    expect(membersAmong('IMG_0003.HEIC', group).map((m) => m.name)).toEqual(['IMG_0003.MOV', 'IMG_0003.DNG']);
    expect(membersAmong('IMG_0003.JPG', group)).toEqual([]);
  });

  it('leaves alone what has no still beside it, and files that are never members', () => {
    expect(primaryAmong('clip.mp4', ['clip.mp4'])).toBeNull();
    expect(primaryAmong('DSC_9.NEF', ['DSC_9.NEF', 'DSC_9.xmp'])).toBeNull();
    expect(memberRole('photo.png')).toBeNull();
    expect(memberRole('movie.MKV')).toBeNull();
    expect(membersAmong('a.png', ['a.png', 'a.mov'])).toEqual([]);
  });
});

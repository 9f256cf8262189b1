// The Folders screen's text-language setting: the scripts text in photos can be read in, the one
// picked in the list, and whether a change (a download, a few MB) is under way.
import type { TextLanguageEntry } from '../../../../shared/types.ts';

class TextLanguagesState {
  list = $state.raw<TextLanguageEntry[]>([]);
  /** The id picked in the list, not yet applied. */
  picked = $state('built-in');
  busy = $state(false);
}

export const textLanguages = new TextLanguagesState();

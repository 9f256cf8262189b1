// The models the library can use (models.list) and the models screen section's own state. The
// download's progress is not here: it is part of the model state (library.model.download).
import type { ModelEntry } from '../../../../shared/types.ts';

class ModelsState {
  list = $state.raw<ModelEntry[]>([]);
  loaded = $state(false);
  /** A model whose install, use or remove call is in flight. */
  busy = $state<string | null>(null);
  /** The model waiting for the user to confirm its removal. */
  removing = $state.raw<ModelEntry | null>(null);

  readonly defaultModel = $derived(this.list.find((m) => m.isDefault));
}

export const models = new ModelsState();

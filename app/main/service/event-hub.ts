import type { EventName, Events } from '../../shared/contract.ts';

type Listener = <E extends EventName>(event: E, payload: Events[E]) => void;

/** Fans the service's events out to every connected window or browser tab. */
export class EventHub {
  readonly #listeners = new Set<Listener>();

  readonly emit = <E extends EventName>(event: E, payload: Events[E]): void => {
    for (const l of this.#listeners) l(event, payload);
  };

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

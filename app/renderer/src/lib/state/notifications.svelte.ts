// The one place messages for the user are queued (shown by <Toasts>). Errors from any call end
// up here through the API's error handler, never as exceptions in components.

export type ToastKind = 'error' | 'info' | 'success';

export interface Toast {
  id: number;
  kind: ToastKind;
  title: string;
  message: string;
}

const LIFETIME_MS: Record<ToastKind, number> = { error: 8000, info: 4000, success: 4000 };
const MAX_VISIBLE = 4;

class Notifications {
  items = $state.raw<Toast[]>([]);
  #next = 1;

  push(kind: ToastKind, title: string, message = ''): number {
    const id = this.#next++;
    // The same message again (e.g. a retry that failed the same way) replaces the old toast.
    const rest = this.items.filter((t) => !(t.title === title && t.message === message));
    this.items = [...rest, { id, kind, title, message }].slice(-MAX_VISIBLE);
    setTimeout(() => this.dismiss(id), LIFETIME_MS[kind]);
    return id;
  }

  error(title: string, message = ''): number {
    return this.push('error', title, message);
  }

  info(title: string, message = ''): number {
    return this.push('info', title, message);
  }

  success(title: string, message = ''): number {
    return this.push('success', title, message);
  }

  dismiss(id: number): void {
    this.items = this.items.filter((t) => t.id !== id);
  }
}

export const notifications = new Notifications();

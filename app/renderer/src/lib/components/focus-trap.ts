import type { Action } from 'svelte/action';

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * Keeps Tab and Shift+Tab inside a modal dialog, as aria-modal promises, and gives focus back
 * to whatever had it when the dialog closes, unless `restore` is false: the photo viewer steps
 * through the grid, so its view puts focus on the photo last shown instead (refocusAfterViewer).
 */
export const trapFocus: Action<HTMLElement, { restore?: boolean } | undefined> = (node, options) => {
  const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  const onkeydown = (e: KeyboardEvent): void => {
    if (e.key !== 'Tab') return;
    const items = [...node.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => el.getClientRects().length > 0);
    const first = items[0];
    const last = items.at(-1);
    const active = document.activeElement;
    if (!first || !last) {
      e.preventDefault();
    } else if (e.shiftKey && (active === first || active === node)) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && active === last) {
      e.preventDefault();
      first.focus();
    }
  };
  node.addEventListener('keydown', onkeydown);
  return {
    destroy: () => {
      node.removeEventListener('keydown', onkeydown);
      if (options?.restore !== false && previous?.isConnected) previous.focus({ preventScroll: true });
    },
  };
};

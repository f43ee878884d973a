import { useEffect, type RefObject } from 'react';

/**
 * A disclosure popover's behaviour (the bell's): while `open`, focus moves into `panel`; Escape closes it and gives
 * the focus back to `button`; a pointer down outside `root` closes it.
 */
export function usePopover(
  open: boolean,
  close: () => void,
  refs: { root: RefObject<HTMLElement | null>; button: RefObject<HTMLElement | null>; panel: RefObject<HTMLElement | null> },
): void {
  const { root, button, panel } = refs;
  useEffect(() => {
    if (!open) {
      return;
    }
    panel.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        close();
        button.current?.focus();
      }
    };
    const onPointer = (e: PointerEvent) => {
      if (!root.current?.contains(e.target as Node)) {
        close();
      }
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('pointerdown', onPointer);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onPointer);
    };
  }, [open, close, root, button, panel]);
}

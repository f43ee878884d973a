import * as ToastPrimitive from '@radix-ui/react-toast';
import { X } from 'lucide-react';
import * as React from 'react';
import { cn } from '@/lib/utils';

/**
 * Toasts on Radix Toast (announced to screen readers, swipe and Escape to dismiss). A module-level
 * store so that non-React code (the live socket's handlers) can raise them.
 */
export interface ToastOptions {
  title: string;
  description?: string;
  variant?: 'default' | 'urgent' | 'high' | 'destructive';
  /** ms; Infinity keeps it until dismissed (urgent notifications) */
  duration?: number;
  action?: { label: string; onClick: () => void };
  icon?: React.ReactNode;
}

interface ToastItem extends ToastOptions {
  id: number;
  open: boolean;
}

let items: ToastItem[] = [];
let nextId = 1;
const listeners = new Set<() => void>();
const emit = () => listeners.forEach((l) => l());
const MAX_VISIBLE = 5;

export function toast(options: ToastOptions): number {
  const id = nextId++;
  items = [...items, { ...options, id, open: true }].slice(-MAX_VISIBLE);
  emit();
  return id;
}

export function dismissToast(id: number): void {
  items = items.map((t) => (t.id === id ? { ...t, open: false } : t));
  emit();
  // leave time for the exit animation before forgetting it
  setTimeout(() => {
    items = items.filter((t) => t.id !== id);
    emit();
  }, 300);
}

function useToasts(): ToastItem[] {
  return React.useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => items,
  );
}

const variants: Record<NonNullable<ToastOptions['variant']>, string> = {
  default: 'border bg-card text-card-foreground',
  high: 'border border-amber-500 bg-card text-card-foreground',
  urgent: 'border-2 border-red-600 bg-red-50 text-red-950 dark:bg-red-950 dark:text-red-50',
  destructive: 'border-destructive bg-destructive text-destructive-foreground',
};

export function Toaster() {
  const toasts = useToasts();
  return (
    <ToastPrimitive.Provider swipeDirection="right" duration={6000}>
      {toasts.map((t) => (
        <ToastPrimitive.Root
          key={t.id}
          open={t.open}
          duration={t.duration}
          type={t.variant === 'urgent' ? 'foreground' : 'background'}
          onOpenChange={(open) => {
            if (!open) {
              dismissToast(t.id);
            }
          }}
          data-testid="toast"
          data-variant={t.variant ?? 'default'}
          className={cn(
            'pointer-events-auto relative flex w-full items-start gap-3 rounded-md p-4 pr-8 shadow-lg data-[state=closed]:opacity-0 transition-opacity',
            variants[t.variant ?? 'default'],
          )}
        >
          {t.icon}
          <div className="grid gap-1">
            <ToastPrimitive.Title className="text-sm font-semibold">{t.title}</ToastPrimitive.Title>
            {t.description && (
              <ToastPrimitive.Description className="text-sm opacity-90">{t.description}</ToastPrimitive.Description>
            )}
          </div>
          {t.action && (
            <ToastPrimitive.Action
              altText={t.action.label}
              onClick={t.action.onClick}
              className="ml-auto inline-flex h-8 shrink-0 items-center rounded-md border px-3 text-sm font-medium hover:bg-accent focus:outline-none focus:ring-2 focus:ring-ring"
            >
              {t.action.label}
            </ToastPrimitive.Action>
          )}
          <ToastPrimitive.Close
            aria-label="Dismiss"
            className="absolute right-2 top-2 rounded-md p-1 opacity-70 hover:opacity-100 focus:outline-none focus:ring-2 focus:ring-ring"
          >
            <X className="h-4 w-4" aria-hidden />
          </ToastPrimitive.Close>
        </ToastPrimitive.Root>
      ))}
      <ToastPrimitive.Viewport className="fixed bottom-0 right-0 z-50 flex max-h-screen w-full flex-col gap-2 p-4 sm:max-w-[420px]" />
    </ToastPrimitive.Provider>
  );
}

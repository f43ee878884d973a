import {
  BadgeCheck,
  Bell,
  Calendar,
  CalendarCheck,
  CalendarClock,
  CalendarPlus,
  CircleCheck,
  CircleX,
  FileText,
  Info,
  ListTodo,
  TriangleAlert,
  type LucideIcon,
} from 'lucide-react';
import type { Priority } from '@/api/types';

/** The types the platform knows (ARCHITECTURE.md); senders may use others, shown with the bell. */
export const KNOWN_TYPES = [
  'general',
  'meeting',
  'meeting_response',
  'meeting_invitation',
  'meeting_scheduled',
  'action_item',
  'approval',
  'mom_created',
  'info',
  'warning',
  'error',
  'success',
] as const;

export const PRIORITIES: Priority[] = ['low', 'normal', 'high', 'urgent'];

export const priorityLabel = (p: Priority): string => p.charAt(0).toUpperCase() + p.slice(1);

const icons: Record<string, LucideIcon> = {
  general: Bell,
  meeting: Calendar,
  meeting_response: CalendarCheck,
  meeting_invitation: CalendarPlus,
  meeting_scheduled: CalendarClock,
  action_item: ListTodo,
  approval: BadgeCheck,
  mom_created: FileText,
  info: Info,
  warning: TriangleAlert,
  error: CircleX,
  success: CircleCheck,
};

export function typeIcon(type: string | undefined): LucideIcon {
  return icons[type ?? 'general'] ?? Bell;
}

/** Words a person uses for the platform's type names (others are spelled out from the name). */
const labels: Record<string, string> = {
  general: 'General',
  meeting: 'Meetings',
  meeting_response: 'Meeting replies',
  meeting_invitation: 'Meeting invitations',
  meeting_scheduled: 'Meetings scheduled',
  action_item: 'Action items',
  approval: 'Approvals',
  mom_created: 'Meeting minutes',
  info: 'Info',
  warning: 'Warnings',
  error: 'Errors',
  success: 'Successes',
};

export function typeLabel(type: string | undefined): string {
  const key = type ?? 'general';
  if (labels[key]) {
    return labels[key];
  }
  const t = key.replace(/[_.-]+/g, ' ').trim();
  return t.charAt(0).toUpperCase() + t.slice(1);
}

/** The types worth offering (seen ones, picked ones, …), each once, by label. */
export function typeChoices(...seen: (string | undefined)[][]): string[] {
  return [...new Set(seen.flat().filter((t): t is string => !!t))].sort((a, b) => typeLabel(a).localeCompare(typeLabel(b)));
}

/** "Today" and "Earlier", in the order given (newest first); empty groups left out. */
export function groupByDay<T extends { created_at?: string }>(items: T[], now: Date = new Date()): { label: string; items: T[] }[] {
  const midnight = new Date(now.getFullYear(), now.getMonth(), now.getDate()).getTime();
  const today = items.filter((n) => n.created_at && new Date(n.created_at).getTime() >= midnight);
  const earlier = items.filter((n) => !today.includes(n));
  return [
    { label: 'Today', items: today },
    { label: 'Earlier', items: earlier },
  ].filter((g) => g.items.length > 0);
}

/**
 * A word (and a colour) for the priorities that deserve attention; normal ones carry no label, so the
 * list is not a row of identical pills.
 */
export const priorityStyle: Record<Priority, { label: string; badge: string } | null> = {
  low: { label: 'Low', badge: 'text-muted-foreground ring-1 ring-inset ring-border' },
  normal: null,
  high: { label: 'High', badge: 'bg-amber-100 text-amber-900 dark:bg-amber-900 dark:text-amber-50' },
  urgent: { label: 'Urgent', badge: 'bg-red-700 text-white' },
};

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

export function typeLabel(type: string | undefined): string {
  const t = (type ?? 'general').replace(/_/g, ' ');
  return t.charAt(0).toUpperCase() + t.slice(1);
}

/** Colour AND a word for each priority, so it reads at a glance without relying on colour alone. */
export const priorityStyle: Record<Priority, { label: string; badge: string; bar: string }> = {
  low: { label: 'Low', badge: 'bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-300', bar: 'bg-slate-300 dark:bg-slate-600' },
  normal: { label: 'Normal', badge: 'bg-sky-100 text-sky-800 dark:bg-sky-900 dark:text-sky-100', bar: 'bg-sky-500' },
  high: { label: 'High', badge: 'bg-amber-100 text-amber-900 dark:bg-amber-900 dark:text-amber-100', bar: 'bg-amber-500' },
  urgent: { label: 'Urgent', badge: 'bg-red-600 text-white', bar: 'bg-red-600' },
};

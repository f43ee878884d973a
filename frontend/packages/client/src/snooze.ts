/**
 * The times a Snooze menu offers (the dashboard's rows and @notify/react's inbox share them), in the user's local
 * time: in an hour, tomorrow at 9:00, next Monday at 9:00. Each is in the future and well within the server's 30 days.
 */
export interface SnoozeChoice {
  label: string;
  until: Date;
}

const atNine = (day: Date): Date => new Date(day.getFullYear(), day.getMonth(), day.getDate(), 9, 0, 0, 0);

export function snoozeChoices(now: Date = new Date()): SnoozeChoice[] {
  const tomorrow = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1);
  // never today, and never the same as tomorrow: on a Sunday, the Monday after
  const daysToMonday = now.getDay() === 0 ? 8 : 8 - now.getDay();
  const monday = new Date(now.getFullYear(), now.getMonth(), now.getDate() + daysToMonday);
  return [
    { label: 'In 1 hour', until: new Date(now.getTime() + 3_600_000) },
    { label: 'Tomorrow, 9:00', until: atNine(tomorrow) },
    { label: 'Next Monday, 9:00', until: atNine(monday) },
  ];
}

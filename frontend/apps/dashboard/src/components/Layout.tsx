import { BellRing, LogOut } from 'lucide-react';
import { NavLink, Outlet } from 'react-router-dom';
import { Button } from '@/components/ui/button';
import { useAuth } from '@/features/auth/AuthProvider';
import { ConnectionIndicator } from '@/features/live/ConnectionIndicator';
import { Bell } from '@/features/notifications/Bell';
import { cn } from '@/lib/utils';

const navClass = ({ isActive }: { isActive: boolean }) =>
  cn(
    'rounded-md px-3 py-2 text-sm font-medium hover:bg-accent focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring',
    isActive ? 'bg-accent text-accent-foreground' : 'text-muted-foreground',
  );

export function Layout() {
  const { me, isAdmin, logout } = useAuth();
  return (
    <div className="min-h-screen">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:rounded focus:bg-background focus:p-2">
        Skip to content
      </a>
      <header className="sticky top-0 z-40 border-b bg-background/95 backdrop-blur">
        <div className="mx-auto flex max-w-5xl flex-wrap items-center gap-2 px-4 py-2">
          <span className="mr-2 flex items-center gap-2 font-semibold text-primary">
            <BellRing className="h-5 w-5" aria-hidden /> Notify
          </span>
          <nav aria-label="Main" className="flex flex-wrap items-center gap-1">
            <NavLink to="/" end className={navClass}>
              Inbox
            </NavLink>
            <NavLink to="/topics" className={navClass}>
              Topics
            </NavLink>
            <NavLink to="/preferences" className={navClass}>
              Preferences
            </NavLink>
            {isAdmin && (
              <NavLink to="/admin" className={navClass}>
                Send
              </NavLink>
            )}
          </nav>
          <div className="ml-auto flex items-center gap-2">
            <ConnectionIndicator />
            <Bell />
            {me && (
              <span className="hidden text-sm text-muted-foreground sm:inline" data-testid="who">
                {me.display_name ?? me.username}
              </span>
            )}
            <Button variant="ghost" size="sm" onClick={() => void logout()}>
              <LogOut className="h-4 w-4" aria-hidden /> Sign out
            </Button>
          </div>
        </div>
      </header>
      <main id="main" className="mx-auto max-w-5xl px-4 py-6">
        <Outlet />
      </main>
    </div>
  );
}

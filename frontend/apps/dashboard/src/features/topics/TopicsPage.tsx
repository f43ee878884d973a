import { useAuth } from '@/features/auth/AuthProvider';
import { FollowingCard } from './FollowingCard';
import { SubscribersCard } from './SubscribersCard';

/** Topics of the signed-in user's company: what they follow, and for admins who else does. */
export function TopicsPage() {
  const { me, isAdmin } = useAuth();
  return (
    <div className="grid gap-4">
      <FollowingCard company={me?.company} />
      {isAdmin && <SubscribersCard company={me?.company} myId={me?.id} />}
    </div>
  );
}

import { zodResolver } from '@hookform/resolvers/zod';
import { BellRing, Loader2 } from 'lucide-react';
import * as React from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { problemMessage, toProblem } from '@/api/problem';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { FormField, fieldA11y } from '@/components/ui/form-field';
import { Input } from '@/components/ui/input';
import { useAuth } from './AuthProvider';

const schema = z.object({
  username: z.string().trim().min(1, 'Enter your username'),
  password: z.string().min(1, 'Enter your password'),
});
type Values = z.infer<typeof schema>;

export function LoginPage() {
  const { login } = useAuth();
  const [error, setError] = React.useState<string | null>(null);
  const {
    register,
    handleSubmit,
    formState: { errors, isSubmitting },
  } = useForm<Values>({ resolver: zodResolver(schema), defaultValues: { username: '', password: '' } });

  const onSubmit = handleSubmit(async ({ username, password }) => {
    setError(null);
    try {
      await login(username, password);
    } catch (e) {
      const problem = toProblem(e);
      setError(
        problem.status === 401
          ? 'Wrong username or password.'
          : problem.status === 429
            ? (problem.detail ?? 'Too many attempts: try again later.')
            : problemMessage(problem),
      );
    }
  });

  return (
    <main className="flex min-h-screen items-center justify-center p-4">
      <Card className="w-full max-w-sm">
        <CardHeader>
          <div className="mb-2 flex items-center gap-2 text-primary">
            <BellRing className="h-6 w-6" aria-hidden />
            <span className="text-lg font-semibold">Notify</span>
          </div>
          <CardTitle>
            <span>Sign in</span>
          </CardTitle>
          <CardDescription>Your notifications, live.</CardDescription>
        </CardHeader>
        <CardContent>
          <form onSubmit={onSubmit} className="grid gap-4" noValidate aria-label="Sign in">
            {error && (
              <div role="alert" className="rounded-md border border-destructive bg-destructive/10 p-3 text-sm text-destructive">
                {error}
              </div>
            )}
            <FormField id="username" label="Username" error={errors.username?.message}>
              <Input id="username" autoComplete="username" autoFocus {...fieldA11y('username', errors.username?.message)} {...register('username')} />
            </FormField>
            <FormField id="password" label="Password" error={errors.password?.message}>
              <Input
                id="password"
                type="password"
                autoComplete="current-password"
                {...fieldA11y('password', errors.password?.message)}
                {...register('password')}
              />
            </FormField>
            <Button type="submit" disabled={isSubmitting}>
              {isSubmitting && <Loader2 className="h-4 w-4 animate-spin" aria-hidden />}
              Sign in
            </Button>
          </form>
        </CardContent>
      </Card>
    </main>
  );
}

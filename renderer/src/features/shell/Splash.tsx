import { Button } from '../../components/Button';
import { LoaderCircle, RefreshCw, TriangleAlert } from '../../components/icons';

export function Splash() {
  return (
    <main className="flex h-full items-center justify-center" aria-busy="true">
      <LoaderCircle size={28} className="animate-spin text-faint" aria-label="Loading" />
    </main>
  );
}

export function StartupError({ message, onRetry }: { message: string; onRetry: () => void }) {
  return (
    <main className="flex h-full items-center justify-center p-8">
      <div role="alert" className="max-w-md text-center">
        <TriangleAlert size={32} className="mx-auto mb-4 text-danger-text" aria-hidden="true" />
        <h1 className="text-lg font-semibold">Keyward could not start</h1>
        <p className="mt-2 text-muted [overflow-wrap:anywhere]">{message}</p>
        <Button className="mt-5" icon={RefreshCw} onClick={onRetry}>
          Try again
        </Button>
      </div>
    </main>
  );
}

import { Logo } from '../../components/Logo';

/** Shown when the page was opened outside Keyward: no preload, no harness bridge. */
export function MissingBridge() {
  return (
    <main className="flex h-full items-center justify-center p-8">
      <div role="alert" className="max-w-md text-center">
        <div className="mb-5 flex justify-center">
          <Logo size="lg" />
        </div>
        <h1 className="text-xl font-semibold">Keyward cannot reach its vault service</h1>
        <p className="mt-3 text-muted">
          This page only works inside the Keyward app, or opened from the URL that <code className="font-mono text-fg">npm run start:harness</code> prints (the token in
          that URL connects the page to the vault service).
        </p>
      </div>
    </main>
  );
}

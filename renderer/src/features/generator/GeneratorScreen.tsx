/** The generator as its own screen. There is no credential here, so Copy uses the page's clipboard (not cleared by Keyward). */
import { GeneratorPanel } from './GeneratorPanel';

export function GeneratorScreen() {
  return (
    <div className="mx-auto max-w-2xl px-8 py-7">
      <h1 className="text-xl font-semibold">Generator</h1>
      <p className="mt-1 mb-5 text-sm text-muted">Values come from the operating system’s secure random generator. Nothing made here is stored until you put it in a credential.</p>
      <section aria-label="Generator" className="rounded-xl border border-line bg-surface p-5 shadow-xs">
        <GeneratorPanel allowCopy />
      </section>
    </div>
  );
}

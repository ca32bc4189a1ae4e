import { KeyRound } from './icons';

export function Logo({ size = 'md' }: { size?: 'md' | 'lg' }) {
  const box = size === 'lg' ? 'h-12 w-12 rounded-2xl' : 'h-8 w-8 rounded-lg';
  return (
    <div className={`flex ${box} shrink-0 items-center justify-center bg-linear-to-br from-indigo-500 to-violet-600 text-white shadow-sm`} aria-hidden="true">
      <KeyRound size={size === 'lg' ? 24 : 17} strokeWidth={2.25} />
    </div>
  );
}

/**
 * Text that may be very long (a credential name may have 10,000 characters)
 * shown in a few lines at most, so it never pushes a heading, a dialog's
 * buttons or the actions off the screen. The whole text stays in the DOM
 * (screen readers, find-in-page and tests read all of it); `useClamp` tells
 * whether it is cut, so a "Show full name" toggle appears only when needed.
 */
import { useLayoutEffect, useRef, useState, type ElementType, type HTMLAttributes, type RefObject } from 'react';

const CLAMP: Record<number, string> = { 1: 'line-clamp-1', 2: 'line-clamp-2', 3: 'line-clamp-3', 4: 'line-clamp-4' };

/** Whether the element's text is cut by its clamp; re-measured when its size changes. */
export function useClamped(ref: RefObject<HTMLElement | null>, text: string, active: boolean): boolean {
  const [clamped, setClamped] = useState(false);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el || !active) return setClamped(false);
    const measure = () => setClamped(el.scrollHeight > el.clientHeight + 1);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref, text, active]);
  return clamped;
}

export interface ClampedTextProps extends HTMLAttributes<HTMLElement> {
  text: string;
  /** Lines shown before the text is cut (1–4). */
  lines?: 1 | 2 | 3 | 4;
  as?: ElementType;
}

/** Text cut to `lines` lines with an ellipsis; breaks anywhere, so one unbroken word cannot widen the layout. */
export function ClampedText({ text, lines = 2, as: Tag = 'span', className = '', ...rest }: ClampedTextProps) {
  return (
    <Tag className={`${CLAMP[lines]} [overflow-wrap:anywhere] ${className}`} {...rest}>
      {text}
    </Tag>
  );
}

/**
 * A heading that shows a long name clamped, with a "Show full name" toggle
 * (outside the heading, so the heading's accessible name stays the name).
 * Expanded, a very long name scrolls inside a bounded box.
 */
export function ClampedHeading({ text, lines = 3, as: Tag = 'h2', className = '' }: { text: string; lines?: 1 | 2 | 3 | 4; as?: ElementType; className?: string }) {
  const [expanded, setExpanded] = useState(false);
  const ref = useRef<HTMLElement>(null);
  const clamped = useClamped(ref, text, !expanded);
  return (
    <>
      <Tag ref={ref} className={`[overflow-wrap:anywhere] ${expanded ? 'max-h-64 overflow-y-auto' : CLAMP[lines]} ${className}`}>
        {text}
      </Tag>
      {clamped || expanded ? (
        <button
          type="button"
          aria-expanded={expanded}
          onClick={() => setExpanded((e) => !e)}
          className="mt-0.5 rounded text-xs font-medium text-accent-text hover:underline"
        >
          {expanded ? 'Show less' : 'Show full name'}
        </button>
      ) : null}
    </>
  );
}

/**
 * The records the Audit table shows: the newest page that matches `query`,
 * asked for again when the query changes or `reload` moves (Refresh, after
 * Verify), and older pages on request (the table asks as it nears the end).
 * A page that arrives after the query changed is dropped.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AuditQuery } from '../../../../shared/ipc/contract';
import { call, type ErrorInfo } from '../../lib/api';
import { nextPageQuery, NO_PAGES, wantsMore, withPage, type Pages } from './audit-pages';

export interface AuditPages extends Pages {
  /** A page is being read (the first one, or an older one). */
  loading: boolean;
  /** The last read failed: no more pages are asked for until `retry`. */
  error: ErrorInfo | null;
  /** The first page has arrived (or failed) for the current query. */
  ready: boolean;
  /** The table drew row `lastShown`: reads the next page if that is near the end. */
  nearEnd(lastShown: number): void;
  /** Reads the next page now (a button's click), unless one is being read or none is left. */
  loadOlder(): void;
  retry(): void;
}

export function useAuditPages(query: AuditQuery, queryKey: string, reload: number): AuditPages {
  const [pages, setPages] = useState<Pages>(NO_PAGES);
  const [loading, setLoading] = useState(true);
  const [ready, setReady] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const ticket = useRef(0);
  // What a scroll handler needs now, not as of its last render: two scroll events in one frame ask once.
  const now = useRef({ query, pages, loading, error });
  now.current.query = query;

  const read = useCallback(async (from: Pages, mine: number) => {
    now.current.loading = true;
    setLoading(true);
    const r = await call('audit.records', nextPageQuery(now.current.query, from));
    if (mine !== ticket.current) return;
    now.current.loading = false;
    setLoading(false);
    setReady(true);
    if (r.ok) {
      const next = withPage(from, r.value);
      now.current.pages = next;
      setPages(next);
    } else if (r.error.code !== 'VAULT_LOCKED') {
      // (A locked vault is told by the 'locked' event, and this screen goes with it.)
      now.current.error = r.error;
      setError(r.error);
    }
  }, []);

  useEffect(() => {
    const mine = ++ticket.current;
    now.current = { ...now.current, pages: NO_PAGES, error: null };
    setPages(NO_PAGES);
    setError(null);
    setReady(false);
    void read(NO_PAGES, mine);
  }, [queryKey, reload, read]);

  const loadOlder = useCallback(() => {
    const { pages: held, loading: busy, error: failed } = now.current;
    if (held.more && !busy && !failed) void read(held, ticket.current);
  }, [read]);

  const nearEnd = useCallback(
    (lastShown: number) => {
      const { pages: held, loading: busy, error: failed } = now.current;
      if (!failed && wantsMore(held, lastShown, busy)) void read(held, ticket.current);
    },
    [read],
  );

  const retry = useCallback(() => {
    now.current.error = null;
    setError(null);
    void read(now.current.pages, ticket.current);
  }, [read]);

  return { ...pages, loading, error, ready, nearEnd, loadOlder, retry };
}

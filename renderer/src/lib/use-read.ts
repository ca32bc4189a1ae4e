/**
 * A screen's read from main: called when the screen opens and again on
 * `reload` (Refresh, Retry), with what it answered, why it failed, and whether
 * a read is under way. Only the latest read is kept (an earlier one that
 * answers late is dropped), and a locked vault is no error to show: the app
 * is about to show its unlock screen.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Method, Request, Response } from '../../../shared/ipc/contract';
import { call, type ErrorInfo } from './api';

export interface Read<M extends Method> {
  value: Response<M> | null;
  /** For a screen that changes what it read (its own saves answer the new value). */
  setValue: (value: Response<M>) => void;
  error: ErrorInfo | null;
  loading: boolean;
  reload: () => Promise<void>;
}

export function useRead<M extends Method>(method: M, request: Request<M>): Read<M> {
  const [value, setValue] = useState<Response<M> | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [loading, setLoading] = useState(true);
  const ticket = useRef(0);
  // The request as first given: a literal written in the render is a new object each time.
  const asked = useRef(request);
  const reload = useCallback(async () => {
    const mine = ++ticket.current;
    setLoading(true);
    const r = await call(method, asked.current);
    if (mine !== ticket.current) return;
    setLoading(false);
    if (r.ok) {
      setValue(r.value);
      setError(null);
    } else if (r.error.code !== 'VAULT_LOCKED') setError(r.error);
  }, [method]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { value, setValue, error, loading, reload };
}

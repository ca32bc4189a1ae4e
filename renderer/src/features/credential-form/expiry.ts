/** Whether a YYYY-MM-DD expiry (as the date input gives it) is already past: such a credential is expired from the start. */
export function isPastDate(day: string, now = new Date()): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return false;
  // The core stores a bare date as midnight UTC (see normaliseExpiry): compare the same instant.
  return new Date(`${day}T00:00:00Z`).getTime() <= now.getTime();
}

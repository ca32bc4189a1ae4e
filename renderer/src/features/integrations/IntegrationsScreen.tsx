/**
 * Integrations: copy-paste snippets for giving programs their secrets —
 * `keyward run`, .env files with kw:// references, templates for `inject`,
 * and the MCP client configuration (docs/env.md, docs/grants.md, docs/mcp.md).
 * Nothing here is secret: a token is shown only once, when its grant is made.
 */
import { useState } from 'react';
import { Button } from '../../components/Button';
import { Check, Copy } from '../../components/icons';
import { useStore } from '../../store';

interface Snippet {
  id: string;
  title: string;
  what: string;
  text: string;
}

const SNIPPETS: Snippet[] = [
  {
    id: 'run',
    title: 'Run a program with its secrets',
    what: 'The values live in the program’s environment for its lifetime only, and are concealed in its output.',
    text: 'keyward run --env STRIPE_KEY=stripe-prod --env DB_PASSWORD=kw://db/prod -- npm start',
  },
  {
    id: 'env-file',
    title: '.env with references',
    what: 'Commit references, not values: keyward run --env-file .env resolves each kw:// at start.',
    text: '# .env\nSTRIPE_KEY=kw://stripe-prod\nDB_USER=kw://db/prod/username\nDB_PASSWORD=kw://db/prod\nLOG_LEVEL=info\n\nkeyward run --env-file .env -- npm start',
  },
  {
    id: 'inject',
    title: 'Fill a config file',
    what: 'Writes the file readable by you alone (0600); never over an existing one unless --force.',
    text: '# config.tmpl\ndatabase_url: "postgres://{{ kw://db/prod/username }}:{{ kw://db/prod }}@db:5432/app"\n\nkeyward inject --in config.tmpl --out config.yaml',
  },
  {
    id: 'ci',
    title: 'A CI job, by a grant',
    what: 'Make a grant on the Grants screen (or keyward grant add ci --role runner --scope tag:ci --allow-command "npm test") and store its token as the job’s secret.',
    text: 'KEYWARD_TOKEN=$CI_KEYWARD_TOKEN keyward run --env API_KEY=ci-api-key -- npm test',
  },
  {
    id: 'mcp',
    title: 'An AI assistant (MCP)',
    what: 'keyward mcp serves the Model Context Protocol for one grant only. Put this in your MCP client’s configuration, with the token of a viewer, runner or reader grant.',
    text: JSON.stringify({ mcpServers: { keyward: { command: 'keyward', args: ['mcp'], env: { KEYWARD_TOKEN: 'kwg_…' } } } }, null, 2),
  },
];

export function IntegrationsScreen() {
  const toast = useStore((s) => s.toast);
  const [copied, setCopied] = useState<string | null>(null);
  const canCopy = typeof navigator !== 'undefined' && typeof navigator.clipboard?.writeText === 'function';
  return (
    <div className="mx-auto max-w-4xl px-8 pt-7 pb-20">
      <h1 className="text-xl font-semibold">Integrations</h1>
      <p className="mt-1 text-sm text-muted">Give your programs their secrets without writing them down. Every value read is recorded in the audit trail.</p>
      <ul className="mt-6 grid gap-4">
        {SNIPPETS.map((s) => (
          <li key={s.id} aria-labelledby={`snippet-${s.id}`} className="rounded-xl border border-line bg-surface p-4">
            <div className="flex items-start justify-between gap-3">
              <div>
                <h2 id={`snippet-${s.id}`} className="text-sm font-semibold">
                  {s.title}
                </h2>
                <p className="mt-1 text-xs text-muted">{s.what}</p>
              </div>
              {canCopy ? (
                <Button
                  size="sm"
                  variant="secondary"
                  icon={copied === s.id ? Check : Copy}
                  aria-label={`Copy: ${s.title}`}
                  onClick={async () => {
                    await navigator.clipboard.writeText(s.text);
                    setCopied(s.id);
                    toast('success', 'Copied.');
                  }}
                >
                  {copied === s.id ? 'Copied' : 'Copy'}
                </Button>
              ) : null}
            </div>
            <pre className="mt-3 overflow-x-auto rounded-md bg-canvas p-3 font-mono text-xs whitespace-pre">{s.text}</pre>
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * The security report as one self-contained HTML file (`keyward report --out
 * FILE.html`): no script, no external resource (a CSP forbids both), every
 * text escaped, readable on screen and printable to PDF.
 */
import type { MetricStatus, SecurityReport } from '../../../shared/report.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

const STATUS_WORDS: Record<MetricStatus, string> = { good: 'Good', attention: 'Needs attention', bad: 'Act now', info: 'For information' };

const STYLE = `
  :root { color-scheme: light; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #111827; }
  body { max-width: 60rem; margin: 2rem auto; padding: 0 1.5rem; line-height: 1.45; }
  h1 { font-size: 1.6rem; margin-bottom: .25rem; } h2 { font-size: 1.15rem; margin-top: 2rem; border-bottom: 1px solid #d1d5db; padding-bottom: .25rem; }
  .meta, .note { color: #4b5563; font-size: .9rem; }
  .metrics { display: grid; grid-template-columns: repeat(auto-fill, minmax(17rem, 1fr)); gap: .75rem; }
  .metric { border: 1px solid #d1d5db; border-left-width: .4rem; border-radius: .4rem; padding: .75rem 1rem; break-inside: avoid; }
  .metric h3 { margin: 0; font-size: 1rem; } .value { font-size: 1.4rem; font-weight: 600; margin: .2rem 0; }
  .status { font-size: .8rem; font-weight: 600; text-transform: uppercase; letter-spacing: .03em; }
  .good { border-left-color: #15803d; } .good .status { color: #15803d; }
  .attention { border-left-color: #b45309; } .attention .status { color: #b45309; }
  .bad { border-left-color: #b91c1c; } .bad .status { color: #b91c1c; }
  .info { border-left-color: #1d4ed8; } .info .status { color: #1d4ed8; }
  .metric ul { margin: .4rem 0 0; padding-left: 1.1rem; font-size: .85rem; color: #374151; }
  table { border-collapse: collapse; width: 100%; font-size: .9rem; } th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid #e5e7eb; vertical-align: top; }
  .bar { display: inline-block; height: .8rem; background: #1d4ed8; vertical-align: middle; }
  @media print { body { margin: 0; max-width: none; } .metric { border-color: #9ca3af; } }
`;

export function reportHtml(report: SecurityReport): string {
  const e = escapeHtml;
  const total = report.strengthDistribution.reduce((a, b) => a + b, 0);
  const metrics = report.metrics
    .map(
      (m) => `
    <section class="metric ${m.status}" aria-labelledby="m-${e(m.id)}">
      <h3 id="m-${e(m.id)}">${e(m.title)}</h3>
      <div class="value">${e(m.value)}</div>
      <div class="status">${STATUS_WORDS[m.status]}</div>
      <p>${e(m.detail)}</p>
      ${m.controls.length ? `<ul aria-label="Supports evidence for">${m.controls.map((c) => `<li>${e(c.framework)} ${e(c.id)}: ${e(c.title)}</li>`).join('')}</ul>` : ''}
    </section>`,
    )
    .join('');
  const strength = report.strengthDistribution
    .map((n, score) => `<tr><td>${score}</td><td>${n}</td><td><span class="bar" style="width:${total ? Math.round((n / total) * 200) : 0}px"></span></td></tr>`)
    .join('');
  const policy = report.policy.map((p) => `<tr><th scope="row">${e(p.name)}</th><td>${e(p.value)}</td></tr>`).join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Keyward security report — ${e(report.generatedAt.slice(0, 10))}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>Keyward security report</h1>
<p class="meta">Vault ${e(report.vault.id)} · ${report.vault.credentialCount.toLocaleString('en-US')} credentials · made ${e(report.vault.createdAt.slice(0, 10))} · vault key from ${e(report.vault.keyCreatedAt.slice(0, 10))} · generated ${e(report.generatedAt.replace('T', ' ').slice(0, 19))} UTC</p>
<p class="note">These figures support evidence for the controls named beside them; they are not a certification or an assessment of compliance. The report holds no secret value.</p>
<h2>Metrics</h2>
<div class="metrics">${metrics}
</div>
<h2>Password strength distribution</h2>
<table><thead><tr><th scope="col">Score (0–4)</th><th scope="col">Passwords</th><th scope="col"><span class="note">share</span></th></tr></thead><tbody>${strength}</tbody></table>
<h2>Policy in force</h2>
<table><tbody>${policy}</tbody></table>
</body>
</html>
`;
}

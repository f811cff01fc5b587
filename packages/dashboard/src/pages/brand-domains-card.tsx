import type { BrandDomain, BrandDomainTakeover } from '@leaddesk/shared';
import { useState } from 'preact/hooks';
import { Badge, Button, Card, inputClass } from '../ui.js';

/** A claim's outcome: added; held by another tenant (with the record that moves it here); refused (the page shows why). */
export type AddOutcome = { state: 'added' | 'refused' } | { state: 'held'; takeover: BrandDomainTakeover };

export interface BrandDomainsCardProps {
  domains: BrandDomain[];
  editable: boolean;
  add(host: string): Promise<AddOutcome>;
  /** Moves a held host here once its take-over record is published; resolves to null, or why it did not. */
  takeOver(host: string): Promise<string | null>;
  remove(host: string): Promise<void>;
  /** Looks the TXT record up now; resolves to the domain as it is afterwards (null: the call failed). */
  verify(host: string): Promise<BrandDomain | null>;
}

/**
 * The dashboard's domains on the branding page (docs/white-label.md, "Domains"): each with its status and,
 * while pending, the DNS TXT record its owner must publish, a Verify button and why the last check failed.
 */
export function BrandDomainsCard({ domains, editable, add, takeOver, remove, verify }: BrandDomainsCardProps) {
  const [host, setHost] = useState('');
  const [checking, setChecking] = useState<string | null>(null);
  const [result, setResult] = useState<Record<string, string>>({});
  const [held, setHeld] = useState<BrandDomainTakeover | null>(null);
  const [moving, setMoving] = useState(false);
  const [moveError, setMoveError] = useState<string | null>(null);

  const onMove = async (name: string) => {
    setMoving(true);
    try {
      const why = await takeOver(name);
      setMoveError(why);
      if (why === null) setHeld(null);
    } finally {
      setMoving(false);
    }
  };

  const onVerify = async (name: string) => {
    setChecking(name);
    try {
      const after = await verify(name);
      if (after)
        setResult((r) => ({
          ...r,
          [name]: after.status === 'verified' ? 'Verified' : (after.lastError ?? 'Not verified yet'),
        }));
    } finally {
      setChecking(null);
    }
  };

  return (
    <Card title="Dashboard domains">
      <p class="mb-3 text-sm text-slate-500">
        Add a domain, publish the TXT record shown below at your DNS provider to prove it is yours, then press Verify.
        Once verified, point the domain's DNS at this service and ask your operator for its TLS certificate; the
        dashboard is then served there in this branding.
      </p>
      <ul class="mb-3 space-y-3 text-sm">
        {domains.map((d) => (
          <li key={d.host} class="space-y-1" data-testid="brand-domain" data-host={d.host} data-status={d.status}>
            <div class="flex flex-wrap items-center gap-2">
              <span class="font-mono">{d.host}</span>
              {d.status === 'verified' ? (
                d.failingSince ? (
                  <Badge tone="bg-amber-100 text-amber-800">Verified, record missing</Badge>
                ) : (
                  <Badge tone="bg-emerald-100 text-emerald-800">Verified</Badge>
                )
              ) : (
                <Badge tone="bg-amber-100 text-amber-800">Pending verification</Badge>
              )}
              {editable && d.status === 'pending' && (
                <Button onClick={() => onVerify(d.host)} disabled={checking === d.host}>
                  {checking === d.host ? 'Checking…' : 'Verify'}
                </Button>
              )}
              {editable && (
                <Button variant="ghost" onClick={() => remove(d.host)}>
                  Remove
                </Button>
              )}
            </div>
            {d.failingSince && d.stopsServingAt && (
              <p class="text-xs text-amber-800" data-testid="domain-failing" role="status">
                The TXT record below has not been found since {new Date(d.failingSince).toLocaleString()}. Publish it
                again, or this domain stops showing your brand on {new Date(d.stopsServingAt).toLocaleString()}.
              </p>
            )}
            {(d.status === 'pending' || d.failingSince) && d.verification && (
              <dl class="grid grid-cols-[auto_1fr] gap-x-3 rounded bg-slate-50 p-2 text-xs">
                <TxtRecordRows record={d.verification} testid="txt" />
                {d.expiresAt && (
                  <>
                    <dt class="text-slate-500">Verify by</dt>
                    <dd>{new Date(d.expiresAt).toLocaleString()}</dd>
                  </>
                )}
              </dl>
            )}
            {(result[d.host] ?? (d.status === 'pending' || d.failingSince ? d.lastError : null)) && (
              <p class="text-xs text-slate-600" data-testid="verify-result" role="status">
                {result[d.host] ?? d.lastError}
              </p>
            )}
          </li>
        ))}
      </ul>
      {editable && (
        <div class="flex gap-2">
          <input
            name="brandHost"
            class={inputClass}
            placeholder="app.your-agency.example"
            value={host}
            onInput={(e) => setHost(e.currentTarget.value)}
          />
          <Button
            onClick={async () => {
              const outcome = await add(host.trim());
              setMoveError(null);
              setHeld(outcome.state === 'held' ? outcome.takeover : null);
              if (outcome.state === 'added') setHost('');
            }}
          >
            Add
          </Button>
        </div>
      )}
      {editable && held && (
        <div
          class="mt-3 space-y-2 rounded border border-amber-200 bg-amber-50 p-3 text-sm"
          data-testid="domain-takeover"
        >
          <p>
            <span class="font-mono">{held.host}</span> is already in use by another account. If its DNS is yours,
            publish this TXT record and press Move here: the domain becomes yours, verified.
          </p>
          <dl class="grid grid-cols-[auto_1fr] gap-x-3 text-xs">
            <TxtRecordRows record={held.verification} testid="takeover" />
          </dl>
          <div class="flex items-center gap-2">
            <Button onClick={() => onMove(held.host)} disabled={moving}>
              {moving ? 'Checking…' : 'Move here'}
            </Button>
            <Button variant="ghost" onClick={() => setHeld(null)}>
              Cancel
            </Button>
          </div>
          {moveError && (
            <p class="text-xs text-slate-700" role="status" data-testid="takeover-result">
              {moveError}
            </p>
          )}
        </div>
      )}
    </Card>
  );
}

/** A DNS TXT record to publish, as rows of a `<dl>`: `<testid>-name` and `<testid>-value` for the tests. */
function TxtRecordRows({ record, testid }: { record: { type: string; name: string; value: string }; testid: string }) {
  return (
    <>
      <dt class="text-slate-500">Type</dt>
      <dd class="font-mono">{record.type}</dd>
      <dt class="text-slate-500">Name</dt>
      <dd class="font-mono break-all" data-testid={`${testid}-name`}>
        {record.name}
      </dd>
      <dt class="text-slate-500">Value</dt>
      <dd class="font-mono break-all" data-testid={`${testid}-value`}>
        {record.value}
      </dd>
    </>
  );
}

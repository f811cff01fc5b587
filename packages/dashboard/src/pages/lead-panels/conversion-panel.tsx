import type { ConversionEstimate } from '@leaddesk/shared';

/**
 * The lead's chance of being won on its page: the business's own fitted
 * model, or, until it has enough closed leads, the lead score, labelled as a
 * heuristic so nobody reads it as a measured probability.
 */
export function ConversionPanel({ conversion }: { conversion?: ConversionEstimate }) {
  if (!conversion) return null;
  const { probability, source, modelFittedAt } = conversion;
  return (
    <div class="mt-4 text-sm" data-testid="conversion" data-source={source}>
      <h3 class="mb-1 text-xs font-semibold text-slate-500 uppercase">Conversion</h3>
      {source === 'model' ? (
        <p>
          <span class="text-lg font-semibold" data-testid="conversion-probability">
            {probability === null ? '—' : `${Math.round(probability * 100)} %`}
          </span>{' '}
          chance of being won{' '}
          <span class="text-slate-500">
            (this business's model{modelFittedAt ? `, fitted ${new Date(modelFittedAt).toLocaleDateString()}` : ''})
          </span>
        </p>
      ) : (
        <p>
          <span class="rounded bg-amber-100 px-1.5 py-0.5 font-medium text-amber-800">Heuristic</span>{' '}
          <span data-testid="conversion-probability">
            {probability === null ? 'not scored yet' : `score ${Math.round(probability * 100)} / 100`}
          </span>{' '}
          <span class="text-slate-500">(not a fitted probability: too few closed leads to fit a model)</span>
        </p>
      )}
    </div>
  );
}

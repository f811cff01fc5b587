/**
 * CPU per message of the understanding module and of the structured reply.
 *
 * - `understand()` over a varied list of first messages in six languages and
 *   three industries (p50/p99; the target is under 2 ms at p99).
 * - The structured reply's `compose()` as it is now (src/replies/structured)
 *   against the engine as it was before the understanding module
 *   (bench/baseline/structured-v1, our own code kept as the baseline), on the
 *   same messages in the same run, printed as ratios.
 *
 * Pure CPU, no I/O; about 20 seconds. `pnpm bench understanding`; writes
 * bench/results/understanding-*.json.
 */

import { performance } from 'node:perf_hooks';
import { type ClientConfig, clientConfigSchema, type Industry, type MessageDto } from '@leaddesk/shared';
import type { ReplyContext } from '../src/replies/reply-engine.js';
import { compose as composeNow } from '../src/replies/structured/structured-engine.js';
import { INDUSTRY_TEMPLATES } from '../src/tenants/industry-templates.js';
import { understand } from '../src/understanding/understand.js';
import { compose as composeBaseline } from './baseline/structured-v1/structured-engine.js';
import { percentile, round, writeResult } from './support/results.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 50);

const MESSAGES: Array<[Industry, string]> = [
  ['dental', 'I have a terrible toothache since yesterday and my cheek is swollen. Can you see me today? 07911 123456'],
  [
    'dental',
    'Hola, me sangra la encía desde hace dos días y tengo mucho dolor. Mi hija de 12 años también necesita una revisión.',
  ],
  ['dental', "Bonjour, j'ai très mal aux dents depuis hier soir. Pouvez-vous me prendre demain matin ?"],
  [
    'dental',
    'Guten Tag, ich hätte gerne einen Termin für eine Zahnreinigung nächste Woche, nichts Dringendes. Mein Name ist Julia Weber.',
  ],
  ['dental', 'Olá, quanto custa o branqueamento? Não é urgente.'],
  [
    'dental',
    'Buongiorno, vorrei prenotare una pulizia dei denti per venerdì pomeriggio. Sono Marco Rossi, 347 123 4567',
  ],
  ['dental', 'How much does a cleaning cost?'],
  ['dental', '¿Cuánto cuesta una limpieza?'],
  ['dental', 'Another clinic quoted me 900 for an implant, how much do you charge?'],
  ['dental', 'Do you take Cigna insurance?'],
  ['dental', 'I need to cancel my appointment for tomorrow, sorry'],
  ['dental', 'Kann ich meinen Termin am Donnerstag auf nächste Woche verschieben?'],
  ['dental', 'Can I speak to a real person please?'],
  ['dental', 'Mi si è rotto un dente e mi fa male, è urgente'],
  ['dental', 'Je voudrais des informations sur Invisalign, pas pressé.'],
  ['dental', 'Preciso de desmarcar a minha consulta de segunda-feira'],
  ['dental', 'hi'],
  [
    'hotel',
    'Hi! Do you have a double room from the 20th to the 22nd? 2 adults and 2 kids. Budget around 150€ per night.',
  ],
  [
    'hotel',
    'Hola, llegamos a las 22:30 y somos 4. ¿Tenéis habitación del 30 de diciembre al 2 de enero? Booking.com muestra 180€.',
  ],
  ['hotel', 'We stayed with you in March and loved it! Looking to come back for Christmas, me and my wife.'],
  ['hotel', 'Une chambre pour Noël pour deux personnes, avec petit-déjeuner ?'],
  ['hotel', 'Wir suchen ein Zimmer über Silvester für 3 Personen, gibt es Parkplätze?'],
  ['hotel', 'Quarto para a passagem de ano, somos 2 adultos e 1 criança'],
  ['hotel', 'Una camera per Pasqua, siamo in 6, accettate cani?'],
  ['hotel', 'The room was dirty and nobody answered my emails, this is unacceptable.'],
  ['hotel', 'Can you pick us up at the airport on Friday at 18:30?'],
  ['hotel', 'Est-ce possible de partir plus tard, un late check-out ?'],
  [
    'real_estate',
    'Wir suchen eine 3-Zimmer-Wohnung zur Miete in Berlin, Warmmiete max. 1.050 €. Erreichbar unter 0157 12345678.',
  ],
  ['real_estate', 'Looking to buy a 3-bed house, budget up to $600,000. Call me on (415) 555-0134.'],
  ['real_estate', 'Procuro um T3 para comprar em Lisboa, até 450k. Obrigado, Ana Silva'],
  ['real_estate', 'Cerchiamo un trilocale in affitto a Milano, massimo 1.200 euro al mese. Una famiglia di 5.'],
  ['real_estate', 'Queremos vender nuestro piso de 2 habitaciones, ¿cuánto vale? Otra agencia nos dijo 850 mil.'],
  ['real_estate', 'Nous cherchons un appartement à louer, environ 1 500 € par mois, pas pressé.'],
  ['real_estate', 'Presupuesto 1,2 millones para un ático en Madrid, ¿podemos ver pisos el sábado por la mañana?'],
  ['real_estate', 'What is my flat worth? I would like a valuation next week.'],
];

const LOCALES: Record<Industry, [string, string]> = {
  dental: ['en-GB', 'Europe/London'],
  hotel: ['es-ES', 'Europe/Madrid'],
  real_estate: ['de-DE', 'Europe/Berlin'],
} as Record<Industry, [string, string]>;

function configFor(industry: Industry): ClientConfig {
  return clientConfigSchema.parse(INDUSTRY_TEMPLATES[industry]?.config ?? {});
}

function contextFor(industry: Industry, text: string, config: ClientConfig, now: Date): ReplyContext {
  const [locale, timezone] = LOCALES[industry] ?? ['en-GB', 'Europe/London'];
  const trigger: MessageDto = {
    id: '00000000-0000-4000-8000-000000000001',
    conversationId: '00000000-0000-4000-8000-000000000000',
    seq: 1,
    role: 'visitor',
    content: text,
    attachments: [],
    deliveryState: 'sent',
    ai: null,
    createdAt: now.toISOString(),
  };
  return {
    client: { id: `bench-${industry}`, name: 'Bench', industry, locale, timezone, config },
    conversation: { id: trigger.conversationId, channel: 'web', visitorId: 'v1' },
    lead: null,
    history: [trigger],
    trigger,
    scoringRules: [],
  } as ReplyContext;
}

interface Timing {
  /** CPU time per message (process.cpuUsage over repeats of that message), across messages. */
  cpuP50: number;
  cpuP99: number;
  cpuMean: number;
  /** Wall clock of single calls, every call: includes whatever else the machine runs. */
  wallP50: number;
  wallP99: number;
}

/**
 * CPU per message: each message is run REPEATS times and the process's CPU
 * time divided, so a busy machine (other processes taking the core) does not
 * count as our time; p50/p99 are across the messages. Wall-clock p50/p99 of
 * single calls are printed beside it.
 */
function measureEach(work: (i: number) => void): Timing {
  for (let r = 0; r < 3; r++) {
    for (let i = 0; i < MESSAGES.length; i++) work(i);
  }
  const cpu: number[] = [];
  const wall: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    MESSAGES.forEach((_, i) => {
      const before = process.cpuUsage();
      for (let k = 0; k < REPEATS; k++) {
        const start = performance.now();
        work(i);
        wall.push(performance.now() - start);
      }
      const used = process.cpuUsage(before);
      cpu.push((used.user + used.system) / 1000 / REPEATS);
    });
  }
  return {
    cpuP50: round(percentile(cpu, 50), 4),
    cpuP99: round(percentile(cpu, 99), 4),
    cpuMean: round(cpu.reduce((a, b) => a + b, 0) / cpu.length, 4),
    wallP50: round(percentile(wall, 50), 4),
    wallP99: round(percentile(wall, 99), 4),
  };
}

export async function run(): Promise<void> {
  const now = new Date('2026-12-02T10:00:00Z');
  const configs = new Map(MESSAGES.map(([industry]) => [industry, configFor(industry)]));
  const contexts = MESSAGES.map(([industry, text]) =>
    contextFor(industry, text, configs.get(industry) as ClientConfig, now),
  );

  const understanding = measureEach((i) => {
    const ctx = contexts[i] as ReplyContext;
    understand({
      text: ctx.trigger.content,
      now,
      timeZone: ctx.client.timezone,
      region: ctx.client.locale.split('-')[1],
      services: ctx.client.config.services,
      industry: ctx.client.industry,
    });
  });
  // Whatever the current engine's extra parameters, the first is the reply context.
  const current = composeNow as unknown as (context: ReplyContext) => unknown;
  const baseline = composeBaseline as unknown as (context: ReplyContext) => unknown;
  const composeCurrent = measureEach((i) => current(contexts[i] as ReplyContext));
  const composeBase = measureEach((i) => baseline(contexts[i] as ReplyContext));

  const ratio = (a: number, b: number) => round(a / b, 2);
  const line = (label: string, t: Timing) =>
    `${label.padEnd(24)} CPU p50 ${t.cpuP50} ms  p99 ${t.cpuP99} ms  mean ${t.cpuMean} ms   (wall p50 ${t.wallP50} ms  p99 ${t.wallP99} ms)`;
  console.log(`messages: ${MESSAGES.length} (six languages, three industries), rounds: ${ROUNDS} x ${REPEATS} repeats`);
  console.log(
    `${line('understand()', understanding)}   target CPU p99 < 2 ms: ${understanding.cpuP99 < 2 ? 'met' : 'MISSED'}`,
  );
  console.log(line('compose() now', composeCurrent));
  console.log(line('compose() baseline (v1)', composeBase));
  const ratios = {
    cpuP50: ratio(composeCurrent.cpuP50, composeBase.cpuP50),
    cpuP99: ratio(composeCurrent.cpuP99, composeBase.cpuP99),
    cpuMean: ratio(composeCurrent.cpuMean, composeBase.cpuMean),
  };
  console.log(`compose() now / baseline CPU p50 x${ratios.cpuP50}  p99 x${ratios.cpuP99}  mean x${ratios.cpuMean}`);
  const file = await writeResult('understanding', {
    messages: MESSAGES.length,
    rounds: ROUNDS,
    repeats: REPEATS,
    understandMs: understanding,
    composeNowMs: composeCurrent,
    composeBaselineMs: composeBase,
    ratio: ratios,
  });
  console.log(`written ${file}`);
}

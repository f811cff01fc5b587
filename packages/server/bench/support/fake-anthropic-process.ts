/**
 * Child process for the AI latency benchmark: a zero-latency fake Anthropic
 * Messages API (the tests' fake, real SSE wire format). Each reply streams
 * DELTAS text deltas, each stamped with the wall-clock time it was written, so
 * the visitor can measure provider delta → visitor socket.
 */
import { startFakeAnthropic, toolName } from '../../test/support/fake-ai-servers.js';

const DELTAS = Number(process.env.BENCH_DELTAS ?? 8);
const fake = await startFakeAnthropic();
const epoch = () => performance.timeOrigin + performance.now();
fake.respond((r) => {
  if (toolName(r) !== 'record_qualification') {
    return { kind: 'stream', text: ['ok'], usage: { input: 10, output: 2 } };
  }
  return {
    kind: 'stream',
    text: Array.from({ length: DELTAS }, (_, i) => `w${i}`),
    render: (text) => `⏱${epoch().toFixed(3)}⏱${text} `,
    tool: {
      name: 'record_qualification',
      input: { intent: 'pricing', nextAction: 'answer', score: 30, temperature: 'cold', evidence: [], confidence: 0.8 },
    },
    usage: { input: 40, output: 10 },
  };
});
// Keep only counters: the benchmark sends thousands of requests.
const requests = fake.requests;
setInterval(() => {
  requests.length = 0;
}, 1000).unref();
process.on('message', async (msg: { type: string }) => {
  if (msg.type === 'stop') {
    await fake.close();
    process.exit(0);
  }
});
process.send?.({ type: 'ready', url: fake.url });

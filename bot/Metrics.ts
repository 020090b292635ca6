import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The process's Prometheus metrics, in a registry of its own so tests can create as many as they like. */
export class Metrics {
    readonly registry = new Registry();
    readonly turns: Counter<'channel' | 'outcome'>;
    readonly turnSeconds: Histogram<'channel'>;
    readonly errors: Counter<'kind'>;
    readonly escalations: Counter<'reason'>;
    readonly intents: Counter<'intent'>;
    /** Turns being processed right now (MetricsMiddleware keeps it); also shown as linli_turns_in_flight. */
    turnsInFlight = 0;

    /** Tickets by status, read from the ticket store at each scrape. */
    watchTickets(count: () => Promise<Record<string, number>>): void {
        this.watchByStatus('linli_tickets', 'Tickets by status', count);
    }

    /** Handoffs waiting for an agent and with one, read from the handoff store at each scrape. */
    watchHandoffs(count: () => Promise<Record<string, number>>): void {
        this.watchByStatus('linli_handoffs', 'Handoffs to people by status (queued, active)', count);
    }

    /**
     * Years whose working days are guessed from weekends alone (the holiday library does not cover them yet): 1 for
     * such a year, 0 for a covered one, for this year and the next, read at each scrape.
     */
    watchCalendarFallback(years: () => { year: number; fallback: boolean }[]): void {
        new Gauge({
            name: 'linli_working_calendar_fallback',
            help: 'Years whose holidays are unknown to the holiday library, so working days fall back to weekends only (1) or not (0)',
            labelNames: ['year'],
            registers: [this.registry],
            collect() {
                for (const { year, fallback } of years()) this.set({ year: String(year) }, fallback ? 1 : 0);
            },
        });
    }

    private watchByStatus(name: string, help: string, count: () => Promise<Record<string, number>>): void {
        new Gauge({
            name,
            help,
            labelNames: ['status'],
            registers: [this.registry],
            async collect() {
                // While the store is down the scrape must still answer (that is when it is needed most): the gauge
                // keeps its last values and the storage errors show in linli_errors_total.
                const counts = await count().catch(() => ({}));
                for (const [status, n] of Object.entries(counts)) this.set({ status }, n);
            },
        });
    }

    constructor(collectDefaults = true) {
        if (collectDefaults) collectDefaultMetrics({ register: this.registry, prefix: 'linli_' });
        const metrics = this;
        new Gauge({
            name: 'linli_turns_in_flight',
            help: 'Turns being processed right now',
            registers: [this.registry],
            collect() {
                this.set(metrics.turnsInFlight);
            },
        });
        this.turns = new Counter({
            name: 'linli_turns_total',
            help: 'Turns processed, by channel and outcome (ok, error, rejected)',
            labelNames: ['channel', 'outcome'],
            registers: [this.registry],
        });
        this.turnSeconds = new Histogram({
            name: 'linli_turn_duration_seconds',
            help: 'Turn latency from the adapter to the last reply, including the wait for the conversation lock',
            labelNames: ['channel'],
            buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
            registers: [this.registry],
        });
        this.errors = new Counter({
            name: 'linli_errors_total',
            help: 'Errors, by kind (turn, storage, lock, http, unhandled_rejection)',
            labelNames: ['kind'],
            registers: [this.registry],
        });
        this.escalations = new Counter({
            name: 'linli_escalations_total',
            help: 'Escalations to a person, by reason',
            labelNames: ['reason'],
            registers: [this.registry],
        });
        this.intents = new Counter({
            name: 'linli_intents_total',
            help: 'Recognised intents',
            labelNames: ['intent'],
            registers: [this.registry],
        });
    }
}

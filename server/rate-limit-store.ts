import { Redis } from 'ioredis';
import { MemoryStore, type ClientRateLimitInfo, type IncrementResponse, type Options, type Store } from 'express-rate-limit';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import type { Log } from './log.js';

/**
 * Where rate limit counts live. The memory store counts in this process only (a fleet of N
 * processes gives a client N budgets); the Redis store counts once for every process that
 * shares the Redis server. express-rate-limit's own Store interface is the seam, so the fast
 * path and the Express middleware count the same way whichever store is chosen.
 */

/** The two budgets the server keeps apart: the time routes, and everything else. */
export type Budget = 'time' | 'other';

/** Makes one store per budget (express-rate-limit refuses a store shared by two limiters). */
export interface RateLimitStores {
  create(budget: Budget): Store;
  /** Whether counting works right now, and what failed: read by /metrics. */
  readonly health: StoreHealth;
  /**
   * Resolves once the store first connected or first failed (an outage is then logged): with
   * `null`, or with why the store can never count (a database number the Redis refuses).
   */
  ready(): Promise<string | null>;
  close(): Promise<void>;
}

/** The state of a shared store, as /metrics shows it. */
export interface StoreHealth {
  /** False while the store is unreachable and requests pass uncounted (failing open). */
  up: boolean;
  /** Store commands that failed (connection refused, timeout, error reply). */
  errors: number;
  /** Requests let through uncounted because the store failed. */
  passedUncounted: number;
}

/** Raised (and rejected with) when the store cannot count a request; the request then goes on. */
export class StoreUnavailable extends Error {}

/**
 * express-rate-limit's MemoryStore, also answering synchronously. Its `increment` counts
 * before it returns (the promise only carries the result), and the client it counted is then
 * in its public `current` map: the fast path reads it there and answers in the same tick,
 * where awaiting the promise cost two microtask turns and three promises per request.
 * The counting rule stays the library's; a test pins that both ways agree.
 */
export class MemoryCounter extends MemoryStore {
  /**
   * Counts one hit for `key` and returns the client's count and reset time at once; should
   * the library ever count later than it returns, the promise of that one count instead.
   */
  incrementNow(key: string): ClientRateLimitInfo | Promise<ClientRateLimitInfo> {
    const counting = this.increment(key);
    return this.current.get(key) ?? counting;
  }
}

/** This process's memory: the default, and what one machine with one process needs. */
export function memoryStores(): RateLimitStores {
  return {
    create: () => new MemoryCounter(),
    health: { up: true, errors: 0, passedUncounted: 0 },
    ready: async () => null,
    close: async () => {},
  };
}

/** The Redis tuning defaults (docs state them; a test pins them). */
export const REDIS_DEFAULTS = {
  commandTimeoutMs: 250,
  probeIntervalMs: 1000,
  maxReconnectDelayMs: 2000,
  connectTimeoutMs: 2000,
} as const;

/** Tuning of the Redis client: how long a request may wait on Redis, how fast to reconnect. */
export interface RedisStoreOptions {
  /** Longest wait for one command; past it the request passes uncounted. */
  commandTimeoutMs?: number;
  /** While Redis is failing, at most one request per this interval waits on it (a probe). */
  probeIntervalMs?: number;
  /** Cap of the reconnect back-off. */
  maxReconnectDelayMs?: number;
}

/**
 * Counts in Redis at `url`, shared by every process pointed at it. When Redis fails the time
 * feed keeps answering: requests pass uncounted (fail open), the outage is logged once when
 * it starts and once when it ends, and the client reconnects by itself. A request never waits
 * on Redis longer than `commandTimeoutMs`, and while Redis is failing only one request per
 * `probeIntervalMs` tries it at all, so a hung Redis cannot stall the feed.
 */
export function redisStores(url: string, log: Log, options: RedisStoreOptions = {}): RateLimitStores {
  const commandTimeout = options.commandTimeoutMs ?? REDIS_DEFAULTS.commandTimeoutMs;
  const probeInterval = options.probeIntervalMs ?? REDIS_DEFAULTS.probeIntervalMs;
  const maxDelay = options.maxReconnectDelayMs ?? REDIS_DEFAULTS.maxReconnectDelayMs;
  const health: StoreHealth = { up: true, errors: 0, passedUncounted: 0 };
  let nextProbe = 0;
  let closing = false;
  const where = redactedUrl(url);

  const client = new Redis(url, {
    // Without a connection a command fails at once instead of queueing behind the reconnect.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout,
    connectTimeout: REDIS_DEFAULTS.connectTimeoutMs,
    // Reconnect forever, from 100 ms doubling to the cap: Redis coming back is always picked up.
    retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 10), maxDelay),
    lazyConnect: false,
  });

  // `cause`: logged even within an outage, whose first line named another (a refused database
  // once Redis is back, where that line said it was unreachable).
  const down = (err: unknown, cause?: boolean) => {
    health.errors++;
    nextProbe = Date.now() + probeInterval;
    if ((!health.up && !cause) || closing) return;
    health.up = false;
    log({ level: 'error', event: 'rate-limit-store-down', store: where, message: `${(err as Error)?.message ?? err}; counting paused, requests pass uncounted until it is back` });
  };
  const up = () => {
    if (health.up) return;
    health.up = true;
    log({ level: 'info', event: 'rate-limit-store-up', store: where, message: 'counting again' });
  };

  const stores: RedisStore[] = [];
  // A database number the Redis does not have (`/99` where it has 16) fails only the SELECT:
  // ioredis then carries on, ready, in database 0, among whatever else lives there. Such a
  // connection never counts. At start the server stops on it (see `ready`); later (a Redis
  // restarted with fewer databases, or one unreachable at start) it is an outage like any
  // other, logged with this cause, until a reconnect selects.
  let refusal: string | null = null;
  let starting = true;
  client.on('connect', () => (refusal = null));
  // ioredis emits `error` for every failed reconnect: listening keeps the process alive, and
  // `down` logs only the first of an outage.
  client.on('error', (err: Error & { command?: { name?: string } }) => {
    if (err?.command?.name === 'select') {
      refusal = err.message;
      // At start the caller reports it and stops: counted down as already down, so with no
      // outage line besides. Later, an outage logged with this cause.
      if (starting) health.up = false;
      return down(err, !starting);
    }
    down(err);
  });
  // The store's Lua scripts are loaded on every (re)connection, not once in `init`: a restarted
  // Redis has lost them, and a load that failed at start would stay a rejected promise for good.
  const loadScripts = (s: RedisStore) => {
    s.incrementScriptSha = s.loadIncrementScript();
    s.getScriptSha = s.loadGetScript();
    s.incrementScriptSha.catch(() => {});
    s.getScriptSha.catch(() => {});
  };
  const connected = new Promise<string | null>((resolve) => {
    client.once('ready', () => resolve(refusal));
    client.once('error', () => resolve(refusal));
  }).finally(() => (starting = false));
  client.on('ready', () => {
    if (refusal) return;
    for (const s of stores) loadScripts(s);
    up();
  });

  // One shared error for requests that skip a failing store: no stack captured per request.
  const skipped = new StoreUnavailable('rate limit store unavailable');
  const guard = (store: RedisStore): Store => {
    const counted = (r: IncrementResponse) => {
      up();
      return r;
    };
    const failed = (err: unknown): never => {
      down(err);
      health.passedUncounted++;
      throw new StoreUnavailable(`rate limit store unavailable: ${(err as Error)?.message ?? err}`);
    };
    return {
      prefix: store.prefix,
      init: (o: Options) => {
        store.windowMs = o.windowMs;
        if (client.status === 'ready') loadScripts(store);
      },
      increment(key) {
        if (refusal || (!health.up && Date.now() < nextProbe)) {
          health.passedUncounted++;
          return Promise.reject(skipped);
        }
        // Taken before the command: concurrent requests then do not all probe at once.
        if (!health.up) nextProbe = Date.now() + probeInterval;
        return store.increment(key).then(counted, failed);
      },
      decrement: (key) => store.decrement(key).catch(() => {}),
      resetKey: (key) => store.resetKey(key).catch(() => {}),
      get: (key) => store.get(key),
    };
  };

  return {
    create(budget) {
      const store = new RedisStore({
        prefix: `crossclock:rl:${budget}:`,
        sendCommand: (command: string, ...args: string[]) => client.call(command, ...args) as Promise<RedisReply>,
      });
      stores.push(store);
      return guard(store);
    },
    health,
    ready: () => connected,
    async close() {
      closing = true;
      client.disconnect();
    },
  };
}

/** The URL without its password, fit for a log line. */
export function redactedUrl(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}

/**
 * A small Redis client (RESP2 over one TCP socket) in the shape BullMQ 6
 * takes as a connection (its `IRedisClient`: the commands BullMQ runs, with
 * ioredis's reply shapes). BullMQ 6 no longer ships a Redis driver (ioredis
 * and node-redis are optional peers); this one keeps the explorer's queue to
 * Node's own `net` and BullMQ, and loads only with `--queue`.
 *
 * What it does not do, because BullMQ does not ask it here: TLS, Redis
 * Cluster, RESP3, pub/sub. A lost connection is reopened (with a growing
 * delay up to 2 s) and commands sent meanwhile wait for it; commands in
 * flight when it broke fail, as ioredis's do, and BullMQ retries them.
 * @internal
 * @module
 */
import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { connect as netConnect, type Socket } from 'node:net';
import { Readable } from 'node:stream';

/** Where and how to connect. @internal */
export interface RedisClientOptions {
  readonly host: string;
  readonly port: number;
  readonly db?: number;
  readonly username?: string;
  readonly password?: string;
  readonly connectionName?: string;
  /** Delay before reconnect attempt `times` (1, 2, …) in ms, or `null` to give up (status `end`). */
  readonly retryStrategy?: (times: number) => number | null;
}

/** An error reply from Redis. @internal */
export class RedisReplyError extends Error {
  override readonly name = 'ReplyError';
}

type Arg = string | number | Buffer | undefined | null;
type Reply = string | number | null | RedisReplyError | Reply[];
interface Pending {
  readonly resolve: (reply: Reply) => void;
  readonly reject: (error: Error) => void;
}
interface Script {
  readonly lua: string;
  readonly sha: string;
  readonly keys: number;
}

const CRLF = Buffer.from('\r\n');

/** Encodes one command as a RESP array of bulk strings. */
const encode = (args: readonly Arg[]): Buffer => {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const a of args) {
    // As ioredis: an absent optional argument is sent empty (BullMQ's scripts test for "").
    const bytes = Buffer.isBuffer(a) ? a : Buffer.from(a === undefined || a === null ? '' : String(a));
    parts.push(Buffer.from(`$${bytes.length}\r\n`), bytes, CRLF);
  }
  return Buffer.concat(parts);
};

/** Parses one reply at `at`: the reply and where it ends, or undefined when `buf` does not hold all of it yet. */
const parse = (buf: Buffer, at: number): { reply: Reply; end: number } | undefined => {
  const eol = buf.indexOf(CRLF, at);
  if (eol < 0) return undefined;
  const line = buf.toString('utf8', at + 1, eol);
  const next = eol + 2;
  switch (buf[at]) {
    case 0x2b: // '+'
      return { reply: line, end: next };
    case 0x2d: // '-'
      return { reply: new RedisReplyError(line), end: next };
    case 0x3a: // ':'
      return { reply: Number(line), end: next };
    case 0x24: {
      // '$'
      const n = Number(line);
      if (n < 0) return { reply: null, end: next };
      if (buf.length < next + n + 2) return undefined;
      return { reply: buf.toString('utf8', next, next + n), end: next + n + 2 };
    }
    case 0x2a: {
      // '*'
      const n = Number(line);
      if (n < 0) return { reply: null, end: next };
      const items: Reply[] = [];
      let end = next;
      for (let i = 0; i < n; i++) {
        const item = parse(buf, end);
        if (item === undefined) return undefined;
        items.push(item.reply);
        end = item.end;
      }
      return { reply: items, end };
    }
    default:
      throw new Error(`Redis protocol error: unexpected byte ${buf[at]}`);
  }
};

/** Flattens array arguments one level, as ioredis does (a script's keys and arguments come as one array). */
const flat = (args: readonly unknown[]): Arg[] => args.flatMap((a) => (Array.isArray(a) ? (a as Arg[]) : [a as Arg]));

const pairsToObject = (reply: Reply): Record<string, string> => {
  const out: Record<string, string> = {};
  const list = (reply ?? []) as string[];
  for (let i = 0; i + 1 < list.length; i += 2) out[list[i]!] = list[i + 1]!;
  return out;
};

/** A queued pipeline or MULTI transaction (the commands BullMQ batches). @internal */
export class RedisBatch {
  private readonly commands: { args: Arg[]; script?: Script; map?: (r: Reply) => unknown }[] = [];

  constructor(
    private readonly client: RedisClient,
    private readonly atomic: boolean,
  ) {}

  private add(args: Arg[], map?: (r: Reply) => unknown, script?: Script): this {
    this.commands.push({ args, ...(map === undefined ? {} : { map }), ...(script === undefined ? {} : { script }) });
    return this;
  }

  hgetall(key: string): this {
    return this.add(['HGETALL', key], pairsToObject);
  }
  hset(key: string, data: Record<string, string | number>): this {
    return this.add(['HSET', key, ...Object.entries(data).flat()]);
  }
  hscan(key: string, cursor: string | number, options?: { COUNT?: number }): this {
    return this.add(['HSCAN', key, cursor, ...(options?.COUNT === undefined ? [] : ['COUNT', options.COUNT])]);
  }
  smembers(key: string): this {
    return this.add(['SMEMBERS', key]);
  }
  sscan(key: string, cursor: string | number, options?: { COUNT?: number }): this {
    return this.add(['SSCAN', key, cursor, ...(options?.COUNT === undefined ? [] : ['COUNT', options.COUNT])]);
  }
  zrange(key: string, start: number, end: number): this {
    return this.add(['ZRANGE', key, start, end]);
  }
  lrange(key: string, start: number, end: number): this {
    return this.add(['LRANGE', key, start, end]);
  }
  llen(key: string): this {
    return this.add(['LLEN', key]);
  }
  del(...keys: string[]): this {
    return this.add(['DEL', ...keys]);
  }
  runCommand(name: string, args: unknown[]): this {
    const script = this.client.script(name);
    const list = flat(args);
    return this.add(['EVALSHA', script.sha, script.keys, ...list], undefined, script);
  }

  /** Sends the batch: `[error, reply]` per command (null for a MULTI that was aborted). */
  async exec(): Promise<[Error | null, unknown][] | null> {
    // EVALSHA needs the script on the server: load each one first (idempotent, cached per client).
    for (const c of this.commands) if (c.script !== undefined) await this.client.loadScript(c.script);
    const sent = this.commands.map((c) => c.args);
    if (!this.atomic) {
      const replies = await Promise.all(sent.map((args) => this.client.raw(args).then((r) => r, (e: Error) => e)));
      return replies.map((r, i) => (r instanceof Error ? [r, null] : [null, this.commands[i]!.map?.(r as Reply) ?? r]));
    }
    const queued = [this.client.raw(['MULTI']), ...sent.map((args) => this.client.raw(args).catch((e: Error) => e))];
    const exec = this.client.raw(['EXEC']);
    await Promise.all(queued);
    const replies = (await exec) as Reply[] | null;
    if (replies === null) return null;
    return replies.map((r, i) => (r instanceof RedisReplyError ? [r, null] : [null, this.commands[i]!.map?.(r) ?? r]));
  }
}

/**
 * One connection to Redis (see the module doc). Connects when created.
 * @internal
 */
export class RedisClient extends EventEmitter {
  /** `connecting`, `ready`, `reconnecting` or `end` (what BullMQ reads). */
  status = 'connecting';
  readonly isCluster = false;
  readonly options: RedisClientOptions & Record<string, unknown>;
  private socket: Socket | undefined;
  private buffer: Buffer = Buffer.alloc(0);
  private readonly inFlight: Pending[] = [];
  private readonly waiting: { args: Arg[]; pending: Pending }[] = [];
  private readonly scripts = new Map<string, Script>();
  private readonly loaded = new Set<string>();
  private attempts = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private ending = false;
  private readyOnce: Promise<void> | undefined;

  constructor(options: RedisClientOptions) {
    super();
    this.options = { ...options };
    this.open();
  }

  /** Resolves once connected (reconnects an ended client). */
  connect(): Promise<void> {
    if (this.status === 'ready') return Promise.resolve();
    if (this.status === 'end') {
      this.ending = false;
      this.attempts = 0;
      this.open();
    }
    return (this.readyOnce ??= new Promise<void>((resolve, reject) => {
      const onReady = (): void => {
        this.off('end', onEnd);
        resolve();
      };
      const onEnd = (): void => {
        this.off('ready', onReady);
        reject(new Error('Connection is closed.'));
      };
      this.once('ready', onReady);
      this.once('end', onEnd);
    }).finally(() => {
      this.readyOnce = undefined;
    }));
  }

  private open(): void {
    this.status = this.attempts === 0 ? 'connecting' : 'reconnecting';
    const socket = netConnect({ host: this.options.host, port: this.options.port });
    this.socket = socket;
    socket.setNoDelay(true);
    socket.on('connect', () => void this.handshake(socket));
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', (error) => {
      if (this.listenerCount('error') > 0) this.emit('error', error);
    });
    socket.on('close', () => this.closed(socket));
  }

  /** AUTH, SELECT, CLIENT SETNAME, then the commands that waited. */
  private async handshake(socket: Socket): Promise<void> {
    const { username, password, db, connectionName } = this.options;
    try {
      if (password !== undefined) await this.send(username === undefined ? ['AUTH', password] : ['AUTH', username, password]);
      if (db !== undefined && db !== 0) await this.send(['SELECT', db]);
      if (connectionName !== undefined) await this.send(['CLIENT', 'SETNAME', connectionName]);
    } catch (error) {
      if (this.listenerCount('error') > 0) this.emit('error', error);
      socket.destroy();
      return;
    }
    if (socket !== this.socket) return;
    this.attempts = 0;
    this.loaded.clear(); // a restarted server forgot its scripts
    this.status = 'ready';
    this.emit('connect');
    this.emit('ready');
    for (const w of this.waiting.splice(0)) this.write(w.args, w.pending);
  }

  private closed(socket: Socket): void {
    if (socket !== this.socket) return;
    this.socket = undefined;
    this.buffer = Buffer.alloc(0);
    const error = new Error('Connection is closed.');
    for (const p of this.inFlight.splice(0)) p.reject(error);
    const wasReady = this.status === 'ready';
    const delay = this.ending ? null : (this.options.retryStrategy ?? defaultRetry)(++this.attempts);
    if (wasReady || this.status === 'reconnecting' || this.status === 'connecting') this.emit('close');
    if (delay === null) {
      this.status = 'end';
      for (const w of this.waiting.splice(0)) w.pending.reject(error);
      this.emit('end');
      return;
    }
    this.status = 'reconnecting';
    this.emit('reconnecting', delay);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (!this.ending) this.open();
    }, delay);
  }

  private receive(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    let at = 0;
    for (;;) {
      if (at >= this.buffer.length) break;
      let parsed: ReturnType<typeof parse>;
      try {
        parsed = parse(this.buffer, at);
      } catch (error) {
        this.socket?.destroy(error as Error);
        return;
      }
      if (parsed === undefined) break;
      at = parsed.end;
      const p = this.inFlight.shift();
      if (p === undefined) continue;
      if (parsed.reply instanceof RedisReplyError) p.reject(parsed.reply);
      else p.resolve(parsed.reply);
    }
    this.buffer = at >= this.buffer.length ? Buffer.alloc(0) : this.buffer.subarray(at);
  }

  private write(args: Arg[], pending: Pending): void {
    this.inFlight.push(pending);
    this.socket!.write(encode(args));
  }

  /** Sends on the socket whatever the status (the handshake's commands). */
  private send(args: Arg[]): Promise<Reply> {
    return new Promise((resolve, reject) => this.write(args, { resolve, reject }));
  }

  /** Runs one command: its raw reply (an error reply rejects). Waits for the connection when it is being (re)opened. @internal */
  raw(args: readonly unknown[]): Promise<Reply> {
    const list = flat(args);
    return new Promise((resolve, reject) => {
      const pending = { resolve, reject };
      if (this.status === 'ready' && this.socket !== undefined) this.write(list, pending);
      else if (this.status === 'end') reject(new Error('Connection is closed.'));
      else this.waiting.push({ args: list, pending });
    });
  }

  /** @internal */
  script(name: string): Script {
    const s = this.scripts.get(name);
    if (s === undefined) throw new Error(`RedisClient: no command ${name} defined`);
    return s;
  }

  /** @internal */
  async loadScript(script: Script): Promise<void> {
    if (this.loaded.has(script.sha)) return;
    await this.raw(['SCRIPT', 'LOAD', script.lua]);
    this.loaded.add(script.sha);
  }

  disconnect(reconnect = false): void {
    if (reconnect) {
      this.socket?.destroy();
      return;
    }
    this.ending = true;
    if (this.retryTimer !== undefined) {
      clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
    }
    if (this.socket !== undefined) this.socket.destroy();
    else if (this.status !== 'end') {
      this.status = 'end';
      for (const w of this.waiting.splice(0)) w.pending.reject(new Error('Connection is closed.'));
      this.emit('close');
      this.emit('end');
    }
  }

  async quit(): Promise<string> {
    this.ending = true;
    if (this.status !== 'ready') {
      this.disconnect();
      return 'OK';
    }
    const reply = (await this.raw(['QUIT']).catch(() => 'OK')) as string;
    this.socket?.end();
    return reply;
  }

  duplicate(overrides: Partial<RedisClientOptions> = {}): RedisClient {
    return new RedisClient({ ...this.options, ...overrides });
  }

  defineCommand(name: string, definition: { numberOfKeys: number; lua: string }): void {
    this.scripts.set(name, { lua: definition.lua, keys: definition.numberOfKeys, sha: createHash('sha1').update(definition.lua).digest('hex') });
  }

  async runCommand(name: string, args: unknown[]): Promise<unknown> {
    const script = this.script(name);
    const list = flat(args);
    try {
      return await this.raw(['EVALSHA', script.sha, script.keys, ...list]);
    } catch (error) {
      if (!(error instanceof RedisReplyError) || !error.message.startsWith('NOSCRIPT')) throw error;
      return this.raw(['EVAL', script.lua, script.keys, ...list]);
    }
  }

  multi(): RedisBatch {
    return new RedisBatch(this, true);
  }
  pipeline(): RedisBatch {
    return new RedisBatch(this, false);
  }

  async hgetall(key: string): Promise<Record<string, string>> {
    return pairsToObject(await this.raw(['HGETALL', key]));
  }
  hget(key: string, field: string): Promise<string | null> {
    return this.raw(['HGET', key, field]) as Promise<string | null>;
  }
  hmget(key: string, ...fields: string[]): Promise<(string | null)[]> {
    return this.raw(['HMGET', key, ...fields]) as Promise<(string | null)[]>;
  }
  hset(key: string, data: Record<string, string | number>): Promise<number> {
    return this.raw(['HSET', key, ...Object.entries(data).flat()]) as Promise<number>;
  }
  hdel(key: string, ...fields: string[]): Promise<number> {
    return this.raw(['HDEL', key, ...fields]) as Promise<number>;
  }
  hexists(key: string, field: string): Promise<number> {
    return this.raw(['HEXISTS', key, field]) as Promise<number>;
  }
  get(key: string): Promise<string | null> {
    return this.raw(['GET', key]) as Promise<string | null>;
  }
  set(key: string, value: string | number, options?: { PX?: number; EX?: number }): Promise<string | null> {
    const expiry = options?.PX !== undefined ? ['PX', options.PX] : options?.EX !== undefined ? ['EX', options.EX] : [];
    return this.raw(['SET', key, value, ...expiry]) as Promise<string | null>;
  }
  del(...keys: string[]): Promise<number> {
    return keys.length === 0 ? Promise.resolve(0) : (this.raw(['DEL', ...keys]) as Promise<number>);
  }
  zrange(key: string, start: number, end: number, options?: { WITHSCORES?: boolean }): Promise<string[]> {
    return this.raw(['ZRANGE', key, start, end, ...(options?.WITHSCORES === true ? ['WITHSCORES'] : [])]) as Promise<string[]>;
  }
  zrevrange(key: string, start: number, end: number, options?: { WITHSCORES?: boolean }): Promise<string[]> {
    return this.raw(['ZREVRANGE', key, start, end, ...(options?.WITHSCORES === true ? ['WITHSCORES'] : [])]) as Promise<string[]>;
  }
  zcard(key: string): Promise<number> {
    return this.raw(['ZCARD', key]) as Promise<number>;
  }
  zscore(key: string, member: string): Promise<string | null> {
    return this.raw(['ZSCORE', key, member]) as Promise<string | null>;
  }
  lrange(key: string, start: number, end: number): Promise<string[]> {
    return this.raw(['LRANGE', key, start, end]) as Promise<string[]>;
  }
  llen(key: string): Promise<number> {
    return this.raw(['LLEN', key]) as Promise<number>;
  }
  ltrim(key: string, start: number, end: number): Promise<string> {
    return this.raw(['LTRIM', key, start, end]) as Promise<string>;
  }
  lpos(key: string, value: string): Promise<number | null> {
    return this.raw(['LPOS', key, value]) as Promise<number | null>;
  }
  smembers(key: string): Promise<string[]> {
    return this.raw(['SMEMBERS', key]) as Promise<string[]>;
  }
  xadd(key: string, id: string, fields: Record<string, string | number>, options?: { MAXLEN?: number; approximate?: boolean }): Promise<string> {
    const trim = options?.MAXLEN === undefined ? [] : ['MAXLEN', ...(options.approximate === false ? [] : ['~']), options.MAXLEN];
    return this.raw(['XADD', key, ...trim, id, ...Object.entries(fields).flat()]) as Promise<string>;
  }
  xread(streams: { key: string; id: string }[], options?: { BLOCK?: number; COUNT?: number }): Promise<unknown> {
    return this.raw([
      'XREAD',
      ...(options?.BLOCK === undefined ? [] : ['BLOCK', options.BLOCK]),
      ...(options?.COUNT === undefined ? [] : ['COUNT', options.COUNT]),
      'STREAMS',
      ...streams.map((s) => s.key),
      ...streams.map((s) => s.id),
    ]);
  }
  xtrim(key: string, strategy: 'MAXLEN', threshold: number, options?: { approximate?: boolean }): Promise<number> {
    return this.raw(['XTRIM', key, strategy, ...(options?.approximate === false ? [] : ['~']), threshold]) as Promise<number>;
  }
  bzpopmin(key: string, timeout: number): Promise<[string, string, string] | null> {
    return this.raw(['BZPOPMIN', key, timeout]) as Promise<[string, string, string] | null>;
  }
  info(): Promise<string> {
    return this.raw(['INFO']) as Promise<string>;
  }
  client(...args: string[]): Promise<unknown> {
    return this.raw(['CLIENT', ...args]);
  }
  clientSetName(name: string): Promise<unknown> {
    return this.raw(['CLIENT', 'SETNAME', name]);
  }
  clientList(): Promise<string> {
    return this.raw(['CLIENT', 'LIST']) as Promise<string>;
  }
  clientInfo(): Promise<string> {
    return this.raw(['CLIENT', 'INFO']) as Promise<string>;
  }
  scan(cursor: string | number, options: { MATCH?: string; COUNT?: number } = {}): Promise<[string, string[]]> {
    return this.raw([
      'SCAN',
      cursor,
      ...(options.MATCH === undefined ? [] : ['MATCH', options.MATCH]),
      ...(options.COUNT === undefined ? [] : ['COUNT', options.COUNT]),
    ]) as Promise<[string, string[]]>;
  }
  /** SCAN as a stream of key batches (arrays), as ioredis's `scanStream`. */
  scanStream(options: { match: string; count?: number }): Readable {
    let cursor = '0';
    let done = false;
    const pull = (): void => {
      this.scan(cursor, { MATCH: options.match, ...(options.count === undefined ? {} : { COUNT: options.count }) }).then(
        ([next, keys]) => {
          cursor = next;
          done = next === '0';
          if (keys.length > 0) stream.push(keys);
          if (done) stream.push(null);
          else if (keys.length === 0) pull(); // an empty batch asks for no read: scan on
        },
        (error: Error) => stream.destroy(error),
      );
    };
    const stream: Readable = new Readable({
      objectMode: true,
      read: () => {
        if (!done) pull();
      },
    });
    return stream;
  }
}

/** Reconnect delays: 100 ms, doubling, at most 2 s; never gives up (BullMQ's own connections). */
const defaultRetry = (times: number): number => Math.min(100 * 2 ** (times - 1), 2_000);

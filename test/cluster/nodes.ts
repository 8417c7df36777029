/**
 * The CentralSystem node processes of a cluster test, seen from the test: fork one
 * (node-process.ts), wait (bounded) until it listens, send it commands over IPC and wait
 * (bounded) for the replies, kill it. Whatever happens to the test, no node outlives it.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { isNotice, type CallResult, type Command, type FleetEntry, type FromNode, type NodeEnv, type NodeStats, type Reply } from './protocol';

const NODE_PROGRAM = join(__dirname, 'node-process.ts');
const START_TIMEOUT_MS = 10_000;
const COMMAND_TIMEOUT_MS = 8_000;
const CLOSE_TIMEOUT_MS = 3_000;

/** Every node process still alive, killed when this process exits however it exits. */
const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

type Request = Command extends infer C ? (C extends { id: number } ? Omit<C, 'id'> : never) : never;

/** One forked CentralSystem node, driven over IPC. */
export class TestNode {
  /** The stations URL (a ChargePoint adds its identity). */
  readonly url: string;
  /** Settles when the process has exited (for any reason). */
  readonly exited: Promise<void>;
  private readonly pending = new Map<number, { resolve(reply: Reply): void; reject(error: Error): void }>();
  private nextId = 0;
  private stderr = '';

  private constructor(
    readonly id: string,
    readonly port: number,
    private readonly child: ChildProcess,
    stderr: () => string,
  ) {
    this.url = `ws://127.0.0.1:${port}/ocpp`;
    this.exited = new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      else child.once('exit', () => resolve());
    });
    child.on('message', (message: FromNode) => {
      if (isNotice(message)) return;
      const waiter = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.type === 'failed') waiter?.reject(new Error(`node ${id}: ${message.message}`));
      else waiter?.resolve(message);
    });
    void this.exited.then(() => {
      this.stderr = stderr();
      for (const waiter of this.pending.values())
        waiter.reject(new Error(`node ${id} exited (${child.signalCode ?? child.exitCode}): ${this.stderr.slice(-2000)}`));
      this.pending.clear();
    });
  }

  /** Forks a node and waits (bounded) until it listens; rejects with its stderr when it cannot start. */
  static async start(env: NodeEnv): Promise<TestNode> {
    const { NODE_TEST_CONTEXT: _inherited, ...parentEnv } = process.env;
    const child = fork(NODE_PROGRAM, [], {
      execPath: process.execPath,
      execArgv: ['--import', 'tsx'],
      env: { ...parentEnv, ...env },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    children.add(child);
    child.once('exit', () => children.delete(child));
    let stderr = '';
    const keep = (chunk: Buffer): void => {
      stderr = (stderr + chunk.toString()).slice(-20_000);
      if (process.env.CLUSTER_DEBUG) process.stderr.write(`[${env.NODE_ID}] ${chunk.toString()}`);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    let stage = 'forked';
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => fail(`did not listen within ${START_TIMEOUT_MS} ms (last stage: ${stage})`), START_TIMEOUT_MS);
      function fail(why: string): void {
        clearTimeout(timer);
        child.kill('SIGKILL');
        reject(new Error(`node ${env.NODE_ID} ${why}: ${stderr.slice(-2000)}`));
      }
      child.on('message', (message: FromNode) => {
        if (message.type === 'stage') stage = message.stage;
        else if (message.type === 'ready') {
          clearTimeout(timer);
          resolve(message.port);
        } else if (message.type === 'fatal') fail(`failed to start: ${message.message}`);
      });
      child.once('exit', (code, signal) => fail(`exited (${signal ?? code}) before listening`));
    });
    return new TestNode(env.NODE_ID, port, child, () => stderr);
  }

  /** Whether the process is still running. */
  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Sends a command and waits for its reply, at most `timeoutMs`. */
  request(command: Request, timeoutMs = COMMAND_TIMEOUT_MS): Promise<Reply> {
    if (!this.alive) return Promise.reject(new Error(`node ${this.id} is not running`));
    const id = ++this.nextId;
    return new Promise<Reply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`node ${this.id}: no reply to ${command.type} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (reply) => {
          clearTimeout(timer);
          resolve(reply);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.child.send({ ...command, id });
    });
  }

  /** Calls `identity` through this node's `cs.fleet`; the reply comes within the call's own timeout. */
  async call(identity: string, action: string, payload: unknown, timeoutMs = 2000): Promise<CallResult> {
    const reply = await this.request({ type: 'call', identity, action, payload, timeoutMs }, timeoutMs + COMMAND_TIMEOUT_MS);
    if (reply.type !== 'call') throw new Error(`node ${this.id}: unexpected reply ${reply.type}`);
    return reply.result;
  }

  /** This node's `cs.fleet`, sorted by identity. */
  async fleet(): Promise<FleetEntry[]> {
    const reply = await this.request({ type: 'fleet' });
    if (reply.type !== 'fleet') throw new Error(`node ${this.id}: unexpected reply ${reply.type}`);
    return [...reply.fleet].sort((x, y) => x.identity.localeCompare(y.identity));
  }

  /** The identities connected to this node (`cs.stations`). */
  async local(): Promise<string[]> {
    const reply = await this.request({ type: 'local' });
    if (reply.type !== 'local') throw new Error(`node ${this.id}: unexpected reply ${reply.type}`);
    return [...reply.identities].sort();
  }

  async stats(): Promise<NodeStats> {
    const reply = await this.request({ type: 'stats' });
    if (reply.type !== 'stats') throw new Error(`node ${this.id}: unexpected reply ${reply.type}`);
    return reply.stats;
  }

  /** Makes the node's releases reach Redis `ms` late. */
  async delayReleases(ms: number): Promise<void> {
    await this.request({ type: 'delay-releases', ms });
  }

  /** SIGKILLs the node; returns `performance.now()` at the kill, for measuring from it. */
  kill(): number {
    const at = performance.now();
    this.child.kill('SIGKILL');
    return at;
  }

  /**
   * Closes the node gracefully, or kills it when that takes longer than a bound. Resolves how the
   * close went: whether the user's Redis client survived `cs.close()`; undefined when it did not
   * close on its own (killed, or not running).
   */
  async close(): Promise<{ clientAlive: boolean } | undefined> {
    if (!this.alive) return undefined;
    const reply = await this.request({ type: 'close' }, CLOSE_TIMEOUT_MS).catch(() => undefined);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), CLOSE_TIMEOUT_MS);
    await this.exited;
    clearTimeout(timer);
    return reply?.type === 'closed' ? { clientAlive: reply.clientAlive } : undefined;
  }
}

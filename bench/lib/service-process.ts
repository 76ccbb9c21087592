import { type ChildProcess, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

export interface ServiceProcess {
  pid: number;
  /** The line it printed when ready ("Ready on …" or "Workers ready."). */
  ready: string;
  /** Log lines at error level or above (JSON lines: LOG_LEVEL applies, nothing is at a terminal). */
  errors: string[];
  rssMiB(): Promise<number>;
  stop(): Promise<number | null>;
}

/**
 * `npm start`'s entry (server/main.ts) or the workers' (server/worker.ts) in a process of its
 * own, so that its resident memory is its own; answers once it says it is ready.
 */
export async function startServiceProcess(
  entry: 'server/main.ts' | 'server/worker.ts',
  env: NodeJS.ProcessEnv,
  readyPattern: RegExp,
  timeoutMs = 120_000,
): Promise<ServiceProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const errors: string[] = [];
  let output = '';
  const ready = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${entry} not ready in ${timeoutMs} ms:\n${output}`)),
      timeoutMs,
    );
    const onLine = (line: string) => {
      if (output.length < 20_000) output += `${line}\n`;
      if (isError(line)) errors.push(line);
      const match = readyPattern.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve(match[0]);
      }
    };
    for (const stream of [child.stdout, child.stderr]) lines(stream, onLine);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${entry} exited (${code}) before it was ready:\n${output}`));
    });
  });
  const stop = () => stopChild(child);
  try {
    const line = await ready;
    return { pid: child.pid!, ready: line, errors, rssMiB: () => rssMiB(child.pid!), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function isError(line: string): boolean {
  if (!line.startsWith('{')) return /error/i.test(line);
  try {
    return (JSON.parse(line) as { level?: number }).level! >= 50;
  } catch {
    return true;
  }
}

function lines(stream: NodeJS.ReadableStream | null, onLine: (line: string) => void) {
  let rest = '';
  stream?.setEncoding('utf8');
  stream?.on('data', (chunk: string) => {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop()!;
    for (const part of parts) if (part.trim()) onLine(part);
  });
}

/** VmRSS from /proc (Linux): the process's resident set, in MiB. */
async function rssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1]);
  return Math.round((kib / 1024) * 10) / 10;
}

/** SIGTERM (the service drains and closes), SIGKILL after 20 s. */
function stopChild(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.once('exit', (code) => {
      clearTimeout(force);
      resolve(code);
    });
    child.kill('SIGTERM');
  });
}

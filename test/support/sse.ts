import http, { type IncomingMessage } from 'node:http';
import { eventually } from './fixtures';

interface SseEvent {
  event: string;
  data: string;
}

/** A GET on a connection of its own unless an agent is given (no pooling, so timings are the server's own). */
export function get(url: string, signal?: AbortSignal, agent: http.Agent | false = false): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => http.get(url, { agent, signal }, resolve).on('error', reject));
}

export async function readBody(response: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of response) body += String(chunk);
  return body;
}

/** A minimal EventSource: reads the response body and splits it into events. */
export class SseClient {
  readonly events: SseEvent[] = [];
  ended = false;
  private readonly abort = new AbortController();
  private buffer = '';

  static async open(url: string, agent?: http.Agent): Promise<{ client: SseClient; response: IncomingMessage }> {
    const client = new SseClient();
    const response = await get(url, client.abort.signal, agent);
    void client.read(response);
    return { client, response };
  }

  async next(event: string, timeoutMs = 5000): Promise<SseEvent> {
    return eventually(async () => this.events.find((e) => e.event === event), timeoutMs, `an SSE "${event}" event`);
  }

  close(): void {
    this.abort.abort();
  }

  private async read(response: IncomingMessage): Promise<void> {
    try {
      for await (const chunk of response) {
        this.buffer += String(chunk);
        let end: number;
        while ((end = this.buffer.indexOf('\n\n')) >= 0) {
          this.parse(this.buffer.slice(0, end));
          this.buffer = this.buffer.slice(end + 2);
        }
      }
    } catch {
      // Aborted by close().
    }
    this.ended = true;
  }

  private parse(block: string): void {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith('event: ')) event = line.slice(7);
      else if (line.startsWith('data: ')) data.push(line.slice(6));
    }
    if (data.length > 0) this.events.push({ event, data: data.join('\n') });
  }
}

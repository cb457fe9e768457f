import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { api } from '../api/client';
import { keys } from '../api/queries';

const MAX_BACKOFF_MS = 30_000;

/**
 * The live inbox: an EventSource on the notification stream (the token in the query, as
 * EventSource cannot send headers). Each `notification` refreshes what it may have changed:
 * the bell, the inbox, the queue and its counts, the ticket it names. EventSource reconnects by
 * itself after a dropped connection; when the server refused the stream (closed state) it is
 * opened again with backoff, after asking /me, whose 401 ends a revoked session.
 */
export function useNotificationStream(token: string): void {
  const queryClient = useQueryClient();

  useEffect(() => {
    let source: EventSource | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let attempts = 0;
    let stopped = false;

    const refresh = (ticketId?: string) => {
      void queryClient.invalidateQueries({ queryKey: keys.notifications });
      void queryClient.invalidateQueries({ queryKey: keys.queue });
      void queryClient.invalidateQueries({ queryKey: keys.counts });
      if (ticketId) void queryClient.invalidateQueries({ queryKey: keys.ticket(ticketId) });
    };

    const open = () => {
      source = new EventSource(`/api/v1/notifications/stream?access_token=${encodeURIComponent(token)}`);
      // Whatever arrived while disconnected is in the inbox and the queue: read them again.
      source.onopen = () => {
        if (attempts > 0) refresh();
        attempts = 0;
      };
      source.addEventListener('notification', (event) => {
        let ticketId: string | undefined;
        try {
          ticketId = (JSON.parse((event as MessageEvent<string>).data) as { ticketId?: string }).ticketId ?? undefined;
        } catch {
          ticketId = undefined;
        }
        refresh(ticketId);
      });
      source.onerror = () => {
        if (source?.readyState !== EventSource.CLOSED || stopped) return;
        attempts += 1;
        const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(attempts, 5));
        timer = setTimeout(() => {
          if (stopped) return;
          // A 401 here signs the user out (the client's middleware); otherwise try the stream again.
          void api.GET('/api/v1/me').then(({ response }) => !stopped && response.ok && open());
        }, delay);
      };
    };

    open();
    return () => {
      stopped = true;
      clearTimeout(timer);
      source?.close();
    };
  }, [token, queryClient]);
}

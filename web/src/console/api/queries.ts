import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, unwrap } from './client';
import { currentToken } from './session';

/** Query keys, so the live stream can invalidate what a notification may have changed. */
export const keys = {
  me: ['me'] as const,
  queue: ['queue'] as const,
  counts: ['queue-counts'] as const,
  ticket: (id: string) => ['ticket', id] as const,
  notifications: ['notifications'] as const,
  unread: ['notifications', 'unread'] as const,
};

export function useMe() {
  return useQuery({ queryKey: keys.me, queryFn: async () => unwrap(await api.GET('/api/v1/me')), enabled: currentToken() !== null, staleTime: 5 * 60_000 });
}

export function useDepartments() {
  return useQuery({ queryKey: ['departments'], queryFn: async () => unwrap(await api.GET('/api/v1/departments')), staleTime: 10 * 60_000 });
}

export function useUsers() {
  return useQuery({ queryKey: ['users'], queryFn: async () => unwrap(await api.GET('/api/v1/users')), staleTime: 10 * 60_000 });
}

export function useEnterpriseSearch(q: string) {
  return useQuery({
    queryKey: ['enterprises', q],
    queryFn: async () => unwrap(await api.GET('/api/v1/enterprises', { params: { query: { q: q || undefined, limit: 20 } } })),
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
}

/** This year's office hours: the length of the working day the queue's "天" counts. */
export function useWorkingHours() {
  const year = new Date().getFullYear();
  return useQuery({
    queryKey: ['calendar', year],
    queryFn: async () => unwrap(await api.GET('/api/v1/calendar/{year}', { params: { path: { year } } })).workingHours,
    staleTime: 60 * 60_000,
  });
}

export function useUnreadCount() {
  return useQuery({ queryKey: keys.unread, queryFn: async () => unwrap(await api.GET('/api/v1/notifications/unread-count')).count });
}

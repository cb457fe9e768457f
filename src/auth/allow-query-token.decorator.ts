import { SetMetadata } from '@nestjs/common';

export const ALLOW_QUERY_TOKEN = 'allowQueryToken';

/**
 * Lets a route also take the access token from `?access_token=`, for clients that cannot send
 * headers (a browser's EventSource). Only for read-only streams: URLs end up in logs and history.
 */
export const AllowQueryToken = () => SetMetadata(ALLOW_QUERY_TOKEN, true);

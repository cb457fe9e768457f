/** Kinds of contact with enterprises, from the seeds. */
export const ENGAGEMENT_TYPES = [
  'visit',
  'breakfast_meeting',
  'afternoon_tea',
  'evening_salon',
  'site_office_meeting',
  'entrepreneur_forum',
  'weekend_morning_talk',
  'service_window',
  'online',
] as const;
export type EngagementType = (typeof ENGAGEMENT_TYPES)[number];

import type { components } from '../../../../clients/api';

type Attachment = components['schemas']['AttachmentDto'];

/** Attachments by name, as links when they have a URL (opened without a Referer). */
export function AttachmentLinks({ attachments }: { attachments: Attachment[] }) {
  if (attachments.length === 0) return <>无</>;
  return (
    <ul className="attachments">
      {attachments.map((a) => (
        <li key={`${a.name}-${a.url ?? ''}`}>
          {a.url ? (
            <a href={a.url} target="_blank" rel="noreferrer noopener">
              {a.name}
            </a>
          ) : (
            a.name
          )}
        </li>
      ))}
    </ul>
  );
}

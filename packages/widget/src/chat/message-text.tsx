import { linkify } from './linkify.js';

/** Message text as text nodes; only vetted http(s)/mailto links become anchors. */
export function MessageText({ text }: { text: string }) {
  return (
    <>
      {linkify(text).map((segment, i) =>
        segment.kind === 'text' ? (
          segment.text
        ) : (
          <a
            key={i}
            href={segment.href}
            target="_blank"
            rel="noopener noreferrer nofollow"
            class="underline underline-offset-2 hover:opacity-80"
          >
            {segment.text}
          </a>
        ),
      )}
    </>
  );
}

import { type ClientConfig, CONTENT_LANGUAGES, type ContentLanguage } from '@leaddesk/shared';
import { brand } from '../brand.js';
import { Field, inputClass } from '../ui.js';

type Widget = ClientConfig['widget'];

const LANGUAGES: Record<ContentLanguage, string> = {
  en: 'English',
  es: 'Español',
  fr: 'Français',
  de: 'Deutsch',
  pt: 'Português',
  it: 'Italiano',
};

/**
 * What the widget shows under its composer: the consent line (one text per
 * language; visitors in other languages get the English one) with the privacy
 * policy link, and the "Powered by" line, which a reseller hides or replaces
 * with its own label and link.
 */
export function WidgetFooterFields(props: { widget: Widget; onChange: (next: Widget) => void }) {
  const { widget } = props;
  const consent = widget.consent ?? { text: {} };
  const powered = widget.poweredBy ?? { hidden: false };
  const setText = (lang: ContentLanguage, value: string) => {
    const text = { ...consent.text };
    if (value.trim()) text[lang] = value;
    else delete text[lang];
    props.onChange({ ...widget, consent: { ...consent, text } });
  };
  const optional = (value: string) => (value.trim() ? value.trim() : undefined);
  const poweredMode = powered.hidden ? 'hidden' : powered.label || powered.url ? 'custom' : 'ours';

  return (
    <div class="space-y-3" data-testid="widget-footer-fields">
      <Field label="Privacy policy link" hint="Shown under the chat with your consent line.">
        <input
          name="privacyUrl"
          class={inputClass}
          placeholder="https://example.com/privacy"
          value={consent.privacyUrl ?? ''}
          onInput={(e) =>
            props.onChange({ ...widget, consent: { ...consent, privacyUrl: optional(e.currentTarget.value) } })
          }
        />
      </Field>
      <fieldset class="space-y-1">
        <legend class="mb-1 text-xs font-medium text-slate-600">Consent line, per language</legend>
        {CONTENT_LANGUAGES.map((lang) => (
          <input
            key={lang}
            name={`consent-${lang}`}
            aria-label={`Consent line in ${LANGUAGES[lang]}`}
            placeholder={`${LANGUAGES[lang]}${lang === 'en' ? ' (also for other languages)' : ''}`}
            class={inputClass}
            maxLength={200}
            value={consent.text[lang] ?? ''}
            onInput={(e) => setText(lang, e.currentTarget.value)}
          />
        ))}
      </fieldset>
      <Field label="“Powered by” line">
        <select
          name="poweredBy"
          class={inputClass}
          value={poweredMode}
          onChange={(e) => {
            const mode = e.currentTarget.value;
            props.onChange({
              ...widget,
              poweredBy:
                mode === 'hidden'
                  ? { hidden: true }
                  : mode === 'custom'
                    ? { hidden: false, label: powered.label ?? 'Your agency' }
                    : { hidden: false },
            });
          }}
        >
          <option value="ours">Default (Powered by {brand.productName})</option>
          <option value="custom">Your own label and link</option>
          <option value="hidden">None</option>
        </select>
      </Field>
      {poweredMode === 'custom' && (
        <div class="grid gap-2 md:grid-cols-2">
          <input
            name="poweredLabel"
            aria-label="“Powered by” label"
            class={inputClass}
            maxLength={60}
            value={powered.label ?? ''}
            onInput={(e) =>
              props.onChange({ ...widget, poweredBy: { ...powered, label: optional(e.currentTarget.value) } })
            }
          />
          <input
            name="poweredUrl"
            aria-label="“Powered by” link"
            class={inputClass}
            placeholder="https://your-agency.example"
            value={powered.url ?? ''}
            onInput={(e) =>
              props.onChange({ ...widget, poweredBy: { ...powered, url: optional(e.currentTarget.value) } })
            }
          />
        </div>
      )}
    </div>
  );
}

import { INDUSTRIES } from '@leaddesk/shared';

const INDUSTRY_NAMES: Record<(typeof INDUSTRIES)[number], string> = {
  dental: 'Dental clinic',
  hotel: 'Hotel',
  real_estate: 'Estate agent',
  other: 'Other business',
};

/** The industry templates a new client starts from (sign-up and the setup wizard). */
export function IndustrySelect(props: { value: string; onChange: (industry: string) => void; class: string }) {
  return (
    <select
      class={props.class}
      name="industry"
      value={props.value}
      onChange={(e) => props.onChange(e.currentTarget.value)}
    >
      {INDUSTRIES.map((i) => (
        <option key={i} value={i}>
          {INDUSTRY_NAMES[i]}
        </option>
      ))}
    </select>
  );
}

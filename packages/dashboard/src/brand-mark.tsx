import { brand } from './brand.js';
import { cx } from './ui.js';

/** The brand's logo, or its initial on the accent colour when it has none. */
export function BrandMark(props: { class?: string }) {
  if (brand.logoUrl) return <img src={brand.logoUrl} alt="" class={cx('rounded-lg object-contain', props.class)} />;
  return (
    <div
      class={cx('grid place-items-center rounded-lg bg-indigo-500 font-bold text-white', props.class)}
      style={{ background: 'var(--brand-accent)' }}
    >
      {brand.productName.slice(0, 1).toUpperCase()}
    </div>
  );
}

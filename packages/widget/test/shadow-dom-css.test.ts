import postcss from 'postcss';
import { describe, expect, it } from 'vitest';
import { shadowDomCss } from '../scripts/shadow-dom-css.mjs';

const run = async (css: string) => (await postcss([shadowDomCss()]).process(css, { from: undefined })).css;

describe('shadowDomCss', () => {
  it('turns @property rules into defaults in the lowest layer (shadow roots ignore @property)', async () => {
    const out = await run(`
      @layer theme, base, components, utilities;
      @property --tw-ring-offset-width { syntax: "<length>"; inherits: false; initial-value: 0 }
      @property --tw-shadow { syntax: "*"; inherits: false; initial-value: 0 0 #0000 }
      @property --tw-font { syntax: "*"; inherits: true; initial-value: serif }
      @layer utilities { .ring-1 { --tw-ring-shadow: 0 0 0 calc(1px + var(--tw-ring-offset-width)) red } }
    `);
    expect(out).not.toContain('@property');
    expect(out.trim().startsWith('@layer properties, theme, base, components, utilities;')).toBe(true);
    expect(out).toMatch(
      /@layer properties\s*{\s*\*,::before,::after,::backdrop\s*{\s*--tw-ring-offset-width: 0px;\s*--tw-shadow: 0 0 #0000/,
    );
    expect(out).toMatch(/:host\s*{\s*--tw-font: serif/);
  });

  it('turns rem into px so the host page root font size cannot scale the widget', async () => {
    const out = await run('.a { padding: 0.25rem 1.5rem; width: calc(var(--x) * 2rem); } .b { margin: 2em }');
    expect(out).toContain('padding: 4px 24px');
    expect(out).toContain('width: calc(var(--x) * 32px)');
    expect(out).toContain('margin: 2em');
  });
});

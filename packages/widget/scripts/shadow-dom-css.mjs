/**
 * PostCSS step that makes Tailwind 4 output work inside a Shadow DOM.
 *
 * 1. `@property` rules are ignored in shadow roots (tailwindcss#15005), so the
 *    defaults they carry (e.g. `--tw-shadow: 0 0 #0000`) never apply and
 *    utilities such as `shadow-lg` or `ring-2` render nothing. We remove them and
 *    declare the same initial values in the lowest cascade layer: on `:host` for
 *    inherited properties, on every element for non-inherited ones (which is
 *    what `inherits: false` means).
 *    Registered types are lost on the way, so a unitless `0` length gets its `px` back.
 *    Every sheet starts with the full layer order, so these defaults stay below the utilities.
 * 2. `rem` is relative to the HOST page's <html> font size, so a page with
 *    `html { font-size: 40px }` would blow the widget up. We turn rem into px
 *    (1rem = 16px) so the widget's size depends on nothing outside it.
 * The host document is never touched.
 */
export function shadowDomCss() {
  return {
    postcssPlugin: 'leaddesk-shadow-dom-css',
    OnceExit(root, { AtRule, Rule, Declaration }) {
      const inherited = [];
      const local = [];
      root.walkAtRules('property', (at) => {
        let initial = 'initial';
        let inherits = false;
        let syntax = '';
        at.walkDecls((d) => {
          if (d.prop === 'initial-value') initial = d.value;
          if (d.prop === 'inherits') inherits = d.value.trim() === 'true';
          if (d.prop === 'syntax') syntax = d.value;
        });
        // A registered <length> may be written `0`; unregistered, `calc(1px + 0)`
        // would be invalid and take the whole box-shadow (rings) down with it.
        if (syntax.includes('<length>') && initial.trim() === '0') initial = '0px';
        (inherits ? inherited : local).push(new Declaration({ prop: at.params.trim(), value: initial }));
        at.remove();
      });
      // Tailwind's own fallback for browsers without @property only targets old
      // Safari/Firefox (behind @supports); ours replaces it everywhere.
      root.walkAtRules('layer', (at) => {
        if (at.params === 'properties' && at.nodes) at.remove();
      });
      const layer = new AtRule({ name: 'layer', params: 'properties' });
      if (local.length) layer.append(new Rule({ selector: '*,::before,::after,::backdrop' }).append(local));
      if (inherited.length) layer.append(new Rule({ selector: ':host' }).append(inherited));
      if (layer.nodes?.length) root.prepend(layer);
      // Layer order is set by first appearance across EVERY sheet of the shadow
      // root (the loader's and the chat's share one cascade), so each sheet
      // states the full order first: defaults lowest, utilities highest.
      root.prepend(new AtRule({ name: 'layer', params: 'properties, theme, base, components, utilities' }));
      root.walkDecls((d) => {
        if (d.value.includes('rem')) {
          d.value = d.value.replace(/(-?\d*\.?\d+)rem\b/g, (_m, n) => `${+(Number.parseFloat(n) * 16).toFixed(3)}px`);
        }
      });
    },
  };
}
shadowDomCss.postcss = true;

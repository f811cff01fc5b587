import { describe, expect, it } from 'vitest';
import { isHexColor, textOn } from './color.js';

describe('brand colour', () => {
  it('accepts only #rrggbb', () => {
    expect(isHexColor('#0f766e')).toBe(true);
    for (const bad of [
      'red',
      '#fff',
      'url(x)',
      '#0f766e;background:red',
      'expression(alert(1))',
      '',
      null,
      undefined,
    ]) {
      expect(isHexColor(bad)).toBe(false);
    }
  });

  it('puts dark text on light brand colours and white text on dark ones', () => {
    expect(['#fbbf24', '#22c55e', '#ffffff', '#a3e635'].map(textOn)).toEqual(Array(4).fill('#111827'));
    expect(['#2563eb', '#0f766e', '#000000', '#e11d48'].map(textOn)).toEqual(Array(4).fill('#ffffff'));
  });
});

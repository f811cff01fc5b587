/**
 * The brand this dashboard is served in (white-label, docs/white-label.md): the server writes it into
 * index.html for the Host as a JSON data block (never executed: the CSP allows no inline script). The
 * bundles carry no product name of their own; every name, logo and colour on screen comes from here.
 */
export interface Brand {
  productName: string;
  /** Empty: no logo (the initial letter is drawn instead). */
  logoUrl: string;
  supportUrl: string | null;
  primaryColor: string;
  accentColor: string;
}

function readBrand(): Brand {
  const fallback: Brand = { productName: '', logoUrl: '', supportUrl: null, primaryColor: '', accentColor: '' };
  try {
    const text = document.getElementById('brand')?.textContent;
    return text ? { ...fallback, ...(JSON.parse(text) as Partial<Brand>) } : fallback;
  } catch {
    return fallback;
  }
}

export const brand: Brand = readBrand();

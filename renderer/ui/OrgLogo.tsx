// An organisation's logo from assets/logos, or its code on a coloured badge for an organisation a site added.
const LOGOS = import.meta.glob<string>('../../assets/logos/*.svg', { eager: true, query: '?url', import: 'default' });

const logoUrl = (code: string): string | undefined => LOGOS[`../../assets/logos/${code}.svg`];

export function OrgLogo({ code, size = 72 }: { code: string; size?: number }) {
  const url = logoUrl(code);
  if (url) return <img className="org-logo" src={url} width={size} height={size} alt="" />;
  return (
    <span className="org-logo org-logo--badge" style={{ width: size, height: size }} aria-hidden="true">
      {code.slice(0, 4)}
    </span>
  );
}
